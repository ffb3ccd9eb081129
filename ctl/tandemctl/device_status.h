// The device's status as the commands read it before they change anything.
#pragma once

#include "tandem/device_mapper.h"
#include "tandem/status.h"

#include <string>

namespace tandem::cli {

// Read and parse the status; a ParseError names the device and quotes the
// line.
Status read_status(DeviceMapper& dm, const std::string& device);

} // namespace tandem::cli
