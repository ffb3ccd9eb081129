// The node's own counters, as the kernel prints them in /proc and /sys:
//
//   /proc/meminfo            MemTotal and MemAvailable, in kB
//   /proc/net/dev            per interface: bytes, packets, errs, drop
//   /sys/block/<dev>/stat    per block device: I/Os, ticks, in_flight,
//   /proc/diskstats          io_ticks (the same fields after major minor name)
//
// (/proc/stat is read by cpu_stat.h.)  Each file has a pure parser taking
// its text, and a thin reader taking a root directory ("/" on a live
// system) so tests read fixture trees instead.  Parsers raise ParseError
// naming the file and what is wrong; readers raise std::runtime_error
// naming the path when it cannot be read.
#pragma once

#include "tandem/device_number.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace tandem {

// --- /proc/meminfo ---------------------------------------------------------------

struct MemInfo {
    std::uint64_t total_kib = 0;
    // MemAvailable: what can be allocated without swapping.  Kernels before
    // 3.14 lack it; it is then estimated as MemFree + Buffers + Cached.
    std::uint64_t available_kib = 0;

    // 1 - available / total, clamped to 0..1 (0 when total is 0).
    double used_fraction() const;

    bool operator==(const MemInfo&) const = default;
};

// Raises ParseError when MemTotal is missing, when neither MemAvailable nor
// MemFree is there, or when a value it reads is not "<number> kB".
MemInfo parse_meminfo(std::string_view text);

// --- /proc/net/dev ---------------------------------------------------------------

// One direction's counters of one interface.
struct NetDirection {
    std::uint64_t bytes = 0;
    std::uint64_t packets = 0;
    std::uint64_t errors = 0;
    std::uint64_t drops = 0;

    bool operator==(const NetDirection&) const = default;
};

struct NetInterfaceCounters {
    std::string name;
    NetDirection receive;
    NetDirection transmit;

    bool operator==(const NetInterfaceCounters&) const = default;
};

// Every interface, in file order.  Raises ParseError for a line without a
// "<name>:" or with fewer than 16 numeric counters.
std::vector<NetInterfaceCounters> parse_net_dev(std::string_view text);

// --- /sys/block/<dev>/stat and /proc/diskstats ---------------------------------

// The counters of Documentation/admin-guide/iostats.rst that the sampler
// needs, summed over reads, writes, discards and flushes (the latter two
// only on kernels that print them: 4.18 and 5.5).
struct DiskCounters {
    std::uint64_t ios = 0;         // completed I/Os
    std::uint64_t ticks_ms = 0;    // time those I/Os took, summed over I/Os
    std::uint64_t in_flight = 0;   // I/Os issued and not completed (state)
    std::uint64_t io_ticks_ms = 0; // time the device had I/O in flight

    bool operator==(const DiskCounters&) const = default;
};

// One stat line of 11, 15 or 17 (or more) numbers.  Raises ParseError for
// fewer than 11 fields or a field that is not a number; `source` names the
// file in the message.
DiskCounters parse_block_stat(std::string_view line, std::string_view source = "block stat");

// The line of device `name` in a /proc/diskstats text.  Raises ParseError
// when no line names it.
DiskCounters parse_diskstats(std::string_view text, std::string_view name);

// --- readers --------------------------------------------------------------------

// The whole text of <root>/<relative>.
std::string read_text_file(const std::filesystem::path& root, std::string_view relative);

MemInfo read_meminfo(const std::filesystem::path& root);
std::vector<NetInterfaceCounters> read_net_dev(const std::filesystem::path& root);
DiskCounters read_disk_counters(const std::filesystem::path& sysfs_dir);

// --- block devices ---------------------------------------------------------------

// A block device as sysfs knows it.
struct BlockDevice {
    DeviceNumber number;             // 253:3
    std::string name;                // dm-3, nbd0, sda1
    std::filesystem::path sysfs_dir; // <sys_root>/devices/.../block/dm-3: holds "stat"

    bool operator==(const BlockDevice&) const = default;
};

// The device numbered `number`, through the link <sys_root>/dev/block/MAJ:MIN.
// Raises std::runtime_error when sysfs has no such device.
BlockDevice sysfs_block_device(DeviceNumber number, const std::filesystem::path& sys_root = "/sys");

// The device a path names (/dev/mapper/x, /dev/nbd0, a symlink to either):
// stat() follows links, and st_rdev gives its number.  Raises
// std::runtime_error when the path does not exist, is not a block device,
// or sysfs has no such device.
BlockDevice resolve_block_device(const std::filesystem::path& device,
                                 const std::filesystem::path& sys_root = "/sys");

} // namespace tandem
