// Codec for the target's constructor / STATUSTYPE_TABLE line
// (`dmsetup table`, without the leading "<start> <len> tandem"):
//
//   <metadata_dev | -> <region_sectors> <#legs> <leg_dev>...
//       [<#feature_args> <feature_arg>...]
//
// Features: `nosync` (the legs are identical: no initial copy),
// `read_weights <w0>..<w#legs-1>` and `sync_rate <KiB/s>`.  Without
// `nosync` the target copies legs 1.. from leg 0 in the background; it
// prints `nosync` only while every leg is healthy and in sync, and
// `sync_rate` only when it is not the default.  As elsewhere in
// device-mapper, <#feature_args> counts words, so "nosync read_weights 70 30"
// is introduced by 4.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tandem {

struct TableConfig {
    std::optional<std::string> metadata_dev; // nullopt for "-": in-core state only
    std::uint32_t region_sectors = 0;
    std::vector<std::string> legs; // leg 0 is the source
    bool nosync = false;
    std::optional<std::vector<unsigned>> read_weights;
    std::optional<std::uint32_t> sync_rate; // KiB/s, 0 pauses; nullopt: the default

    bool operator==(const TableConfig&) const = default;
};

// Parse a table line.  Raises ParseError naming the offending field: bad
// region size, leg count, feature count, an unknown or duplicated feature,
// read weights of the wrong count, out of range or not summing to 100, a
// sync rate that is missing or over TANDEM_MAX_SYNC_RATE.
TableConfig parse_table(std::string_view line);

// The table line for `table` (inverse of parse_table; features in the
// order nosync, read_weights, sync_rate, as the kernel prints them).
std::string format_table(const TableConfig& table);

} // namespace tandem
