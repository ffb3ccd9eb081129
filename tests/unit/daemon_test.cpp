// tandemd's state machine on a simulated clock: scripted signals, a fake
// DeviceMapper, configurations handed in by the test.
#include "daemon_fakes.h"
#include "fake_device_mapper.h"

#include "daemon.h"
#include "options.h"

#include "tandem/errors.h"
#include "tandem/log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <deque>
#include <utility>

using namespace tandem;
using namespace tandem::daemon;
using namespace std::chrono_literals;
using tandem::testing::FakeDeviceMapper;
using tandem::testing::FakeEvents;
using tandem::testing::FakeWaiter;
using tandem::testing::LogCapture;
using ::testing::Contains;
using ::testing::HasSubstr;

namespace {

constexpr const char* two_alive = "1 2 AA 50 50 0 0 0 0 0 0 0 0 0";
constexpr const char* leg1_dead = "1 2 AD 50 50 0 0 0 0 0 0 0 0 0";

Config config_with(std::vector<std::pair<std::string, unsigned>> devices) {
    Config cfg;
    cfg.source = "test";
    cfg.log_level = {LogLevel::debug, "test"};
    for (auto& [name, interval] : devices)
        cfg.devices.push_back(DeviceConfig{{name, "test"}, {interval, "test"}});
    return cfg;
}

} // namespace

TEST(Daemon, RunsUntilSigtermAndReportsEachTransition) {
    LogCapture logs;
    FakeDeviceMapper dm;
    dm.add("tandem0", two_alive);
    FakeWaiter waiter;
    FakeEvents events;
    waiter.script = {{2500ms, SIGTERM}};
    std::vector<std::string> notes;

    Daemon d(
        [] {
            return config_with({{"tandem0", 1000}});
        },
        dm, waiter, events, [&](std::string_view s) { notes.emplace_back(s); }, false);
    EXPECT_EQ(d.state(), State::init);
    EXPECT_EQ(d.run(), 0);
    EXPECT_EQ(d.state(), State::shutdown);

    // Polled at 0, 1 s and 2 s; woken by SIGTERM at 2.5 s.
    EXPECT_EQ(dm.status_calls.size(), 3u);
    EXPECT_EQ(waiter.wakeups, (std::vector<std::chrono::steady_clock::duration>{1s, 2s, 2500ms}));
    EXPECT_EQ(notes,
              (std::vector<std::string>{"READY=1\nSTATUS=watching 1 device(s)", "STOPPING=1"}));
    EXPECT_TRUE(logs.has("state init -> configure"));
    EXPECT_TRUE(logs.has("state configure -> running"));
    EXPECT_TRUE(logs.has("state running -> shutdown"));
    EXPECT_TRUE(logs.has("received SIGTERM, shutting down"));
    EXPECT_TRUE(logs.has("tandem0: status v1: 2 legs, states AA"));
}

TEST(Daemon, LogsALegFailureOnce) {
    LogCapture logs;
    FakeDeviceMapper dm;
    dm.add("tandem0", two_alive);
    FakeWaiter waiter;
    FakeEvents events;
    waiter.script = {{5s, SIGINT}};
    waiter.on_wakeup = [&](auto t) {
        if (t == 2s)
            dm.set_status("tandem0", leg1_dead);
    };

    Daemon d(
        [] {
            return config_with({{"tandem0", 1000}});
        },
        dm, waiter, events, [](auto) {}, false);
    EXPECT_EQ(d.run(), 0);

    int failures = 0;
    for (const std::string& l : logs.lines)
        failures += l == "tandem0: leg 1 failed (A -> D)";
    EXPECT_EQ(failures, 1);
    EXPECT_TRUE(logs.has("received SIGINT"));
}

TEST(Daemon, ADmEventIsReadAtOnceNotAtTheNextPoll) {
    LogCapture logs;
    FakeDeviceMapper dm;
    dm.add("tandem0", two_alive);
    dm.add("other", two_alive);
    FakeWaiter waiter;
    FakeEvents events;
    // Polls are a minute apart; the kernel fails leg 1 at 1.2 s.
    waiter.script = {{1200ms, 0,
                      [&] {
                          dm.set_status("tandem0", leg1_dead);
                          events.pending = {"tandem0"};
                      }},
                     {3s, SIGTERM}};

    Daemon d(
        [] {
            return config_with({{"tandem0", 60000}, {"other", 60000}});
        },
        dm, waiter, events, [](auto) {}, false);
    EXPECT_EQ(d.run(), 0);

    // Only the device that raised the event is read again, at once.
    EXPECT_EQ(dm.status_calls, (std::vector<std::string>{"tandem0", "other", "tandem0"}));
    EXPECT_EQ(waiter.wakeups, (std::vector<std::chrono::steady_clock::duration>{1200ms, 3s}));
    EXPECT_TRUE(logs.has("tandem0: dm event"));
    auto failed = std::find(logs.lines.begin(), logs.lines.end(), "tandem0: leg 1 failed (A -> D)");
    auto sigterm =
        std::find(logs.lines.begin(), logs.lines.end(), "received SIGTERM, shutting down");
    ASSERT_NE(failed, logs.lines.end());
    EXPECT_LT(failed, sigterm);
}

TEST(Daemon, AnEventReschedulesThePollOfItsDevice) {
    LogCapture logs;
    FakeDeviceMapper dm;
    dm.add("a", two_alive);
    FakeWaiter waiter;
    FakeEvents events;
    waiter.script = {{1500ms, 0,
                      [&] {
                          events.pending = {"a"};
                      }},
                     {3200ms, SIGTERM}};

    Daemon d([] { return config_with({{"a", 1000}}); }, dm, waiter, events, [](auto) {}, false);
    EXPECT_EQ(d.run(), 0);
    // 0 and 1 s on schedule, 1.5 s for the event, then 2.5 s (not 2 s).
    EXPECT_EQ(waiter.wakeups,
              (std::vector<std::chrono::steady_clock::duration>{1s, 1500ms, 2500ms, 3200ms}));
    EXPECT_EQ(dm.status_calls.size(), 4u);
}

TEST(Daemon, WatchesTheConfiguredDevicesForEvents) {
    LogCapture logs;
    FakeDeviceMapper dm;
    dm.add("a", two_alive);
    dm.add("b", two_alive);
    FakeWaiter waiter;
    FakeEvents events;
    waiter.script = {{1500ms, SIGHUP}, {3s, SIGTERM}};
    int loads = 0;

    Daemon d(
        [&] {
            return ++loads == 1 ? config_with({{"a", 1000}, {"b", 1000}})
                                : config_with({{"b", 1000}});
        },
        dm, waiter, events, [](auto) {}, false);
    EXPECT_EQ(d.run(), 0);
    // Both, then only b after the reload, then nothing at shutdown.
    EXPECT_EQ(events.watched, (std::vector<std::vector<std::string>>{{"a", "b"}, {"b"}, {}}));
}

TEST(Daemon, SighupReloadsTheConfiguration) {
    LogCapture logs;
    FakeDeviceMapper dm;
    dm.add("a", two_alive);
    dm.add("b", two_alive);
    FakeWaiter waiter;
    FakeEvents events;
    waiter.script = {{1500ms, SIGHUP}, {3s, SIGTERM}};
    std::vector<std::string> notes;
    int loads = 0;

    Daemon d(
        [&] {
            ++loads;
            return loads == 1 ? config_with({{"a", 1000}}) : config_with({{"b", 500}});
        },
        dm, waiter, events, [&](std::string_view s) { notes.emplace_back(s); }, false);
    EXPECT_EQ(d.run(), 0);

    EXPECT_EQ(loads, 2);
    ASSERT_TRUE(d.config().has_value());
    EXPECT_EQ(d.config()->devices.at(0).name.value, "b");
    EXPECT_THAT(notes, Contains("RELOADING=1"));
    EXPECT_TRUE(logs.has("configuration reloaded from test; watching b (every 500 ms)"));
    // "a" at 0 and 1 s; after the reload only "b": 1.5, 2, 2.5 s.
    EXPECT_EQ(dm.status_calls, (std::vector<std::string>{"a", "a", "b", "b", "b"}));
}

TEST(Daemon, BadReloadKeepsThePreviousConfiguration) {
    LogCapture logs;
    FakeDeviceMapper dm;
    dm.add("a", two_alive);
    FakeWaiter waiter;
    FakeEvents events;
    waiter.script = {{1500ms, SIGHUP}, {2500ms, SIGTERM}};
    int loads = 0;

    Daemon d(
        [&] {
            if (++loads > 1)
                throw ConfigError("t.yaml:3:5: devices[0]: expected a mapping");
            return config_with({{"a", 1000}});
        },
        dm, waiter, events, [](auto) {}, false);
    EXPECT_EQ(d.run(), 0);
    EXPECT_TRUE(logs.has("t.yaml:3:5: devices[0]: expected a mapping; keeping the previous"));
    EXPECT_EQ(d.config()->devices.at(0).name.value, "a");
    EXPECT_EQ(dm.status_calls.size(), 3u); // 0, 1 s, 2 s
}

TEST(Daemon, BadFirstConfigurationIsFatal) {
    LogCapture logs;
    FakeDeviceMapper dm;
    FakeWaiter waiter;
    FakeEvents events;
    std::vector<std::string> notes;
    Daemon d([]() -> Config { throw ConfigError("t.yaml:1:1: missing key 'devices'"); }, dm, waiter,
             events, [&](std::string_view s) { notes.emplace_back(s); }, false);
    EXPECT_EQ(d.run(), 1);
    EXPECT_TRUE(logs.has("t.yaml:1:1: missing key 'devices'"));
    EXPECT_TRUE(dm.status_calls.empty());
    EXPECT_EQ(notes, (std::vector<std::string>{"STOPPING=1"}));
}

TEST(Daemon, OncePollsEveryDeviceAndExits) {
    LogCapture logs;
    FakeDeviceMapper dm;
    dm.add("a", two_alive);
    dm.add("b", leg1_dead);
    FakeWaiter waiter; // no script: waiting at all would throw
    FakeEvents events;
    Daemon d(
        [] {
            return config_with({{"a", 1000}, {"b", 60000}});
        },
        dm, waiter, events, [](auto) {}, true);
    EXPECT_EQ(d.run(), 0);
    EXPECT_EQ(dm.status_calls, (std::vector<std::string>{"a", "b"}));
    EXPECT_TRUE(logs.has("b: status v1: 2 legs, states AD"));
    EXPECT_TRUE(events.watched.empty());
}

TEST(Daemon, OnceFailsWhenADeviceIsUnreadable) {
    LogCapture logs;
    FakeDeviceMapper dm;
    dm.add("a", two_alive);
    FakeWaiter waiter;
    FakeEvents events;
    Daemon d(
        [] {
            return config_with({{"a", 1000}, {"missing", 1000}});
        },
        dm, waiter, events, [](auto) {}, true);
    EXPECT_EQ(d.run(), 1);
    EXPECT_TRUE(logs.has("missing: status unavailable: status missing: no such device"));
}

TEST(DaemonOptions, Defaults) {
    Options o = parse_options({});
    EXPECT_EQ(o.config_path, default_config_path);
    EXPECT_FALSE(o.once);
    EXPECT_FALSE(o.check_config);
    EXPECT_FALSE(o.log_level.has_value());
    EXPECT_FALSE(o.help.has_value());
}

TEST(DaemonOptions, AllOptions) {
    Options o = parse_options({"--config", "/tmp/x.yaml", "--once", "--log-level", "debug"});
    EXPECT_EQ(o.config_path, "/tmp/x.yaml");
    EXPECT_TRUE(o.once);
    EXPECT_EQ(o.log_level, LogLevel::debug);
    EXPECT_EQ(parse_options({"-c", "y.yaml", "--check-config"}).config_path, "y.yaml");
    EXPECT_THAT(*parse_options({"--help"}).help, HasSubstr("usage: tandemd"));
}

TEST(DaemonOptions, Timeline) {
    EXPECT_EQ(parse_options({"--timeline", "/tmp/t.csv"}).timeline, "/tmp/t.csv");
    EXPECT_FALSE(parse_options({}).timeline.has_value());
    for (const std::vector<std::string>& args : {std::vector<std::string>{"--timeline", ""},
                                                 {"--timeline", "t.csv", "--once"},
                                                 {"--timeline", "t.csv", "--print-config"}}) {
        try {
            parse_options(args);
            ADD_FAILURE() << args.back() << ": accepted";
        } catch (const UsageError& e) {
            EXPECT_THAT(e.what(), HasSubstr("--timeline")) << args.back();
        }
    }
}

TEST(DaemonOptions, Rejects) {
    EXPECT_THROW(parse_options({"--once", "--check-config"}), UsageError);
    EXPECT_THROW(parse_options({"--log-level", "loud"}), UsageError);
    EXPECT_THROW(parse_options({"--bogus"}), UsageError);
    EXPECT_THROW(parse_options({"--config"}), UsageError);
    EXPECT_THROW(parse_options({"--conf", "x"}), UsageError); // no abbreviations
    EXPECT_THROW(parse_options({"extra"}), UsageError);
}
