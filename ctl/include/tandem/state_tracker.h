// Turns the successive status lines of one device into typed events: what
// changed since the previous poll.  Pure: no I/O, no clock.  Each change is
// reported once, when it happens (a device that stays unreadable yields one
// Unavailable, not one per poll).
#pragma once

#include "tandem/log.h"
#include "tandem/status.h"

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace tandem {

namespace event {

// The first status read (or the first after the number of legs changed).
struct Observed {
    Status status;
};
// A leg changed state, e.g. A -> D when the kernel failed it, D -> a when
// it was reinstated and is being resynced, a -> A once it is in sync.
struct LegStateChanged {
    unsigned leg = 0;
    char from = 0;
    char to = 0;
    // Version 2: the regions the leg lacks now, of the device's regions.
    std::uint64_t out_of_sync_regions = 0;
    std::uint64_t regions = 0;
};
struct WeightsChanged {
    std::vector<unsigned> from;
    std::vector<unsigned> to;
};
// The resync rate changed (KiB/s; 0 pauses).
struct SyncRateChanged {
    std::uint32_t from = 0;
    std::uint32_t to = 0;
};
// The resync engine found regions to copy (it was idle).  `paused`: the
// rate is 0, so nothing is copied until it is raised.
struct SyncStarted {
    bool paused = false;
    std::string to_copy; // "37/256 regions to copy for leg 1"
    std::uint32_t rate = 0;
};
// A running resync stopped copying because the rate was set to 0.
struct SyncPaused {
    std::string to_copy;
};
// A paused resync copies again.
struct SyncResumed {
    std::string to_copy;
    std::uint32_t rate = 0;
};
// The resync engine is idle again: every healthy leg is in sync.  Also
// reported when a whole resync ran between two polls.
struct SyncFinished {
    std::uint64_t regions_copied = 0; // by this resync
    std::uint64_t kib_copied = 0;
    std::string left_out; // failed legs that still lack regions, if any
};
// The metadata state changed (version 3): "ok" -> "failed" when a metadata
// write failed and every write fails from then on (an error); other
// changes follow a table reload.
struct MetadataChanged {
    std::string from;
    std::string to;
};
// The resync mode changed (version 4).
struct ResyncModeChanged {
    std::string from;
    std::string to;
};
// A verify or repair pass started (version 4).
struct CheckStarted {
    std::string action; // "verify" or "repair"
    std::uint64_t regions = 0;
};
// A verify or repair pass ended: it compared `regions_done` of `regions`
// (fewer when it stopped early: fewer than two legs in sync) and found
// `mismatches` differing blocks.  `action` is empty when the whole pass ran
// between two polls, so its kind is not known.
struct CheckFinished {
    std::string action;
    std::uint64_t regions_done = 0;
    std::uint64_t regions = 0;
    std::uint64_t mismatches = 0;
};
// A leg's error counters rose since the previous poll.
struct LegErrors {
    unsigned leg = 0;
    std::uint64_t new_read_errors = 0;
    std::uint64_t new_write_errors = 0;
    std::uint64_t read_errors = 0; // totals now
    std::uint64_t write_errors = 0;
};
// The device now has a different number of legs (its table was replaced).
struct LegCountChanged {
    unsigned from = 0;
    unsigned to = 0;
};
// The status could not be read or parsed; reported once per outage.
struct Unavailable {
    std::string reason;
};
// The status is readable again after Unavailable.
struct Available {};

} // namespace event

using Event =
    std::variant<event::Observed, event::LegStateChanged, event::WeightsChanged,
                 event::SyncRateChanged, event::SyncStarted, event::SyncPaused, event::SyncResumed,
                 event::SyncFinished, event::MetadataChanged, event::ResyncModeChanged,
                 event::CheckStarted, event::CheckFinished, event::LegErrors,
                 event::LegCountChanged, event::Unavailable, event::Available>;

// One line of text for the log.
std::string describe(const Event& event);
// How loudly to log it: failed metadata (also when first observed) or a
// lost device is an error; a failed leg, a leg falling out of sync, a
// paused resync, a verify/repair that found differing blocks or stopped
// early is a warning; a leg coming back, a resync or a pass starting or
// finishing cleanly is info, and so on.
LogLevel severity(const Event& event);

class StateTracker {
public:
    // Events for a newly read status, then remember it.
    std::vector<Event> observe(const Status& status);
    // Events for a failed read (an Unavailable the first time only).
    std::vector<Event> observe_failure(const std::string& reason);

    const std::optional<Status>& last() const { return last_; }
    bool available() const { return last_.has_value() && !unavailable_; }

private:
    void observe_sync(const Status& prev, const Status& now, std::vector<Event>& events);
    static void observe_metadata(const Status& prev, const Status& now, std::vector<Event>& events);
    // A verify/repair that starts and ends between two polls is reported
    // as finished when its counters differ from the previous pass's; one
    // that leaves them exactly as they were goes unnoticed.
    static void observe_compare(const Status& prev, const Status& now, std::vector<Event>& events);

    std::optional<Status> last_;
    bool unavailable_ = false;
    // The copy counters when the resync engine was last seen idle: what a
    // finished resync copied is measured from here.
    std::uint64_t idle_regions_copied_ = 0;
    std::uint64_t idle_kib_copied_ = 0;
};

} // namespace tandem
