// The seam between the control plane and the kernel: everything the daemon
// and the CLI ask of device-mapper.  DmClient implements it over
// libdevmapper; tests use a fake.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tandem {

struct DeviceInfo {
    bool exists = false;
    bool suspended = false;
    bool live_table = false;
    std::uint32_t event_nr = 0;
    std::uint32_t major = 0;
    std::uint32_t minor = 0;
    int target_count = 0;
    std::string uuid = {}; // empty when the device has none
};

// A device as the list of every device shows it.
struct DeviceEntry {
    std::string name;
    std::string uuid; // empty when the device has none

    bool operator==(const DeviceEntry&) const = default;
};

// One line of a device's table: "<start> <length> <type> <params>".
struct TableLine {
    std::uint64_t start = 0;  // sectors
    std::uint64_t length = 0; // sectors
    std::string type;         // the target, e.g. "tandem" or "snapshot"
    std::string params;

    bool operator==(const TableLine&) const = default;
};

class DeviceMapper {
public:
    virtual ~DeviceMapper() = default;

    // Whether the device exists and its event counter; no error if absent.
    virtual DeviceInfo info(const std::string& name) = 0;

    // The name of the device with this uuid; nullopt, no error, when no
    // device has it.
    virtual std::optional<std::string> find_by_uuid(const std::string& uuid) = 0;

    // Every device-mapper device, whatever its targets, by name.  A device
    // removed while the list is read is left out.
    virtual std::vector<DeviceEntry> list_devices() = 0;

    // The tandem target's STATUSTYPE_INFO line, read without flushing.
    virtual std::string status(const std::string& name) = 0;

    // The tandem target's STATUSTYPE_TABLE line.
    virtual std::string table(const std::string& name) = 0;

    // The live table, whatever its targets.
    virtual std::vector<TableLine> table_lines(const std::string& name) = 0;

    // Create a device with this uuid and one-line table, loaded and
    // resumed; nothing is left behind when it fails.
    virtual void create(const std::string& name, const std::string& uuid,
                        const TableLine& line) = 0;

    // Load a table into the device's inactive slot; resume() swaps it in.
    virtual void load(const std::string& name, const TableLine& line) = 0;
    // Drop the inactive table.
    virtual void clear(const std::string& name) = 0;
    // Suspend: wait for the I/O in flight (flushing), queue new I/O.
    virtual void suspend(const std::string& name) = 0;
    // Swap in the inactive table if there is one, and resume I/O.
    virtual void resume(const std::string& name) = 0;
    // Remove the device; fails while it is open or in use.
    virtual void remove(const std::string& name) = 0;
    // Give the device another name (its uuid, table and I/O unchanged);
    // fails when a device has that name already.
    virtual void rename(const std::string& name, const std::string& new_name) = 0;

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
