#include "tandem/resync_mode.h"

#include <dm-tandem/tandem.h>

namespace tandem {

ResyncMode resync_mode_from_word(std::string_view word) {
    if (word == TANDEM_RESYNC_COPY)
        return ResyncMode::copy;
    if (word == TANDEM_RESYNC_CHECKSUM)
        return ResyncMode::checksum;
    return ResyncMode::unknown;
}

std::string_view to_string(ResyncMode mode) {
    switch (mode) {
    case ResyncMode::copy:
        return TANDEM_RESYNC_COPY;
    case ResyncMode::checksum:
        return TANDEM_RESYNC_CHECKSUM;
    case ResyncMode::unknown:
        break;
    }
    return "unknown";
}

} // namespace tandem
