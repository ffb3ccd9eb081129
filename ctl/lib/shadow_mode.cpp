#include "tandem/shadow_mode.h"

#include <dm-tandem/tandem.h>

namespace tandem {

ShadowMode shadow_mode_from_word(std::string_view word) {
    if (word == TANDEM_SHADOW_ASYNC)
        return ShadowMode::async;
    if (word == TANDEM_SHADOW_SYNC)
        return ShadowMode::sync;
    if (word == TANDEM_SHADOW_GATE)
        return ShadowMode::gate;
    return ShadowMode::unknown;
}

std::string_view to_string(ShadowMode mode) {
    switch (mode) {
    case ShadowMode::async:
        return TANDEM_SHADOW_ASYNC;
    case ShadowMode::sync:
        return TANDEM_SHADOW_SYNC;
    case ShadowMode::gate:
        return TANDEM_SHADOW_GATE;
    case ShadowMode::unknown:
        break;
    }
    return "unknown";
}

} // namespace tandem
