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
// A leg changed state, e.g. A -> D when the kernel failed it.
struct LegStateChanged {
    unsigned leg = 0;
    char from = 0;
    char to = 0;
};
struct WeightsChanged {
    std::vector<unsigned> from;
    std::vector<unsigned> to;
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
    std::variant<event::Observed, event::LegStateChanged, event::WeightsChanged, event::LegErrors,
                 event::LegCountChanged, event::Unavailable, event::Available>;

// One line of text for the log.
std::string describe(const Event& event);
// How loudly to log it: a failed leg or lost device is a warning, a leg
// coming back is info, and so on.
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
    std::optional<Status> last_;
    bool unavailable_ = false;
};

} // namespace tandem
