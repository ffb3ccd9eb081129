#include "tandem/limits.h"

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
