// Polls the status of each configured device on its own interval (and at
// once when asked, after a dm event) and turns what it reads into events
// through one StateTracker per device.  Time is passed in, never read, so
// tests drive it on a simulated clock; the DeviceMapper is the only I/O.
#pragma once

#include "tandem/config.h"
#include "tandem/device_mapper.h"
#include "tandem/state_tracker.h"

#include <chrono>
#include <string>
#include <vector>

namespace tandem {

struct DeviceEvent {
    std::string device;
    Event event;
};

class Monitor {
public:
    using Clock = std::chrono::steady_clock;

    // Every device is due at `start`.
    Monitor(DeviceMapper& dm, const std::vector<DeviceConfig>& devices, Clock::time_point start);

    // Poll the devices due at `now` and schedule their next poll.  A device
    // that fell behind by more than its interval is not polled twice.
    std::vector<DeviceEvent> poll_due(Clock::time_point now);

    // Poll every device now, whatever its schedule.
    std::vector<DeviceEvent> poll_all(Clock::time_point now);

    // Poll the named devices now, whatever their schedule (they raised a
    // dm event); each is next due one interval from now.  Names that are
    // not watched are ignored.
    std::vector<DeviceEvent> poll_now(const std::vector<std::string>& devices,
                                      Clock::time_point now);

    // The earliest time a device is due.
    Clock::time_point next_due() const;

    // Replace the device list, keeping the history (and schedule) of the
    // devices that remain; new devices are due at `now`.
    void reconfigure(const std::vector<DeviceConfig>& devices, Clock::time_point now);

    // Whether the last poll of every device read and parsed its status.
    bool all_available() const;

    std::vector<std::string> device_names() const;
    const StateTracker* tracker(const std::string& device) const;

private:
    struct Watched {
        std::string name;
        std::chrono::milliseconds interval;
        Clock::time_point due;
        StateTracker tracker;
    };

    void poll(Watched& dev, Clock::time_point now, std::vector<DeviceEvent>& out);

    DeviceMapper& dm_;
    std::vector<Watched> devices_;
};

} // namespace tandem
