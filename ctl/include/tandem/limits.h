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

// The class scheduler.
inline constexpr unsigned max_classes = TANDEM_MAX_CLASSES;
inline constexpr std::size_t class_name_max = TANDEM_CLASS_NAME_MAX;
inline constexpr unsigned max_class_weight = TANDEM_MAX_CLASS_WEIGHT;
inline constexpr std::uint32_t max_iops_limit = TANDEM_MAX_IOPS_LIMIT; // IO/s
inline constexpr std::uint32_t max_bw_limit = TANDEM_MAX_BW_LIMIT;     // KiB/s
inline constexpr std::uint32_t max_queue_depth = TANDEM_MAX_QUEUE_DEPTH;
inline constexpr unsigned max_rules = TANDEM_MAX_RULES;
inline constexpr unsigned lat_buckets = TANDEM_LAT_BUCKETS;

// The shadow.
inline constexpr std::uint32_t max_shadow_sample = TANDEM_MAX_SHADOW_SAMPLE;
inline constexpr std::uint32_t max_shadow_pool = TANDEM_MAX_SHADOW_POOL;         // KiB
inline constexpr std::uint32_t default_shadow_pool = TANDEM_DEFAULT_SHADOW_POOL; // KiB

// What is wrong with a set of read weights (count min_legs..max_legs, each
// 0..weight_total, summing to weight_total); empty when they are valid.
std::string weights_problem(std::span<const unsigned> weights);

// What is wrong with a resync rate in KiB/s (0..max_sync_rate, 0 pauses);
// empty when it is valid.
std::string sync_rate_problem(std::uint64_t kib_per_s);

// What is wrong with a class name ([a-z][a-z0-9_-]*, at most
// class_name_max characters, not "add" or "remove", which would make the
// class message ambiguous); empty when it is valid.
std::string class_name_problem(std::string_view name);

// What is wrong with a scheduler queue depth (0..max_queue_depth, 0 turns
// the scheduler off), a class weight (0..max_class_weight), an iops limit
// (0..max_iops_limit) or a bw limit in KiB/s (0..max_bw_limit; limits 0:
// none); empty when it is valid.
std::string queue_depth_problem(std::uint64_t depth);
std::string class_weight_problem(std::uint64_t weight);
std::string iops_limit_problem(std::uint64_t iops);
std::string bw_limit_problem(std::uint64_t kib_per_s);

// What is wrong with a shadow sample rate (clone 1 in n bios,
// 0..max_shadow_sample; 0: none), a shadow pool size in KiB
// (0..max_shadow_pool) or a shadow mode (async, sync or gate); empty when
// it is valid.
std::string shadow_sample_problem(std::uint64_t sample);
std::string shadow_pool_problem(std::uint64_t kib);
std::string shadow_mode_problem(std::string_view mode);

// A power of two in [min_region_sectors, max_region_sectors].
bool valid_region_sectors(std::uint64_t sectors);

// What is wrong with a device-mapper device name; empty when it is valid.
std::string device_name_problem(std::string_view name);

} // namespace tandem
