// tandemd's configuration file (YAML), validated once into an immutable
// Config whose every value remembers where it came from:
//
//   log_level: info              # error | warning | info | debug
//   poll_interval_ms: 1000       # default for the devices below (dm events
//                                # are read at once in between)
//   devices:
//     - name: tandem0            # device-mapper name of a tandem device
//       poll_interval_ms: 500    # optional, overrides the default
//
// Unknown or duplicate keys are errors, so a typo never goes unnoticed.
#pragma once

#include "tandem/log.h"

#include <string>
#include <string_view>
#include <vector>

namespace tandem {

inline constexpr unsigned default_poll_interval_ms = 1000;
inline constexpr unsigned min_poll_interval_ms = 10;
inline constexpr unsigned max_poll_interval_ms = 3'600'000;

// A configured value and its origin: "default", "<file>:<line>:<column>",
// "command line", or the origin of the default it inherited.
template <typename T>
struct Setting {
    T value{};
    std::string origin;
};

struct DeviceConfig {
    Setting<std::string> name;
    Setting<unsigned> poll_interval_ms;
};

struct Config {
    std::string source; // the file (or name) the configuration was read from
    Setting<LogLevel> log_level{LogLevel::info, "default"};
    Setting<unsigned> poll_interval_ms{default_poll_interval_ms, "default"};
    std::vector<DeviceConfig> devices;
};

// Parse and validate YAML text; `source` names it in errors and origins.
// Raises ConfigError "<source>:<line>:<column>: <problem>".
Config parse_config(std::string_view yaml, const std::string& source);

// Read and parse a file; ConfigError also when it cannot be read.
Config load_config(const std::string& path);

// The effective configuration as YAML, each value commented with its origin.
std::string format_config(const Config& config);

} // namespace tandem
