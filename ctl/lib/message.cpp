#include "tandem/message.h"

#include "tandem/errors.h"
#include "tandem/limits.h"
#include "tandem/resync_mode.h"

namespace tandem::message {

namespace {

std::string leg_message(const char* verb, unsigned leg) {
    if (leg >= max_legs)
        throw UsageError(std::string(verb) + ": leg index " + std::to_string(leg) +
                         " out of range; a device has at most " + std::to_string(max_legs) +
                         " legs (0.." + std::to_string(max_legs - 1) + ")");
    return std::string(verb) + " " + std::to_string(leg);
}

} // namespace

std::string weights(std::span<const unsigned> weights) {
    if (std::string problem = weights_problem(weights); !problem.empty())
        throw UsageError(std::string(TANDEM_MSG_WEIGHTS) + ": " + problem);
    std::string text = TANDEM_MSG_WEIGHTS;
    for (unsigned w : weights)
        text += " " + std::to_string(w);
    return text;
}

std::string fail_leg(unsigned leg) {
    return leg_message(TANDEM_MSG_FAIL_LEG, leg);
}

std::string reinstate_leg(unsigned leg) {
    return leg_message(TANDEM_MSG_REINSTATE_LEG, leg);
}

std::string sync_rate(std::uint64_t kib_per_s) {
    if (std::string problem = sync_rate_problem(kib_per_s); !problem.empty())
        throw UsageError(std::string(TANDEM_MSG_SYNC_RATE) + ": " + problem);
    return std::string(TANDEM_MSG_SYNC_RATE) + " " + std::to_string(kib_per_s);
}

std::string resync_mode(std::string_view mode) {
    if (resync_mode_from_word(mode) == ResyncMode::unknown)
        throw UsageError(std::string(TANDEM_MSG_RESYNC_MODE) + ": expected " + TANDEM_RESYNC_COPY +
                         " or " + TANDEM_RESYNC_CHECKSUM + ", got '" + std::string(mode) + "'");
    return std::string(TANDEM_MSG_RESYNC_MODE) + " " + std::string(mode);
}

std::string verify() {
    return TANDEM_MSG_VERIFY;
}

std::string repair() {
    return TANDEM_MSG_REPAIR;
}

std::string stats() {
    return TANDEM_MSG_STATS;
}

std::string stats_reset() {
    return std::string(TANDEM_MSG_STATS) + " reset";
}

} // namespace tandem::message
