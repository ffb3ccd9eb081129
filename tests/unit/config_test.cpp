// tandemd's YAML configuration: values, defaults, origins, the effective
// configuration printed back, and errors that point at file:line:column.
#include "options.h"

#include "tandem/config.h"
#include "tandem/errors.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <unistd.h>

using namespace tandem;
using ::testing::HasSubstr;
using ::testing::StartsWith;

namespace {

std::string error_of(const std::string& yaml) {
    try {
        parse_config(yaml, "t.yaml");
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "(accepted)";
}

// The example shipped with the sources.
std::string example_path() {
    return (std::filesystem::path(__FILE__).parent_path() / "../../examples/tandem.yaml")
        .lexically_normal()
        .string();
}

// The printed configuration without its origin comments.
std::string without_origins(const std::string& text) {
    return std::regex_replace(text, std::regex("  # [^\n]*|# effective[^\n]*\n"), "");
}

// A device created from two legs, for the cases that need one.
const std::string two_legs = "    metadata: \"-\"\n"
                             "    legs: [{device: /dev/a}, {device: /dev/b}]\n";

const char* const full_config = R"(log_level: debug
poll_interval_ms: 500
health_interval_ms: 2000
probe_interval_ms: 3000
weights_interval_ms: 4000
http:
  listen: "[::]:9471"
  token_file: /etc/tandem/token
nodes:
  - name: a
    health: local
    interfaces: [eth0, eth1]
  - name: b
    health: http://10.0.0.2:9470/health
    probes:
      - url: http://10.0.0.2:8080/ready?deep=1
        timeout_ms: 250
        expect_status: 204
      - url: http://b.example/
devices:
  - name: watched
  - name: m0
    poll_interval_ms: 100
    uuid: MY-UUID
    size: 10G
    region_size: 1M
    metadata: /dev/vdd
    legs:
      - {device: /dev/vdb, node: a}
      - {device: /dev/nbd0, node: b}
      - {device: /dev/vdc, node: a}
    nosync: true
    sync_rate_kib: 0
    resync_mode: checksum
    queue_depth: 32
    read_weights: [50, 25, 25]
    shadow:
      device: /dev/mapper/m0-shadow
      mode: gate
      sample: 0
      pool_kib: 1024
load:
  interval_ms: 250
  iops_saturation: 20000
  cpu_weight: 0
  critical_bonus: 70
classes:
  - name: gold
    base_weight: 200
    sensitivity: 0.25
    floor: 20
    critical: true
    limit_load: 0.5
    iops_limit: 5000
    bw_limit_kib: 10240
  - name: test
rules:
  - class: gold
    cgroup: /sys/fs/cgroup/db.slice
    ioprio: be:2
    op: [write, read]
    size: 4K-1M
    route: legs
  - class: test
    op: flush,discard
    route: shadow
health:
  cpu: 0.5
  smoothing: 1
weighting:
  leg_factors: [0.5, 0.3, 0.2]
  critical_health: 10
  failback_seconds: 120.5
anomaly:
  warmup_windows: 5
  ewma_alpha: 0.5
  max_mismatches: 3
mitigation:
  alert: false
  webhook_url: http://hooks:8000/tandem
  exec: [/usr/bin/logger, -t, tandem]
  throttle_class: test
  throttle_bw_kib: 2048
  rollback: true
)";

} // namespace

TEST(Config, FullFileWithOrigins) {
    Config cfg = parse_config("log_level: debug\n"
                              "poll_interval_ms: 500\n"
                              "devices:\n"
                              "  - name: tandem0\n"
                              "  - name: tandem1\n"
                              "    poll_interval_ms: 250\n",
                              "t.yaml");
    EXPECT_EQ(cfg.source, "t.yaml");
    EXPECT_EQ(cfg.log_level.value, LogLevel::debug);
    EXPECT_EQ(cfg.log_level.origin, "t.yaml:1:12");
    EXPECT_EQ(cfg.poll_interval_ms.value, 500u);
    EXPECT_EQ(cfg.poll_interval_ms.origin, "t.yaml:2:19");
    ASSERT_EQ(cfg.devices.size(), 2u);
    EXPECT_EQ(cfg.devices[0].name.value, "tandem0");
    EXPECT_EQ(cfg.devices[0].name.origin, "t.yaml:4:11");
    EXPECT_EQ(cfg.devices[0].poll_interval_ms.value, 500u);
    EXPECT_EQ(cfg.devices[0].poll_interval_ms.origin, "top-level poll_interval_ms, t.yaml:2:19");
    EXPECT_EQ(cfg.devices[1].poll_interval_ms.value, 250u);
    EXPECT_EQ(cfg.devices[1].poll_interval_ms.origin, "t.yaml:6:23");
    EXPECT_FALSE(cfg.devices[0].created());
}

TEST(Config, EverySectionRead) {
    const Config cfg = parse_config(full_config, "t.yaml");
    EXPECT_EQ(cfg.health_interval_ms, 2000u);
    EXPECT_EQ(cfg.probe_interval_ms, 3000u);
    EXPECT_EQ(cfg.weights_interval_ms, 4000u);
    EXPECT_EQ(cfg.http.listen, (HostPort{"::", 9471}));
    EXPECT_EQ(cfg.http.token_file, "/etc/tandem/token");

    ASSERT_EQ(cfg.nodes.size(), 2u);
    EXPECT_EQ(cfg.nodes[0].name, "a");
    EXPECT_FALSE(cfg.nodes[0].health.has_value());
    EXPECT_EQ(cfg.nodes[0].interfaces, (std::vector<std::string>{"eth0", "eth1"}));
    EXPECT_TRUE(cfg.nodes[0].probes.empty());
    EXPECT_EQ(cfg.nodes[1].health, (HttpUrl{{"10.0.0.2", 9470}, "/health"}));
    ASSERT_EQ(cfg.nodes[1].probes.size(), 2u);
    EXPECT_EQ(cfg.nodes[1].probes[0].url, (HttpUrl{{"10.0.0.2", 8080}, "/ready?deep=1"}));
    EXPECT_EQ(cfg.nodes[1].probes[0].timeout_ms, 250u);
    EXPECT_EQ(cfg.nodes[1].probes[0].expect_status, 204u);
    EXPECT_EQ(cfg.nodes[1].probes[1].url, (HttpUrl{{"b.example", 80}, "/"}));
    EXPECT_EQ(cfg.nodes[1].probes[1].timeout_ms, default_probe_timeout_ms);
    EXPECT_EQ(cfg.nodes[1].probes[1].expect_status, 200u);

    ASSERT_EQ(cfg.devices.size(), 2u);
    EXPECT_FALSE(cfg.devices[0].created());
    EXPECT_EQ(cfg.devices[0].uuid, "");
    const DeviceConfig& d = cfg.devices[1];
    EXPECT_TRUE(d.created());
    EXPECT_EQ(d.poll_interval_ms.value, 100u);
    EXPECT_EQ(d.uuid, "MY-UUID");
    EXPECT_EQ(d.size, 10ull << 30);
    EXPECT_EQ(d.region_size, 1u << 20);
    EXPECT_EQ(d.region_sectors(), 2048u);
    EXPECT_EQ(d.metadata, "/dev/vdd");
    ASSERT_EQ(d.legs.size(), 3u);
    EXPECT_EQ(d.legs[1].device, "/dev/nbd0");
    EXPECT_EQ(d.legs[1].node, "b");
    EXPECT_EQ(d.legs[2].node, "a");
    EXPECT_TRUE(d.nosync);
    EXPECT_EQ(d.sync_rate_kib, 0u);
    EXPECT_EQ(d.resync_mode, ResyncMode::checksum);
    EXPECT_EQ(d.queue_depth, 32u);
    EXPECT_EQ(d.read_weights, (std::vector<unsigned>{50, 25, 25}));
    ASSERT_TRUE(d.shadow.has_value());
    EXPECT_EQ(d.shadow->device, "/dev/mapper/m0-shadow");
    EXPECT_EQ(d.shadow->mode, ShadowMode::gate);
    EXPECT_EQ(d.shadow->sample, 0u);
    EXPECT_EQ(d.shadow->pool_kib, 1024u);

    EXPECT_EQ(cfg.load.interval_ms, 250u);
    EXPECT_EQ(cfg.load.score.iops_saturation, 20000);
    EXPECT_EQ(cfg.load.score.cpu_weight, 0);
    EXPECT_EQ(cfg.load.score.latency_weight, LoadOptions{}.latency_weight);
    EXPECT_EQ(cfg.class_weights.critical_bonus, 70u);
    ASSERT_EQ(cfg.class_weights.classes.size(), 2u);
    const ClassPolicy& gold = cfg.class_weights.classes[0];
    EXPECT_EQ(gold.name, "gold");
    EXPECT_EQ(gold.base_weight, 200u);
    EXPECT_EQ(gold.sensitivity, 0.25);
    EXPECT_EQ(gold.floor, 20u);
    EXPECT_TRUE(gold.critical);
    EXPECT_EQ(gold.limit_load, 0.5);
    EXPECT_EQ(gold.iops_limit, 5000u);
    EXPECT_EQ(gold.bw_limit, 10240u);
    const ClassPolicy& test = cfg.class_weights.classes[1];
    EXPECT_EQ(test.base_weight, ClassPolicy{}.base_weight);
    EXPECT_EQ(test.limit_load, ClassPolicy{}.limit_load);

    ASSERT_EQ(cfg.rules.size(), 2u);
    EXPECT_EQ(cfg.rules[0].cgroup, "/sys/fs/cgroup/db.slice");
    EXPECT_EQ(cfg.rules[0].match, (Rule{"gold",
                                        std::nullopt,
                                        IoprioMatch{IoprioClass::be, 2},
                                        {Op::write, Op::read},
                                        SizeRange{4096, 1 << 20},
                                        Route::legs}));
    EXPECT_EQ(cfg.rules[1].cgroup, "");
    EXPECT_EQ(cfg.rules[1].match, (Rule{"test",
                                        std::nullopt,
                                        std::nullopt,
                                        {Op::flush, Op::discard},
                                        std::nullopt,
                                        Route::shadow}));

    EXPECT_EQ(cfg.health.cpu, 0.5);
    EXPECT_EQ(cfg.health.smoothing, 1);
    EXPECT_EQ(cfg.health.memory, HealthPolicy{}.memory);
    EXPECT_EQ(cfg.weighting.leg_factors, (std::vector<double>{0.5, 0.3, 0.2}));
    EXPECT_EQ(cfg.weighting.critical_health, 10);
    EXPECT_EQ(cfg.weighting.failback_seconds, 120.5);
    EXPECT_EQ(cfg.weighting.recover_health, WeightPolicy{}.recover_health);
    EXPECT_EQ(cfg.anomaly.warmup_windows, 5u);
    EXPECT_EQ(cfg.anomaly.ewma_alpha, 0.5);
    EXPECT_EQ(cfg.anomaly.max_mismatches, 3u);
    EXPECT_EQ(cfg.anomaly.min_bios, AnomalyPolicy{}.min_bios);
    EXPECT_FALSE(cfg.mitigation.alert);
    EXPECT_EQ(cfg.mitigation.webhook_url, "http://hooks:8000/tandem");
    EXPECT_EQ(cfg.mitigation.exec, (std::vector<std::string>{"/usr/bin/logger", "-t", "tandem"}));
    EXPECT_TRUE(cfg.mitigation.throttle);
    EXPECT_EQ(cfg.mitigation.throttle_bw_kib, 2048u);
    EXPECT_TRUE(cfg.mitigation.rollback);
}

TEST(Config, OriginsByKeyPath) {
    const Config cfg = parse_config(full_config, "t.yaml");
    const std::pair<const char*, const char*> cases[] = {
        {"health_interval_ms", "t.yaml:3:21"},
        {"http.listen", "t.yaml:7:11"},
        {"nodes[0].interfaces", "t.yaml:12:17"},
        {"nodes[1].probes[0].timeout_ms", "t.yaml:17:21"},
        {"nodes[1].probes[1].timeout_ms", "default"},
        {"devices[1].legs[1].node", "t.yaml:30:35"},
        {"devices[1].shadow.mode", "t.yaml:39:13"},
        {"devices[1].uuid", "t.yaml:24:11"},
        {"devices[0].uuid", "default"},
        {"load.critical_bonus", "t.yaml:46:19"},
        {"load.queue_weight", "default"},
        {"classes[0].bw_limit_kib", "t.yaml:55:19"},
        {"classes[1].base_weight", "default"},
        {"rules[1].op", "t.yaml:65:9"},
        {"weighting.failback_seconds", "t.yaml:73:21"},
        {"weighting.deadband", "default"},
        {"mitigation.exec", "t.yaml:81:9"},
        {"anomaly.consecutive", "default"},
    };
    for (auto [path, origin] : cases)
        EXPECT_EQ(cfg.origin(path), origin) << path;
}

TEST(Config, DefaultsWhenOmitted) {
    Config cfg = parse_config("devices: [{name: tandem0}]", "t.yaml");
    EXPECT_EQ(cfg.log_level.value, LogLevel::info);
    EXPECT_EQ(cfg.log_level.origin, "default");
    EXPECT_EQ(cfg.poll_interval_ms.value, default_poll_interval_ms);
    EXPECT_EQ(cfg.health_interval_ms, 1000u);
    EXPECT_EQ(cfg.probe_interval_ms, 5000u);
    EXPECT_EQ(cfg.weights_interval_ms, 1000u);
    EXPECT_EQ(cfg.http.listen, (HostPort{"127.0.0.1", 9470}));
    EXPECT_EQ(cfg.http.token_file, "");
    EXPECT_TRUE(cfg.nodes.empty());
    EXPECT_TRUE(cfg.rules.empty());
    EXPECT_EQ(cfg.load.interval_ms, 1000u);
    EXPECT_EQ(cfg.load.score.baseline_mean_us, LoadOptions{}.baseline_mean_us);
    ASSERT_EQ(cfg.class_weights.classes.size(), 3u);
    EXPECT_EQ(cfg.class_weights.classes[0].name, "critical");
    EXPECT_EQ(cfg.class_weights.classes[2].name, "test");
    EXPECT_EQ(cfg.class_weights.critical_bonus, WeightOptions{}.critical_bonus);
    EXPECT_EQ(cfg.health.probes, HealthPolicy{}.probes);
    EXPECT_EQ(cfg.weighting.leg_factors, WeightPolicy{}.leg_factors);
    EXPECT_EQ(cfg.anomaly, AnomalyPolicy{});
    EXPECT_EQ(cfg.mitigation, MitigationPolicy{});
    EXPECT_TRUE(cfg.origins.empty());
    ASSERT_EQ(cfg.devices.size(), 1u);
    EXPECT_EQ(cfg.devices[0].poll_interval_ms.value, default_poll_interval_ms);
    EXPECT_EQ(cfg.devices[0].poll_interval_ms.origin, "default");
    EXPECT_EQ(cfg.origin("http.listen"), "default");
}

TEST(Config, CreatedDeviceDefaults) {
    Config cfg = parse_config("devices:\n  - name: m\n" + two_legs, "t.yaml");
    const DeviceConfig& d = cfg.devices[0];
    EXPECT_TRUE(d.created());
    EXPECT_EQ(d.uuid, "TANDEM-m");
    EXPECT_FALSE(d.size.has_value());
    EXPECT_EQ(d.region_size, 512u * 1024);
    EXPECT_FALSE(d.metadata.has_value());
    EXPECT_EQ(d.legs[0].node, "");
    EXPECT_FALSE(d.nosync);
    EXPECT_EQ(d.sync_rate_kib, default_sync_rate);
    EXPECT_EQ(d.resync_mode, ResyncMode::copy);
    EXPECT_EQ(d.queue_depth, 0u);
    EXPECT_FALSE(d.read_weights.has_value());
    EXPECT_FALSE(d.shadow.has_value());

    cfg = parse_config("devices:\n  - name: m\n" + two_legs + "    shadow: {device: /dev/s}\n",
                       "t.yaml");
    ASSERT_TRUE(cfg.devices[0].shadow.has_value());
    EXPECT_EQ(cfg.devices[0].shadow->mode, ShadowMode::async);
    EXPECT_EQ(cfg.devices[0].shadow->sample, 1u);
    EXPECT_EQ(cfg.devices[0].shadow->pool_kib, default_shadow_pool);
}

// A name too long for the default uuid is fine with a uuid of its own,
// and a watched device takes no uuid at all.
TEST(Config, LongNamesWithAUuidOrWatched) {
    const std::string name(127, 'n');
    Config cfg = parse_config("devices:\n  - name: " + name + "\n    uuid: U1\n" + two_legs +
                                  "  - name: w" + name.substr(1) + "\n",
                              "t.yaml");
    EXPECT_EQ(cfg.devices[0].uuid, "U1");
    EXPECT_FALSE(cfg.devices[1].created());
}

TEST(Config, SmallerAccepted) {
    // Loopback listens need no token; "" turns the endpoint off.
    for (const char* listen : {"127.0.0.1:1", "localhost:9470", "\"[::1]:9470\"", "127.8.9.10:80"})
        EXPECT_EQ(error_of(std::string("http: {listen: ") + listen + "}\ndevices: [{name: a}]"),
                  "(accepted)")
            << listen;
    EXPECT_FALSE(parse_config("http: {listen: \"\"}\ndevices: [{name: a}]", "t").http.listen);
    EXPECT_FALSE(parse_config("http: {listen: }\ndevices: [{name: a}]", "t").http.listen);
    // Without nodes a leg's node is free text, or absent.
    EXPECT_EQ(parse_config("devices:\n  - name: m\n    metadata: \"-\"\n"
                           "    legs: [{device: /dev/a, node: anywhere}, {device: /dev/b}]\n",
                           "t")
                  .devices[0]
                  .legs[0]
                  .node,
              "anywhere");
    // Sizes and region sizes with and without suffixes.
    const std::pair<const char*, std::uint64_t> regions[] = {
        {"4K", 4096}, {"4096", 4096}, {"1G", 1u << 30}, {"64k", 65536}, {"2M", 2u << 20}};
    for (auto [text, bytes] : regions)
        EXPECT_EQ(parse_config("devices:\n  - name: m\n    region_size: " + std::string(text) +
                                   "\n" + two_legs,
                               "t")
                      .devices[0]
                      .region_size,
                  bytes)
            << text;
    // An op given as one word; classes may be empty when no rule or
    // mitigation needs one.
    EXPECT_EQ(parse_config("rules: [{class: test, op: read}]\ndevices: [{name: a}]", "t")
                  .rules[0]
                  .match.ops,
              std::vector<Op>{Op::read});
    EXPECT_TRUE(
        parse_config("classes: []\ndevices: [{name: a}]", "t").class_weights.classes.empty());
    // The default throttle class need not exist while nothing is shadowed
    // and mitigation is not configured.
    EXPECT_EQ(error_of("classes: [{name: gold}]\ndevices: [{name: a}]"), "(accepted)");
}

TEST(Config, DefaultIntervalMayFollowTheDevices) {
    Config cfg = parse_config("devices: [{name: a}]\npoll_interval_ms: 20\n", "t.yaml");
    EXPECT_EQ(cfg.devices[0].poll_interval_ms.value, 20u);
}

TEST(Config, WarnIsAcceptedForWarning) {
    EXPECT_EQ(parse_config("log_level: warn\ndevices: [{name: a}]", "t").log_level.value,
              LogLevel::warning);
}

TEST(Config, InvalidYamlNamesLineAndColumn) {
    // The flow sequence opened on line 2 is never closed.
    EXPECT_EQ(error_of("log_level: info\ndevices: [{name: a}\n"),
              "t.yaml:3:1: invalid YAML: end of sequence flow not found");
    // A tab cannot indent YAML: the '-' after it is out of place.
    EXPECT_EQ(error_of("devices:\n\t- name: a\n"), "t.yaml:2:2: invalid YAML: illegal block entry");
    // A key indented differently from its siblings, at line 3, column 4.
    EXPECT_EQ(error_of("devices:\n  - name: a\n   bad: 1\n"),
              "t.yaml:3:4: invalid YAML: end of sequence not found");
}

TEST(Config, BadValuesNameTheirPosition) {
    EXPECT_EQ(error_of("devices:\n  - name: tandem0\n    poll_interval_ms: 5\n"),
              "t.yaml:3:23: devices[0].poll_interval_ms: expected an integer 10..3600000 "
              "(milliseconds), got '5'");
    EXPECT_EQ(error_of("poll_interval_ms: -1\ndevices: [{name: a}]"),
              "t.yaml:1:19: poll_interval_ms: expected an integer 10..3600000 (milliseconds), "
              "got '-1'");
    EXPECT_EQ(error_of("poll_interval_ms: 3600001\ndevices: [{name: a}]"),
              "t.yaml:1:19: poll_interval_ms: expected an integer 10..3600000 (milliseconds), "
              "got '3600001'");
    EXPECT_EQ(error_of("log_level: loud\ndevices: [{name: a}]"),
              "t.yaml:1:12: log_level: expected error, warning, info or debug, got 'loud'");
    EXPECT_EQ(error_of("log_level: [info]\ndevices: [{name: a}]"),
              "t.yaml:1:12: log_level: expected a single value");
    EXPECT_EQ(error_of("devices:\n  - name: a/b\n"),
              "t.yaml:2:11: devices[0].name: device name cannot contain '/'");
    EXPECT_EQ(error_of("devices:\n  - name:\n"), "t.yaml:2:5: devices[0].name: missing value");
}

TEST(Config, StructuralErrors) {
    EXPECT_EQ(error_of(""), "t.yaml: empty configuration; expected a mapping with 'devices'");
    EXPECT_EQ(error_of("- a\n"), "t.yaml:1:1: expected a mapping");
    EXPECT_EQ(error_of("log_level: info\n"), "t.yaml:1:1: missing key 'devices'");
    EXPECT_EQ(error_of("devices: tandem0\n"), "t.yaml:1:10: devices: expected a list of devices");
    EXPECT_EQ(error_of("devices: []\n"), "t.yaml:1:10: devices: no devices; list at least one");
    EXPECT_EQ(error_of("devices:\n  - tandem0\n"), "t.yaml:2:5: devices[0]: expected a mapping");
    EXPECT_EQ(error_of("devices:\n  - poll_interval_ms: 100\n"),
              "t.yaml:2:5: devices[0]: missing key 'name'");
}

TEST(Config, UnknownAndDuplicateKeys) {
    EXPECT_EQ(error_of("devics: [{name: a}]\n"),
              "t.yaml:1:1: devics: unknown key; expected one of: log_level, poll_interval_ms, "
              "health_interval_ms, probe_interval_ms, weights_interval_ms, state_dir, http, nodes, "
              "devices, "
              "load, classes, rules, health, weighting, anomaly, mitigation");
    EXPECT_EQ(error_of("devices:\n  - name: a\n    poll_interval: 100\n"),
              "t.yaml:3:5: devices[0].poll_interval: unknown key; expected one of: name, "
              "poll_interval_ms, uuid, size, region_size, metadata, legs, nosync, sync_rate_kib, "
              "resync_mode, queue_depth, read_weights, shadow");
    EXPECT_EQ(error_of("log_level: info\nlog_level: debug\ndevices: [{name: a}]\n"),
              "t.yaml:2:1: log_level: duplicate key");
    EXPECT_EQ(error_of("devices:\n  - name: a\n  - name: b\n  - name: a\n"),
              "t.yaml:4:11: devices[2].name: device 'a' is listed twice");
}

// Every key's wrong type, range, reference and duplicate, with its message.
TEST(Config, EveryInvalidValueNamed) {
    const std::string watched = "devices: [{name: a}]";
    const std::string device = "devices:\n  - name: m\n" + two_legs;
    const std::pair<std::string, std::string> cases[] = {
        // Top-level intervals.
        {"health_interval_ms: 5\n" + watched,
         "t.yaml:1:21: health_interval_ms: expected an integer 10..3600000 (milliseconds), got "
         "'5'"},
        {"probe_interval_ms: x\n" + watched,
         "t.yaml:1:20: probe_interval_ms: expected an integer 10..3600000 (milliseconds), got "
         "'x'"},
        {"weights_interval_ms: [1]\n" + watched,
         "t.yaml:1:22: weights_interval_ms: expected a single value"},

        {"state_dir: run/tandemd\n" + watched,
         "t.yaml:1:12: state_dir: expected an absolute path, got 'run/tandemd'"},
        {"state_dir: [/run]\n" + watched, "t.yaml:1:12: state_dir: expected a single value"},

        // http.
        {"http: []\n" + watched, "t.yaml:1:7: http: expected a mapping"},
        {"http:\n  lisen: 127.0.0.1:1\n" + watched,
         "t.yaml:2:3: http.lisen: unknown key; expected one of: listen, token_file"},
        {"http:\n  listen: 127.0.0.1\n" + watched,
         "t.yaml:2:11: http.listen: expected <host>:<port>, e.g. 127.0.0.1:9470, got "
         "'127.0.0.1' (or \"\" for no endpoint)"},
        {"http:\n  listen: 0.0.0.0:9470\n" + watched,
         "t.yaml:2:3: http: missing key 'token_file': listen 0.0.0.0:9470 is reachable from "
         "other machines, so requests must carry a token"},
        {"http:\n  listen: \"[::]:9470\"\n  token_file: token\n" + watched,
         "t.yaml:3:15: http.token_file: expected an absolute path, got 'token'"},

        // nodes.
        {"nodes: {a: 1}\n" + watched, "t.yaml:1:8: nodes: expected a list of nodes"},
        {"nodes:\n  - health: local\n" + watched, "t.yaml:2:5: nodes[0]: missing key 'name'"},
        {"nodes:\n  - name: a\n" + watched, "t.yaml:2:5: nodes[0]: missing key 'health'"},
        {"nodes:\n  - name: a b\n    health: local\n" + watched,
         "t.yaml:2:11: nodes[0].name: expected a node name of letters, digits, '_', '.' and '-', "
         "not starting with '.' or '-', at most 64 characters, got 'a b'"},
        {"nodes:\n  - name: a\n    health: local\n  - name: a\n    health: http://b/health\n" +
             watched,
         "t.yaml:4:11: nodes[1].name: node 'a' is listed twice"},
        {"nodes:\n  - name: a\n    health: local\n  - name: b\n    health: local\n" + watched,
         "t.yaml:5:13: nodes[1].health: node 'b' is local too; only one node is this machine "
         "('a')"},
        {"nodes:\n  - name: b\n    health: https://b:9470/health\n" + watched,
         "t.yaml:3:13: nodes[0].health: expected local or a peer's /health URL: https is not "
         "supported (tandemd speaks plain HTTP); expected http://, got 'https://b:9470/health'"},
        {"nodes:\n  - name: b\n    health: b:9470\n" + watched,
         "t.yaml:3:13: nodes[0].health: expected local or a peer's /health URL: expected a URL "
         "starting with http://, got 'b:9470'"},
        {"nodes:\n  - name: b\n    health: local\n    colour: red\n" + watched,
         "t.yaml:4:5: nodes[0].colour: unknown key; expected one of: name, health, probes, "
         "interfaces"},
        {"nodes:\n  - name: b\n    health: local\n    probes:\n      - timeout_ms: 5\n" + watched,
         "t.yaml:5:9: nodes[0].probes[0]: missing key 'url'"},
        {"nodes:\n  - name: b\n    health: local\n    probes:\n      - url: ftp://b/\n" + watched,
         "t.yaml:5:14: nodes[0].probes[0].url: expected a URL starting with http://, got "
         "'ftp://b/'"},
        {"nodes:\n  - name: b\n    health: local\n    probes:\n      - url: http://b/\n"
         "        timeout_ms: 0\n" +
             watched,
         "t.yaml:6:21: nodes[0].probes[0].timeout_ms: expected an integer 1..60000 "
         "(milliseconds), got '0'"},
        {"nodes:\n  - name: b\n    health: local\n    probes:\n      - url: http://b/\n"
         "        timeout_ms: 6000\n" +
             watched,
         "t.yaml:6:21: nodes[0].probes[0].timeout_ms: 6000 ms is longer than probe_interval_ms "
         "(5000 ms); a probe must end before the next one starts"},
        {"probe_interval_ms: 500\nnodes:\n  - name: b\n    health: local\n    probes:\n"
         "      - url: http://b/\n" +
             watched,
         "t.yaml:6:9: nodes[0].probes[0].timeout_ms: 1000 ms is longer than probe_interval_ms "
         "(500 ms); a probe must end before the next one starts"},
        {"nodes:\n  - name: b\n    health: local\n    probes:\n      - url: http://b/\n"
         "        expect_status: 600\n" +
             watched,
         "t.yaml:6:24: nodes[0].probes[0].expect_status: expected an integer 100..599 (an HTTP "
         "status), got '600'"},
        {"nodes:\n  - name: b\n    health: local\n    interfaces: [eth0, eth0]\n" + watched,
         "t.yaml:4:24: nodes[0].interfaces[1]: interface 'eth0' is listed twice"},
        {"nodes:\n  - name: b\n    health: local\n    interfaces: [a/b]\n" + watched,
         "t.yaml:4:18: nodes[0].interfaces[0]: expected a network interface name of at most 15 "
         "characters without blanks, '/' or ':', got 'a/b'"},
        {"nodes:\n  - name: b\n    health: local\n    interfaces: eth0\n" + watched,
         "t.yaml:4:17: nodes[0].interfaces: expected a list of network interface names"},

        // devices: watched or created.
        {"devices:\n  - name: a\n    metadata: /dev/c\n",
         "t.yaml:3:5: devices[0].metadata: applies only to a device created from its legs; "
         "without legs the device is only watched"},
        {"devices:\n  - name: m\n    metadata: \"-\"\n    legs: [{device: /dev/a}]\n",
         "t.yaml:4:11: devices[0].legs: expected 2..4 legs, got 1"},
        {"devices:\n  - name: m\n    metadata: \"-\"\n    legs: [{device: /dev/a}, {device: "
         "/dev/b}, {device: /dev/c}, {device: /dev/d}, {device: /dev/e}]\n",
         "t.yaml:4:11: devices[0].legs: expected 2..4 legs, got 5"},
        {"devices:\n  - name: m\n    metadata: \"-\"\n    legs: [{device: /dev/a}, {node: x}]\n",
         "t.yaml:4:30: devices[0].legs[1]: missing key 'device'"},
        {"devices:\n  - name: m\n    metadata: \"-\"\n    legs: [{device: /dev/a}, {device: "
         "sdb}]\n",
         "t.yaml:4:39: devices[0].legs[1].device: expected an absolute path, got 'sdb'"},
        {"devices:\n  - name: m\n    metadata: \"-\"\n"
         "    legs: [{device: /dev/a}, {device: /dev/a}]\n",
         "t.yaml:4:39: devices[0].legs[1].device: /dev/a is already leg 0 of 'm'"},
        {device +
             "  - name: n\n    metadata: \"-\"\n    legs: [{device: /dev/c}, {device: /dev/b}]\n",
         "t.yaml:7:39: devices[1].legs[1].device: /dev/b is already leg 1 of 'm'"},
        {"devices:\n  - name: m\n    metadata: /dev/b\n"
         "    legs: [{device: /dev/a}, {device: /dev/b}]\n",
         "t.yaml:3:15: devices[0].metadata: /dev/b is already leg 1 of 'm'"},
        {"devices:\n  - name: m\n    legs: [{device: /dev/a}, {device: /dev/b}]\n",
         "t.yaml:2:5: devices[0]: missing key 'metadata': the device of the write-intent bitmap, "
         "or - to keep it in core only (a full resync after an unclean shutdown)"},
        {"nodes: [{name: x, health: local}]\ndevices:\n  - name: m\n    metadata: \"-\"\n"
         "    legs: [{device: /dev/a, node: x}, {device: /dev/b}]\n",
         "t.yaml:5:39: devices[0].legs[1]: missing key 'node'; with nodes listed, every leg "
         "names its node"},
        {"nodes: [{name: x, health: local}, {name: y, health: \"http://y/health\"}]\ndevices:\n"
         "  - name: m\n    metadata: \"-\"\n"
         "    legs: [{device: /dev/a, node: x}, {device: /dev/b, node: z}]\n",
         "t.yaml:5:62: devices[0].legs[1].node: no node 'z' in nodes; expected one of: x, y"},
        {"devices:\n  - name: m\n    uuid: \"a b\"\n" + two_legs,
         "t.yaml:3:11: devices[0].uuid: a uuid cannot contain blanks or control characters"},
        {"devices:\n  - name: m\n    uuid: \"\"\n" + two_legs,
         "t.yaml:3:11: devices[0].uuid: expected a uuid of 1..128 characters, got ''"},
        // A name the kernel takes whose default uuid it would not.
        {"devices:\n  - name: " + std::string(122, 'n') + "\n" + two_legs,
         "t.yaml:2:11: devices[0].name: the default uuid TANDEM-<name> would be 129 characters, "
         "more than 128; give a shorter name or a uuid"},
        {device + "  - name: n\n    uuid: TANDEM-m\n    metadata: \"-\"\n"
                  "    legs: [{device: /dev/c}, {device: /dev/d}]\n",
         "t.yaml:6:11: devices[1].uuid: uuid 'TANDEM-m' is already the uuid of device 'm'"},
        {"devices:\n  - name: m\n    size: 1000\n" + two_legs,
         "t.yaml:3:11: devices[0].size: expected a size in bytes or with a K, M, G or T suffix, a "
         "non-zero multiple of 512 (e.g. 100G), got '1000'"},
        {"devices:\n  - name: m\n    size: 0\n" + two_legs,
         "t.yaml:3:11: devices[0].size: expected a size in bytes or with a K, M, G or T suffix, a "
         "non-zero multiple of 512 (e.g. 100G), got '0'"},
        {"devices:\n  - name: m\n    region_size: 3K\n" + two_legs,
         "t.yaml:3:18: devices[0].region_size: expected a power of two 4K..1G (bytes, or with a "
         "K, M or G suffix), got '3K'"},
        {"devices:\n  - name: m\n    region_size: 2G\n" + two_legs,
         "t.yaml:3:18: devices[0].region_size: expected a power of two 4K..1G (bytes, or with a "
         "K, M or G suffix), got '2G'"},
        {"devices:\n  - name: m\n    region_size: 2K\n" + two_legs,
         "t.yaml:3:18: devices[0].region_size: expected a power of two 4K..1G (bytes, or with a "
         "K, M or G suffix), got '2K'"},
        {device + "    sync_rate_kib: 16777217\n",
         "t.yaml:5:20: devices[0].sync_rate_kib: expected an integer 0..16777216 (KiB/s), got "
         "'16777217'"},
        {device + "    resync_mode: fast\n",
         "t.yaml:5:18: devices[0].resync_mode: expected copy or checksum, got 'fast'"},
        {device + "    queue_depth: 5000\n",
         "t.yaml:5:18: devices[0].queue_depth: expected an integer 0..4096, got '5000'"},
        {device + "    nosync: yes\n",
         "t.yaml:5:13: devices[0].nosync: expected true or false, got 'yes'"},
        {device + "    read_weights: [50, 25, 25]\n",
         "t.yaml:5:19: devices[0].read_weights: expected 2 weights, one per leg, got 3"},
        {device + "    read_weights: [50, 40]\n",
         "t.yaml:5:19: devices[0].read_weights: weights sum to 90; they must sum to 100"},
        {device + "    read_weights: [101, 0]\n",
         "t.yaml:5:20: devices[0].read_weights[0]: expected an integer 0..100, got '101'"},
        {device + "    shadow: {mode: sync}\n",
         "t.yaml:5:13: devices[0].shadow: missing key 'device'"},
        {device + "    shadow: {device: /dev/s, mode: fast}\n",
         "t.yaml:5:36: devices[0].shadow.mode: expected async, sync or gate, got 'fast'"},
        {device + "    shadow: {device: /dev/s, sample: 1000001}\n",
         "t.yaml:5:38: devices[0].shadow.sample: expected an integer 0..1000000, got '1000001'"},
        {device + "    shadow: {device: /dev/s, pool_kib: 4194305}\n",
         "t.yaml:5:40: devices[0].shadow.pool_kib: expected an integer 0..4194304 (KiB), got "
         "'4194305'"},
        {device + "    shadow: {device: /dev/a}\n",
         "t.yaml:5:22: devices[0].shadow.device: /dev/a is already leg 0 of 'm'"},

        // load and classes.
        {"load: {cpu_saturation: 2}\n" + watched,
         "t.yaml:1:24: load.cpu_saturation: expected a number 0..1, got '2'"},
        {"load: {iops_weight: .nan}\n" + watched,
         "t.yaml:1:21: load.iops_weight: expected a number 0..10, got '.nan'"},
        {"load: {latency_ratio_saturation: 1}\n" + watched,
         "t.yaml:1:34: load.latency_ratio_saturation: must be above 1 (the baseline itself is no "
         "load)"},
        {"load: {critical_bonus: 1001}\n" + watched,
         "t.yaml:1:24: load.critical_bonus: expected an integer 0..1000, got '1001'"},
        {"load: {interval_ms: 1}\n" + watched,
         "t.yaml:1:21: load.interval_ms: expected an integer 10..3600000 (milliseconds), got '1'"},
        {"classes: [{name: a}, {name: b}, {name: c}, {name: d}, {name: e}, {name: f}, {name: g}, "
         "{name: h}, {name: i}]\n" +
             watched,
         "t.yaml:1:10: classes: expected at most 8 classes (the kernel's limit), got 9"},
        {"classes: [{name: Gold}]\n" + watched,
         "t.yaml:1:18: classes[0].name: class name 'Gold' must start with a lowercase letter a-z"},
        {"classes: [{name: gold}, {name: gold}]\n" + watched,
         "t.yaml:1:32: classes[1].name: class 'gold' is listed twice"},
        {"classes: [{name: gold, base_weight: 1001}]\n" + watched,
         "t.yaml:1:37: classes[0].base_weight: expected an integer 0..1000, got '1001'"},
        {"classes: [{name: gold, sensitivity: 1.5}]\n" + watched,
         "t.yaml:1:37: classes[0].sensitivity: expected a number 0..1, got '1.5'"},
        {"classes: [{name: gold, critical: 1}]\n" + watched,
         "t.yaml:1:34: classes[0].critical: expected true or false, got '1'"},
        {"classes: [{name: gold, iops_limit: 10000001}]\n" + watched,
         "t.yaml:1:36: classes[0].iops_limit: expected an integer 0..10000000 (IO/s), got "
         "'10000001'"},
        {"classes: [{base_weight: 1}]\n" + watched, "t.yaml:1:11: classes[0]: missing key 'name'"},

        // rules.
        {"rules: [{class: gold}]\n" + watched,
         "t.yaml:1:17: rules[0].class: no class 'gold' in classes; expected one of: critical, "
         "production, test"},
        {"classes: []\nrules: [{class: gold}]\n" + watched,
         "t.yaml:2:17: rules[0].class: no class 'gold' in classes (there are none)"},
        {"rules: [{op: [read]}]\n" + watched, "t.yaml:1:9: rules[0]: missing key 'class'"},
        {"rules: [{class: test, cgroup: test.slice}]\n" + watched,
         "t.yaml:1:31: rules[0].cgroup: expected an absolute path, got 'test.slice'"},
        {"rules: [{class: test, ioprio: \"rt:9\"}]\n" + watched,
         "t.yaml:1:31: rules[0].ioprio: the level must be 0..7, got 'rt:9'"},
        {"rules: [{class: test, ioprio: fast}]\n" + watched,
         "t.yaml:1:31: rules[0].ioprio: expected none, rt, be or idle, optionally with a level "
         ":0..7 (e.g. be:4), got 'fast'"},
        {"rules: [{class: test, op: [read, read]}]\n" + watched,
         "t.yaml:1:34: rules[0].op[1]: 'read' is listed twice"},
        {"rules: [{class: test, op: [read, jump]}]\n" + watched,
         "t.yaml:1:34: rules[0].op[1]: expected read, write, flush or discard, got 'jump'"},
        {"rules: [{class: test, op: \"read,bogus\"}]\n" + watched,
         "t.yaml:1:27: rules[0].op: 'bogus' in 'read,bogus'; expected read, write, flush or "
         "discard, separated by commas"},
        {"rules: [{class: test, op: []}]\n" + watched,
         "t.yaml:1:27: rules[0].op: expected at least one of read, write, flush and discard"},
        {"rules: [{class: test, size: 64K}]\n" + watched,
         "t.yaml:1:29: rules[0].size: expected <min>-<max> in bytes or with a K, M or G suffix "
         "(e.g. 0-64K), got '64K'"},
        {"rules: [{class: test, size: 2M-1M}]\n" + watched,
         "t.yaml:1:29: rules[0].size: min 2097152 is above max 1048576"},
        {"rules: [{class: test, size: 0-8G}]\n" + watched,
         "t.yaml:1:29: rules[0].size: max 8589934592 is out of range; sizes are 0..4294967295 "
         "bytes"},
        {"rules: [{class: test, route: nowhere}]\n" + watched,
         "t.yaml:1:30: rules[0].route: expected legs or shadow, got 'nowhere'"},
        {"rules: [{class: test, when: never}]\n" + watched,
         "t.yaml:1:23: rules[0].when: unknown key; expected one of: class, cgroup, ioprio, op, "
         "size, route"},

        // health and weighting.
        {"health: {cpu: -1}\n" + watched,
         "t.yaml:1:15: health.cpu: expected a number 0..100, got '-1'"},
        {"health: {disk_latency_good_ms: 300}\n" + watched,
         "t.yaml:1:9: health: disk_latency_bad_ms: 200 must be above disk_latency_good_ms (300)"},
        {"health: {disk_latency_bad_ms: 1}\n" + watched,
         "t.yaml:1:31: health.disk_latency_bad_ms: 1 must be above disk_latency_good_ms (5)"},
        {"health: {smoothing: 0}\n" + watched,
         "t.yaml:1:21: health.smoothing: 0 must be above 0, at most 1 (1: no smoothing)"},
        {"health: {cpu: 0, memory: 0, network: 0, disk: 0, errors: 0, probes: 0}\n" + watched,
         "t.yaml:1:15: health.cpu: every component weight is 0, so no input would count"},
        {"weighting: {leg_factors: [0.5, x]}\n" + watched,
         "t.yaml:1:32: weighting.leg_factors[1]: expected a number 0..1000, got 'x'"},
        {"weighting: {leg_factors: [1, 1, 1, 1, 1]}\n" + watched,
         "t.yaml:1:26: weighting.leg_factors: 5 factors for at most 4 legs"},
        {"weighting: {recover_health: 10}\n" + watched,
         "t.yaml:1:29: weighting.recover_health: 10 must be above critical_health (20), or a leg "
         "could fail back at a health that fails it over"},
        {"weighting: {max_step_per_second: 0}\n" + watched,
         "t.yaml:1:34: weighting.max_step_per_second: 0 must be above 0 (weight points per "
         "second)"},

        // anomaly and mitigation.
        {"anomaly: {ewma_alpha: 0}\n" + watched,
         "t.yaml:1:23: anomaly.ewma_alpha: must be in (0, 1], got 0.000"},
        {"anomaly: {warmup_windows: 0}\n" + watched,
         "t.yaml:1:27: anomaly.warmup_windows: expected an integer 1..1000000, got '0'"},
        {"anomaly: {bogus: 0}\n" + watched,
         "t.yaml:1:11: anomaly.bogus: unknown key; expected one of: warmup_windows, ewma_alpha, "
         "deviations, consecutive, latency_floor_us, min_latency_factor, max_error_rate, "
         "max_drop_rate, max_mismatches, max_latency_ratio, min_bios"},
        {"mitigation: {webhook_url: \"https://x/\"}\n" + watched,
         "t.yaml:1:27: mitigation.webhook_url: https is not supported (tandemd speaks plain "
         "HTTP); expected http://, got 'https://x/' (or \"\" for none)"},
        {"mitigation: {exec: [alert.sh, now]}\n" + watched,
         "t.yaml:1:20: mitigation.exec: the program must be an absolute path, got 'alert.sh'"},
        {"mitigation: {throttle_class: gold}\n" + watched,
         "t.yaml:1:30: mitigation.throttle_class: no class 'gold' in classes; expected one of: "
         "critical, production, test, or throttle: false"},
        {"mitigation: {throttle_iops: 0}\n" + watched,
         "t.yaml:1:13: mitigation: throttle needs throttle_iops or throttle_bw_kib above 0"},
        {"mitigation: {throttle_class: Bad}\n" + watched,
         "t.yaml:1:30: mitigation.throttle_class: class name 'Bad' must start with a lowercase "
         "letter a-z"},
        {"mitigation: {rollback: maybe}\n" + watched,
         "t.yaml:1:24: mitigation.rollback: expected true or false, got 'maybe'"},
        // A shadowed device needs the class mitigation throttles.
        {"classes: [{name: gold}]\n" + device + "    shadow: {device: /dev/s}\n",
         "t.yaml:1:10: mitigation.throttle_class: no class 'test' in classes; expected one of: "
         "gold, or throttle: false"},
    };
    for (const auto& [yaml, message] : cases)
        EXPECT_EQ(error_of(yaml), message) << yaml;
}

TEST(Config, LoadFileNamesThePath) {
    char path[] = "/tmp/tandemd-config-test-XXXXXX";
    int fd = mkstemp(path);
    ASSERT_GE(fd, 0);
    close(fd);
    {
        std::ofstream out(path);
        out << "devices:\n  - name: tandem0\n    poll_interval_ms: 2\n";
    }
    try {
        load_config(path);
        ADD_FAILURE() << "accepted an interval of 2 ms";
    } catch (const ConfigError& e) {
        EXPECT_THAT(e.what(), StartsWith(std::string(path) + ":3:23: "));
    }
    std::remove(path);

    try {
        load_config(path);
        ADD_FAILURE() << "loaded a missing file";
    } catch (const ConfigError& e) {
        EXPECT_THAT(e.what(), HasSubstr(std::string(path) + ": cannot open"));
    }

    // A directory opens as a stream but reads as nothing: not "empty".
    try {
        load_config("/tmp");
        ADD_FAILURE() << "loaded a directory";
    } catch (const ConfigError& e) {
        EXPECT_EQ(std::string(e.what()), "/tmp: cannot read: Is a directory");
    }
}

TEST(Config, TheExampleParses) {
    const Config cfg = load_config(example_path());
    ASSERT_EQ(cfg.nodes.size(), 2u);
    EXPECT_FALSE(cfg.nodes[0].health.has_value());
    EXPECT_TRUE(cfg.nodes[1].health.has_value());
    ASSERT_EQ(cfg.devices.size(), 2u);
    const DeviceConfig& mirror = cfg.devices[0];
    EXPECT_TRUE(mirror.created());
    ASSERT_EQ(mirror.legs.size(), 2u);
    EXPECT_EQ(mirror.legs[0].node, "a");
    EXPECT_EQ(mirror.legs[1].node, "b");
    EXPECT_TRUE(mirror.shadow.has_value());
    EXPECT_FALSE(cfg.devices[1].created());
    EXPECT_FALSE(cfg.rules.empty());
    EXPECT_FALSE(cfg.class_weights.classes.empty());
    EXPECT_FALSE(cfg.mitigation.webhook_url.empty());
    EXPECT_EQ(cfg.origin("devices[0].legs[1].node"), example_path() + ":55:15");
    EXPECT_EQ(cfg.state_dir, "/run/tandemd");
}

TEST(Config, EffectiveConfigPrintsOriginsAndReloads) {
    Config cfg = parse_config("poll_interval_ms: 500\n"
                              "devices:\n"
                              "  - name: tandem0\n"
                              "  - name: tandem1\n"
                              "    poll_interval_ms: 250\n",
                              "t.yaml");
    const std::string text = format_config(cfg);
    EXPECT_THAT(text, StartsWith("# effective configuration read from t.yaml\n"
                                 "log_level: info  # default\n"
                                 "poll_interval_ms: 500  # t.yaml:1:19\n"
                                 "health_interval_ms: 1000  # default\n"
                                 "probe_interval_ms: 5000  # default\n"
                                 "weights_interval_ms: 1000  # default\n"
                                 "state_dir: /run/tandemd  # default\n"
                                 "http:\n"
                                 "  listen: 127.0.0.1:9470  # default\n"
                                 "  token_file: \"\"  # default\n"
                                 "nodes: []  # default\n"
                                 "devices:\n"
                                 "  - name: tandem0  # t.yaml:3:11\n"
                                 "    poll_interval_ms: 500  # top-level poll_interval_ms, "
                                 "t.yaml:1:19\n"
                                 "  - name: tandem1  # t.yaml:4:11\n"
                                 "    poll_interval_ms: 250  # t.yaml:5:23\n"
                                 "load:\n"
                                 "  interval_ms: 1000  # default\n"));
    EXPECT_THAT(text, HasSubstr("\nclasses:\n"
                                "  - name: critical  # default\n"
                                "    base_weight: 100  # default\n"
                                "    sensitivity: 0  # default\n"
                                "    floor: 1  # default\n"
                                "    critical: true  # default\n"
                                "    limit_load: 0.8  # default\n"
                                "    iops_limit: 0  # default\n"
                                "    bw_limit_kib: 0  # default\n"));
    EXPECT_THAT(text, HasSubstr("\nrules: []  # default\nhealth:\n  cpu: 0.15  # default\n"));
    EXPECT_THAT(text, HasSubstr("\nweighting:\n  leg_factors: [0.6, 0.4]  # default\n"));
    EXPECT_THAT(text, HasSubstr("\nmitigation:\n  alert: true  # default\n"
                                "  webhook_url: \"\"  # default\n"
                                "  exec: []  # default\n"));

    // The printed configuration is itself a valid configuration file.
    Config again = parse_config(text, "printed");
    ASSERT_EQ(again.devices.size(), 2u);
    EXPECT_EQ(again.devices[1].name.value, "tandem1");
    EXPECT_EQ(again.devices[1].poll_interval_ms.value, 250u);
    EXPECT_EQ(again.poll_interval_ms.value, 500u);
}

TEST(Config, PrintedCreatedDeviceShowsEveryValue) {
    const Config cfg = parse_config(full_config, "t.yaml");
    EXPECT_THAT(format_config(cfg),
                HasSubstr("  - name: m0  # t.yaml:22:11\n"
                          "    poll_interval_ms: 100  # t.yaml:23:23\n"
                          "    uuid: MY-UUID  # t.yaml:24:11\n"
                          "    size: 10G  # t.yaml:25:11\n"
                          "    region_size: 1M  # t.yaml:26:18\n"
                          "    metadata: /dev/vdd  # t.yaml:27:15\n"
                          "    legs:\n"
                          "      - device: /dev/vdb  # t.yaml:29:18\n"
                          "        node: a  # t.yaml:29:34\n"
                          "      - device: /dev/nbd0  # t.yaml:30:18\n"
                          "        node: b  # t.yaml:30:35\n"
                          "      - device: /dev/vdc  # t.yaml:31:18\n"
                          "        node: a  # t.yaml:31:34\n"
                          "    nosync: true  # t.yaml:32:13\n"
                          "    sync_rate_kib: 0  # t.yaml:33:20\n"
                          "    resync_mode: checksum  # t.yaml:34:18\n"
                          "    queue_depth: 32  # t.yaml:35:18\n"
                          "    read_weights: [50, 25, 25]  # t.yaml:36:19\n"
                          "    shadow:\n"
                          "      device: /dev/mapper/m0-shadow  # t.yaml:38:15\n"
                          "      mode: gate  # t.yaml:39:13\n"
                          "      sample: 0  # t.yaml:40:15\n"
                          "      pool_kib: 1024  # t.yaml:41:17\n"));
    EXPECT_THAT(format_config(cfg),
                HasSubstr("\nrules:\n"
                          "  - class: gold  # t.yaml:58:12\n"
                          "    cgroup: /sys/fs/cgroup/db.slice  # t.yaml:59:13\n"
                          "    ioprio: be:2  # t.yaml:60:13\n"
                          "    op: [write, read]  # t.yaml:61:9\n"
                          "    size: 4K-1M  # t.yaml:62:11\n"
                          "    route: legs  # t.yaml:63:12\n"
                          "  - class: test  # t.yaml:64:12\n"
                          "    op: [flush, discard]  # t.yaml:65:9\n"
                          "    route: shadow  # t.yaml:66:12\n"
                          "health:\n"));
    EXPECT_THAT(format_config(cfg),
                HasSubstr("\nmitigation:\n"
                          "  alert: false  # t.yaml:79:10\n"
                          "  webhook_url: http://hooks:8000/tandem  # t.yaml:80:16\n"
                          "  exec: [/usr/bin/logger, \"-t\", tandem]  # t.yaml:81:9\n"
                          "  throttle: true  # default\n"));
}

// Printing and reading back gives the same values: the prints agree once
// the origins, which now name the printed text, are left out.
TEST(Config, FormatRoundTrips) {
    const std::pair<std::string, std::string> sources[] = {
        {"full", full_config},
        {"defaults", "devices: [{name: a}]"},
        {"names needing quotes",
         "devices: [{name: \"true\"}, {name: \"a#b\"}, {name: \"-x\"}, {name: \"null\"}]"},
    };
    for (const auto& [what, yaml] : sources) {
        const std::string printed = format_config(parse_config(yaml, "t.yaml"));
        const std::string reprinted = format_config(parse_config(printed, "printed"));
        EXPECT_EQ(without_origins(reprinted), without_origins(printed)) << what;
        EXPECT_NE(without_origins(printed), printed) << what;
    }
    const Config example = load_config(example_path());
    const std::string printed = format_config(example);
    EXPECT_EQ(without_origins(format_config(parse_config(printed, "printed"))),
              without_origins(printed));
}

TEST(Config, PrintedNamesThatNeedQuotingAreQuoted) {
    Config cfg = parse_config("devices: [{name: \"true\"}, {name: \"a#b\"}]", "t");
    Config again = parse_config(format_config(cfg), "printed");
    EXPECT_EQ(again.devices[0].name.value, "true");
    EXPECT_EQ(again.devices[1].name.value, "a#b");
}

TEST(Config, PrintedControlCharactersAreEscaped) {
    Config cfg = parse_config("devices: [{name: a}]\n"
                              "mitigation: {exec: [/bin/echo, \"two\\nlines\", \"a\\tb\"]}\n",
                              "t");
    ASSERT_EQ(cfg.mitigation.exec.size(), 3u);
    const std::string printed = format_config(cfg);
    EXPECT_THAT(printed, HasSubstr("exec: [/bin/echo, \"two\\x0alines\", \"a\\x09b\"]"));
    EXPECT_EQ(parse_config(printed, "printed").mitigation.exec, cfg.mitigation.exec);
}

TEST(ConfigOptions, PrintConfigAndItsOlderName) {
    using daemon::parse_options;
    EXPECT_TRUE(parse_options({"--print-config"}).check_config);
    EXPECT_TRUE(parse_options({"--check-config"}).check_config);
    EXPECT_FALSE(parse_options({}).check_config);
    EXPECT_EQ(parse_options({"--print-config", "-c", "x.yaml"}).config_path, "x.yaml");
    EXPECT_THAT(*parse_options({"--help"}).help, HasSubstr("--print-config"));

    const std::pair<std::vector<std::string>, std::string> refused[] = {
        {{"--once", "--print-config"}, "--once and --print-config cannot be combined"},
        {{"--once", "--check-config"}, "--once and --check-config cannot be combined"},
    };
    for (const auto& [args, message] : refused) {
        try {
            parse_options(args);
            ADD_FAILURE() << "accepted " << args[1];
        } catch (const UsageError& e) {
            EXPECT_EQ(std::string(e.what()), message);
        }
    }
}

// Each policy struct's fields are keys of the configuration (described in
// ctl/lib/config_*.cpp).  A struct that grows fails here until its new
// field is described, read, printed and documented in docs/config.md.
TEST(Config, EveryPolicyFieldIsAKey) {
    EXPECT_EQ(sizeof(LoadOptions), 11 * sizeof(double)) << "describe_load";
    EXPECT_EQ(sizeof(ClassPolicy), 72u) << "describe_class";
    EXPECT_EQ(sizeof(HealthPolicy), 14 * sizeof(double)) << "describe_health";
    EXPECT_EQ(sizeof(WeightPolicy), sizeof(std::vector<double>) + 8 * sizeof(double))
        << "describe_weighting";
    EXPECT_EQ(sizeof(AnomalyPolicy), 88u) << "describe_anomaly";
    EXPECT_EQ(sizeof(MitigationPolicy), 120u) << "describe_mitigation";
}

TEST(Config, StateDir) {
    EXPECT_EQ(parse_config("devices: [{name: a}]\n", "t.yaml").state_dir, "/run/tandemd");
    const Config cfg =
        parse_config("state_dir: /var/lib/tandemd\ndevices: [{name: a}]\n", "t.yaml");
    EXPECT_EQ(cfg.state_dir, "/var/lib/tandemd");
    EXPECT_EQ(cfg.origin("state_dir"), "t.yaml:1:12");
}
