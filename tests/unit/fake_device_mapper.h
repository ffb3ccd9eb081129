// An in-memory DeviceMapper for tests: devices with scripted status and
// table lines, a record of every call, and failures on demand.
#pragma once

#include "tandem/device_mapper.h"
#include "tandem/errors.h"
#include "tandem/table.h"

#include <cerrno>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace tandem::testing {

class FakeDeviceMapper : public DeviceMapper {
public:
    struct Device {
        std::string status;
        std::string table; // the live table's parameters
        std::uint32_t event_nr = 0;
        std::string type = "tandem";
        std::uint64_t length = 262144;
        std::string uuid;
        std::uint32_t minor = 0; // major 253
        std::optional<TableLine> inactive;
        bool suspended = false;
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

    // Table changes, in call order, failed ones too: "create <name>",
    // "load <name>", "clear", "suspend", "resume", "remove",
    // "rename <name> <new name>".
    std::vector<std::string> calls;
    // Each entry makes one such call fail (with EIO), then is used up.
    std::multiset<std::string> fail;

    void add(const std::string& name, std::string status, std::string table = {}) {
        Device dev;
        dev.status = std::move(status);
        dev.table = std::move(table);
        dev.minor = next_minor_++;
        devices[name] = std::move(dev);
    }
    void remove_device(const std::string& name) { devices.erase(name); }
    void set_status(const std::string& name, std::string status) {
        device(name, "status").status = std::move(status);
    }

    DeviceInfo info(const std::string& name) override {
        DeviceInfo out;
        auto it = devices.find(name);
        if (it != devices.end()) {
            out.exists = true;
            out.live_table = true;
            out.suspended = it->second.suspended;
            out.event_nr = it->second.event_nr;
            out.major = 253;
            out.minor = it->second.minor;
            out.target_count = 1;
            out.uuid = it->second.uuid;
        }
        return out;
    }

    std::optional<std::string> find_by_uuid(const std::string& uuid) override {
        for (const auto& [name, dev] : devices) {
            if (!uuid.empty() && dev.uuid == uuid)
                return name;
        }
        return std::nullopt;
    }

    std::vector<DeviceEntry> list_devices() override {
        std::vector<DeviceEntry> out;
        for (const auto& [name, dev] : devices)
            out.push_back(DeviceEntry{name, dev.uuid});
        return out;
    }

    std::string status(const std::string& name) override {
        status_calls.push_back(name);
        return device(name, "status").status;
    }

    std::string table(const std::string& name) override { return device(name, "table").table; }

    std::vector<TableLine> table_lines(const std::string& name) override {
        const Device& dev = device(name, "table");
        return {TableLine{0, dev.length, dev.type, dev.table}};
    }

    void create(const std::string& name, const std::string& uuid, const TableLine& line) override {
        change("create", name);
        if (devices.count(name))
            throw DmError("create " + name + ": device exists", EEXIST);
        check_table(line, "create", name);
        Device dev;
        dev.table = line.params;
        dev.type = line.type;
        dev.length = line.length;
        dev.uuid = uuid;
        dev.minor = next_minor_++;
        devices[name] = std::move(dev);
    }

    void load(const std::string& name, const TableLine& line) override {
        change("load", name);
        Device& dev = device(name, "load");
        check_table(line, "load", name);
        dev.inactive = line;
    }

    void clear(const std::string& name) override {
        change("clear", name);
        device(name, "clear").inactive.reset();
    }

    void suspend(const std::string& name) override {
        change("suspend", name);
        device(name, "suspend").suspended = true;
    }

    void resume(const std::string& name) override {
        change("resume", name);
        Device& dev = device(name, "resume");
        if (dev.inactive) {
            dev.table = dev.inactive->params;
            dev.type = dev.inactive->type;
            dev.length = dev.inactive->length;
            dev.inactive.reset();
        }
        dev.suspended = false;
    }

    void remove(const std::string& name) override {
        change("remove", name);
        device(name, "remove");
        devices.erase(name);
    }

    void rename(const std::string& name, const std::string& new_name) override {
        change("rename", name + " " + new_name);
        Device dev = device(name, "rename");
        if (devices.count(new_name))
            throw DmError("rename " + name + " to " + new_name + ": a device named " + new_name +
                              " exists",
                          EBUSY);
        devices.erase(name);
        devices[new_name] = std::move(dev);
    }

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
    std::uint32_t next_minor_ = 1;

    Device& device(const std::string& name, const std::string& what) {
        auto it = devices.find(name);
        if (it == devices.end())
            throw DmError(what + " " + name + ": no such device", ENXIO);
        return it->second;
    }

    // Record a table change; fail it if asked to.
    void change(const std::string& what, const std::string& name) {
        const std::string call = what + " " + name;
        calls.push_back(call);
        if (auto it = fail.find(call); it != fail.end()) {
            fail.erase(it);
            throw DmError(call + ": injected failure", EIO);
        }
    }

    // A tandem table the kernel would refuse is refused here too.
    static void check_table(const TableLine& line, const std::string& what,
                            const std::string& name) {
        if (line.type != "tandem")
            return;
        try {
            parse_table(line.params);
        } catch (const ParseError& e) {
            throw DmError(what + " " + name + ": table refused: " + e.what(), EINVAL);
        }
    }
};

} // namespace tandem::testing
