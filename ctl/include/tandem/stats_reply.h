// The scheduler's part of the `stats` message's reply:
//
//   queue_depth <n> in_flight <n>
//   class <name> weight <w> iops_limit <n> bw_limit <n> bios <n> kib <n>
//         queued <n> waited <n> throttled <n> p50_us <n> p99_us <n>
//         lat_us <c0>,<c1>,..,<c23>
//
// (each class on one line), after the per-leg lines and read_retries.
// The status line carries the same figures but p50/p99 only; the reply
// has the whole latency histogram.
#pragma once

#include "tandem/latency_histogram.h"
#include "tandem/status.h"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace tandem {

struct ClassStats {
    ClassStatus status; // the figures the status line also has
    LatencyHistogram latency;

    bool operator==(const ClassStats&) const = default;
};

struct SchedulerStats {
    std::uint32_t queue_depth = 0; // 0: scheduler off
    std::uint64_t in_flight = 0;
    std::vector<ClassStats> classes; // in class order

    bool operator==(const SchedulerStats&) const = default;
};

// The scheduler lines of a whole `stats` reply; other lines (legs,
// read_retries, lines of a newer module) are skipped, and so are fields a
// newer module appends to a line.  nullopt when the reply has no
// scheduler lines (a module before the scheduler).  Raises ParseError
// naming the line and field for a malformed line, a value over its
// maximum, a repeated class or queue_depth line, or class lines without
// a queue_depth line.
std::optional<SchedulerStats> parse_scheduler_stats(std::string_view reply);

} // namespace tandem
