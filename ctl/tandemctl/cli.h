// tandemctl's commands: each parses its arguments into a flags struct,
// validates them, and runs as a plain function against a DeviceMapper.
// Exceptions travel up to main_entry(), the one place that turns them into
// a message on stderr and an exit code.
#pragma once

#include "tandem/device_mapper.h"
#include "tandem/status.h"
#include "tandem/table.h"

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace tandem::cli {

inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1; // the command failed at run time
inline constexpr int exit_usage = 2;   // bad arguments; nothing was changed

// --help or --version: print the text and succeed.
struct Help {
    std::string text;
};
struct StatusFlags {
    std::string device;
    bool raw = false;
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

using Command = std::variant<Help, StatusFlags, TableFlags, WeightsFlags, FailLegFlags,
                             ReinstateLegFlags, StatsFlags, SyncRateFlags>;

// The command line after the program name.  Raises UsageError for an
// unknown command or option, a missing or extra argument, or a value that
// is invalid on any device (a weight over 100, weights not summing to 100,
// a leg index >= TANDEM_MAX_LEGS, a sync rate over TANDEM_MAX_SYNC_RATE, a
// malformed device name).
Command parse_command_line(const std::vector<std::string>& args);

// The commands.  Those that change the device first read its status and
// raise UsageError, sending nothing, when the request does not fit it (a
// weight count or leg index that does not match its legs, a sync rate for
// a target without resync, i.e. status version 1).
void run_status(const StatusFlags& flags, DeviceMapper& dm, std::ostream& out);
void run_table(const TableFlags& flags, DeviceMapper& dm, std::ostream& out);
void run_weights(const WeightsFlags& flags, DeviceMapper& dm, std::ostream& out);
void run_fail_leg(const FailLegFlags& flags, DeviceMapper& dm, std::ostream& out);
void run_reinstate_leg(const ReinstateLegFlags& flags, DeviceMapper& dm, std::ostream& out);
void run_stats(const StatsFlags& flags, DeviceMapper& dm, std::ostream& out);
void run_sync_rate(const SyncRateFlags& flags, DeviceMapper& dm, std::ostream& out);

// Human-readable views used by `status` and `table`.
std::string format_status_view(const std::string& device, const Status& status);
std::string format_table_view(const std::string& device, const TableConfig& table);

using DeviceMapperFactory = std::function<std::unique_ptr<DeviceMapper>()>;

// Parse, validate and run; returns the exit code.  The DeviceMapper is
// created only once the arguments are valid.
int main_entry(const std::vector<std::string>& args, const DeviceMapperFactory& make_dm,
               std::ostream& out, std::ostream& err);

} // namespace tandem::cli
