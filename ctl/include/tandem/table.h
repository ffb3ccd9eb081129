// Codec for the target's constructor / STATUSTYPE_TABLE line
// (`dmsetup table`, without the leading "<start> <len> tandem"):
//
//   <metadata_dev | -> <region_sectors> <#legs> <leg_dev>...
//       [<#feature_args> <feature_arg>...]
//
// Features: `nosync` and `read_weights <w0>..<w#legs-1>`.  As elsewhere in
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

    bool operator==(const TableConfig&) const = default;
};

// Parse a table line.  Raises ParseError naming the offending field: bad
// region size, leg count, feature count, an unknown or duplicated feature,
// read weights of the wrong count, out of range or not summing to 100.
TableConfig parse_table(std::string_view line);

// The table line for `table` (inverse of parse_table; features in the
// order nosync, read_weights).
std::string format_table(const TableConfig& table);

} // namespace tandem
