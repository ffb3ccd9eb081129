// tandemd's configuration file (YAML), validated once into an immutable
// Config.  docs/config.md describes every key; in short:
//
//   log_level: info              # error | warning | info | debug
//   poll_interval_ms: 1000       # status poll, default for the devices
//   health_interval_ms / probe_interval_ms / weights_interval_ms
//   state_dir: /run/tandemd      # what a restart must not forget
//   http: {listen: 127.0.0.1:9470, token_file: /etc/tandem/token}
//   nodes:                       # the machines the legs live on
//     - {name: a, health: local, probes: [{url: http://...}], interfaces: [eth0]}
//   devices:
//     - name: tandem0            # only watched (an existing device) ...
//     - name: tandem1            # ... or created from its legs
//       metadata: /dev/vdd
//       legs: [{device: /dev/vdb, node: a}, {device: /dev/nbd0, node: b}]
//   load: {...}  classes: [...]  rules: [...]
//   health / weighting / anomaly / mitigation: the policies' parameters
//
// Unknown or duplicate keys are errors, so a typo never goes unnoticed;
// every error is a ConfigError "<file>:<line>:<column>: <key path>:
// <problem>", e.g. "t.yaml:7:15: devices[0].legs[1].node: no node 'c' in
// nodes; expected one of: a, b".
//
// Every value remembers where it came from ("default", "<file>:<line>:
// <column>", "command line ..."), so the effective configuration can be
// printed with its origins (tandemd --print-config).  log_level,
// poll_interval_ms and each device's name and poll_interval_ms are
// Setting<T>s carrying their origin, so that a command-line override
// (--log-level) replaces value and origin together; every other value is a
// plain field whose origin Config::origin() finds by its key path
// ("weighting.critical_health", "devices[0].legs[1].node").
#pragma once

#include "tandem/anomaly_detector.h"
#include "tandem/health_score.h"
#include "tandem/http_url.h"
#include "tandem/limits.h"
#include "tandem/load_score.h"
#include "tandem/load_weights.h"
#include "tandem/log.h"
#include "tandem/mitigation.h"
#include "tandem/resync_mode.h"
#include "tandem/rule.h"
#include "tandem/shadow_mode.h"
#include "tandem/weight_engine.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tandem {

// Every interval (poll, health, probe, weights, load) shares one range.
inline constexpr unsigned default_poll_interval_ms = 1000;
inline constexpr unsigned default_health_interval_ms = 1000;
inline constexpr unsigned default_probe_interval_ms = 5000;
inline constexpr unsigned default_weights_interval_ms = 1000;
inline constexpr unsigned default_load_interval_ms = 1000;
inline constexpr unsigned min_poll_interval_ms = 10;
inline constexpr unsigned max_poll_interval_ms = 3'600'000;

inline constexpr unsigned default_probe_timeout_ms = 1000;
inline constexpr unsigned max_probe_timeout_ms = 60'000;
inline constexpr unsigned default_probe_status = 200;

inline constexpr std::uint64_t default_region_size = 512 * 1024;     // bytes
inline constexpr std::uint64_t min_region_size = 4 * 1024;           // bytes
inline constexpr std::uint64_t max_region_size = 1024 * 1024 * 1024; // bytes

// The prefix of the uuid a created device gets by default: "TANDEM-<name>".
inline constexpr std::string_view default_uuid_prefix = "TANDEM-";
// The longest device-mapper uuid: DM_UUID_LEN (129) less its NUL.
inline constexpr std::size_t max_uuid_length = 128;

// A configured value and its origin: "default", "<file>:<line>:<column>",
// "command line", or the origin of the default it inherited.
template <typename T>
struct Setting {
    T value{};
    std::string origin;
};

// tandemd's HTTP endpoint (/health for peers, /metrics).
struct HttpConfig {
    std::optional<HostPort> listen = HostPort{"127.0.0.1", 9470}; // nullopt: no endpoint
    // A file holding the bearer token requests must carry; "" for none.
    // Required when listen is not a loopback address.
    std::string token_file = {};

    bool operator==(const HttpConfig&) const = default;
};

// An HTTP GET whose answer counts towards a node's health.
struct ProbeConfig {
    HttpUrl url;
    unsigned timeout_ms = default_probe_timeout_ms; // 1..max_probe_timeout_ms
    unsigned expect_status = default_probe_status;  // 100..599

    bool operator==(const ProbeConfig&) const = default;
};

// A machine that holds legs.
struct NodeConfig {
    std::string name;
    // Where its health comes from: nullopt for this machine ("local":
    // measured here), or a peer tandemd's /health URL.
    std::optional<HttpUrl> health = {};
    std::vector<ProbeConfig> probes = {};
    std::vector<std::string> interfaces = {}; // network interfaces whose counters count

    bool operator==(const NodeConfig&) const = default;
};

struct LegConfig {
    std::string device; // an absolute path
    // The node the leg lives on: one of Config::nodes, or any name (or "")
    // when there are no nodes.
    std::string node = {};

    bool operator==(const LegConfig&) const = default;
};

struct ShadowConfig {
    std::string device; // an absolute path
    ShadowMode mode = ShadowMode::async;
    std::uint32_t sample = 1;                     // clone 1 in n bios, 0: none
    std::uint32_t pool_kib = default_shadow_pool; // async payload copies

    bool operator==(const ShadowConfig&) const = default;
};

// A tandem device.  One with legs is created from them (or adopted when it
// exists); one without is only watched, and none of the creation fields
// below may be given for it.
struct DeviceConfig {
    Setting<std::string> name;
    Setting<unsigned> poll_interval_ms;

    std::string uuid = {};                  // "TANDEM-<name>" by default for a created device
    std::optional<std::uint64_t> size = {}; // bytes, a multiple of 512; nullopt: the smallest leg
    std::uint64_t region_size = default_region_size; // bytes, a power of two 4K..1G
    std::optional<std::string> metadata = {};        // a path; nullopt: "-", in-core state only
    std::vector<LegConfig> legs = {}; // none, or min_legs..max_legs; leg 0 the source
    bool nosync = false;
    std::uint32_t sync_rate_kib = default_sync_rate; // 0..max_sync_rate, 0 pauses
    ResyncMode resync_mode = ResyncMode::copy;
    std::uint32_t queue_depth = 0;                          // 0..max_queue_depth, 0: scheduler off
    std::optional<std::vector<unsigned>> read_weights = {}; // initial; one per leg, sum 100
    std::optional<ShadowConfig> shadow = {};

    bool created() const { return !legs.empty(); }
    std::uint32_t region_sectors() const { return static_cast<std::uint32_t>(region_size / 512); }
};

// The load score's inputs (load_score.h) and how often it is computed.
struct LoadConfig {
    unsigned interval_ms = default_load_interval_ms;
    LoadOptions score = {};
};

// A classification rule of the class scheduler (rule.h).  The cgroup is a
// path, resolved to its id (resolve_cgroup()) when the rule is sent, so
// match.cgroup is always empty here.
struct RuleConfig {
    Rule match;
    std::string cgroup = {}; // an absolute path under cgroup2; "" when not matched

    bool operator==(const RuleConfig&) const = default;
};

struct Config {
    std::string source; // the file (or name) the configuration was read from
    Setting<LogLevel> log_level{LogLevel::info, "default"};
    Setting<unsigned> poll_interval_ms{default_poll_interval_ms, "default"};
    unsigned health_interval_ms = default_health_interval_ms;
    unsigned probe_interval_ms = default_probe_interval_ms;
    unsigned weights_interval_ms = default_weights_interval_ms;
    // Where tandemd keeps, while a throttle is in force, what a restart
    // needs to take it over (guard_memory.h); an absolute path.
    std::string state_dir = "/run/tandemd";
    HttpConfig http = {};
    std::vector<NodeConfig> nodes = {}; // names unique, at most one local
    std::vector<DeviceConfig> devices;
    LoadConfig load = {};
    // The classes (YAML `classes`) and critical_bonus (YAML
    // `load.critical_bonus`) that turn the load into class settings.
    WeightOptions class_weights = {};
    std::vector<RuleConfig> rules = {}; // each names one of class_weights.classes
    HealthPolicy health = {};           // node health scores
    WeightPolicy weighting = {};        // health scores to read weights
    AnomalyPolicy anomaly = {};         // the shadow's anomaly detection
    MitigationPolicy mitigation = {};   // what an anomaly triggers

    // Where the value at `path` came from: its "<file>:<line>:<column>",
    // or "default" for a value the file does not set.
    std::string origin(std::string_view path) const;

    // Origins by key path, e.g. "devices[0].legs[1].node"; the Setting<T>s
    // above carry their own.
    std::map<std::string, std::string, std::less<>> origins = {};
};

// Parse and validate YAML text; `source` names it in errors and origins.
// Raises ConfigError "<source>:<line>:<column>: <key path>: <problem>".
Config parse_config(std::string_view yaml, const std::string& source);

// Read and parse a file; ConfigError also when it cannot be read.
Config load_config(const std::string& path);

// The effective configuration as YAML, each value commented with its
// origin; parse_config() reads it back to the same values.
std::string format_config(const Config& config);

} // namespace tandem
