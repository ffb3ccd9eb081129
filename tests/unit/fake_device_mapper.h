// An in-memory DeviceMapper for tests: devices with scripted status and
// table lines, a record of every call, and failures on demand.
#pragma once

#include "tandem/device_mapper.h"
#include "tandem/errors.h"

#include <cerrno>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace tandem::testing {

class FakeDeviceMapper : public DeviceMapper {
public:
    struct Device {
        std::string status;
        std::string table;
        std::uint32_t event_nr = 0;
    };

    std::map<std::string, Device> devices;
    std::map<std::string, std::string> replies; // message text -> reply
    std::set<std::string> reject;               // message texts answered with EINVAL

    std::vector<std::string> status_calls;                     // device names, in call order
    std::vector<std::pair<std::string, std::string>> messages; // (device, text) accepted
    // wait_event_for: each call shows the device's next scripted status
    // line (raising an event), or returns as if it timed out.
    std::map<std::string, std::deque<std::string>> statuses_after_wait;
    std::vector<std::pair<std::string, std::uint32_t>> timed_waits; // (device, event_nr) given

    void add(const std::string& name, std::string status, std::string table = {}) {
        devices[name] = Device{std::move(status), std::move(table), 0};
    }
    void remove(const std::string& name) { devices.erase(name); }
    void set_status(const std::string& name, std::string status) {
        device(name, "status").status = std::move(status);
    }

    DeviceInfo info(const std::string& name) override {
        DeviceInfo out;
        auto it = devices.find(name);
        if (it != devices.end()) {
            out.exists = true;
            out.live_table = true;
            out.event_nr = it->second.event_nr;
            out.target_count = 1;
        }
        return out;
    }

    std::string status(const std::string& name) override {
        status_calls.push_back(name);
        return device(name, "status").status;
    }

    std::string table(const std::string& name) override { return device(name, "table").table; }

    std::string message(const std::string& name, const std::string& text) override {
        device(name, "message");
        if (reject.count(text))
            throw DmError("message " + name + ": rejected by the target", EINVAL);
        messages.emplace_back(name, text);
        auto it = replies.find(text);
        return it == replies.end() ? std::string() : it->second;
    }

    std::uint32_t wait_event(const std::string& name, std::uint32_t event_nr) override {
        Device& dev = device(name, "wait");
        if (dev.event_nr == event_nr)
            dev.event_nr++;
        return dev.event_nr;
    }

    std::uint32_t wait_event_for(const std::string& name, std::uint32_t event_nr,
                                 std::chrono::milliseconds) override {
        timed_waits.emplace_back(name, event_nr);
        Device& dev = device(name, "wait");
        auto& next = statuses_after_wait[name];
        if (!next.empty()) {
            dev.status = next.front();
            next.pop_front();
            dev.event_nr++;
        }
        return dev.event_nr;
    }

private:
    Device& device(const std::string& name, const std::string& what) {
        auto it = devices.find(name);
        if (it == devices.end())
            throw DmError(what + " " + name + ": no such device", ENXIO);
        return it->second;
    }
};

} // namespace tandem::testing
