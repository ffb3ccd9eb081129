// The limits of include/dm-tandem/tandem.h as C++ constants, and the checks
// that userspace applies before it sends anything to the kernel.
#pragma once

#include <dm-tandem/tandem.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace tandem {

inline constexpr unsigned min_legs = TANDEM_MIN_LEGS;
inline constexpr unsigned max_legs = TANDEM_MAX_LEGS;
inline constexpr std::uint32_t min_region_sectors = TANDEM_MIN_REGION_SECTORS;
inline constexpr std::uint32_t max_region_sectors = TANDEM_MAX_REGION_SECTORS;
inline constexpr unsigned weight_total = TANDEM_WEIGHT_TOTAL;
inline constexpr unsigned status_version = TANDEM_STATUS_VERSION;
inline constexpr std::uint32_t default_sync_rate = TANDEM_DEFAULT_SYNC_RATE; // KiB/s
inline constexpr std::uint32_t max_sync_rate = TANDEM_MAX_SYNC_RATE;         // KiB/s

// What is wrong with a set of read weights (count min_legs..max_legs, each
// 0..weight_total, summing to weight_total); empty when they are valid.
std::string weights_problem(std::span<const unsigned> weights);

// What is wrong with a resync rate in KiB/s (0..max_sync_rate, 0 pauses);
// empty when it is valid.
std::string sync_rate_problem(std::uint64_t kib_per_s);

// A power of two in [min_region_sectors, max_region_sectors].
bool valid_region_sectors(std::uint64_t sectors);

// What is wrong with a device-mapper device name; empty when it is valid.
std::string device_name_problem(std::string_view name);

} // namespace tandem
