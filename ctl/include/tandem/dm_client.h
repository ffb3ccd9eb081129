// DeviceMapper over libdevmapper: the one place that calls it.
//
// libdevmapper keeps process-wide state and is not thread-safe, so every
// call runs under one process-wide mutex.  The single exception is the
// blocking ioctl of wait_event(), which runs unlocked (as multipathd's and
// dmeventd's waiter threads do) so a waiting thread does not stall the
// others.  libdevmapper's log is routed into tandem::log; its error
// messages go to debug level and into the DmError raised for the failure.
//
// Every method raises DmError on failure (errno_value() set from the ioctl
// when there is one, ENXIO for a missing device), and status()/table()
// raise DmError when the device's table is not a single tandem target.
// When the target refuses a message or device-mapper a table, the DmError
// carries the reason logged for it (read from /dev/kmsg) when the log is
// readable.  Creating, renaming and removing devices waits for their
// /dev/mapper nodes: udev's when it runs, libdevmapper's own otherwise
// (DM_DISABLE_UDEV=1).
#pragma once

#include "tandem/device_mapper.h"

namespace tandem {

class DmClient final : public DeviceMapper {
public:
    DmClient();

    DeviceInfo info(const std::string& name) override;
    std::optional<std::string> find_by_uuid(const std::string& uuid) override;
    std::vector<DeviceEntry> list_devices() override;
    std::string status(const std::string& name) override;
    std::string table(const std::string& name) override;
    std::vector<TableLine> table_lines(const std::string& name) override;
    void create(const std::string& name, const std::string& uuid, const TableLine& line) override;
    void load(const std::string& name, const TableLine& line) override;
    void clear(const std::string& name) override;
    void suspend(const std::string& name) override;
    void resume(const std::string& name) override;
    void remove(const std::string& name) override;
    void rename(const std::string& name, const std::string& new_name) override;
    std::string message(const std::string& name, const std::string& text) override;
    std::uint32_t wait_event(const std::string& name, std::uint32_t event_nr) override;
    // Wakes on any device's dm event (DmEventPoll), then reads the
    // counter; polls if the control device cannot be polled.
    std::uint32_t wait_event_for(const std::string& name, std::uint32_t event_nr,
                                 std::chrono::milliseconds timeout) override;
};

} // namespace tandem
