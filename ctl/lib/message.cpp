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

// The class message's name, checked.
std::string class_name(std::string_view name) {
    if (std::string problem = class_name_problem(name); !problem.empty())
        throw UsageError(std::string(TANDEM_MSG_CLASS) + ": " + problem);
    return std::string(name);
}

// Raise UsageError for a problem of the `verb` message.
void check(std::string_view verb, const std::string& problem) {
    if (!problem.empty())
        throw UsageError(std::string(verb) + ": " + problem);
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
    return std::string(TANDEM_MSG_STATS) + " " + TANDEM_MSG_STATS_RESET;
}

std::string queue_depth(std::uint64_t depth) {
    check(TANDEM_MSG_QUEUE_DEPTH, queue_depth_problem(depth));
    return std::string(TANDEM_MSG_QUEUE_DEPTH) + " " + std::to_string(depth);
}

std::string class_add(std::string_view name) {
    return std::string(TANDEM_MSG_CLASS) + " " + TANDEM_CLASS_ADD + " " + class_name(name);
}

std::string class_remove(std::string_view name) {
    return std::string(TANDEM_MSG_CLASS) + " " + TANDEM_CLASS_REMOVE + " " + class_name(name);
}

std::string class_weight(std::string_view name, std::uint64_t weight) {
    const std::string checked = class_name(name);
    check(TANDEM_MSG_CLASS, class_weight_problem(weight));
    return std::string(TANDEM_MSG_CLASS) + " " + checked + " " + TANDEM_CLASS_WEIGHT + " " +
           std::to_string(weight);
}

std::string class_limit(std::string_view name, std::optional<std::uint64_t> iops,
                        std::optional<std::uint64_t> bw_kib_per_s) {
    std::string text =
        std::string(TANDEM_MSG_CLASS) + " " + class_name(name) + " " + TANDEM_CLASS_LIMIT;
    if (!iops && !bw_kib_per_s)
        throw UsageError(std::string(TANDEM_MSG_CLASS) +
                         ": a limit needs iops, bw or both (0: none)");
    if (iops) {
        check(TANDEM_MSG_CLASS, iops_limit_problem(*iops));
        text += std::string(" ") + TANDEM_LIMIT_IOPS + " " + std::to_string(*iops);
    }
    if (bw_kib_per_s) {
        check(TANDEM_MSG_CLASS, bw_limit_problem(*bw_kib_per_s));
        text += std::string(" ") + TANDEM_LIMIT_BW + " " + std::to_string(*bw_kib_per_s);
    }
    return text;
}

std::string rule_add(const Rule& rule) {
    check(TANDEM_MSG_RULE, rule_problem(rule));
    return std::string(TANDEM_MSG_RULE) + " " + TANDEM_RULE_ADD + " " + format_rule(rule);
}

std::string rule_del(std::uint64_t index) {
    if (index >= max_rules)
        throw UsageError(std::string(TANDEM_MSG_RULE) + ": rule index " + std::to_string(index) +
                         " out of range; a device has at most " + std::to_string(max_rules) +
                         " rules (0.." + std::to_string(max_rules - 1) + ")");
    return std::string(TANDEM_MSG_RULE) + " " + TANDEM_RULE_DEL + " " + std::to_string(index);
}

std::string rule_clear() {
    return std::string(TANDEM_MSG_RULE) + " " + TANDEM_RULE_CLEAR;
}

std::string rule_list() {
    return std::string(TANDEM_MSG_RULE) + " " + TANDEM_RULE_LIST;
}

std::string shadow_on() {
    return std::string(TANDEM_MSG_SHADOW) + " " + TANDEM_SHADOW_ON;
}

std::string shadow_off() {
    return std::string(TANDEM_MSG_SHADOW) + " " + TANDEM_SHADOW_OFF;
}

std::string shadow_sample(std::uint64_t sample) {
    check(TANDEM_MSG_SHADOW, shadow_sample_problem(sample));
    return std::string(TANDEM_MSG_SHADOW) + " " + TANDEM_SHADOW_SAMPLE + " " +
           std::to_string(sample);
}

std::string shadow_pool(std::uint64_t kib) {
    check(TANDEM_MSG_SHADOW, shadow_pool_problem(kib));
    return std::string(TANDEM_MSG_SHADOW) + " " + TANDEM_SHADOW_POOL + " " + std::to_string(kib);
}

std::string shadow_mode(std::string_view mode) {
    check(TANDEM_MSG_SHADOW_MODE, shadow_mode_problem(mode));
    return std::string(TANDEM_MSG_SHADOW_MODE) + " " + std::string(mode);
}

} // namespace tandem::message
