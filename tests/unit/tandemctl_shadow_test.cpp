// tandemctl shadow: arguments into flags, the messages the settings send,
// the status view, and create, remove and reset against a fake device
// mapper and COW store: the calls each makes, its refusals (nothing
// changed) and the undo after every failing step.
#include "cli_runner.h"
#include "tandemctl_usage_error.h"

#include "cli.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

using namespace tandem;
using namespace tandem::cli;
using tandem::testing::usage_error;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

namespace {

constexpr const char* v5_fields =
    "2 AA 100 0 10 20 0 0 0 20 0 0 0 256 0 0 idle 65536 0 0 ok copy 0 0 idle 0 0 0 0 3 critical "
    "200 0 0 0 0 0 0 0 0 0 production 100 0 0 0 0 0 0 0 0 0 test 50 0 0 0 0 0 0 0 0 0 0";

// Version 6 status lines: no shadow, and a shadow on 253:9.
const std::string no_shadow = std::string("6 ") + v5_fields +
                              " - async 1 8192 0 0 0 0 0 0 0 read 0 0 0 0 0 0 write 0 0 0 0 0 0 "
                              "flush 0 0 0 0 0 0 discard 0 0 0 0 0 0";
const std::string with_shadow =
    std::string("6 ") + v5_fields +
    " 253:9 async 1 8192 64 0 0 100 3 1 0 read 100 0 512 100 0 128 write 2048 0 1024 2049 0 256 "
    "flush 0 0 0 0 0 0 discard 0 0 0 0 0 0";

constexpr const char* table = "- 1024 2 253:1 253:2 1 nosync";
constexpr const char* cow = "/var/lib/tandem/tdev-cow.img";

ShadowFlags parsed(const std::vector<std::string>& args) {
    return std::get<ShadowFlags>(parse_command_line(args));
}

struct Shadow : ::testing::Test, tandem::testing::CliRunner {
    Shadow() { dm.add("tdev", no_shadow, table); }

    // The tandem device's live table.
    const std::string& live() { return dm.devices.at("tdev").table; }
    // A successful create (of 32 MiB unless `extra` says), then forget its
    // calls.
    void create(const std::vector<std::string>& extra = {}) {
        std::vector<std::string> args{"shadow", "create", "tdev"};
        if (std::find(extra.begin(), extra.end(), "--cow-size") == extra.end())
            args.insert(args.end(), {"--cow-size", "32M"});
        args.insert(args.end(), extra.begin(), extra.end());
        ASSERT_EQ(run(args), exit_ok) << err.str();
        dm.calls.clear();
        store.calls.clear();
    }
};

} // namespace

// --- arguments -------------------------------------------------------------------

TEST(ShadowArguments, EachFormIntoFlags) {
    EXPECT_EQ(parsed({"shadow", "tdev", "on"}).action, ShadowFlags::Action::on);
    EXPECT_EQ(parsed({"shadow", "tdev", "off"}).action, ShadowFlags::Action::off);
    EXPECT_EQ(parsed({"shadow", "tdev", "status"}).action, ShadowFlags::Action::status);
    ShadowFlags sample = parsed({"shadow", "tdev", "sample", "1000000"});
    EXPECT_EQ(sample.action, ShadowFlags::Action::sample);
    EXPECT_EQ(sample.device, "tdev");
    EXPECT_EQ(sample.value, 1000000u);
    EXPECT_EQ(parsed({"shadow", "tdev", "pool", "4194304"}).value, 4194304u);
    EXPECT_EQ(parsed({"shadow", "tdev", "mode", "gate"}).mode, ShadowMode::gate);
    EXPECT_EQ(parsed({"shadow", "remove", "tdev"}).action, ShadowFlags::Action::remove);
    EXPECT_EQ(parsed({"shadow", "reset", "tdev"}).device, "tdev");

    ShadowFlags create = parsed({"shadow", "create", "tdev", "--cow-size", "32M"});
    EXPECT_EQ(create.action, ShadowFlags::Action::create);
    EXPECT_EQ(create.request.device, "tdev");
    EXPECT_EQ(create.request.cow_bytes, 32u << 20);
    EXPECT_EQ(create.request.cow_file, cow);
    EXPECT_FALSE(create.request.mode.has_value());
    EXPECT_FALSE(create.request.sample.has_value());
    ShadowFlags full = parsed({"shadow", "create", "tdev", "--cow-size", "1g", "--cow-file",
                               "/tmp/c.img", "--mode", "sync", "--sample", "0"});
    EXPECT_EQ(full.request.cow_bytes, 1ull << 30);
    EXPECT_EQ(full.request.cow_file, "/tmp/c.img");
    EXPECT_EQ(full.request.mode, ShadowMode::sync);
    EXPECT_EQ(full.request.sample, 0u);
    EXPECT_EQ(parsed({"shadow", "create", "tdev", "--cow-size", "1048576"}).request.cow_bytes,
              1u << 20);
    EXPECT_EQ(parsed({"shadow", "create", "tdev", "--cow-size", "2048K"}).request.cow_bytes,
              2u << 20);
}

TEST(ShadowArguments, BadOnesAreRefusedNamingTheProblem) {
    EXPECT_THAT(usage_error({"shadow"}), HasSubstr("shadow: missing <dev>"));
    EXPECT_THAT(usage_error({"shadow", "tdev"}),
                HasSubstr("missing on, off, sample, pool, mode or status after the device"));
    EXPECT_THAT(usage_error({"shadow", "tdev", "start"}),
                HasSubstr("expected on, off, sample, pool, mode or status after the device, got "
                          "'start'"));
    EXPECT_THAT(usage_error({"shadow", "tdev", "on", "now"}), HasSubstr("too many arguments"));
    EXPECT_THAT(usage_error({"shadow", "tdev", "sample"}), HasSubstr("missing <n> after sample"));
    EXPECT_THAT(usage_error({"shadow", "tdev", "sample", "1000001"}),
                HasSubstr("shadow sample 1000001 is out of range; it must be 0..1000000"));
    EXPECT_THAT(usage_error({"shadow", "tdev", "sample", "ten"}),
                HasSubstr("sample: expected a whole number, got 'ten'"));
    EXPECT_THAT(usage_error({"shadow", "tdev", "sample", "-1"}), HasSubstr("'-1' is negative"));
    EXPECT_THAT(usage_error({"shadow", "tdev", "pool", "4194305"}),
                HasSubstr("shadow pool 4194305 KiB is out of range; it must be 0..4194304 KiB"));
    EXPECT_THAT(usage_error({"shadow", "tdev", "mode", "fast"}),
                HasSubstr("shadow mode must be async, sync or gate, got 'fast'"));
    EXPECT_THAT(usage_error({"shadow", "tdev", "mode"}),
                HasSubstr("missing async, sync or gate after mode"));
    EXPECT_THAT(usage_error({"shadow", "tdev", "on", "--mode", "gate"}),
                HasSubstr("--cow-size, --cow-file, --mode and --sample go with create"));
    EXPECT_THAT(usage_error({"shadow", "remove", "tdev", "--cow-size", "1M"}),
                HasSubstr("go with create"));
    EXPECT_THAT(usage_error({"shadow", "create"}), HasSubstr("missing <dev> after create"));
    EXPECT_THAT(usage_error({"shadow", "remove", "a", "b"}), HasSubstr("too many arguments"));
    EXPECT_THAT(usage_error({"shadow", "create", "tdev"}), HasSubstr("create needs --cow-size"));
    EXPECT_THAT(usage_error({"shadow", "create", "tdev", "--cow-size", ""}),
                HasSubstr("--cow-size: expected a size such as 512M or 2G"));
    for (const char* size : {"32X", "1.5G", "M", "32 M", "99999999999999999999"})
        EXPECT_THAT(usage_error({"shadow", "create", "tdev", "--cow-size", size}),
                    HasSubstr("--cow-size: expected a size"))
            << size;
    EXPECT_THAT(usage_error({"shadow", "create", "tdev", "--cow-size", "-1G"}),
                HasSubstr("is negative"));
    EXPECT_THAT(usage_error({"shadow", "create", "tdev", "--cow-size", "1020K"}),
                HasSubstr("--cow-size: 1020K is too small; a COW file needs at least 1M"));
    EXPECT_THAT(usage_error({"shadow", "create", "tdev", "--cow-size", "1048577"}),
                HasSubstr("--cow-size: 1048577 is not a whole number of 4 KiB chunks"));
    EXPECT_THAT(
        usage_error({"shadow", "create", "tdev", "--cow-size", "1M", "--cow-file", "cow.img"}),
        HasSubstr("--cow-file: expected an absolute path, got 'cow.img'"));
    EXPECT_THAT(usage_error({"shadow", "create", "tdev", "--cow-size", "1M", "--cow-file", ""}),
                HasSubstr("--cow-file: expected an absolute path, got ''"));
    EXPECT_THAT(usage_error({"shadow", "create", "tdev", "--cow-size", "1M", "--mode", "Sync"}),
                HasSubstr("shadow mode must be async, sync or gate, got 'Sync'"));
    EXPECT_THAT(usage_error({"shadow", "create", "tdev", "--cow-size", "1M", "--sample", "x"}),
                HasSubstr("--sample: expected a whole number, got 'x'"));
    EXPECT_THAT(usage_error({"shadow", "create", "a/b", "--cow-size", "1M"}),
                HasSubstr("device name cannot contain '/'"));
    EXPECT_THAT(usage_error({"shadow", "reset", std::string(121, 'd')}),
                HasSubstr("would be named '" + std::string(121, 'd') +
                          "-shadow': device name is longer than 127 characters"));
}

TEST_F(Shadow, BadArgumentsExitTwoWithoutOpeningTheDevice) {
    EXPECT_EQ(run({"shadow", "tdev", "sample", "1000001"}), exit_usage);
    EXPECT_EQ(run({"shadow", "create", "tdev", "--cow-size", "1K"}), exit_usage);
    EXPECT_THAT(err.str(), HasSubstr("tandemctl: shadow: --cow-size: 1K is too small"));
    EXPECT_THAT(err.str(), HasSubstr("usage: tandemctl shadow <dev> on|off|status"));
    EXPECT_EQ(factory_calls, 0);
    EXPECT_THAT(store.calls, IsEmpty());
}

TEST_F(Shadow, HelpNeedsNoDevice) {
    EXPECT_EQ(run({"shadow", "--help"}), exit_ok);
    EXPECT_THAT(out.str(), HasSubstr("tandemctl shadow create <dev> --cow-size <size>"));
    EXPECT_EQ(run({"--help"}), exit_ok);
    EXPECT_THAT(out.str(), HasSubstr("  shadow        <dev> on|off|status\n"));
    EXPECT_EQ(factory_calls, 0);
}

// --- settings and status ---------------------------------------------------------

TEST_F(Shadow, SettingsSendOneMessage) {
    dm.set_status("tdev", with_shadow);
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"on"}, "shadow on"},
        {{"off"}, "shadow off"},
        {{"sample", "10"}, "shadow sample 10"},
        {{"sample", "0"}, "shadow sample 0"},
        {{"pool", "4096"}, "shadow pool 4096"},
        {{"mode", "sync"}, "shadow_mode sync"},
    };
    for (const auto& [words, message] : cases) {
        dm.messages.clear();
        std::vector<std::string> args{"shadow", "tdev"};
        args.insert(args.end(), words.begin(), words.end());
        EXPECT_EQ(run(args), exit_ok) << err.str();
        ASSERT_EQ(dm.messages.size(), 1u) << message;
        EXPECT_EQ(dm.messages[0].second, message);
    }
    EXPECT_THAT(dm.calls, IsEmpty());
    EXPECT_EQ(run({"shadow", "tdev", "sample", "10"}), exit_ok);
    EXPECT_EQ(out.str(), "tdev: shadow sample set to 10: cloning 1 in 10 bios\n");
    EXPECT_EQ(run({"shadow", "tdev", "mode", "gate"}), exit_ok);
    EXPECT_EQ(out.str(), "tdev: shadow mode set to gate\n");
}

TEST_F(Shadow, SettingsNeedAShadow) {
    EXPECT_EQ(run({"shadow", "tdev", "on"}), exit_usage);
    EXPECT_THAT(err.str(), HasSubstr("shadow: tdev has no shadow; 'tandemctl shadow create tdev "
                                     "--cow-size <size>' makes one"));
    dm.set_status("tdev", std::string("5 ") + v5_fields);
    EXPECT_EQ(run({"shadow", "tdev", "mode", "gate"}), exit_usage);
    EXPECT_THAT(err.str(), HasSubstr("tdev reports status version 5, a target without the "
                                     "shadow"));
    EXPECT_THAT(dm.messages, IsEmpty());
}

TEST_F(Shadow, ARefusedMessageExitsOne) {
    dm.set_status("tdev", with_shadow);
    dm.reject.insert("shadow pool 16");
    EXPECT_EQ(run({"shadow", "tdev", "pool", "16"}), exit_failure);
    EXPECT_THAT(err.str(), HasSubstr("rejected by the target"));
}

TEST_F(Shadow, StatusShowsBothSidesFromTheStatsReply) {
    dm.set_status("tdev", with_shadow);
    const std::string zeros = "0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0";
    std::string reply = "leg 0 state A weight 100 reads 10 writes 20 read_errors 0 write_errors 0\n"
                        "shadow dev 253:9 mode async sample 1 pool_kib 8192 pool_used_kib 64 "
                        "dropped 0 gate_failures 0 compared 100 mismatches 3 confined 1 "
                        "confined_errors 0\n";
    for (const char* op : {"read", "write", "flush", "discard"}) {
        const bool read = std::string(op) == "read";
        reply += std::string("shadow_op ") + op + " side production count " +
                 (read ? "100 errors 0 p50_us 256 p99_us 512" : "0 errors 0 p50_us 0 p99_us 0") +
                 " lat_us " + zeros + "\n";
        reply += std::string("shadow_op ") + op + " side shadow count " +
                 (read ? "100 errors 2 p50_us 64 p99_us 128" : "0 errors 0 p50_us 0 p99_us 0") +
                 " lat_us " + zeros + "\n";
    }
    reply += "shadow_mismatch_sectors 80,88,96\n";
    dm.replies["stats"] = reply;

    EXPECT_EQ(run({"shadow", "tdev", "status"}), exit_ok) << err.str();
    EXPECT_EQ(out.str(),
              "tdev: shadow 253:9, mode async, cloning every bio, pool 64 of 8192 KiB in use\n"
              "dropped 0, gate failures 0, reads compared 100 (3 differed), confined 1 (0 "
              "failed)\n"
              "first mismatching reads at sector(s) 80,88,96\n"
              "                 production                          shadow\n"
              "op               count  errors  p50_us  p99_us       count  errors  p50_us  "
              "p99_us\n"
              "read               100       0     256     512         100       2      64     "
              "128\n"
              "write                0       0       -       -           0       0       -       "
              "-\n"
              "flush                0       0       -       -           0       0       -       "
              "-\n"
              "discard              0       0       -       -           0       0       -       "
              "-\n");
    ASSERT_EQ(dm.messages.size(), 1u);
    EXPECT_EQ(dm.messages[0].second, "stats");

    dm.replies["stats"] = "read_retries 0\n";
    EXPECT_EQ(run({"shadow", "tdev", "status"}), exit_failure);
    EXPECT_THAT(err.str(), HasSubstr("the stats reply has no shadow lines"));
    dm.replies["stats"] = "shadow dev 253:9 mode async\n";
    EXPECT_EQ(run({"shadow", "tdev", "status"}), exit_failure);
    EXPECT_THAT(err.str(), HasSubstr("tdev: stats line 1: line ends before field 6 (sample)"));
}

TEST_F(Shadow, StatusWithoutAShadow) {
    EXPECT_EQ(run({"shadow", "tdev", "status"}), exit_ok);
    EXPECT_EQ(out.str(), "tdev: shadow: none\n");
    EXPECT_THAT(dm.messages, IsEmpty());
}

// --- create --------------------------------------------------------------------------

TEST_F(Shadow, CreateMakesTheCowTheSnapshotAndReloadsTheTable) {
    EXPECT_EQ(run({"shadow", "create", "tdev", "--cow-size", "32M"}), exit_ok) << err.str();
    EXPECT_THAT(store.calls, ElementsAre(std::string("create_file ") + cow,
                                         std::string("attach ") + cow, "release /dev/loop0"));
    EXPECT_EQ(store.files.at(cow), 32u << 20);
    EXPECT_EQ(store.loops_held, 0);
    EXPECT_THAT(dm.calls,
                ElementsAre("create tdev-shadow", "load tdev", "suspend tdev", "resume tdev"));

    const auto& shadow = dm.devices.at("tdev-shadow");
    EXPECT_EQ(shadow.uuid, "TANDEM-SHADOW-tdev");
    EXPECT_EQ(shadow.type, "snapshot");
    EXPECT_EQ(shadow.length, 262144u);
    EXPECT_EQ(shadow.table, "253:1 7:0 N 8");
    const std::string number = "253:" + std::to_string(shadow.minor);
    EXPECT_EQ(live(), "- 1024 2 253:1 253:2 3 nosync shadow " + number);
    EXPECT_FALSE(dm.devices.at("tdev").suspended);
    EXPECT_EQ(out.str(), "tdev: shadow tdev-shadow (" + number +
                             ") attached, mode async, cloning every bio; a snapshot of leg 0 "
                             "(253:1) over /dev/loop0 (" +
                             cow + ", 32 MiB, sparse)\n");
}

TEST_F(Shadow, CreateWithModeSampleAndFileKeepsTheOtherFeatures) {
    dm.devices.at("tdev").table = "- 1024 2 253:1 253:2 6 read_weights 70 30 rule 1 test";
    EXPECT_EQ(run({"shadow", "create", "tdev", "--cow-size", "1G", "--cow-file", "/srv/c.img",
                   "--mode", "gate", "--sample", "10"}),
              exit_ok)
        << err.str();
    EXPECT_EQ(store.files.at("/srv/c.img"), 1u << 30);
    const std::string number = "253:" + std::to_string(dm.devices.at("tdev-shadow").minor);
    EXPECT_EQ(live(), "- 1024 2 253:1 253:2 12 read_weights 70 30 rule 1 test shadow " + number +
                          " shadow_mode gate shadow_sample 10");
    EXPECT_THAT(out.str(), HasSubstr("attached, mode gate, cloning 1 in 10 bios;"));
    EXPECT_THAT(out.str(), HasSubstr("(/srv/c.img, 1 GiB, sparse)"));
}

TEST_F(Shadow, CreateRefusesWithoutChangingAnything) {
    auto refused = [&](const std::string& why) {
        EXPECT_EQ(run({"shadow", "create", "tdev", "--cow-size", "32M"}), exit_usage) << why;
        EXPECT_THAT(err.str(), HasSubstr(why));
        EXPECT_THAT(dm.calls, IsEmpty());
        EXPECT_THAT(store.calls, IsEmpty());
    };
    dm.devices.at("tdev").table = "- 1024 2 253:1 253:2 3 nosync shadow 8:16";
    refused("shadow create: tdev has a shadow already (8:16); 'tandemctl shadow remove tdev' "
            "first");
    dm.devices.at("tdev").table = table;

    dm.set_status("tdev", std::string("5 ") + v5_fields);
    refused("shadow create: tdev reports status version 5, a target without the shadow; its "
            "module is older than this tandemctl");
    dm.set_status("tdev", no_shadow);

    dm.add("tdev-shadow", "", "8:16 7:3 N 8");
    refused("shadow create: a device named tdev-shadow exists already");
    dm.remove_device("tdev-shadow");

    store.files[cow] = 4096;
    refused(std::string("shadow create: ") + cow +
            " exists already; delete it or choose another --cow-file");
    store.files.clear();

    dm.devices.at("tdev").type = "linear";
    refused("shadow create: tdev is not a tandem device (its table has 1 line(s), the first of "
            "target 'linear')");
}

TEST_F(Shadow, CreateOnAMissingDeviceExitsOne) {
    EXPECT_EQ(run({"shadow", "create", "nosuch", "--cow-size", "32M"}), exit_failure);
    EXPECT_THAT(err.str(), HasSubstr("table nosuch: no such device"));
    EXPECT_THAT(store.calls, IsEmpty());
}

namespace {

// A create that fails at one step, and what must be left afterwards.
struct CreateFailure {
    const char* fail_dm;    // a FakeDeviceMapper call to fail, or ""
    const char* fail_store; // a FakeCowStore call to fail, or ""
    std::vector<std::string> dm_calls;
    std::vector<std::string> store_calls;
};

void PrintTo(const CreateFailure& f, std::ostream* os) {
    *os << (*f.fail_dm ? f.fail_dm : f.fail_store);
}

struct ShadowCreateFails : Shadow, ::testing::WithParamInterface<CreateFailure> {};

const std::string create_file = std::string("create_file ") + cow;
const std::string attach = std::string("attach ") + cow;
const std::string remove_file = std::string("remove_file ") + cow;

} // namespace

TEST_P(ShadowCreateFails, UndoingEveryStepBeforeIt) {
    const CreateFailure& f = GetParam();
    if (*f.fail_dm)
        dm.fail.insert(f.fail_dm);
    if (*f.fail_store)
        store.fail.insert(f.fail_store);
    EXPECT_EQ(run({"shadow", "create", "tdev", "--cow-size", "32M"}), exit_failure);
    EXPECT_THAT(err.str(), HasSubstr("injected failure"));
    EXPECT_THAT(err.str(), HasSubstr("(undone: nothing changed)"));
    EXPECT_EQ(dm.calls, f.dm_calls);
    EXPECT_EQ(store.calls, f.store_calls);
    // Nothing is left: no shadow device, no file, no loop held, the old
    // table live and the device running.
    EXPECT_FALSE(dm.devices.count("tdev-shadow"));
    EXPECT_TRUE(store.files.empty());
    EXPECT_EQ(store.loops_held, 0);
    EXPECT_EQ(live(), table);
    EXPECT_FALSE(dm.devices.at("tdev").inactive.has_value());
    EXPECT_FALSE(dm.devices.at("tdev").suspended);
}

INSTANTIATE_TEST_SUITE_P(
    EachStep, ShadowCreateFails,
    ::testing::Values(
        CreateFailure{"", "create_file /var/lib/tandem/tdev-cow.img", {}, {create_file}},
        CreateFailure{
            "", "attach /var/lib/tandem/tdev-cow.img", {}, {create_file, attach, remove_file}},
        CreateFailure{"create tdev-shadow",
                      "",
                      {"create tdev-shadow"},
                      {create_file, attach, "release /dev/loop0", remove_file}},
        CreateFailure{"load tdev",
                      "",
                      {"create tdev-shadow", "load tdev", "remove tdev-shadow"},
                      {create_file, attach, "release /dev/loop0", remove_file}},
        CreateFailure{
            "suspend tdev",
            "",
            {"create tdev-shadow", "load tdev", "suspend tdev", "clear tdev", "remove tdev-shadow"},
            {create_file, attach, "release /dev/loop0", remove_file}},
        // The failed resume left the device suspended: resumed on the old table.
        CreateFailure{"resume tdev",
                      "",
                      {"create tdev-shadow", "load tdev", "suspend tdev", "resume tdev",
                       "clear tdev", "resume tdev", "remove tdev-shadow"},
                      {create_file, attach, "release /dev/loop0", remove_file}}));

TEST_F(Shadow, CreateSaysWhatItCouldNotUndo) {
    dm.fail.insert("load tdev");
    dm.fail.insert("remove tdev-shadow");
    EXPECT_EQ(run({"shadow", "create", "tdev", "--cow-size", "32M"}), exit_failure);
    EXPECT_THAT(err.str(), HasSubstr("load tdev: injected failure; undoing failed too: remove "
                                     "tdev-shadow: remove tdev-shadow: injected failure"));
    // The rest was still undone.
    EXPECT_TRUE(store.files.empty());
    EXPECT_EQ(live(), table);
}

TEST_F(Shadow, CreateWhenTheOldTableCannotBeResumedEither) {
    // Resuming fails twice: the old table is loaded again and resumed.
    dm.fail.insert("resume tdev");
    dm.fail.insert("resume tdev");
    EXPECT_EQ(run({"shadow", "create", "tdev", "--cow-size", "32M"}), exit_failure);
    EXPECT_THAT(dm.calls, ElementsAre("create tdev-shadow", "load tdev", "suspend tdev",
                                      "resume tdev", "clear tdev", "resume tdev", "load tdev",
                                      "resume tdev", "remove tdev-shadow"));
    EXPECT_EQ(live(), table);
    EXPECT_FALSE(dm.devices.at("tdev").suspended);
}

// --- remove ----------------------------------------------------------------------

TEST_F(Shadow, RemoveDetachesRemovesAndDeletes) {
    create();
    const std::string number = "253:" + std::to_string(dm.devices.at("tdev-shadow").minor);
    EXPECT_EQ(run({"shadow", "remove", "tdev"}), exit_ok) << err.str();
    EXPECT_THAT(dm.calls,
                ElementsAre("load tdev", "suspend tdev", "resume tdev", "remove tdev-shadow"));
    EXPECT_THAT(store.calls, ElementsAre(remove_file));
    EXPECT_EQ(live(), "- 1024 2 253:1 253:2 1 nosync");
    EXPECT_FALSE(dm.devices.count("tdev-shadow"));
    EXPECT_TRUE(store.files.empty());
    EXPECT_EQ(out.str(), "tdev: shadow " + number +
                             " detached\n"
                             "tdev: tdev-shadow removed\n"
                             "tdev: " +
                             cow + " deleted\n");
}

TEST_F(Shadow, RemoveDropsEveryShadowFeatureAndNotesShadowRules) {
    create({"--mode", "sync", "--sample", "5"});
    const std::string number = "253:" + std::to_string(dm.devices.at("tdev-shadow").minor);
    dm.devices.at("tdev").table = "- 1024 2 253:1 253:2 12 nosync rule 3 test ioprio=idle "
                                  "route=shadow shadow " +
                                  number + " shadow_mode sync shadow_sample 5";
    EXPECT_EQ(run({"shadow", "remove", "tdev"}), exit_ok) << err.str();
    EXPECT_EQ(live(), "- 1024 2 253:1 253:2 6 nosync rule 3 test ioprio=idle route=shadow");
    EXPECT_THAT(out.str(), HasSubstr("tdev: note: rule 0 routes bios to the shadow; without one "
                                     "they fail\n"));
}

TEST_F(Shadow, RemoveOnlyDetachesAShadowItDidNotMake) {
    dm.devices.at("tdev").table = "- 1024 2 253:1 253:2 3 nosync shadow 8:16";
    EXPECT_EQ(run({"shadow", "remove", "tdev"}), exit_ok) << err.str();
    EXPECT_THAT(dm.calls, ElementsAre("load tdev", "suspend tdev", "resume tdev"));
    EXPECT_THAT(store.calls, IsEmpty());
    EXPECT_EQ(live(), table);
    EXPECT_EQ(out.str(), "tdev: shadow 8:16 detached\n"
                         "tdev: 8:16 was not made by 'tandemctl shadow create' and is left in "
                         "place\n");
}

TEST_F(Shadow, RemoveTearsDownALeftoverShadow) {
    create();
    dm.devices.at("tdev").table = table; // detached, e.g. by an earlier remove that failed
    EXPECT_EQ(run({"shadow", "remove", "tdev"}), exit_ok) << err.str();
    EXPECT_THAT(dm.calls, ElementsAre("remove tdev-shadow"));
    EXPECT_THAT(store.calls, ElementsAre(remove_file));
    EXPECT_EQ(out.str(), std::string("tdev: tdev-shadow removed\ntdev: ") + cow + " deleted\n");
}

TEST_F(Shadow, RemoveRefusesWithoutAShadow) {
    EXPECT_EQ(run({"shadow", "remove", "tdev"}), exit_usage);
    EXPECT_THAT(err.str(), HasSubstr("shadow remove: tdev has no shadow"));
    // A tdev-shadow someone else made is never touched.
    dm.add("tdev-shadow", "", "8:16 7:3 N 8");
    EXPECT_EQ(run({"shadow", "remove", "tdev"}), exit_usage);
    EXPECT_THAT(err.str(), HasSubstr("tdev has no shadow (tdev-shadow exists but tandemctl did "
                                     "not make it: it is left alone)"));
    EXPECT_THAT(dm.calls, IsEmpty());
}

TEST_F(Shadow, RemoveReattachesWhenTheShadowCannotBeRemoved) {
    create();
    const std::string with = live();
    dm.fail.insert("remove tdev-shadow");
    EXPECT_EQ(run({"shadow", "remove", "tdev"}), exit_failure);
    EXPECT_THAT(err.str(), HasSubstr("remove tdev-shadow: injected failure (undone: nothing "
                                     "changed)"));
    EXPECT_THAT(dm.calls,
                ElementsAre("load tdev", "suspend tdev", "resume tdev", "remove tdev-shadow",
                            "load tdev", "suspend tdev", "resume tdev"));
    EXPECT_EQ(live(), with);
    EXPECT_TRUE(dm.devices.count("tdev-shadow"));
    EXPECT_EQ(store.files.count(cow), 1u);
}

TEST_F(Shadow, RemoveReportsACowFileItCannotDelete) {
    create();
    store.fail.insert(remove_file);
    EXPECT_EQ(run({"shadow", "remove", "tdev"}), exit_failure);
    EXPECT_THAT(err.str(), HasSubstr("shadow remove: tdev-shadow is gone, but its COW file could "
                                     "not be deleted: remove_file"));
    EXPECT_FALSE(dm.devices.count("tdev-shadow"));
    EXPECT_EQ(live(), table);
}

// --- reset -----------------------------------------------------------------------

TEST_F(Shadow, ResetMakesTheShadowAgainWithTheSameSettings) {
    create({"--cow-file", "/tmp/cow.img", "--cow-size", "64M", "--mode", "gate", "--sample", "3"});
    EXPECT_EQ(store.files.at("/tmp/cow.img"), 64u << 20);
    const unsigned old_minor = dm.devices.at("tdev-shadow").minor;
    EXPECT_EQ(run({"shadow", "reset", "tdev"}), exit_ok) << err.str();
    EXPECT_THAT(dm.calls,
                ElementsAre("load tdev", "suspend tdev", "resume tdev", "remove tdev-shadow",
                            "create tdev-shadow", "load tdev", "suspend tdev", "resume tdev"));
    EXPECT_THAT(store.calls, ElementsAre("remove_file /tmp/cow.img", "create_file /tmp/cow.img",
                                         "attach /tmp/cow.img", "release /dev/loop1"));
    EXPECT_EQ(store.files.at("/tmp/cow.img"), 64u << 20);
    const auto& shadow = dm.devices.at("tdev-shadow");
    EXPECT_NE(shadow.minor, old_minor);
    EXPECT_EQ(shadow.table, "253:1 7:1 N 8");
    EXPECT_EQ(live(), "- 1024 2 253:1 253:2 7 nosync shadow 253:" + std::to_string(shadow.minor) +
                          " shadow_mode gate shadow_sample 3");
    EXPECT_EQ(out.str(), "tdev: shadow reset: tdev-shadow made again over /tmp/cow.img (64 MiB); "
                         "what the shadow had written is gone\n");
}

TEST_F(Shadow, ResetRefusesAShadowItDidNotMake) {
    EXPECT_EQ(run({"shadow", "reset", "tdev"}), exit_usage);
    EXPECT_THAT(err.str(), HasSubstr("shadow reset: tdev has no shadow made by 'tandemctl shadow "
                                     "create' (no device tdev-shadow with uuid "
                                     "TANDEM-SHADOW-tdev)"));
    create();
    dm.devices.at("tdev").table = table;
    EXPECT_EQ(run({"shadow", "reset", "tdev"}), exit_usage);
    EXPECT_THAT(err.str(), HasSubstr("is not attached to tdev; 'tandemctl shadow remove tdev' "
                                     "removes it"));
    EXPECT_THAT(dm.calls, IsEmpty());
    EXPECT_THAT(store.calls, IsEmpty());
}

TEST_F(Shadow, ResetSaysWhenTheNewShadowCouldNotBeMade) {
    create();
    dm.fail.insert("create tdev-shadow");
    EXPECT_EQ(run({"shadow", "reset", "tdev"}), exit_failure);
    EXPECT_THAT(err.str(), HasSubstr("shadow reset: the old shadow is removed, but a new one could "
                                     "not be made: create tdev-shadow: injected failure"));
    EXPECT_FALSE(dm.devices.count("tdev-shadow"));
    EXPECT_EQ(live(), table);
    EXPECT_TRUE(store.files.empty());
}
