// tandemd's command line.
#pragma once

#include "tandem/log.h"

#include <optional>
#include <string>
#include <vector>

namespace tandem::daemon {

inline constexpr const char* default_config_path = "/etc/tandemd.yaml";

struct Options {
    std::string config_path = default_config_path;
    bool once = false; // poll every device once, log, exit (1 if any was unreadable)
    // --print-config (or its older name --check-config): validate the
    // config, print the effective one with each value's origin, exit.
    bool check_config = false;
    std::optional<LogLevel> log_level; // overrides the config file's log_level
    // --timeline FILE: a CSV line per device per poll (timeline.h).
    std::optional<std::string> timeline;
    std::optional<std::string> help; // --help / --version: print this and exit
};

// The arguments after the program name; raises UsageError.
Options parse_options(const std::vector<std::string>& args);

} // namespace tandem::daemon
