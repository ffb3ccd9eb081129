// Codec for the target's constructor / STATUSTYPE_TABLE line
// (`dmsetup table`, without the leading "<start> <len> tandem"):
//
//   <metadata_dev | -> <region_sectors> <#legs> <leg_dev>...
//       [<#feature_args> <feature_arg>...]
//
// The metadata device is a path or, as the kernel prints it, major:minor;
// "-" keeps the state in core only.  Features: `nosync` (the legs are
// identical: no initial copy), `read_weights <w0>..<w#legs-1>`,
// `sync_rate <KiB/s>` and `resync_mode copy|checksum`.  Without `nosync`
// the target copies legs 1.. from leg 0 in the background; it prints
// `nosync` only while every leg is healthy and in sync, `sync_rate` only
// when it is not the default, and `resync_mode` only for checksum.  As
// elsewhere in device-mapper, <#feature_args> counts words, so
// "nosync read_weights 70 30" is introduced by 4.  The class scheduler
// adds `queue_depth <n>`, `class <name> <weight> <iops> <bw>` (once per
// class it sets) and `rule <#words> <class> [<match>...]` (once per rule,
// in order; #words counts the class and the matches).  The shadow adds
// `shadow <dev>`, `shadow_mode async|sync|gate`, `shadow_sample <n>` and
// `shadow_pool <KiB>`; the kernel prints the last three only when they
// are not the defaults.
#pragma once

#include "tandem/resync_mode.h"
#include "tandem/rule.h"
#include "tandem/shadow_mode.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tandem {

// A class as the `class` feature sets it.
struct TableClass {
    std::string name;
    unsigned weight = 0;          // 0..TANDEM_MAX_CLASS_WEIGHT
    std::uint32_t iops_limit = 0; // IO/s, 0: none
    std::uint32_t bw_limit = 0;   // KiB/s, 0: none

    bool operator==(const TableClass&) const = default;
};

struct TableConfig {
    std::optional<std::string> metadata_dev; // nullopt for "-": in-core state only
    std::uint32_t region_sectors = 0;
    std::vector<std::string> legs; // leg 0 is the source
    bool nosync = false;
    std::optional<std::vector<unsigned>> read_weights;
    std::optional<std::uint32_t> sync_rate;     // KiB/s, 0 pauses; nullopt: the default
    std::optional<ResyncMode> resync_mode;      // copy or checksum; nullopt: the default, copy
    std::optional<std::uint32_t> queue_depth;   // nullopt: the default, 0 (scheduler off)
    std::vector<TableClass> classes;            // added classes and changed built-in ones
    std::vector<Rule> rules;                    // in order
    std::optional<std::string> shadow_dev;      // a path or major:minor; nullopt: no shadow
    std::optional<ShadowMode> shadow_mode;      // nullopt: the default, async
    std::optional<std::uint32_t> shadow_sample; // 1 in n bios, 0 none; nullopt: the default, 1
    std::optional<std::uint32_t> shadow_pool;   // KiB; nullopt: the default, 8192

    bool operator==(const TableConfig&) const = default;
};

// Parse a table line.  Raises ParseError naming the offending field: bad
// region size, leg count, feature count, an unknown or duplicated feature,
// read weights of the wrong count, out of range or not summing to 100, a
// sync rate that is missing or over TANDEM_MAX_SYNC_RATE, a resync mode
// that is missing or other than copy/checksum, a queue depth, class or
// rule that is malformed or over its limit, a class given twice, more than
// TANDEM_MAX_CLASSES classes or TANDEM_MAX_RULES rules, a shadow feature
// that is missing its value or has a bad one, or shadow_mode,
// shadow_sample or shadow_pool without a shadow device.
TableConfig parse_table(std::string_view line);

// The table line for `table` (inverse of parse_table; features in the
// order nosync, read_weights, sync_rate, resync_mode, queue_depth, class,
// rule, shadow, shadow_mode, shadow_sample, shadow_pool, as the kernel
// prints them).
std::string format_table(const TableConfig& table);

} // namespace tandem
