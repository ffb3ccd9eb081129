// How the resync brings a region over (include/dm-tandem/tandem.h): the
// feature `resync_mode` of the table, the message of the same name and a
// field of status version 4 all use these words.
#pragma once

#include <string_view>

namespace tandem {

enum class ResyncMode {
    copy,     // "copy": the whole region (the default)
    checksum, // "checksum": compare 4 KiB blocks by xxh64, copy only those that differ
    unknown,  // a word of a newer status version
};

ResyncMode resync_mode_from_word(std::string_view word);
std::string_view to_string(ResyncMode mode);

} // namespace tandem
