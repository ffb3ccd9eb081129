// tandemctl's remove command:
//
//   remove <dev> [--force]
//
// removes a tandem device, and then the snapshot shadow `shadow create`
// made for it, with its COW file.  A device whose table is not tandem's is
// refused (UsageError), so a typo cannot remove another device.  A device
// that is open (mounted, or held by another device) cannot be removed:
// without --force that is reported at once; with --force the removal is
// tried again every remove_retry_interval for remove_retry_time, for a
// user whose last close is under way (an unmount, a closing application).
#pragma once

#include "clock.h"

#include "tandem/cow_store.h"
#include "tandem/device_mapper.h"

#include <chrono>
#include <iosfwd>
#include <optional>
#include <string>

namespace tandem::cli {

class CommandParser;

struct RemoveFlags {
    std::string device;
    bool force = false; // keep trying while the device is open
};

inline constexpr std::chrono::milliseconds remove_retry_interval{500};
inline constexpr std::chrono::seconds remove_retry_time{10};

// Register the command's options on `p` and parse; nullopt when --help was
// asked for.  Raise UsageError otherwise.
std::optional<RemoveFlags> parse_remove_command(CommandParser& p);

void run_remove(const RemoveFlags& flags, DeviceMapper& dm, CowStore& store, const Sleep& sleep,
                std::ostream& out);

} // namespace tandem::cli
