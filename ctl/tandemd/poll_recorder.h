// A DeviceMapper that passes every call through and remembers which
// devices' status was read since it was last asked.  The Monitor polls
// through it, so the policy controllers learn which devices have a fresh
// status without a second read.
#pragma once

#include "tandem/device_mapper.h"

#include <optional>
#include <string>
#include <vector>

namespace tandem::daemon {

class PollRecorder final : public DeviceMapper {
public:
    explicit PollRecorder(DeviceMapper& inner)
        : inner_(inner) {}

    // The devices whose status() was called since the previous take(), in
    // call order, each once.
    std::vector<std::string> take();

    DeviceInfo info(const std::string& name) override { return inner_.info(name); }
    std::optional<std::string> find_by_uuid(const std::string& uuid) override {
        return inner_.find_by_uuid(uuid);
    }
    std::vector<DeviceEntry> list_devices() override { return inner_.list_devices(); }
    std::string status(const std::string& name) override;
    std::string table(const std::string& name) override { return inner_.table(name); }
    std::vector<TableLine> table_lines(const std::string& name) override {
        return inner_.table_lines(name);
    }
    void create(const std::string& name, const std::string& uuid, const TableLine& line) override {
        inner_.create(name, uuid, line);
    }
    void load(const std::string& name, const TableLine& line) override { inner_.load(name, line); }
    void clear(const std::string& name) override { inner_.clear(name); }
    void suspend(const std::string& name) override { inner_.suspend(name); }
    void resume(const std::string& name) override { inner_.resume(name); }
    void remove(const std::string& name) override { inner_.remove(name); }
    void rename(const std::string& name, const std::string& new_name) override {
        inner_.rename(name, new_name);
    }
    std::string message(const std::string& name, const std::string& text) override {
        return inner_.message(name, text);
    }
    std::uint32_t wait_event(const std::string& name, std::uint32_t event_nr) override {
        return inner_.wait_event(name, event_nr);
    }
    std::uint32_t wait_event_for(const std::string& name, std::uint32_t event_nr,
                                 std::chrono::milliseconds timeout) override {
        return inner_.wait_event_for(name, event_nr, timeout);
    }

private:
    DeviceMapper& inner_;
    std::vector<std::string> polled_;
};

} // namespace tandem::daemon
