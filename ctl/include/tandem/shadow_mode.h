// How production bios are cloned to the shadow (include/dm-tandem/tandem.h):
// the `shadow_mode` table feature and message and a field of status
// version 6 use these words.
#pragma once

#include <string_view>

namespace tandem {

enum class ShadowMode {
    async,   // "async": a pooled copy of the payload; production never waits (the default)
    sync,    // "sync": shared payload; the bio completes after the legs and the clone
    gate,    // "gate": the clone first; the legs only if it succeeded
    unknown, // a word of a newer status version
};

ShadowMode shadow_mode_from_word(std::string_view word);
std::string_view to_string(ShadowMode mode);

} // namespace tandem
