#include "tandem/monitor.h"

#include "tandem/errors.h"

#include <algorithm>

namespace tandem {

Monitor::Monitor(DeviceMapper& dm, const std::vector<DeviceConfig>& devices,
                 Clock::time_point start)
    : dm_(dm) {
    reconfigure(devices, start);
}

void Monitor::reconfigure(const std::vector<DeviceConfig>& devices, Clock::time_point now) {
    std::vector<Watched> next;
    for (const DeviceConfig& cfg : devices) {
        const std::chrono::milliseconds interval(cfg.poll_interval_ms.value);
        auto old = std::find_if(devices_.begin(), devices_.end(),
                                [&](const Watched& w) { return w.name == cfg.name.value; });
        if (old != devices_.end()) {
            Watched kept = std::move(*old);
            if (kept.interval != interval)
                kept.due = std::min(kept.due, now + interval);
            kept.interval = interval;
            next.push_back(std::move(kept));
        } else {
            next.push_back(Watched{cfg.name.value, interval, now, StateTracker{}});
        }
    }
    devices_ = std::move(next);
}

void Monitor::poll(Watched& dev, Clock::time_point now, std::vector<DeviceEvent>& out) {
    std::vector<Event> events;
    try {
        events = dev.tracker.observe(parse_status(dm_.status(dev.name)));
    } catch (const ParseError& e) {
        events = dev.tracker.observe_failure(e.what());
    } catch (const DmError& e) {
        events = dev.tracker.observe_failure(e.what());
    }
    for (Event& ev : events)
        out.push_back(DeviceEvent{dev.name, std::move(ev)});

    dev.due += dev.interval;
    if (dev.due <= now)
        dev.due = now + dev.interval;
}

std::vector<DeviceEvent> Monitor::poll_due(Clock::time_point now) {
    std::vector<DeviceEvent> out;
    for (Watched& dev : devices_) {
        if (dev.due <= now)
            poll(dev, now, out);
    }
    return out;
}

std::vector<DeviceEvent> Monitor::poll_all(Clock::time_point now) {
    std::vector<DeviceEvent> out;
    for (Watched& dev : devices_) {
        dev.due = now;
        poll(dev, now, out);
    }
    return out;
}

std::vector<DeviceEvent> Monitor::poll_now(const std::vector<std::string>& devices,
                                           Clock::time_point now) {
    std::vector<DeviceEvent> out;
    for (const std::string& name : devices) {
        auto dev = std::find_if(devices_.begin(), devices_.end(),
                                [&](const Watched& w) { return w.name == name; });
        if (dev == devices_.end())
            continue;
        dev->due = now;
        poll(*dev, now, out);
    }
    return out;
}

Monitor::Clock::time_point Monitor::next_due() const {
    Clock::time_point next = Clock::time_point::max();
    for (const Watched& dev : devices_)
        next = std::min(next, dev.due);
    return next;
}

bool Monitor::all_available() const {
    return std::all_of(devices_.begin(), devices_.end(),
                       [](const Watched& w) { return w.tracker.available(); });
}

std::vector<std::string> Monitor::device_names() const {
    std::vector<std::string> names;
    for (const Watched& dev : devices_)
        names.push_back(dev.name);
    return names;
}

const StateTracker* Monitor::tracker(const std::string& device) const {
    for (const Watched& dev : devices_) {
        if (dev.name == device)
            return &dev.tracker;
    }
    return nullptr;
}

} // namespace tandem
