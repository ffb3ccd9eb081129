// tandemd's devices at start and reload: a missing one created from its
// legs, an existing one adopted with its weights and state, the
// configured classes and rules pushed, and each problem logged.
#include "daemon_fixture.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>

using namespace tandem;
using namespace tandem::daemon;
using namespace std::chrono_literals;
using tandem::testing::DaemonRig;
using tandem::testing::v6_status;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

namespace {

constexpr std::uint64_t GiB = 1ull << 30;

Config with_legs() {
    Config cfg = tandem::testing::daemon_config();
    DeviceConfig dev = tandem::testing::tandem0_config();
    dev.legs = {LegConfig{"/dev/vdb"}, LegConfig{"/dev/vdc"}};
    cfg.devices.push_back(dev);
    return cfg;
}

// Legs of 1 and 2 GiB; of the cgroups only /sys/fs/cgroup/db.slice exists.
struct Rig : DaemonRig {
    std::vector<std::string> resolved; // cgroup paths asked for

    Rig()
        : DaemonRig(with_legs()) {
        disks.disks["/dev/vdb"] = {{8, 16}, 1 * GiB};
        disks.disks["/dev/vdc"] = {{8, 32}, 2 * GiB};
        adapters.block_devices = &disks;
        adapters.resolve_cgroup = [this](std::string_view path) -> std::uint64_t {
            resolved.emplace_back(path);
            if (path == "/sys/fs/cgroup/db.slice")
                return 4242;
            throw UsageError(std::string(path) + ": no such cgroup");
        };
    }
};

} // namespace

TEST(DaemonSetup, CreatesAMissingDeviceFromItsLegs) {
    Rig rig;
    rig.config.devices[0].read_weights = std::vector<unsigned>{70, 30};
    EXPECT_EQ(rig.run(1500ms), 0);
    EXPECT_THAT(rig.dm.calls, ElementsAre("create tandem0"));
    const auto& dev = rig.dm.devices.at("tandem0");
    EXPECT_EQ(dev.uuid, "TANDEM-tandem0");
    EXPECT_EQ(dev.length, GiB / 512); // the smaller leg
    EXPECT_EQ(dev.table, "- 1024 2 /dev/vdb /dev/vdc 3 read_weights 70 30");
    EXPECT_TRUE(rig.logs.has("tandem0: created (uuid TANDEM-tandem0, 2 legs, 1 GiB): - 1024 2 "
                             "/dev/vdb /dev/vdc 3 read_weights 70 30"));
}

TEST(DaemonSetup, AMissingDeviceThatCannotBeCreatedIsLoggedAndTheOthersGoOn) {
    Rig rig;
    rig.disks.disks.erase("/dev/vdc");
    rig.dm.add("watched", "1 2 AA 50 50 0 0 0 0 0 0 0 0 0");
    rig.config.devices.push_back(DeviceConfig{{"watched", "test"}, {1000, "test"}});
    EXPECT_EQ(rig.run(1500ms), 0);
    EXPECT_TRUE(rig.dm.calls.empty());
    EXPECT_TRUE(rig.logs.has("tandem0: cannot be created: create: leg 1 (/dev/vdc): /dev/vdc"));
    EXPECT_THAT(rig.dm.status_calls, Contains("watched"));
}

TEST(DaemonSetup, AnExistingDeviceIsAdoptedWithItsWeights) {
    Rig rig;
    rig.dm.add("tandem0", "1 2 AA 70 30 0 0 0 0 0 0 0 0 0", "- 1024 2 8:16 8:32");
    rig.config.devices[0].read_weights = std::vector<unsigned>{50, 50}; // for creation only
    rig.config.weighting.leg_factors = {0.7, 0.3};
    EXPECT_EQ(rig.run(5500ms), 0);
    EXPECT_TRUE(rig.dm.calls.empty());
    EXPECT_TRUE(rig.sent("weights").empty());
    EXPECT_TRUE(
        rig.logs.has("tandem0: exists; adopted as it is: 2 legs, states AA, read weights 70 30"));
}

TEST(DaemonSetup, AnAdoptedFailoverFailsBackSlowlyRatherThanAtOnce) {
    Rig rig;
    // A daemon restarted while leg 1 was failed over: the kernel has it at 0.
    rig.dm.add("tandem0", "1 2 AA 100 0 0 0 0 0 0 0 0 0 0", "- 1024 2 8:16 8:32");
    rig.config.weighting.recover_seconds = 10;
    rig.config.weighting.failback_seconds = 10;
    EXPECT_EQ(rig.run(9500ms), 0);
    EXPECT_TRUE(rig.sent("weights").empty()); // still recovering
    EXPECT_EQ(rig.daemon->policy().leg_health("tandem0"), (std::vector<double>{100, 100}));
}

TEST(DaemonSetup, ClassesAndRulesArePushedOnceAndKeptOnReload) {
    Rig rig;
    rig.dm.add("tandem0", format_status(v6_status()), "- 1024 2 8:16 8:32");
    rig.config.class_weights.classes.push_back(ClassPolicy{"batch", 20});
    RuleConfig db;
    db.match.class_name = "critical";
    db.cgroup = "/sys/fs/cgroup/db.slice";
    RuleConfig idle;
    idle.match.class_name = "test";
    idle.match.ioprio = IoprioMatch{IoprioClass::idle, std::nullopt};
    rig.config.rules = {db, idle};
    // After the first push the device lists the rules.
    rig.waiter.script.push_back({1500ms, SIGHUP, [&] {
                                     rig.dm.replies["rule list"] =
                                         "0 critical cgroup=4242\n1 test ioprio=idle\n";
                                     Status st = v6_status();
                                     st.scheduler->classes.push_back(ClassStatus{"batch", 100});
                                     rig.dm.set_status("tandem0", format_status(st));
                                 }});
    EXPECT_EQ(rig.run(2500ms), 0);
    EXPECT_THAT(rig.sent("class add"), ElementsAre("class add batch"));
    EXPECT_THAT(rig.sent("rule"),
                ElementsAre("rule list", "rule clear", "rule add critical cgroup=4242",
                            "rule add test ioprio=idle", "rule list"));
    EXPECT_THAT(rig.resolved, ElementsAre("/sys/fs/cgroup/db.slice", "/sys/fs/cgroup/db.slice"));
}

TEST(DaemonSetup, ACgroupThatCannotBeResolvedLeavesTheRulesAlone) {
    Rig rig;
    rig.dm.add("tandem0", format_status(v6_status()), "- 1024 2 8:16 8:32");
    RuleConfig gone;
    gone.match.class_name = "critical";
    gone.cgroup = "/sys/fs/cgroup/gone.slice";
    rig.config.rules = {gone};
    EXPECT_EQ(rig.run(500ms), 0);
    EXPECT_THAT(rig.sent("rule"), IsEmpty());
    EXPECT_TRUE(rig.logs.has("tandem0: rules[0]: /sys/fs/cgroup/gone.slice: no such cgroup; the "
                             "device's rules are left as they are"));
}

TEST(DaemonSetup, OnceCreatesAndSendsNothing) {
    Rig rig;
    rig.dm.add("tandem0", "1 2 AA 50 50 0 0 0 0 0 0 0 0 0");
    rig.config.devices.push_back(DeviceConfig{{"missing", "test"}, {1000, "test"}});
    rig.config.devices.back().legs = rig.config.devices[0].legs;
    Daemon d([&] { return rig.config; }, rig.dm, rig.waiter, rig.events, [](auto) {}, true,
             Adapters{});
    EXPECT_EQ(d.run(), 1); // "missing" cannot be read
    EXPECT_TRUE(rig.dm.calls.empty());
    EXPECT_TRUE(rig.dm.messages.empty());
}
