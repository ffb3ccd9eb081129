// The configured devices made real, at start and at every reload.  A
// device with legs is looked for by its uuid (TANDEM-<name> unless
// configured) first, then by its name:
// - found by uuid under its name, or by name only with a table of one
//   tandem line (warned about when its uuid differs): adopted as it is;
// - found by uuid under another name: renamed to the configured one (the
//   daemon knows devices by that name), then adopted; left alone, and
//   failed, when a device of the configured name exists;
// - found by name only, with a table that is not one tandem line: left
//   alone, and failed;
// - not found: created from its entry (table_plan.h: the same table
//   `tandemctl create --config` makes).
// An adopted device's table, weights and state are left alone, so a
// restarted daemon never disturbs I/O (the weighting engine starts from
// the kernel's weights).  Then, for each device with legs whose status
// shows the class scheduler, the configured classes the device lacks are
// added and, when the configuration has rules, they replace the device's
// rules unless those are the same already (cgroup paths resolved to their
// ids first; a path that cannot be resolved leaves the device's rules as
// they are).
// A device left alone is in the report's left_alone (and failed): the
// daemon sends it nothing.
// Devices are never removed, not even at shutdown.  Each problem is
// logged with the device and the reason, and the other devices go on.
#pragma once

#include "tandem/block_devices.h"
#include "tandem/config.h"
#include "tandem/device_mapper.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace tandem::daemon {

// A cgroup path to its id (resolve_cgroup() on a live system).
using CgroupResolver = std::function<std::uint64_t(std::string_view)>;

struct SetupReport {
    std::vector<std::string> created;
    std::vector<std::string> adopted;
    std::vector<std::string> renamed; // found by uuid under another name (adopted too)
    // not ours to touch: its name is another device's, or not a tandem table
    std::vector<std::string> left_alone;
    // left alone, could not be created, or its classes or rules not set
    std::vector<std::string> failed;
};

// `devices` inspects legs for creation (nullptr: devices are not created,
// and a missing one is said to be so).
SetupReport set_up_devices(const Config& config, DeviceMapper& dm, BlockDevices* devices,
                           const CgroupResolver& resolve);

} // namespace tandem::daemon
