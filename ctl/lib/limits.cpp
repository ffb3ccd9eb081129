#include "tandem/limits.h"

#include "tandem/shadow_mode.h"

#include <numeric>

namespace tandem {

std::string weights_problem(std::span<const unsigned> weights) {
    if (weights.size() < min_legs || weights.size() > max_legs)
        return "expected " + std::to_string(min_legs) + " to " + std::to_string(max_legs) +
               " weights (one per leg), got " + std::to_string(weights.size());
    for (std::size_t i = 0; i < weights.size(); i++) {
        if (weights[i] > weight_total)
            return "weight of leg " + std::to_string(i) + " is " + std::to_string(weights[i]) +
                   "; each must be 0.." + std::to_string(weight_total);
    }
    unsigned sum = std::accumulate(weights.begin(), weights.end(), 0U);
    if (sum != weight_total)
        return "weights sum to " + std::to_string(sum) + "; they must sum to " +
               std::to_string(weight_total);
    return {};
}

std::string sync_rate_problem(std::uint64_t kib_per_s) {
    if (kib_per_s > max_sync_rate)
        return "sync rate " + std::to_string(kib_per_s) + " KiB/s is out of range; it must be 0.." +
               std::to_string(max_sync_rate) + " KiB/s (0 pauses the resync)";
    return {};
}

std::string class_name_problem(std::string_view name) {
    const std::string quoted = "class name '" + std::string(name) + "'";
    if (name.empty())
        return "class name is empty";
    if (name.size() > class_name_max)
        return quoted + " is longer than " + std::to_string(class_name_max) + " characters";
    if (name[0] < 'a' || name[0] > 'z')
        return quoted + " must start with a lowercase letter a-z";
    for (char c : name) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return quoted + " may contain only a-z, 0-9, '_' and '-'";
    }
    if (name == TANDEM_CLASS_ADD || name == TANDEM_CLASS_REMOVE)
        return quoted + " is reserved: it is a word of the class message";
    return {};
}

std::string queue_depth_problem(std::uint64_t depth) {
    if (depth > max_queue_depth)
        return "queue depth " + std::to_string(depth) + " is out of range; it must be 0.." +
               std::to_string(max_queue_depth) + " (0 turns the scheduler off)";
    return {};
}

std::string class_weight_problem(std::uint64_t weight) {
    if (weight > max_class_weight)
        return "class weight " + std::to_string(weight) + " is out of range; it must be 0.." +
               std::to_string(max_class_weight);
    return {};
}

std::string iops_limit_problem(std::uint64_t iops) {
    if (iops > max_iops_limit)
        return "iops limit " + std::to_string(iops) + " is out of range; it must be 0.." +
               std::to_string(max_iops_limit) + " IO/s (0: none)";
    return {};
}

std::string bw_limit_problem(std::uint64_t kib_per_s) {
    if (kib_per_s > max_bw_limit)
        return "bw limit " + std::to_string(kib_per_s) + " KiB/s is out of range; it must be 0.." +
               std::to_string(max_bw_limit) + " KiB/s (0: none)";
    return {};
}

std::string shadow_sample_problem(std::uint64_t sample) {
    if (sample > max_shadow_sample)
        return "shadow sample " + std::to_string(sample) + " is out of range; it must be 0.." +
               std::to_string(max_shadow_sample) + " (clone 1 in n bios; 0: none)";
    return {};
}

std::string shadow_pool_problem(std::uint64_t kib) {
    if (kib > max_shadow_pool)
        return "shadow pool " + std::to_string(kib) + " KiB is out of range; it must be 0.." +
               std::to_string(max_shadow_pool) + " KiB";
    return {};
}

std::string shadow_mode_problem(std::string_view mode) {
    if (shadow_mode_from_word(mode) == ShadowMode::unknown)
        return std::string("shadow mode must be ") + TANDEM_SHADOW_ASYNC + ", " +
               TANDEM_SHADOW_SYNC + " or " + TANDEM_SHADOW_GATE + ", got '" + std::string(mode) +
               "'";
    return {};
}

bool valid_region_sectors(std::uint64_t sectors) {
    return sectors >= min_region_sectors && sectors <= max_region_sectors &&
           (sectors & (sectors - 1)) == 0;
}

std::string device_name_problem(std::string_view name) {
    // DM_NAME_LEN is 128 including the terminating NUL.
    constexpr std::size_t max_name = 127;
    if (name.empty())
        return "device name is empty";
    if (name.size() > max_name)
        return "device name is longer than " + std::to_string(max_name) + " characters";
    if (name == "." || name == "..")
        return "device name cannot be '.' or '..'";
    if (name.find('/') != std::string_view::npos)
        return "device name cannot contain '/'";
    for (char c : name) {
        if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f)
            return "device name cannot contain blanks or control characters";
    }
    return {};
}

} // namespace tandem
