// tandemctl's wait-sync and resync commands:
//
//   wait-sync <dev> [--timeout <s>] [--quiet]
//   resync <dev> <leg> [--wait] [--timeout <s>] [--quiet]
//
// wait-sync reads the status until nothing is left to copy (the sync
// action idle, every healthy leg in sync), woken by the device's events
// and reading it at least every sync_poll_interval.  On a terminal it
// redraws one progress line with the time to go; otherwise it prints a
// line whenever another whole percent is done.  Its outcome is its exit
// status: exit_ok once in sync; exit_failure when nothing more will be
// copied but the legs are not all in sync (a failed leg, or regions no
// healthy leg holds) or the device went away; exit_timeout when --timeout
// seconds passed first.
//
// resync returns a failed leg to service (reinstate_leg): it then lacks
// the regions written while it was out, which the target copies onto it.
// With --wait it then waits like wait-sync.
#pragma once

#include "clock.h"

#include "tandem/device_mapper.h"
#include "tandem/status.h"

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

namespace tandem::cli {

class CommandParser;

struct WaitSyncFlags {
    std::string device;
    std::optional<std::uint32_t> timeout_s; // nullopt: as long as it takes
    bool quiet = false;                     // no progress, no final line
};

struct ResyncFlags {
    std::string device;
    unsigned leg = 0;
    bool wait = false;
    WaitSyncFlags wait_flags; // with wait
};

// How often the status is read when no dm event comes.
inline constexpr std::chrono::milliseconds sync_poll_interval{1000};

// Where a device's resync stands, from one status line (version 2 on).
enum class SyncVerdict {
    in_sync,     // nothing to copy, every leg healthy
    syncing,     // regions to copy, the resync running
    paused,      // regions to copy, sync rate 0
    failed_legs, // nothing to copy to the healthy legs, but some leg failed
    stuck,       // a healthy leg lacks regions, yet the resync is idle: no leg has them
};

SyncVerdict judge_sync(const Status& status);

// Register the commands' options on `p`, parse, and check the arguments;
// nullopt when --help was asked for.  Raise UsageError otherwise.
std::optional<WaitSyncFlags> parse_wait_sync_command(CommandParser& p);
std::optional<ResyncFlags> parse_resync_command(CommandParser& p);

// `terminal`: `out` is a terminal, where the progress line is redrawn in
// place.  Returns exit_ok; raises ExitStatusError (exit_timeout),
// UsageError for a target without resync (status version 1), or another
// error for a device not left in sync.
int run_wait_sync(const WaitSyncFlags& flags, DeviceMapper& dm, const Clock& now, bool terminal,
                  std::ostream& out);

// Refuses, sending nothing, a leg the device does not have (UsageError)
// and a leg that is not failed.
int run_resync(const ResyncFlags& flags, DeviceMapper& dm, const Clock& now, bool terminal,
               std::ostream& out);

} // namespace tandem::cli
