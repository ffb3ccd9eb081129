// The scheduler's and the shadow's parts of the `stats` message's reply,
// after the per-leg lines and read_retries.  The scheduler:
//
//   queue_depth <n> in_flight <n>
//   class <name> weight <w> iops_limit <n> bw_limit <n> bios <n> kib <n>
//         queued <n> waited <n> throttled <n> p50_us <n> p99_us <n>
//         lat_us <c0>,<c1>,..,<c23>
//
// (each class on one line).  The shadow, when the device has one:
//
//   shadow dev <d> mode <m> sample <n> pool_kib <n> pool_used_kib <n>
//          dropped <n> gate_failures <n> compared <n> mismatches <n>
//          confined <n> confined_errors <n>
//   shadow_op <op> side production|shadow count <n> errors <n> p50_us <n>
//             p99_us <n> lat_us <c0>,<c1>,..,<c23>
//   shadow_mismatch_sectors [<s>,<s>...]
//
// (a shadow_op line per operation and side).  The status line carries the
// same figures but p99 (and for classes p50) only; the reply has the whole
// latency histograms.
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

// One side of one operation: the figures of its shadow_op line.
struct ShadowSideStats {
    std::uint64_t count = 0;
    std::uint64_t errors = 0;
    std::uint64_t p50_us = 0;
    std::uint64_t p99_us = 0;
    LatencyHistogram latency;

    bool operator==(const ShadowSideStats&) const = default;
};

struct ShadowOpStats {
    std::string op; // read, write, flush, discard
    ShadowSideStats production;
    ShadowSideStats shadow;

    bool operator==(const ShadowOpStats&) const = default;
};

struct ShadowStats {
    // The shadow line; its ops hold the count, errors and p99 of the
    // shadow_op lines: the figures as the status line has them.
    ShadowStatus status;
    std::vector<ShadowOpStats> ops; // in the reply's order
    // Start sectors of the first reads whose payloads differed.
    std::vector<std::uint64_t> mismatch_sectors;

    // The operation of that name, or nullptr.
    const ShadowOpStats* find_op(std::string_view op) const;

    bool operator==(const ShadowStats&) const = default;
};

// The shadow lines of a whole `stats` reply; other lines are skipped, and
// so are fields a newer module appends to a line.  nullopt when the reply
// has no shadow lines (a device without a shadow, or a module before it).
// Raises ParseError naming the line and field for a malformed line, a
// value over its maximum, a repeated line or operation side, shadow_op or
// shadow_mismatch_sectors lines without a shadow line, or a shadow line
// without both sides of read, write, flush and discard.
std::optional<ShadowStats> parse_shadow_stats(std::string_view reply);

} // namespace tandem
