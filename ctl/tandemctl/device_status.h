// The device's status as the commands read it before they change anything.
#pragma once

#include "tandem/device_mapper.h"
#include "tandem/errors.h"
#include "tandem/status.h"

#include <string>

namespace tandem::cli {

// Read and parse the status; a ParseError names the device and quotes the
// line.
Status read_status(DeviceMapper& dm, const std::string& device);

// Refuse (UsageError) a leg index the device does not have: "<command>:
// <device> has 2 legs (0..1); there is no leg 3".
void require_leg(const Status& st, const std::string& command, const std::string& device,
                 unsigned leg);

// The refusal of a request the target cannot take because its module is
// older than this tandemctl: its status has no `feature` ("resync", "the
// shadow", ...).  "<command>: <device> reports status version <n>, a
// target without <feature>; its module is older than this tandemctl".
UsageError older_target(const std::string& command, const std::string& device, const Status& st,
                        const std::string& feature);

} // namespace tandem::cli
