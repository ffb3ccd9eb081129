// tandemctl's class scheduler commands:
//
//   queue-depth <dev> <n>
//   class <dev> add|remove <name>
//   class <dev> <name> weight <n>
//   class <dev> <name> limit [--iops <n>] [--bw <KiB/s>]
//   class <dev> list
//   rule <dev> add <class> [--cgroup <path>|<id>] [--ioprio <class>[:<level>]]
//                          [--op <op>[,<op>...]] [--size <min>-<max>]
//                          [--route legs|shadow]
//   rule <dev> del <index>
//   rule <dev> clear
//   rule <dev> list
//
// Arguments are checked against the kernel's limits while parsing, so a
// bad one is refused before the device is opened; the commands then read
// the status and refuse, sending nothing, what does not fit the device (a
// target without the scheduler, an unknown or taken class, a rule index
// beyond its rules).
#pragma once

#include "tandem/device_mapper.h"
#include "tandem/rule.h"

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

namespace tandem::cli {

class CommandParser;

struct QueueDepthFlags {
    std::string device;
    std::uint32_t depth = 0; // 0 turns the scheduler off
};

struct ClassFlags {
    enum class Action { add, remove, weight, limit, list };
    std::string device;
    Action action = Action::list;
    std::string name;                  // every action but list
    unsigned weight = 0;               // weight
    std::optional<std::uint32_t> iops; // limit: IO/s, 0 none; nullopt: unchanged
    std::optional<std::uint32_t> bw;   // limit: KiB/s, 0 none; nullopt: unchanged
};

struct RuleFlags {
    enum class Action { add, del, clear, list };
    std::string device;
    Action action = Action::list;
    Rule rule;               // add; a --cgroup path is resolved to its id
    std::uint32_t index = 0; // del
};

// Register the command's options on `p`, parse, and check the arguments;
// nullopt when --help was asked for.  Raise UsageError otherwise.
std::optional<QueueDepthFlags> parse_queue_depth_command(CommandParser& p);
std::optional<ClassFlags> parse_class_command(CommandParser& p);
std::optional<RuleFlags> parse_rule_command(CommandParser& p);

void run_queue_depth(const QueueDepthFlags& flags, DeviceMapper& dm, std::ostream& out);
void run_class(const ClassFlags& flags, DeviceMapper& dm, std::ostream& out);
void run_rule(const RuleFlags& flags, DeviceMapper& dm, std::ostream& out);

} // namespace tandem::cli
