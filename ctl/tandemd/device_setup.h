// The configured devices made real, at start and at every reload.  A
// device with legs that does not exist is created from its entry
// (table_plan.h: the same table `tandemctl create --config` makes, uuid
// TANDEM-<name> unless configured); one that exists is adopted as it is:
// its table, weights and state are left alone, so a restarted daemon
// never disturbs I/O (the weighting engine starts from the kernel's
// weights).  Then, for each device with legs whose status shows the class
// scheduler, the configured classes the device lacks are added and, when
// the configuration has rules, they replace the device's rules unless
// those are the same already (cgroup paths resolved to their ids first; a
// path that cannot be resolved leaves the device's rules as they are).
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
    std::vector<std::string> failed; // could not be created, or its classes or rules not set
};

// `devices` inspects legs for creation (nullptr: devices are not created,
// and a missing one is said to be so).
SetupReport set_up_devices(const Config& config, DeviceMapper& dm, BlockDevices* devices,
                           const CgroupResolver& resolve);

} // namespace tandem::daemon
