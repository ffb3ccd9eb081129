// tandemctl create and remove: arguments into flags and their errors, the
// request taken from tandemd's configuration, the table line planned from
// the devices and the refusals there, and both
// commands against a fake device mapper: the calls each makes, its exit
// statuses, the undo of a create whose device does not answer, the retries
// of remove --force and the snapshot shadow removed with its device.
#include "tandemctl_host_runner.h"
#include "tandemctl_usage_error.h"

#include "cli.h"
#include "command_parser.h"

#include "tandem/errors.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

using namespace tandem;
using namespace tandem::cli;
using tandem::testing::usage_error;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

namespace {

constexpr std::uint64_t KiB = 1024, MiB = KiB * 1024, GiB = MiB * 1024;

// The status of a fresh two-leg device of 2048 regions copying leg 0 onto
// leg 1.
constexpr const char* fresh = "2 2 Aa 100 0 0 0 0 0 0 0 0 0 0 2048 0 2048 resync 65536 0 0";

CreateRequest parsed(const std::vector<std::string>& args) {
    return std::get<CreateFlags>(parse_command_line(args)).request;
}

struct Devices {
    tandem::testing::FakeBlockDevices devices;
    Devices() {
        devices.add("/dev/vdb", {8, 16}, 1 * GiB);
        devices.add("8:16", {8, 16}, 1 * GiB); // /dev/vdb by number
        devices.add("/dev/vdc", {8, 32}, 2 * GiB);
        devices.add("/dev/vdd", {8, 48}, 64 * KiB);
        devices.add("/dev/vde", {8, 64}, 4 * KiB);
        devices.add("/dev/vdf", {8, 80}, 256);
        devices.add("/dev/vdg", {8, 96}, 1 * GiB + 512);
        devices.add("/dev/vdh", {8, 112}, 1 * GiB);
        devices.add("/dev/vdi", {8, 128}, 1 * GiB);
        devices.errors["/dev/tty"] = ENOTBLK;
    }
};

struct Create : ::testing::Test, tandem::testing::HostRunner {
    Create() {
        block_devices = Devices().devices;
        dm.status_after_create = fresh;
    }
};

struct Remove : ::testing::Test, tandem::testing::HostRunner {
    Remove() { dm.add("t0", fresh, "- 1024 2 8:16 8:32"); }

    // A snapshot shadow as 'shadow create' makes it, over loop 7:0.
    void add_shadow(const std::string& uuid) {
        store.files["/var/lib/tandem/t0-cow.img"] = 32 * MiB;
        store.backing["7:0"] = "/var/lib/tandem/t0-cow.img";
        dm.add("t0-shadow", "", "8:16 7:0 N 8");
        dm.devices["t0-shadow"].type = "snapshot";
        dm.devices["t0-shadow"].uuid = uuid;
    }
};

} // namespace

// --- create: arguments -------------------------------------------------------------

TEST(CreateArguments, EveryOptionIntoTheRequest) {
    const CreateRequest r =
        parsed({"create", "t0", "--legs", "/dev/vdb,/dev/vdc,8:48", "--metadata", "/dev/vde",
                "--region-size", "1M", "--size", "10G", "--nosync", "--sync-rate", "1024",
                "--resync-mode", "checksum", "--read-weights", "50,30,20", "--queue-depth", "8"});
    EXPECT_EQ(r.device, "t0");
    EXPECT_THAT(r.legs, ElementsAre("/dev/vdb", "/dev/vdc", "8:48"));
    EXPECT_EQ(r.metadata, "/dev/vde");
    EXPECT_EQ(r.region_sectors, 2048u);
    EXPECT_EQ(r.size_bytes, 10 * GiB);
    EXPECT_TRUE(r.nosync);
    EXPECT_EQ(r.sync_rate, 1024u);
    EXPECT_EQ(r.resync_mode, ResyncMode::checksum);
    EXPECT_EQ(r.read_weights, (std::vector<unsigned>{50, 30, 20}));
    EXPECT_EQ(r.queue_depth, 8u);
}

TEST(CreateArguments, Defaults) {
    const CreateRequest r = parsed({"create", "t0", "--legs", "/dev/vdb,/dev/vdc"});
    EXPECT_EQ(r.metadata, std::nullopt);
    EXPECT_EQ(r.region_sectors, 1024u); // 512 KiB
    EXPECT_EQ(r.size_bytes, std::nullopt);
    EXPECT_FALSE(r.nosync);
    EXPECT_EQ(r.sync_rate, std::nullopt);
    EXPECT_EQ(r.resync_mode, std::nullopt);
    EXPECT_EQ(r.read_weights, std::nullopt);
    EXPECT_EQ(r.queue_depth, std::nullopt);
    EXPECT_EQ(r.uuid, "");
    EXPECT_EQ(parsed({"create", "t0", "--legs", "a,b", "--metadata", "-"}).metadata, std::nullopt);

    const auto flags = std::get<CreateFlags>(parse_command_line({"create", "t1", "--config", "c"}));
    EXPECT_EQ(flags.config_file, "c");
    EXPECT_EQ(flags.request.device, "t1");
}

TEST(CreateArguments, Errors) {
    const std::vector<std::string> base{"create", "t0", "--legs", "/dev/a,/dev/b"};
    auto with = [&](std::vector<std::string> extra) {
        std::vector<std::string> args = base;
        args.insert(args.end(), extra.begin(), extra.end());
        return usage_error(args);
    };
    const std::pair<std::string, std::string> cases[] = {
        {usage_error({"create"}), "create: missing <dev>"},
        {usage_error({"create", "t0"}),
         "create: missing --legs <dev0>,<dev1> (or --config <file>)"},
        {usage_error({"create", "a/b", "--legs", "x,y"}), "create: device name cannot contain"},
        {usage_error({"create", std::string(122, 'd'), "--legs", "x,y"}),
         "create: device name '" + std::string(122, 'd') +
             "' is too long for its uuid TANDEM-ddddddddd...: at most 121 characters"},
        {usage_error({"create", "t0", "--legs", "/dev/a"}),
         "create: --legs: expected 2 to 4 devices separated by commas, got 1 in '/dev/a'"},
        {usage_error({"create", "t0", "--legs", "a,b,c,d,e"}),
         "create: --legs: expected 2 to 4 devices separated by commas, got 5 in 'a,b,c,d,e'"},
        {usage_error({"create", "t0", "--legs", "/dev/a,,/dev/b"}),
         "create: --legs: leg 1 is empty in '/dev/a,,/dev/b'"},
        {usage_error({"create", "t0", "--legs", "/dev/a,/dev/a"}),
         "create: --legs: /dev/a is given twice (legs 0 and 1)"},
        {usage_error({"create", "t0", "--legs", "a,b", "extra"}), "create: too many arguments"},
        {with({"--region-size", "3K"}),
         "create: --region-size: 3K is not a power of two from 4 KiB to 1 GiB"},
        {with({"--region-size", "2G"}),
         "create: --region-size: 2G is not a power of two from 4 KiB to 1 GiB"},
        {with({"--region-size", "1000"}),
         "create: --region-size: 1000 is not a power of two from 4 KiB to 1 GiB"},
        {with({"--region-size", "half"}),
         "create: --region-size: expected a size such as 512K or 1M (bytes, or K, M, G), got "
         "'half'"},
        {with({"--size", "0"}), "create: --size: the device cannot be empty"},
        {with({"--size", "1000"}),
         "create: --size: 1000 is not a whole number of 512-byte sectors"},
        {with({"--size", "1.5G"}),
         "create: --size: expected a size such as 10G or 512M (bytes, or K, M, G, T), got '1.5G'"},
        {with({"--size", "-1G"}), "create: '-1G' is negative"},
        {with({"--sync-rate", "16777217"}),
         "create: --sync-rate: sync rate 16777217 KiB/s is out of range"},
        {with({"--sync-rate", "fast"}), "create: --sync-rate: expected a whole number, got 'fast'"},
        {with({"--resync-mode", "xxh64"}),
         "create: --resync-mode: expected copy or checksum, got 'xxh64'"},
        {with({"--read-weights", "70,20"}),
         "create: --read-weights: weights sum to 90; they must sum to 100"},
        {with({"--read-weights", "50,25,25"}),
         "create: --read-weights: 3 weights for 2 legs; give one per leg"},
        {with({"--read-weights", "70,x"}),
         "create: --read-weights: expected whole numbers 0..100 separated by commas, got 'x' in "
         "'70,x'"},
        {with({"--read-weights", "150,0"}),
         "create: --read-weights: expected whole numbers 0..100 separated by commas, got '150'"},
        {with({"--queue-depth", "5000"}),
         "create: --queue-depth: queue depth 5000 is out of range"},
        {with({"--metadata", ""}), "create: --metadata: expected a device, or - for none"},
        {with({"--config", "c.yaml"}),
         "create: --config takes every setting from the file; give no other option with it"},
        {usage_error({"create", "t0", "--config", "c.yaml", "--nosync"}),
         "create: --config takes every setting from the file; give no other option with it"},
        {with({"--legs", "c,d"}), "create: option '--legs' cannot be specified more than once"},
    };
    for (const auto& [error, expected] : cases)
        EXPECT_THAT(error, StartsWith(expected));
    // Each ends with the synopsis.
    EXPECT_THAT(usage_error({"create", "t0"}),
                HasSubstr("\nusage: tandemctl create <dev> --legs <dev0>,<dev1>[,...]"));
}

TEST(CreateArguments, Help) {
    const std::string help = std::get<Help>(parse_command_line({"create", "--help"})).text;
    EXPECT_THAT(help, StartsWith("usage: tandemctl create <dev> --legs <dev0>,<dev1>[,...] "
                                 "[--metadata <dev>|-] [--region-size <size>]\n"
                                 "       tandemctl create <dev> ... [--size <size>] [--nosync]"));
    EXPECT_THAT(help, HasSubstr("       tandemctl create <dev> --config <file>\n"));
    EXPECT_THAT(help, HasSubstr("Exit status: 0 when created, 1 if a device of that name exists"));
    EXPECT_THAT(help, HasSubstr("--read-weights"));
    const std::string all = std::get<Help>(parse_command_line({"--help"})).text;
    EXPECT_THAT(all, HasSubstr("  create        <dev> --legs <dev0>,<dev1>[,...]"));
    EXPECT_THAT(all, HasSubstr("  remove        <dev> [--force]\n"));
}

// --- create: the table line --------------------------------------------------------

TEST(CreatePlan, SizedToTheSmallestLeg) {
    Devices d;
    CreateRequest r;
    r.device = "t0";
    r.legs = {"/dev/vdc", "/dev/vdb"};
    EXPECT_EQ(plan_table(r, d.devices),
              (TableLine{0, 2097152, "tandem", "- 1024 2 /dev/vdc /dev/vdb"}));
    // A leg of a sector and a half more: whole sectors only.
    r.legs = {"/dev/vdc", "/dev/vdg"};
    EXPECT_EQ(plan_table(r, d.devices).length, 2097153u);
}

TEST(CreatePlan, EverySetting) {
    Devices d;
    CreateRequest r;
    r.device = "t0";
    r.legs = {"/dev/vdb", "/dev/vdc"};
    r.metadata = "/dev/vdd";
    r.region_sectors = 8;
    r.size_bytes = 64 * MiB;
    r.nosync = true;
    r.sync_rate = 1024;
    r.resync_mode = ResyncMode::checksum;
    r.read_weights = std::vector<unsigned>{70, 30};
    r.queue_depth = 8;
    EXPECT_EQ(plan_table(r, d.devices),
              (TableLine{0, 131072, "tandem",
                         "/dev/vdd 8 2 /dev/vdb /dev/vdc 10 nosync read_weights 70 30 sync_rate "
                         "1024 resync_mode checksum queue_depth 8"}));
}

TEST(CreatePlan, ADeviceThatDoesNotFit) {
    Devices d;
    auto refusal = [&](std::vector<std::string> legs, std::optional<std::string> metadata = {},
                       std::optional<std::uint64_t> size = {}) {
        CreateRequest r;
        r.device = "t0";
        r.legs = std::move(legs);
        r.metadata = std::move(metadata);
        r.size_bytes = size;
        try {
            plan_table(r, d.devices);
        } catch (const UsageError& e) {
            return std::string(e.what());
        }
        return std::string("(accepted)");
    };
    EXPECT_EQ(refusal({"/dev/vdb", "/dev/nope"}),
              "create: leg 1 (/dev/nope): /dev/nope: No such file or directory");
    EXPECT_EQ(refusal({"/dev/tty", "/dev/vdb"}),
              "create: leg 0 (/dev/tty): /dev/tty: Block device required");
    EXPECT_EQ(refusal({"/dev/vdb", "8:16"}),
              "create: leg 0 (/dev/vdb) and leg 1 (8:16) are the same device (8:16)");
    EXPECT_EQ(refusal({"/dev/vdc", "/dev/vdb"}, {}, 2 * GiB),
              "create: the size 2 GiB is larger than leg 1 (/dev/vdb), which holds 1 GiB");
    EXPECT_EQ(refusal({"/dev/vdb", "/dev/vdf"}),
              "create: leg 1 (/dev/vdf) holds less than one sector");
    EXPECT_EQ(refusal({"/dev/vdb", "/dev/vdc"}, "8:16"),
              "create: the metadata device (8:16) is leg 0 (/dev/vdb)");
    EXPECT_EQ(refusal({"/dev/vdb", "/dev/vdc"}, "/dev/nope"),
              "create: the metadata device (/dev/nope): /dev/nope: No such file or directory");
    // 1 GiB in 2048 regions: a superblock and a bitmap block per leg.
    EXPECT_EQ(refusal({"/dev/vdb", "/dev/vdc"}, "/dev/vde"),
              "create: the metadata device (/dev/vde) holds 4 KiB; 2 legs of 2048 regions need "
              "12 KiB");
    EXPECT_EQ(refusal({"/dev/vdb", "/dev/vdc"}, "/dev/vdd"), "(accepted)");
    EXPECT_EQ(refusal({"/dev/vdb", "/dev/vdc"}, {}, 1 * GiB), "(accepted)");
}

TEST(CreatePlan, AShadowFromTheConfiguration) {
    Devices d;
    CreateRequest r;
    r.device = "t0";
    r.legs = {"/dev/vdb", "/dev/vdc"};
    r.shadow = "/dev/vdg";
    r.shadow_mode = ShadowMode::gate;
    r.shadow_sample = 10;
    EXPECT_EQ(plan_table(r, d.devices).params,
              "- 1024 2 /dev/vdb /dev/vdc 6 shadow /dev/vdg shadow_mode gate shadow_sample 10");
    r.shadow = "/dev/vdd";
    EXPECT_THROW(
        {
            try {
                plan_table(r, d.devices);
            } catch (const UsageError& e) {
                EXPECT_STREQ(e.what(), "create: the shadow (/dev/vdd) holds 64 KiB, less than "
                                       "the device's 1 GiB");
                throw;
            }
        },
        UsageError);
}

// --- create: the command -----------------------------------------------------------

TEST_F(Create, CreatesTheDeviceWithItsUuid) {
    EXPECT_EQ(run({"create", "t0", "--legs", "/dev/vdb,/dev/vdc"}), exit_ok) << err.str();
    EXPECT_THAT(dm.calls, ElementsAre("create t0"));
    const auto& dev = dm.devices.at("t0");
    EXPECT_EQ(dev.uuid, "TANDEM-t0");
    EXPECT_EQ(dev.type, "tandem");
    EXPECT_EQ(dev.length, 2097152u);
    EXPECT_EQ(dev.table, "- 1024 2 /dev/vdb /dev/vdc");
    EXPECT_EQ(out.str(), "t0: created (uuid TANDEM-t0), 2 legs, 1 GiB in 2048 regions of 512 KiB\n"
                         "  table: 0 2097152 tandem - 1024 2 /dev/vdb /dev/vdc\n"
                         "  sync:  resync 2048/2048 regions to copy for leg 1, 65536 KiB/s\n");
    EXPECT_EQ(err.str(), "");
}

TEST_F(Create, WithNosyncAndAMetadataDevice) {
    dm.status_after_create = "3 2 AA 100 0 0 0 0 0 0 0 0 0 0 1024 0 0 idle 65536 0 0 ok";
    EXPECT_EQ(run({"create", "t0", "--legs", "/dev/vdb,/dev/vdc", "--metadata", "/dev/vdd",
                   "--region-size", "1M", "--nosync"}),
              exit_ok)
        << err.str();
    EXPECT_EQ(dm.devices.at("t0").table, "/dev/vdd 2048 2 /dev/vdb /dev/vdc 1 nosync");
    EXPECT_THAT(out.str(), HasSubstr("1 GiB in 1024 regions of 1 MiB\n"));
    EXPECT_THAT(out.str(), HasSubstr("  sync:  idle, 65536 KiB/s\n"));
}

TEST_F(Create, RefusesAnExistingDevice) {
    dm.add("t0", fresh, "- 1024 2 8:16 8:32");
    dm.devices["t0"].uuid = "TANDEM-t0";
    EXPECT_EQ(run({"create", "t0", "--legs", "/dev/vdb,/dev/vdc"}), exit_failure);
    EXPECT_EQ(err.str(), "tandemctl: create: a device named t0 exists already (uuid TANDEM-t0); "
                         "'tandemctl remove t0' removes it\n");
    EXPECT_THAT(dm.calls, IsEmpty());
}

TEST_F(Create, BadDevicesChangeNothing) {
    EXPECT_EQ(run({"create", "t0", "--legs", "/dev/vdb,8:16"}), exit_usage);
    EXPECT_EQ(err.str(), "tandemctl: create: leg 0 (/dev/vdb) and leg 1 (8:16) are the same "
                         "device (8:16)\n");
    EXPECT_EQ(run({"create", "t0", "--legs", "/dev/vdb,/dev/vdc", "--size", "1G", "--metadata",
                   "/dev/vde"}),
              exit_usage);
    EXPECT_THAT(err.str(), HasSubstr("holds 4 KiB; 2 legs of 2048 regions need 12 KiB"));
    EXPECT_EQ(run({"create", "t0", "--legs", "/dev/vdb,/dev/vdc", "--size", "3G"}), exit_usage);
    EXPECT_THAT(dm.calls, IsEmpty());
    // Bad arguments do not open the device mapper at all.
    EXPECT_EQ(run({"create", "t0", "--legs", "/dev/vdb"}), exit_usage);
    EXPECT_EQ(factory_calls, 3);
}

TEST_F(Create, TheKernelRefusingTheTable) {
    dm.fail.insert("create t0");
    EXPECT_EQ(run({"create", "t0", "--legs", "/dev/vdb,/dev/vdc"}), exit_failure);
    EXPECT_EQ(err.str(), "tandemctl: create t0: injected failure\n");
    EXPECT_FALSE(dm.devices.count("t0"));
    EXPECT_EQ(out.str(), "");
}

TEST_F(Create, UndoneWhenTheDeviceDoesNotAnswer) {
    dm.status_after_create = "2 2 Aa 100"; // cut short
    EXPECT_EQ(run({"create", "t0", "--legs", "/dev/vdb,/dev/vdc"}), exit_failure);
    EXPECT_THAT(dm.calls, ElementsAre("create t0", "remove t0"));
    EXPECT_FALSE(dm.devices.count("t0"));
    EXPECT_THAT(err.str(), StartsWith("tandemctl: t0: status: line ends before field 5"));
    EXPECT_THAT(err.str(), HasSubstr("(undone: nothing changed)\n"));

    // A target whose legs are not the table's.
    dm.calls.clear();
    dm.status_after_create = "2 3 AAa 100 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 2048 0 0 5 resync 1 0 0";
    EXPECT_EQ(run({"create", "t0", "--legs", "/dev/vdb,/dev/vdc"}), exit_failure);
    EXPECT_EQ(err.str(), "tandemctl: t0: the target reports 3 legs, not the 2 of its table "
                         "(undone: nothing changed)\n");

    // And when the undo fails too, it says so.
    dm.calls.clear();
    dm.status_after_create = "2 2 Aa 100";
    dm.fail.insert("remove t0");
    EXPECT_EQ(run({"create", "t0", "--legs", "/dev/vdb,/dev/vdc"}), exit_failure);
    EXPECT_THAT(err.str(), HasSubstr("; undoing failed too: remove t0: remove t0: injected "
                                     "failure\n"));
}

// --- remove ------------------------------------------------------------------------

TEST(RemoveArguments, Parse) {
    EXPECT_FALSE(std::get<RemoveFlags>(parse_command_line({"remove", "t0"})).force);
    const auto flags = std::get<RemoveFlags>(parse_command_line({"remove", "t0", "--force"}));
    EXPECT_TRUE(flags.force);
    EXPECT_EQ(flags.device, "t0");
    EXPECT_THAT(usage_error({"remove"}), StartsWith("remove: missing <dev>"));
    EXPECT_THAT(usage_error({"remove", "t0", "t1"}), StartsWith("remove: too many arguments"));
    EXPECT_THAT(usage_error({"remove", "t0", "--now"}),
                StartsWith("remove: unrecognised option '--now'"));
}

TEST_F(Remove, RemovesTheDevice) {
    EXPECT_EQ(run({"remove", "t0"}), exit_ok) << err.str();
    EXPECT_THAT(dm.calls, ElementsAre("remove t0"));
    EXPECT_FALSE(dm.devices.count("t0"));
    EXPECT_EQ(out.str(), "t0: removed\n");
    EXPECT_THAT(sleeps, IsEmpty());
}

TEST_F(Remove, RefusesAnotherKindOfDevice) {
    dm.add("lin", "", "8:16 0");
    dm.devices["lin"].type = "linear";
    EXPECT_EQ(run({"remove", "lin"}), exit_usage);
    EXPECT_EQ(err.str(), "tandemctl: remove: lin is not a tandem device (its table has 1 line(s), "
                         "the first of target 'linear'); it is left alone\n");
    EXPECT_THAT(dm.calls, IsEmpty());
    EXPECT_EQ(run({"remove", "nosuch"}), exit_failure);
    EXPECT_EQ(err.str(), "tandemctl: remove: there is no device named nosuch\n");
}

TEST_F(Remove, AnOpenDeviceIsRefusedWithoutForce) {
    dm.busy_removes = 1;
    EXPECT_EQ(run({"remove", "t0"}), exit_failure);
    EXPECT_EQ(err.str(), "tandemctl: remove: t0 is in use (mounted, open, or held by another "
                         "device); unmount or close it first, or add --force to keep trying for "
                         "10 seconds\n");
    EXPECT_THAT(dm.calls, ElementsAre("remove t0"));
    EXPECT_TRUE(dm.devices.count("t0"));
}

TEST_F(Remove, ForceTriesAgainWhileTheDeviceIsOpen) {
    dm.busy_removes = 3;
    EXPECT_EQ(run({"remove", "t0", "--force"}), exit_ok) << err.str();
    EXPECT_EQ(dm.calls.size(), 4u);
    EXPECT_EQ(sleeps, std::vector<std::chrono::milliseconds>(3, remove_retry_interval));
    EXPECT_FALSE(dm.devices.count("t0"));
    EXPECT_EQ(out.str(), "t0: removed\n");
}

TEST_F(Remove, ForceGivesUpAfterTenSeconds) {
    dm.busy_removes = 1000;
    EXPECT_EQ(run({"remove", "t0", "--force"}), exit_failure);
    // Tried at 0, 0.5, ..., 10 s.
    EXPECT_EQ(dm.calls.size(), 21u);
    EXPECT_EQ(clock.seconds(), 10.0);
    EXPECT_EQ(err.str(), "tandemctl: remove: t0 is still in use after trying for 10 seconds "
                         "(mounted, open, or held by another device)\n");
    EXPECT_TRUE(dm.devices.count("t0"));
}

TEST_F(Remove, OtherFailuresAreNotRetried) {
    dm.fail.insert("remove t0");
    EXPECT_EQ(run({"remove", "t0", "--force"}), exit_failure);
    EXPECT_EQ(err.str(), "tandemctl: remove t0: injected failure\n");
    EXPECT_THAT(sleeps, IsEmpty());
}

TEST_F(Remove, TheSnapshotShadowGoesWithTheDevice) {
    add_shadow("TANDEM-SHADOW-t0");
    EXPECT_EQ(run({"remove", "t0"}), exit_ok) << err.str();
    EXPECT_THAT(dm.calls, ElementsAre("remove t0", "remove t0-shadow"));
    EXPECT_THAT(store.calls, ElementsAre("remove_file /var/lib/tandem/t0-cow.img"));
    EXPECT_EQ(out.str(), "t0: removed\n"
                         "t0: t0-shadow removed\n"
                         "t0: /var/lib/tandem/t0-cow.img deleted\n");
}

TEST_F(Remove, AShadowTandemctlDidNotMakeStays) {
    add_shadow("");
    EXPECT_EQ(run({"remove", "t0"}), exit_ok) << err.str();
    EXPECT_THAT(dm.calls, ElementsAre("remove t0"));
    EXPECT_TRUE(dm.devices.count("t0-shadow"));
    EXPECT_THAT(store.calls, IsEmpty());
}

// --- create --config -----------------------------------------------------------------

namespace {

constexpr const char* config_yaml = R"(devices:
  - name: watched
  - name: plain
    metadata: "-"
    legs: [{device: /dev/vdh}, {device: /dev/vdi}]
  - name: full
    uuid: MIRROR-full
    size: 512M
    region_size: 1M
    metadata: /dev/vdd
    legs: [{device: /dev/vdb}, {device: /dev/vdc}]
    nosync: true
    sync_rate_kib: 2048
    resync_mode: checksum
    queue_depth: 16
    read_weights: [60, 40]
    shadow: {device: /dev/vdg, mode: sync, sample: 4, pool_kib: 1024}
)";

} // namespace

TEST(CreateFromConfig, EverySettingIntoTheRequest) {
    const Config config = parse_config(config_yaml, "t.yaml");
    const CreateRequest r = request_from_config(config, "full");
    EXPECT_EQ(r.device, "full");
    EXPECT_EQ(r.uuid, "MIRROR-full");
    EXPECT_THAT(r.legs, ElementsAre("/dev/vdb", "/dev/vdc"));
    EXPECT_EQ(r.metadata, "/dev/vdd");
    EXPECT_EQ(r.region_sectors, 2048u);
    EXPECT_EQ(r.size_bytes, 512 * MiB);
    EXPECT_TRUE(r.nosync);
    EXPECT_EQ(r.sync_rate, 2048u);
    EXPECT_EQ(r.resync_mode, ResyncMode::checksum);
    EXPECT_EQ(r.queue_depth, 16u);
    EXPECT_EQ(r.read_weights, (std::vector<unsigned>{60, 40}));
    EXPECT_EQ(r.shadow, "/dev/vdg");
    EXPECT_EQ(r.shadow_mode, ShadowMode::sync);
    EXPECT_EQ(r.shadow_sample, 4u);
    EXPECT_EQ(r.shadow_pool, 1024u);
    Devices d;
    EXPECT_EQ(plan_table(r, d.devices),
              (TableLine{0, 1048576, "tandem",
                         "/dev/vdd 2048 2 /dev/vdb /dev/vdc 18 nosync read_weights 60 40 "
                         "sync_rate 2048 resync_mode checksum queue_depth 16 shadow /dev/vdg "
                         "shadow_mode sync shadow_sample 4 shadow_pool 1024"}));
}

TEST(CreateFromConfig, DefaultsStayOutOfTheTable) {
    const CreateRequest r = request_from_config(parse_config(config_yaml, "t.yaml"), "plain");
    EXPECT_EQ(r.uuid, "TANDEM-plain");
    EXPECT_EQ(r.metadata, std::nullopt);
    EXPECT_EQ(r.sync_rate, std::nullopt);
    EXPECT_EQ(r.resync_mode, std::nullopt);
    EXPECT_EQ(r.queue_depth, std::nullopt);
    EXPECT_EQ(r.shadow, std::nullopt);
    Devices d;
    EXPECT_EQ(plan_table(r, d.devices).params, "- 1024 2 /dev/vdh /dev/vdi");
}

TEST(CreateFromConfig, ADeviceThatIsNotThereOrHasNoLegs) {
    const Config config = parse_config(config_yaml, "t.yaml");
    auto refusal = [&](const std::string& device) {
        try {
            request_from_config(config, device);
        } catch (const UsageError& e) {
            return std::string(e.what());
        }
        return std::string("(accepted)");
    };
    EXPECT_EQ(refusal("other"), "create: t.yaml has no device named other; it has watched, "
                                "plain, full");
    EXPECT_EQ(refusal("watched"), "create: watched in t.yaml has no legs: tandemd only watches "
                                  "it; give it legs there, or create it with --legs");
}

TEST_F(Create, FromTheConfigurationFile) {
    const std::string path = ::testing::TempDir() + "tandemctl_create_config.yaml";
    {
        std::ofstream file(path);
        file << config_yaml;
    }
    dm.status_after_create = "2 2 AA 100 0 0 0 0 0 0 0 0 0 0 512 0 0 idle 2048 0 0";
    EXPECT_EQ(run({"create", "full", "--config", path}), exit_ok) << err.str();
    EXPECT_EQ(dm.devices.at("full").uuid, "MIRROR-full");
    EXPECT_EQ(dm.devices.at("full").length, 1048576u);
    EXPECT_THAT(dm.devices.at("full").table, StartsWith("/dev/vdd 2048 2 /dev/vdb /dev/vdc 18 "));
    EXPECT_THAT(out.str(), StartsWith("full: created (uuid MIRROR-full), 2 legs, 512 MiB in 512 "
                                      "regions of 1 MiB\n"));

    EXPECT_EQ(run({"create", "watched", "--config", path}), exit_usage);
    EXPECT_THAT(err.str(), HasSubstr("watched in " + path + " has no legs"));
    EXPECT_EQ(run({"create", "plain", "--config", path + ".missing"}), exit_failure);
    EXPECT_THAT(err.str(), StartsWith("tandemctl: " + path + ".missing"));
    EXPECT_THAT(dm.calls, ElementsAre("create full"));
    std::remove(path.c_str());
}
