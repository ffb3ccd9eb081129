// Cgroup ids for the `cgroup=<id>` rule match.  The kernel identifies a
// cgroup2 cgroup by the inode number of its directory, so a path is
// resolved with stat(); a plain number is taken as the id itself.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tandem {

// Where cgroup2 is mounted on a unified-hierarchy system.
inline constexpr std::string_view cgroup2_root = "/sys/fs/cgroup";

// statfs() f_type of a cgroup2 file system (CGROUP2_SUPER_MAGIC).
inline constexpr long cgroup2_magic = 0x63677270;

// The cgroup id `arg` names: a plain decimal number is the id; anything
// else is a path, absolute or relative to `root`, of a directory on a
// cgroup2 file system, whose inode number is the id.  Raises UsageError
// for a path that does not exist, is not a directory or is not on
// cgroup2 (e.g. a cgroup v1 hierarchy).
std::uint64_t resolve_cgroup(std::string_view arg, std::string_view root = cgroup2_root);

} // namespace tandem
