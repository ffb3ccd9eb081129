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

// What is wrong with a set of read weights (count min_legs..max_legs, each
// 0..weight_total, summing to weight_total); empty when they are valid.
std::string weights_problem(std::span<const unsigned> weights);

// A power of two in [min_region_sectors, max_region_sectors].
bool valid_region_sectors(std::uint64_t sectors);

// What is wrong with a device-mapper device name; empty when it is valid.
std::string device_name_problem(std::string_view name);

} // namespace tandem
