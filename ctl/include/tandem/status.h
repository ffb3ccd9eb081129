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
// The line is append-only: a newer version keeps these fields in place and
// adds more after them, which parse_status() keeps in Status::extra_fields.
#pragma once

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

struct Status {
    unsigned version = 0;
    std::vector<LegStatus> legs;
    std::uint64_t read_retries = 0;
    // Present when version >= 2.
    std::optional<SyncStatus> sync;
    // Fields after the version 2 layout, present only when version > 2.
    std::vector<std::string> extra_fields;

    bool operator==(const Status&) const = default;
};

// Parse one status line.  Raises ParseError naming the offending field for
// anything that does not follow the layout: a missing or non-numeric field,
// a value out of range (a leg with more out-of-sync regions than the
// device has, a rate over TANDEM_MAX_SYNC_RATE), a state letter other than
// A/D (version 1) or A/a/D (version 2), a sync action other than
// idle/resync/paused (version 2), or trailing fields on a line that claims
// version 1 or 2.  Lines of a newer version are accepted; their extra
// fields, unknown state letters and unknown sync actions are kept, not
// interpreted.
Status parse_status(std::string_view line);

// The status line for `status` (inverse of parse_status).
std::string format_status(const Status& status);

} // namespace tandem
