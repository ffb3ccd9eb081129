// tandemctl's commands: each parses its arguments into a flags struct,
// validates them, and runs as a plain function against a DeviceMapper.
// Exceptions travel up to main_entry(), the one place that turns them into
// a message on stderr and an exit code.
#pragma once

#include "block_devices.h"
#include "clock.h"
#include "create_command.h"
#include "exit_codes.h"
#include "list_command.h"
#include "metadata_command.h"
#include "remove_command.h"
#include "scheduler_command.h"
#include "shadow_command.h"
#include "wait_sync.h"

#include "tandem/cow_store.h"
#include "tandem/device_mapper.h"
#include "tandem/status.h"
#include "tandem/table.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace tandem::cli {

// --help or --version: print the text and succeed.
struct Help {
    std::string text;
};
struct StatusFlags {
    std::string device;
    bool raw = false;
    bool json = false; // the decoded status as JSON (status_json.h)
};
struct TableFlags {
    std::string device;
    bool raw = false;
};
struct WeightsFlags {
    std::string device;
    std::vector<unsigned> weights;
};
struct FailLegFlags {
    std::string device;
    unsigned leg = 0;
};
struct ReinstateLegFlags {
    std::string device;
    unsigned leg = 0;
};
struct StatsFlags {
    std::string device;
    bool reset = false;
};
struct SyncRateFlags {
    std::string device;
    std::uint64_t kib_per_s = 0;
};
struct ResyncModeFlags {
    std::string device;
    std::string mode; // "copy" or "checksum"
};
struct VerifyFlags {
    std::string device;
    bool repair = false; // rewrite differing blocks from the source
    bool wait = false;   // wait for the pass to end; exit_mismatch if blocks differed
};

using Command =
    std::variant<Help, StatusFlags, TableFlags, WeightsFlags, FailLegFlags, ReinstateLegFlags,
                 StatsFlags, SyncRateFlags, ResyncModeFlags, VerifyFlags, MetadataFlags,
                 QueueDepthFlags, ClassFlags, RuleFlags, ShadowFlags, CreateFlags, RemoveFlags,
                 WaitSyncFlags, ResyncFlags, ListFlags>;

// How often `verify --wait` reads the status when no dm event wakes it.
inline constexpr std::chrono::milliseconds check_poll_interval{1000};

// The command line after the program name.  Raises UsageError for an
// unknown command or option, a missing or extra argument, or a value that
// is invalid on any device (a weight over 100, weights not summing to 100,
// a leg index >= TANDEM_MAX_LEGS, a sync rate over TANDEM_MAX_SYNC_RATE, a
// resync mode other than copy/checksum, a malformed device name, a
// scheduler argument over its limit or malformed, a --cgroup path that is
// not a cgroup2 directory, "uuid:" without a uuid, a uuid for `create`).
// A device may be named by its uuid, "uuid:<UUID>" (uuid_ref.h): the flags
// keep it so, and main_entry() resolves it to the device's name once,
// before the command runs.
Command parse_command_line(const std::vector<std::string>& args);

// The commands.  Those that change the device first read its status and
// raise UsageError, sending nothing, when the request does not fit it (a
// weight count or leg index that does not match its legs, a sync rate for
// a target without resync, i.e. status version 1, a resync mode or verify
// for a target without them, i.e. before status version 4).
void run_status(const StatusFlags& flags, DeviceMapper& dm, std::ostream& out);
void run_table(const TableFlags& flags, DeviceMapper& dm, std::ostream& out);
void run_weights(const WeightsFlags& flags, DeviceMapper& dm, std::ostream& out);
void run_fail_leg(const FailLegFlags& flags, DeviceMapper& dm, std::ostream& out);
void run_reinstate_leg(const ReinstateLegFlags& flags, DeviceMapper& dm, std::ostream& out);
void run_stats(const StatsFlags& flags, DeviceMapper& dm, std::ostream& out);
void run_sync_rate(const SyncRateFlags& flags, DeviceMapper& dm, std::ostream& out);
void run_resync_mode(const ResyncModeFlags& flags, DeviceMapper& dm, std::ostream& out);
// Starts the pass; with flags.wait waits, woken by dm events and reading
// the status at least every check_poll_interval, until no pass runs, then
// reports it: exit_ok if no block differed, exit_mismatch if some did.  A
// pass that stopped early (fewer than two legs in sync) raises an error.
int run_verify(const VerifyFlags& flags, DeviceMapper& dm, std::ostream& out);

// Human-readable views used by `status` and `table`.  While regions are
// to be copied the status view shows a progress bar, with the time to go
// at the sync rate when the region size (from the table) is known.
std::string format_status_view(const std::string& device, const Status& status,
                               std::optional<std::uint32_t> region_sectors = std::nullopt);
std::string format_table_view(const std::string& device, const TableConfig& table);

using DeviceMapperFactory = std::function<std::unique_ptr<DeviceMapper>()>;
using CowStoreFactory = std::function<std::unique_ptr<CowStore>()>;
using BlockDevicesFactory = std::function<std::unique_ptr<BlockDevices>()>;

// What the commands reach beyond their arguments, each replaceable in
// tests.  The factories are called only by the commands that need them,
// once the arguments are valid.
struct Environment {
    DeviceMapperFactory make_dm;
    CowStoreFactory make_store;             // shadow, remove
    BlockDevicesFactory make_block_devices; // create
    Clock now;                              // wait-sync, resync --wait
    Sleep sleep;                            // remove --force
    bool terminal = false;                  // stdout is a terminal: progress is redrawn in place
};

// This machine's: HostCowStore, HostBlockDevices, the steady clock and
// std::this_thread::sleep_for; not a terminal.
Environment host_environment(DeviceMapperFactory make_dm);

// Parse, validate and run; returns the exit code.  The DeviceMapper is
// created only once the arguments are valid, and not for `metadata`, which
// reads the metadata device directly; the CowStore (the COW files and
// loop devices of `shadow`) only for `shadow` and `remove`.  What
// Environment does not give comes from host_environment().
int main_entry(const std::vector<std::string>& args, const DeviceMapperFactory& make_dm,
               std::ostream& out, std::ostream& err);
int main_entry(const std::vector<std::string>& args, const DeviceMapperFactory& make_dm,
               const CowStoreFactory& make_store, std::ostream& out, std::ostream& err);
int main_entry(const std::vector<std::string>& args, const Environment& env, std::ostream& out,
               std::ostream& err);

} // namespace tandem::cli
