// A device named by its device-mapper uuid where a command takes a device
// name: "uuid:<UUID>", e.g. `tandemctl status uuid:TANDEM-tandem0`.  The
// uuid is what stays when a device is renamed.
#pragma once

#include "tandem/device_mapper.h"

#include <string>
#include <string_view>

namespace tandem::cli {

inline constexpr std::string_view uuid_ref_prefix = "uuid:";

// Whether `arg` names a device by its uuid.
bool is_uuid_ref(std::string_view arg);

// What is wrong with `arg` as a device argument before any device is
// looked at: an empty uuid ("uuid:"); empty when nothing is.
std::string uuid_ref_problem(std::string_view arg);

// The device `arg` names: `arg` itself, or the name of the device whose
// uuid is the one after "uuid:".  Raises std::runtime_error (exit status
// exit_failure) when no device has that uuid.
std::string resolve_device(DeviceMapper& dm, const std::string& arg);

} // namespace tandem::cli
