// tandemd's devices at start and reload: a missing one created from its
// legs, an existing one adopted with its weights and state, one renamed
// behind the daemon's back found by its uuid and renamed back, one that is
// not a tandem device left alone, the configured classes and rules pushed,
// and each problem logged.
#include "daemon_fixture.h"
#include "device_setup.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>

using namespace tandem;
using namespace tandem::daemon;
using namespace std::chrono_literals;
using tandem::testing::DaemonRig;
using tandem::testing::FakeDeviceMapper;
using tandem::testing::v6_status;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;

namespace {

constexpr std::uint64_t GiB = 1ull << 30;
constexpr const char* tandem0_status = "1 2 AA 70 30 0 0 0 0 0 0 0 0 0";
constexpr const char* tandem0_table = "- 1024 2 8:16 8:32";

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
        // Each line with its level, so tests can tell an error from a warning.
        log::set_sink([this](LogLevel level, std::string_view line) {
            logs.lines.push_back(std::string(to_string(level)) + ": " + std::string(line));
        });
    }

    // set_up_devices() alone, as at start.
    SetupReport set_up() { return set_up_devices(config, dm, &disks, adapters.resolve_cgroup); }

    // A tandem device as the configuration describes tandem0, under `name`.
    void add_tandem(const std::string& name, const std::string& uuid) {
        dm.add(name, tandem0_status, tandem0_table);
        dm.devices.at(name).uuid = uuid;
    }
};

using Names = std::vector<std::pair<std::string, std::string>>;

// The devices' names with their uuids.
Names names_and_uuids(const FakeDeviceMapper& dm) {
    Names out;
    for (const auto& [name, dev] : dm.devices)
        out.emplace_back(name, dev.uuid);
    return out;
}

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

// --- finding the device: by uuid, then by name ---------------------------------

TEST(DaemonSetup, ADeviceFoundByItsUuidUnderItsNameIsAdopted) {
    Rig rig;
    rig.add_tandem("tandem0", "TANDEM-tandem0");
    const SetupReport report = rig.set_up();
    EXPECT_THAT(report.adopted, ElementsAre("tandem0"));
    EXPECT_THAT(report.renamed, IsEmpty());
    EXPECT_THAT(report.failed, IsEmpty());
    EXPECT_THAT(rig.dm.calls, IsEmpty());
    EXPECT_EQ(rig.logs.count("tandem0: exists with uuid"), 0);
    EXPECT_TRUE(
        rig.logs.has("tandem0: exists; adopted as it is: 2 legs, states AA, read weights 70 30"));
}

TEST(DaemonSetup, ADeviceRenamedBehindItsBackIsFoundByUuidAndRenamedBack) {
    Rig rig;
    rig.add_tandem("tandem0-old", "TANDEM-tandem0");
    rig.dm.add("other", "1 2 AA 50 50 0 0 0 0 0 0 0 0 0", tandem0_table);
    rig.dm.devices.at("other").uuid = "TANDEM-other";
    // A reload finds it under its name: the rename is logged once.
    rig.waiter.script.push_back({1500ms, SIGHUP});
    EXPECT_EQ(rig.run(2500ms), 0);
    EXPECT_THAT(rig.dm.calls, ElementsAre("rename tandem0-old tandem0"));
    EXPECT_EQ(names_and_uuids(rig.dm),
              (Names{{"other", "TANDEM-other"}, {"tandem0", "TANDEM-tandem0"}}));
    EXPECT_EQ(rig.dm.devices.at("tandem0").table, tandem0_table);
    EXPECT_EQ(rig.logs.count("tandem0: found by uuid TANDEM-tandem0 as tandem0-old; renamed to "
                             "tandem0"),
              1);
    EXPECT_EQ(rig.logs.count("tandem0: exists; adopted as it is: 2 legs"), 2);
    // The daemon goes on under the configured name: it steers the device.
    EXPECT_THAT(rig.sent("weights"), ElementsAre("weights 60 40"));
    EXPECT_THAT(rig.dm.status_calls, Contains("tandem0"));
    EXPECT_THAT(rig.dm.status_calls, Not(Contains("tandem0-old")));
}

TEST(DaemonSetup, TheRenameIsReported) {
    Rig rig;
    rig.add_tandem("tandem0-old", "TANDEM-tandem0");
    const SetupReport report = rig.set_up();
    EXPECT_THAT(report.renamed, ElementsAre("tandem0"));
    EXPECT_THAT(report.adopted, ElementsAre("tandem0"));
    EXPECT_THAT(report.created, IsEmpty());
    EXPECT_THAT(report.failed, IsEmpty());
}

TEST(DaemonSetup, AConfiguredUuidIsLookedFor) {
    Rig rig;
    rig.config.devices[0].uuid = "mirror-7";
    rig.add_tandem("mirror-7-was-here", "mirror-7");
    const SetupReport report = rig.set_up();
    EXPECT_THAT(report.renamed, ElementsAre("tandem0"));
    EXPECT_EQ(names_and_uuids(rig.dm), (Names{{"tandem0", "mirror-7"}}));
    EXPECT_TRUE(
        rig.logs.has("tandem0: found by uuid mirror-7 as mirror-7-was-here; renamed to tandem0"));
}

TEST(DaemonSetup, FoundByUuidWhileItsNameIsTakenLeavesBothAlone) {
    Rig rig;
    rig.add_tandem("tandem0-old", "TANDEM-tandem0");
    rig.add_tandem("tandem0", "CUSTOM-1");
    const SetupReport report = rig.set_up();
    EXPECT_THAT(report.failed, ElementsAre("tandem0"));
    EXPECT_THAT(report.left_alone, ElementsAre("tandem0"));
    EXPECT_THAT(report.adopted, IsEmpty());
    EXPECT_THAT(report.renamed, IsEmpty());
    EXPECT_THAT(rig.dm.calls, IsEmpty());
    EXPECT_THAT(rig.dm.messages, IsEmpty());
    EXPECT_EQ(names_and_uuids(rig.dm),
              (Names{{"tandem0", "CUSTOM-1"}, {"tandem0-old", "TANDEM-tandem0"}}));
    EXPECT_TRUE(rig.logs.has("error: tandem0: found by uuid TANDEM-tandem0 as tandem0-old, but "
                             "tandem0 is another device (uuid CUSTOM-1); both left as they are"));
}

TEST(DaemonSetup, ADeviceLeftAloneIsNotSteered) {
    Rig rig;
    rig.add_tandem("tandem0-old", "TANDEM-tandem0");
    rig.add_tandem("tandem0", "CUSTOM-1");
    EXPECT_EQ(rig.run(2500ms), 0);
    EXPECT_THAT(rig.sent("weights"), IsEmpty());
    EXPECT_THAT(rig.dm.messages, IsEmpty());
    EXPECT_TRUE(rig.logs.has("warning: tandem0: not steered: the device of this name is not the "
                             "configured one (see above)"));
}

TEST(DaemonSetup, ARenameThatFailsLeavesTheDeviceAlone) {
    Rig rig;
    rig.add_tandem("tandem0-old", "TANDEM-tandem0");
    rig.dm.fail.insert("rename tandem0-old tandem0");
    const SetupReport report = rig.set_up();
    EXPECT_THAT(report.failed, ElementsAre("tandem0"));
    EXPECT_THAT(report.adopted, IsEmpty());
    EXPECT_EQ(names_and_uuids(rig.dm), (Names{{"tandem0-old", "TANDEM-tandem0"}}));
    EXPECT_TRUE(
        rig.logs.has("tandem0: rename tandem0-old tandem0: injected failure; left as it is"));
}

TEST(DaemonSetup, ADeviceOfItsNameThatIsNotATandemDeviceIsLeftAlone) {
    Rig rig;
    rig.dm.add("tandem0", "0 0", "8:16 0");
    rig.dm.devices.at("tandem0").type = "linear";
    const SetupReport report = rig.set_up();
    EXPECT_THAT(report.failed, ElementsAre("tandem0"));
    EXPECT_THAT(report.adopted, IsEmpty());
    EXPECT_THAT(report.created, IsEmpty());
    EXPECT_THAT(rig.dm.calls, IsEmpty());
    EXPECT_THAT(rig.dm.messages, IsEmpty());
    EXPECT_EQ(rig.dm.devices.at("tandem0").type, "linear");
    EXPECT_EQ(rig.dm.devices.at("tandem0").table, "8:16 0");
    EXPECT_TRUE(rig.logs.has("error: tandem0: exists but is not a tandem device (its table has 1 "
                             "line(s), the first of target 'linear'); left as it is"));
    EXPECT_EQ(rig.logs.count("adopted"), 0);
}

TEST(DaemonSetup, ATandemDeviceOfItsNameWithAnotherUuidIsAdoptedWithAWarning) {
    for (const std::string uuid : {"", "CUSTOM-1"}) {
        SCOPED_TRACE("uuid '" + uuid + "'");
        Rig rig;
        rig.add_tandem("tandem0", uuid);
        const SetupReport report = rig.set_up();
        EXPECT_THAT(report.adopted, ElementsAre("tandem0"));
        EXPECT_THAT(report.failed, IsEmpty());
        EXPECT_THAT(rig.dm.calls, IsEmpty());
        EXPECT_EQ(names_and_uuids(rig.dm), (Names{{"tandem0", uuid}}));
        EXPECT_TRUE(rig.logs.has("warning: tandem0: exists with uuid " +
                                 (uuid.empty() ? std::string("(none)") : uuid) +
                                 ", not TANDEM-tandem0; adopting it as it is"));
        EXPECT_TRUE(rig.logs.has("tandem0: exists; adopted as it is: 2 legs"));
    }
}

TEST(DaemonSetup, NeitherItsUuidNorItsNameFoundIsCreated) {
    Rig rig;
    rig.add_tandem("unrelated", "TANDEM-unrelated");
    const SetupReport report = rig.set_up();
    EXPECT_THAT(report.created, ElementsAre("tandem0"));
    EXPECT_THAT(report.adopted, IsEmpty());
    EXPECT_THAT(rig.dm.calls, ElementsAre("create tandem0"));
    EXPECT_EQ(names_and_uuids(rig.dm),
              (Names{{"tandem0", "TANDEM-tandem0"}, {"unrelated", "TANDEM-unrelated"}}));
    EXPECT_EQ(rig.dm.devices.at("unrelated").table, tandem0_table);
}
