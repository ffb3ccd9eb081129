// tandemd's YAML configuration: values, origins, and errors that point at
// file:line:column.
#include "tandem/config.h"
#include "tandem/errors.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
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
}

TEST(Config, DefaultsWhenOmitted) {
    Config cfg = parse_config("devices: [{name: tandem0}]", "t.yaml");
    EXPECT_EQ(cfg.log_level.value, LogLevel::info);
    EXPECT_EQ(cfg.log_level.origin, "default");
    EXPECT_EQ(cfg.poll_interval_ms.value, default_poll_interval_ms);
    ASSERT_EQ(cfg.devices.size(), 1u);
    EXPECT_EQ(cfg.devices[0].poll_interval_ms.value, default_poll_interval_ms);
    EXPECT_EQ(cfg.devices[0].poll_interval_ms.origin, "default");
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
              "devices");
    EXPECT_EQ(error_of("devices:\n  - name: a\n    poll_interval: 100\n"),
              "t.yaml:3:5: devices[0].poll_interval: unknown key; expected one of: name, "
              "poll_interval_ms");
    EXPECT_EQ(error_of("log_level: info\nlog_level: debug\ndevices: [{name: a}]\n"),
              "t.yaml:2:1: log_level: duplicate key");
    EXPECT_EQ(error_of("devices:\n  - name: a\n  - name: b\n  - name: a\n"),
              "t.yaml:4:11: devices[2].name: device 'a' is listed twice");
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
}

TEST(Config, EffectiveConfigPrintsOriginsAndReloads) {
    Config cfg = parse_config("poll_interval_ms: 500\n"
                              "devices:\n"
                              "  - name: tandem0\n"
                              "  - name: tandem1\n"
                              "    poll_interval_ms: 250\n",
                              "t.yaml");
    const std::string text = format_config(cfg);
    EXPECT_EQ(text, "# effective configuration read from t.yaml\n"
                    "log_level: info  # default\n"
                    "poll_interval_ms: 500  # t.yaml:1:19\n"
                    "devices:\n"
                    "  - name: tandem0  # t.yaml:3:11\n"
                    "    poll_interval_ms: 500  # top-level poll_interval_ms, t.yaml:1:19\n"
                    "  - name: tandem1  # t.yaml:4:11\n"
                    "    poll_interval_ms: 250  # t.yaml:5:23\n");

    // The printed configuration is itself a valid configuration file.
    Config again = parse_config(text, "printed");
    ASSERT_EQ(again.devices.size(), 2u);
    EXPECT_EQ(again.devices[1].name.value, "tandem1");
    EXPECT_EQ(again.devices[1].poll_interval_ms.value, 250u);
    EXPECT_EQ(again.poll_interval_ms.value, 500u);
}

TEST(Config, PrintedNamesThatNeedQuotingAreQuoted) {
    Config cfg = parse_config("devices: [{name: \"true\"}, {name: \"a#b\"}]", "t");
    Config again = parse_config(format_config(cfg), "printed");
    EXPECT_EQ(again.devices[0].name.value, "true");
    EXPECT_EQ(again.devices[1].name.value, "a#b");
}
