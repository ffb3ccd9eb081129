// The seam between the control plane and the kernel: everything the daemon
// and the CLI ask of device-mapper.  DmClient implements it over
// libdevmapper; tests use a fake.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace tandem {

struct DeviceInfo {
    bool exists = false;
    bool suspended = false;
    bool live_table = false;
    std::uint32_t event_nr = 0;
    std::uint32_t major = 0;
    std::uint32_t minor = 0;
    int target_count = 0;
};

class DeviceMapper {
public:
    virtual ~DeviceMapper() = default;

    // Whether the device exists and its event counter; no error if absent.
    virtual DeviceInfo info(const std::string& name) = 0;

    // The tandem target's STATUSTYPE_INFO line, read without flushing.
    virtual std::string status(const std::string& name) = 0;

    // The tandem target's STATUSTYPE_TABLE line.
    virtual std::string table(const std::string& name) = 0;

    // Send a message to sector 0; returns the target's reply (may be empty).
    virtual std::string message(const std::string& name, const std::string& text) = 0;

    // Block until the device's event counter differs from event_nr (at
    // once if it already does); returns the new counter.
    virtual std::uint32_t wait_event(const std::string& name, std::uint32_t event_nr) = 0;

    // The same, but give up after `timeout` and return the counter as it
    // is then (event_nr if nothing happened); also returns at once when the
    // device is gone.  May return early.  The default sleeps for the
    // timeout and reads the counter: polling.
    virtual std::uint32_t wait_event_for(const std::string& name, std::uint32_t event_nr,
                                         std::chrono::milliseconds timeout);
};

} // namespace tandem
