// The systemd readiness protocol (sd_notify(3)), without libsystemd: one
// datagram with "READY=1", "RELOADING=1", "STOPPING=1", "STATUS=..." to the
// socket named by $NOTIFY_SOCKET.
#pragma once

#include <string_view>

namespace tandem {

// Send `state` to $NOTIFY_SOCKET.  Returns false when the variable is unset
// (not started by systemd) or the datagram could not be sent; either way
// the caller carries on.
bool sd_notify(std::string_view state);

} // namespace tandem
