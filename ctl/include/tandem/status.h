// Codec for the target's STATUSTYPE_INFO line (`dmsetup status`), as
// documented in include/dm-tandem/tandem.h.  Version 1:
//
//   <version> <#legs> <states> <weight>{#legs}
//   {<reads> <writes> <read_errors> <write_errors>}{#legs} <read_retries>
//
// e.g. "1 2 AD 70 30 120 40 0 0 80 40 3 1 2".  Version 2 appends the
// resync engine's view:
//
//   <#regions> <out_of_sync_regions>{#legs} <sync_action> <sync_rate>
//   <regions_copied> <kib_copied>
//
// e.g. "2 2 Aa 100 0 10 20 0 0 0 20 0 0 0 256 0 37 resync 65536 219 112128".
// Version 3 appends the metadata device's state:
//
//   <metadata>                 "-" (in core only), "ok" or "failed"
//
// and version 4 the checksum resync's counters and the verify/repair pass:
//
//   <resync_mode> <blocks_compared> <blocks_copied>
//   <check_action> <check_regions_done> <check_mismatches>
//
// e.g. "... 256 0 0 idle 65536 0 0 ok checksum 16384 164 verify 37 2".
// Version 5 appends the class scheduler:
//
//   <queue_depth> <in_flight> <#classes>
//   {<name> <weight> <iops_limit> <bw_limit> <bios> <kib> <queued>
//    <waited> <throttled> <p50_us> <p99_us>}{#classes} <#rules>
//
// e.g. "... 64 12 3 critical 200 0 0 ... test 50 500 0 ... 2".
// Version 6 appends the shadow:
//
//   <shadow_dev> <shadow_mode> <shadow_sample> <pool_kib> <pool_used_kib>
//   <dropped> <gate_failures> <compared> <mismatches> <confined>
//   <confined_errors>
//   {<op> <prod_count> <prod_errors> <prod_p99_us>
//    <shadow_count> <shadow_errors> <shadow_p99_us>}{read write flush discard}
//
// e.g. "... 2 253:2 gate 1 8192 0 0 0 100 3 1 0 read 100 0 512 100 0 128
// write ... discard 0 0 0 0 0 0".
// The line is append-only: a newer version keeps these fields in place and
// adds more after them, which parse_status() keeps in Status::extra_fields.
#pragma once

#include "tandem/resync_mode.h"
#include "tandem/shadow_mode.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tandem {

enum class LegState {
    alive,   // 'A': healthy, in sync
    syncing, // 'a': healthy, regions to resync; serves no reads until in sync
    dead,    // 'D': failed, no I/O is sent to it
    unknown, // a letter of a newer status version
};

LegState leg_state_from_letter(char letter);
std::string_view to_string(LegState state);

// What the resync engine is doing (version 2).
enum class SyncAction {
    idle,    // "idle": every healthy leg is in sync
    resync,  // "resync": copying regions
    paused,  // "paused": regions to copy, but the rate is 0
    unknown, // a word of a newer status version
};

SyncAction sync_action_from_word(std::string_view word);
std::string_view to_string(SyncAction action);

// The metadata device (version 3).
enum class MetadataState {
    none,    // "-": no metadata device, state in core only
    ok,      // "ok"
    failed,  // "failed": a metadata write failed, every write fails (safe mode)
    unknown, // a word of a newer status version
};

MetadataState metadata_state_from_word(std::string_view word);
std::string_view to_string(MetadataState state);

// The verify / repair pass (version 4).
enum class CheckAction {
    idle,    // "idle": no pass running
    verify,  // "verify": counting differing blocks
    repair,  // "repair": and rewriting them from the source
    unknown, // a word of a newer status version
};

CheckAction check_action_from_word(std::string_view word);
std::string_view to_string(CheckAction action);

struct LegStatus {
    char state_letter = 'A';
    LegState state = LegState::alive;
    unsigned weight = 0; // percent of reads, 0..100
    std::uint64_t reads = 0;
    std::uint64_t writes = 0;
    std::uint64_t read_errors = 0;
    std::uint64_t write_errors = 0;
    // Version 2: regions this leg lacks (0 on a version 1 line).
    std::uint64_t out_of_sync_regions = 0;

    bool operator==(const LegStatus&) const = default;
};

// The version 2 fields other than the per-leg out-of-sync counts.
struct SyncStatus {
    std::uint64_t regions = 0; // regions of the device
    std::string action_word = "idle";
    SyncAction action = SyncAction::idle;
    std::uint32_t rate = 0; // KiB/s; 0 pauses the resync
    // Totals since the device was created.
    std::uint64_t regions_copied = 0;
    std::uint64_t kib_copied = 0;

    bool operator==(const SyncStatus&) const = default;
};

// The version 3 field.
struct MetadataStatus {
    std::string word = "-";
    MetadataState state = MetadataState::none;

    bool operator==(const MetadataStatus&) const = default;
};

// The version 4 fields: the checksum resync and the verify/repair pass.
struct CompareStatus {
    std::string resync_mode_word = "copy";
    ResyncMode resync_mode = ResyncMode::copy;
    // Checksum resync totals since creation or `stats reset`, counted per
    // (block, leg copied to) pair: blocks compared, and those that differed
    // and were copied.
    std::uint64_t blocks_compared = 0;
    std::uint64_t blocks_copied = 0;
    std::string check_action_word = "idle";
    CheckAction check_action = CheckAction::idle;
    // The running pass, or the last one once idle (0 and 0 before the
    // first): regions compared so far, and differing blocks found, counted
    // per (block, other leg) pair.  A pass that ends with fewer regions
    // done than the device has stopped early (fewer than two legs in sync).
    std::uint64_t check_regions_done = 0;
    std::uint64_t check_mismatches = 0;

    bool operator==(const CompareStatus&) const = default;
};

// One class of the scheduler (version 5).
struct ClassStatus {
    std::string name;
    unsigned weight = 0;          // 0..TANDEM_MAX_CLASS_WEIGHT; 0 runs only when no weighted
                                  // class waits
    std::uint32_t iops_limit = 0; // IO/s, 0: none
    std::uint32_t bw_limit = 0;   // KiB/s, 0: none
    // Counters since creation or `stats reset`.
    std::uint64_t bios = 0;      // bios classified into the class
    std::uint64_t kib = 0;       // and their KiB
    std::uint64_t queued = 0;    // bios waiting now (state, not a counter)
    std::uint64_t waited = 0;    // bios that waited in the class queue
    std::uint64_t throttled = 0; // bios that waited for iops or bw tokens
    // Latency from map to completion: the upper bound of the log2 bucket
    // holding the percentile, in microseconds; 0 before any completion.
    std::uint64_t p50_us = 0;
    std::uint64_t p99_us = 0;

    bool operator==(const ClassStatus&) const = default;
};

// The version 5 fields: the class scheduler.
struct SchedulerStatus {
    std::uint32_t queue_depth = 0;    // in-flight limit, 0..TANDEM_MAX_QUEUE_DEPTH; 0: off
    std::uint64_t in_flight = 0;      // bios dispatched under the limit (0 when off)
    std::vector<ClassStatus> classes; // in class order, the built-in ones first
    std::uint32_t rules = 0;          // number of rules; `rule list` prints them

    // The class of that name, or nullptr.
    const ClassStatus* find_class(std::string_view name) const;

    bool operator==(const SchedulerStatus&) const = default;
};

// One side of one operation's shadow figures (version 6), counted since
// creation or `stats reset`.
struct ShadowSideStatus {
    std::uint64_t count = 0;
    std::uint64_t errors = 0;
    // Latency: the upper bound of the log2 bucket holding the 99th
    // percentile, in microseconds; 0 before any completion.
    std::uint64_t p99_us = 0;

    bool operator==(const ShadowSideStatus&) const = default;
};

// An operation's figures, production next to the shadow.
struct ShadowOpStatus {
    std::string op;              // "read", "write", "flush" or "discard"
    ShadowSideStatus production; // production bios (counted while a shadow is configured)
    ShadowSideStatus shadow;     // clones sent to the shadow and bios confined to it

    bool operator==(const ShadowOpStatus&) const = default;
};

// The version 6 fields: the shadow.
struct ShadowStatus {
    std::string device = "-"; // major:minor, or "-" when there is none
    std::string mode_word = "async";
    ShadowMode mode = ShadowMode::async;
    std::uint32_t sample = 1;        // 1 in how many production bios is cloned; 0: none
    std::uint32_t pool_kib = 0;      // the async pool's size
    std::uint64_t pool_used_kib = 0; // and the part in use (may exceed a shrunk pool)
    // Counters since creation or `stats reset`.
    std::uint64_t dropped = 0;         // async clones not made for lack of pool or memory
    std::uint64_t gate_failures = 0;   // production bios failed by their gate clone
    std::uint64_t compared = 0;        // sampled reads whose payloads were compared
    std::uint64_t mismatches = 0;      // and those that differed
    std::uint64_t confined = 0;        // bios routed to the shadow only
    std::uint64_t confined_errors = 0; // and those that failed or found no shadow
    std::vector<ShadowOpStatus> ops;   // read, write, flush, discard

    bool has_device() const { return device != "-"; }
    // The operation of that name, or nullptr.
    const ShadowOpStatus* find_op(std::string_view op) const;

    bool operator==(const ShadowStatus&) const = default;
};

// The operations of ShadowStatus::ops, in the order the target prints them.
inline constexpr std::string_view shadow_ops[] = {"read", "write", "flush", "discard"};

struct Status {
    unsigned version = 0;
    std::vector<LegStatus> legs;
    std::uint64_t read_retries = 0;
    // Present when version >= 2.
    std::optional<SyncStatus> sync;
    // Present when version >= 3.
    std::optional<MetadataStatus> metadata;
    // Present when version >= 4.
    std::optional<CompareStatus> compare;
    // Present when version >= 5.
    std::optional<SchedulerStatus> scheduler;
    // Present when version >= 6.
    std::optional<ShadowStatus> shadow;
    // Fields after the version 6 layout, present only when version > 6.
    std::vector<std::string> extra_fields;

    bool operator==(const Status&) const = default;
};

// Parse one status line.  Raises ParseError naming the offending field for
// anything that does not follow the layout: a missing or non-numeric field,
// a value out of range (a leg with more out-of-sync regions than the
// device has, a rate over TANDEM_MAX_SYNC_RATE, more verified regions than
// the device has), a state letter other than A/D (version 1) or A/a/D
// (versions 2..6), a sync action other than idle/resync/paused, a metadata
// state other than -/ok/failed, a resync mode other than copy/checksum, a
// check action other than idle/verify/repair, a class name or #rules out
// of place (version 5), a shadow device other than - or major:minor, a
// shadow mode other than async/sync/gate, a sample or pool over its
// maximum, an operation other than read, write, flush, discard in that
// order (version 6), or trailing fields on a line that claims version
// 1..6.  Lines of a newer version are accepted; their extra fields and
// their unknown state letters and words are kept, not interpreted.
Status parse_status(std::string_view line);

// The status line for `status` (inverse of parse_status).
std::string format_status(const Status& status);

} // namespace tandem
