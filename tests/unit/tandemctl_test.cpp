// tandemctl: argument parsing into flags, the commands against a fake
// DeviceMapper, and the exit codes main_entry() returns.
#include "cli_runner.h"
#include "tandemctl_usage_error.h"

#include "cli.h"

#include "tandem/errors.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

using namespace tandem;
using namespace tandem::cli;
using tandem::testing::usage_error;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

namespace {

constexpr const char* golden_status = "1 2 AD 70 30 120 40 0 0 80 40 3 1 2";
// Version 2: leg 1 reinstated, 37 of its 256 regions still to copy.
constexpr const char* golden_status_v2 =
    "2 2 Aa 100 0 10 20 0 0 0 20 0 0 0 256 0 37 resync 65536 219 112128";
// Version 4: in sync, metadata ok, checksum resync counters, no pass yet.
constexpr const char* golden_status_v4 =
    "4 2 AA 100 0 10 20 0 0 0 20 0 0 0 256 0 0 idle 65536 219 112128 ok checksum 16384 164 "
    "idle 0 0";

// Version 5: the scheduler at queue depth 64; test limited and throttled,
// an added class batch; 2 rules.
constexpr const char* golden_status_v5 =
    "5 2 AA 100 0 10 20 0 0 0 20 0 0 0 256 0 0 idle 65536 219 112128 ok copy 0 0 idle 0 0 "
    "64 12 4 critical 200 0 0 1000 4000 0 7 0 256 1024 "
    "production 100 0 0 5000 20000 3 40 0 512 4096 "
    "test 50 500 10240 800 3200 9 120 77 2048 65536 "
    "batch 0 0 0 0 0 0 0 0 0 0 2";

// The version 5 fields of a fresh device: scheduler off, built-in classes.
constexpr const char* fresh_scheduler =
    " 0 0 3 critical 200 0 0 0 0 0 0 0 0 0 production 100 0 0 0 0 0 0 0 0 0 "
    "test 50 0 0 0 0 0 0 0 0 0 0";

// The version 6 fields of a device without a shadow.
constexpr const char* no_shadow =
    " - async 1 8192 0 0 0 0 0 0 0 read 0 0 0 0 0 0 write 0 0 0 0 0 0 flush 0 0 0 0 0 0 "
    "discard 0 0 0 0 0 0";

// A version 4 line of 256 regions in sync with the given check fields.
std::string v4_check(const std::string& action, unsigned done, unsigned mismatches,
                     const std::string& states = "AA") {
    return "4 2 " + states + " 100 0 0 0 0 0 0 0 0 0 0 256 0 0 idle 65536 0 0 ok copy 0 0 " +
           action + " " + std::to_string(done) + " " + std::to_string(mismatches);
}

// Runs tandemctl against a fake device "tandem0" with two legs.
struct Cli : ::testing::Test, tandem::testing::CliRunner {
    Cli() { dm.add("tandem0", golden_status, "- 1024 2 253:1 253:2 4 nosync read_weights 70 30"); }
};

} // namespace

// --- parsing -----------------------------------------------------------------

TEST(TandemctlParse, EachCommandIntoItsFlags) {
    auto status = std::get<StatusFlags>(parse_command_line({"status", "tandem0"}));
    EXPECT_EQ(status.device, "tandem0");
    EXPECT_FALSE(status.raw);
    EXPECT_TRUE(std::get<StatusFlags>(parse_command_line({"status", "--raw", "t"})).raw);
    EXPECT_TRUE(std::get<TableFlags>(parse_command_line({"table", "t", "--raw"})).raw);

    auto w = std::get<WeightsFlags>(parse_command_line({"weights", "tandem0", "25", "25", "50"}));
    EXPECT_EQ(w.device, "tandem0");
    EXPECT_EQ(w.weights, (std::vector<unsigned>{25, 25, 50}));

    EXPECT_EQ(std::get<FailLegFlags>(parse_command_line({"fail-leg", "t", "1"})).leg, 1u);
    EXPECT_EQ(std::get<ReinstateLegFlags>(parse_command_line({"reinstate-leg", "t", "3"})).leg, 3u);
    auto rate = std::get<SyncRateFlags>(parse_command_line({"sync-rate", "tandem0", "1024"}));
    EXPECT_EQ(rate.device, "tandem0");
    EXPECT_EQ(rate.kib_per_s, 1024u);
    EXPECT_EQ(std::get<SyncRateFlags>(parse_command_line({"sync-rate", "t", "0"})).kib_per_s, 0u);
    EXPECT_EQ(std::get<SyncRateFlags>(parse_command_line({"sync-rate", "t", "16777216"})).kib_per_s,
              16777216u);
    EXPECT_FALSE(std::get<StatsFlags>(parse_command_line({"stats", "t"})).reset);
    EXPECT_TRUE(std::get<StatsFlags>(parse_command_line({"stats", "t", "--reset"})).reset);

    auto mode = std::get<ResyncModeFlags>(parse_command_line({"resync-mode", "t", "checksum"}));
    EXPECT_EQ(mode.device, "t");
    EXPECT_EQ(mode.mode, "checksum");
    EXPECT_EQ(std::get<ResyncModeFlags>(parse_command_line({"resync-mode", "t", "copy"})).mode,
              "copy");

    auto verify = std::get<VerifyFlags>(parse_command_line({"verify", "tandem0"}));
    EXPECT_EQ(verify.device, "tandem0");
    EXPECT_FALSE(verify.repair);
    EXPECT_FALSE(verify.wait);
    auto repair = std::get<VerifyFlags>(parse_command_line({"verify", "t", "--repair", "--wait"}));
    EXPECT_TRUE(repair.repair);
    EXPECT_TRUE(repair.wait);

    auto dump = std::get<MetadataFlags>(parse_command_line({"metadata", "dump", "/dev/vdc"}));
    EXPECT_EQ(dump.action, MetadataFlags::Action::dump);
    EXPECT_EQ(dump.path, "/dev/vdc");
    EXPECT_FALSE(dump.bits);
    EXPECT_TRUE(
        std::get<MetadataFlags>(parse_command_line({"metadata", "dump", "m.img", "--bits"})).bits);
    auto check = std::get<MetadataFlags>(parse_command_line({"metadata", "check", "./m.img"}));
    EXPECT_EQ(check.action, MetadataFlags::Action::check);
    EXPECT_EQ(check.path, "./m.img");
}

TEST(TandemctlParse, Help) {
    EXPECT_THAT(std::get<Help>(parse_command_line({"--help"})).text,
                HasSubstr("usage: tandemctl <command>"));
    EXPECT_THAT(std::get<Help>(parse_command_line({"-h"})).text, HasSubstr("reinstate-leg"));
    EXPECT_THAT(std::get<Help>(parse_command_line({"stats", "--help"})).text, HasSubstr("--reset"));
    EXPECT_THAT(std::get<Help>(parse_command_line({"weights", "-h"})).text,
                HasSubstr("usage: tandemctl weights <dev> <w0> <w1>"));
    EXPECT_THAT(std::get<Help>(parse_command_line({"--version"})).text, StartsWith("tandemctl "));
    EXPECT_THAT(std::get<Help>(parse_command_line({"--help"})).text,
                HasSubstr("sync-rate     <dev> <KiB/s>"));
    EXPECT_THAT(std::get<Help>(parse_command_line({"sync-rate", "--help"})).text,
                HasSubstr("usage: tandemctl sync-rate <dev> <KiB/s>\n\nSet the resync rate in "
                          "KiB/s; 0 pauses the resync."));
    const std::string help = std::get<Help>(parse_command_line({"--help"})).text;
    EXPECT_THAT(help, HasSubstr("resync-mode   <dev> copy|checksum"));
    EXPECT_THAT(help, HasSubstr("verify        <dev> [--repair] [--wait]"));
    EXPECT_THAT(help, HasSubstr("metadata      dump|check <metadata-device-or-image> [--bits]"));
    EXPECT_THAT(help, HasSubstr("3 if 'verify --wait' found blocks that\ndiffer"));
    // The exit statuses of verify and metadata, in their own help.
    const std::string verify = std::get<Help>(parse_command_line({"verify", "--help"})).text;
    EXPECT_THAT(verify, HasSubstr("usage: tandemctl verify <dev> [--repair] [--wait]"));
    EXPECT_THAT(verify, HasSubstr("Exit status: 0 when the pass started (with --wait: ended with "
                                  "no differing block)"));
    EXPECT_THAT(verify, HasSubstr("3 with --wait when differing blocks were found"));
    EXPECT_THAT(verify, HasSubstr("--repair"));
    EXPECT_THAT(verify, HasSubstr("--wait"));
    const std::string md = std::get<Help>(parse_command_line({"metadata", "--help"})).text;
    EXPECT_THAT(md, HasSubstr("Exit status: 0 if valid (warnings allowed) or blank, 1 if not"));
    EXPECT_THAT(md, HasSubstr("--bits"));
}

TEST(TandemctlParse, UsageErrors) {
    EXPECT_THAT(usage_error({}), StartsWith("no command given"));
    EXPECT_THAT(usage_error({"frobnicate"}), StartsWith("unknown command 'frobnicate'"));
    EXPECT_THAT(usage_error({"--verbose"}), StartsWith("unknown option '--verbose'"));
    EXPECT_THAT(usage_error({"status"}), StartsWith("status: missing <dev>"));
    EXPECT_THAT(usage_error({"status", "a", "b"}), StartsWith("status: too many arguments"));
    EXPECT_THAT(usage_error({"status", "a", "--reset"}),
                StartsWith("status: unrecognised option '--reset'"));
    EXPECT_THAT(usage_error({"stats", "a", "--r"}), HasSubstr("unrecognised option '--r'"));
    EXPECT_THAT(usage_error({"status", "a/b"}), StartsWith("status: device name cannot contain"));
    EXPECT_THAT(usage_error({"fail-leg", "a"}), StartsWith("fail-leg: missing <leg>"));
    EXPECT_THAT(usage_error({"fail-leg", "a", "1", "2"}), StartsWith("fail-leg: too many"));
    EXPECT_THAT(usage_error({"fail-leg", "a", "4"}),
                StartsWith("fail-leg: leg index must be 0..3, got 4"));
    EXPECT_THAT(usage_error({"reinstate-leg", "a", "one"}),
                StartsWith("reinstate-leg: leg: expected a whole number, got 'one'"));
    EXPECT_THAT(usage_error({"reinstate-leg", "a", "-1"}),
                StartsWith("reinstate-leg: '-1' is negative"));
    EXPECT_THAT(usage_error({"weights", "a"}),
                StartsWith("weights: expected 2 to 4 weights (one per leg), got 0"));
    EXPECT_THAT(usage_error({"weights", "a", "70", "20"}),
                StartsWith("weights: weights sum to 90; they must sum to 100"));
    EXPECT_THAT(usage_error({"weights", "a", "150", "-50"}), StartsWith("weights: '-50' is"));
    EXPECT_THAT(usage_error({"weights", "a", "70", "30%"}),
                StartsWith("weights: weight of leg 1: expected a whole number, got '30%'"));
    EXPECT_THAT(usage_error({"weights", "a", "99999999999", "1"}),
                StartsWith("weights: weight of leg 0: expected a whole number"));
    EXPECT_THAT(usage_error({"sync-rate", "a"}), StartsWith("sync-rate: missing <KiB/s>"));
    EXPECT_THAT(usage_error({"sync-rate", "a", "1", "2"}), StartsWith("sync-rate: too many"));
    EXPECT_THAT(usage_error({"sync-rate", "a", "16777217"}),
                StartsWith("sync-rate: sync rate 16777217 KiB/s is out of range; it must be "
                           "0..16777216 KiB/s (0 pauses the resync)"));
    EXPECT_THAT(usage_error({"sync-rate", "a", "99999999999999999999"}),
                StartsWith("sync-rate: rate: expected a whole number of KiB/s, got "
                           "'99999999999999999999'"));
    EXPECT_THAT(usage_error({"sync-rate", "a", "64M"}),
                StartsWith("sync-rate: rate: expected a whole number of KiB/s, got '64M'"));
    EXPECT_THAT(usage_error({"sync-rate", "a", "-1"}), StartsWith("sync-rate: '-1' is negative"));
    EXPECT_THAT(usage_error({"sync-rate", "a/b", "1"}),
                StartsWith("sync-rate: device name cannot contain"));
    EXPECT_THAT(usage_error({"sync-rate", "a"}),
                HasSubstr("\nusage: tandemctl sync-rate <dev> <KiB/s>"));
    EXPECT_THAT(usage_error({"resync-mode", "a"}),
                StartsWith("resync-mode: missing copy|checksum"));
    EXPECT_THAT(usage_error({"resync-mode", "a", "xxh64"}),
                StartsWith("resync-mode: mode: expected copy or checksum, got 'xxh64'"));
    EXPECT_THAT(usage_error({"resync-mode", "a", "copy", "checksum"}),
                StartsWith("resync-mode: too many arguments"));
    EXPECT_THAT(usage_error({"verify"}), StartsWith("verify: missing <dev>"));
    EXPECT_THAT(usage_error({"verify", "a", "b"}), StartsWith("verify: too many arguments"));
    EXPECT_THAT(usage_error({"verify", "a", "--fix"}),
                StartsWith("verify: unrecognised option '--fix'"));
    EXPECT_THAT(usage_error({"verify", "a/b"}), StartsWith("verify: device name cannot contain"));
    EXPECT_THAT(usage_error({"metadata"}), StartsWith("metadata: missing dump|check"));
    EXPECT_THAT(usage_error({"metadata", "dump"}),
                StartsWith("metadata: missing <metadata-device-or-image>"));
    EXPECT_THAT(usage_error({"metadata", "show", "/dev/vdc"}),
                StartsWith("metadata: expected dump or check, got 'show'"));
    EXPECT_THAT(usage_error({"metadata", "check", "/dev/vdc", "--bits"}),
                StartsWith("metadata: --bits goes with dump"));
    EXPECT_THAT(usage_error({"metadata", "dump", "a", "b"}), StartsWith("metadata: too many"));
    EXPECT_THAT(usage_error({"metadata", "dump"}),
                HasSubstr("\nusage: tandemctl metadata dump|check <metadata-device-or-image> "
                          "[--bits]"));
    // Every usage error ends with the command's synopsis.
    EXPECT_THAT(usage_error({"fail-leg", "a"}),
                HasSubstr("\nusage: tandemctl fail-leg <dev> <leg>"));
}

// --- commands ------------------------------------------------------------------

TEST_F(Cli, StatusShowsEachLeg) {
    EXPECT_EQ(run({"status", "tandem0"}), exit_ok);
    EXPECT_EQ(out.str(),
              "tandem0: 2 legs, status version 1\n"
              " leg  role   state    weight         reads        writes read_errors write_errors\n"
              "   0  source alive       70%           120            40           0            0\n"
              "   1  target dead        30%            80            40           3            1\n"
              "read retries: 2\n");
    EXPECT_EQ(err.str(), "");
}

TEST_F(Cli, StatusRawIsTheKernelsLine) {
    EXPECT_EQ(run({"status", "tandem0", "--raw"}), exit_ok);
    EXPECT_EQ(out.str(), std::string(golden_status) + "\n");
}

TEST_F(Cli, StatusVersion2ShowsTheResync) {
    dm.set_status("tandem0", golden_status_v2);
    EXPECT_EQ(run({"status", "tandem0"}), exit_ok);
    EXPECT_EQ(out.str(), "tandem0: 2 legs, status version 2\n"
                         " leg  role   state    weight         reads        writes read_errors "
                         "write_errors  out_of_sync\n"
                         "   0  source alive      100%            10            20           0 "
                         "           0        0/256\n"
                         "   1  target syncing      0%             0            20           0 "
                         "           0       37/256\n"
                         "read retries: 0\n"
                         "sync: resync 37/256 regions to copy for leg 1, 65536 KiB/s\n"
                         "progress: [#########################-----]  85.5%  37/256 regions "
                         "left  ETA 1s (at 65536 KiB/s)\n"
                         "copied: 219 regions (112128 KiB) since the device was created\n");
    EXPECT_EQ(err.str(), "");
}

TEST_F(Cli, StatusVersion2InSync) {
    dm.set_status("tandem0", "2 2 AA 70 30 5 6 0 0 7 8 0 0 0 128 0 0 idle 1024 128 65536");
    EXPECT_EQ(run({"status", "tandem0"}), exit_ok);
    EXPECT_THAT(out.str(), HasSubstr("   1  target alive       30%             7             8"
                                     "           0            0        0/128\n"));
    EXPECT_THAT(out.str(), HasSubstr("sync: idle, 1024 KiB/s\n"
                                     "copied: 128 regions (65536 KiB) since the device was "
                                     "created\n"));
}

TEST_F(Cli, StatusVersion2PausedWithAFailedLegBehind) {
    dm.set_status("tandem0", "2 3 AaD 100 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 64 0 3 64 paused 0 0 0");
    EXPECT_EQ(run({"status", "tandem0"}), exit_ok);
    EXPECT_THAT(out.str(), HasSubstr("   2  target dead         0%"));
    EXPECT_THAT(out.str(), HasSubstr("        64/64\n"));
    EXPECT_THAT(out.str(), HasSubstr("sync: paused 3/64 regions to copy for leg 1, 0 KiB/s (resume "
                                     "with 'tandemctl sync-rate tandem0 <KiB/s>'); leg 2 (failed) "
                                     "lacks 64/64 regions\n"));
}

TEST_F(Cli, StatusOfANewerVersionSaysWhatIsNotShown) {
    dm.set_status("tandem0", std::string("9 2 As 50 50 0 0 0 0 0 0 0 0 0 64 0 3 rebuild 100 7 "
                                         "3584 degraded blake3 5 1 scrub 7 0") +
                                 fresh_scheduler + no_shadow + " 12 34");
    EXPECT_EQ(run({"status", "tandem0"}), exit_ok);
    EXPECT_THAT(out.str(), HasSubstr("status version 9 (2 newer field(s) not shown)"));
    EXPECT_THAT(out.str(), HasSubstr("unknown (s)"));
    EXPECT_THAT(out.str(), HasSubstr("sync: rebuild 3/64 regions to copy for leg 1, 100 KiB/s"));
    EXPECT_THAT(out.str(), HasSubstr("resync mode: blake3, 5 blocks compared, 1 copied\n"
                                     "metadata: degraded\n"
                                     "check: scrub 7/64 regions, 0 mismatching blocks\n"));
}

TEST_F(Cli, StatusVersion6ShowsTheShadow) {
    const std::string v6 = "6" + std::string(golden_status_v5).substr(1);
    dm.set_status("tandem0", v6 + " 253:2 gate 10 8192 64 5 2 100 3 1 0 read 100 0 512 100 0 128 "
                                  "write 2048 0 1024 2049 0 256 flush 0 0 0 0 0 0 discard 7 1 64 "
                                  "7 0 32");
    EXPECT_EQ(run({"status", "tandem0"}), exit_ok);
    EXPECT_THAT(out.str(), HasSubstr("status version 6\n"));
    EXPECT_THAT(out.str(),
                HasSubstr("shadow: 253:2, mode gate, cloning 1 in 10 bios, pool 64 of 8192 KiB in "
                          "use\n"
                          "dropped 5, gate failures 2, reads compared 100 (3 differed), confined 1 "
                          "(0 failed)\n"
                          "                 production                  shadow\n"
                          "op               count  errors  p99_us       count  errors  p99_us\n"
                          "read               100       0     512         100       0     128\n"
                          "write             2048       0    1024        2049       0     256\n"
                          "flush                0       0       -           0       0       -\n"
                          "discard              7       1      64           7       0      32\n"));

    // Without a shadow: one line, and the bios that found none.
    dm.set_status("tandem0", v6 + no_shadow);
    EXPECT_EQ(run({"status", "tandem0"}), exit_ok);
    EXPECT_THAT(out.str(), HasSubstr("shadow: none\n"));
    EXPECT_THAT(out.str(), Not(HasSubstr("p99_us       count")));
    dm.set_status("tandem0", v6 + " - async 1 8192 0 0 0 0 0 4 4 read 0 0 0 0 0 0 write 0 0 0 0 "
                                  "0 0 flush 0 0 0 0 0 0 discard 0 0 0 0 0 0");
    EXPECT_EQ(run({"status", "tandem0"}), exit_ok);
    EXPECT_THAT(out.str(), HasSubstr("shadow: none; 4 bio(s) confined to the shadow, 4 failed\n"));
}

TEST_F(Cli, StatusVersion5ShowsTheClasses) {
    dm.set_status("tandem0", golden_status_v5);
    EXPECT_EQ(run({"status", "tandem0"}), exit_ok);
    EXPECT_THAT(out.str(), HasSubstr("check: idle\n"
                                     "scheduler: queue depth 64, 12 in flight; 2 rules\n"));
    EXPECT_THAT(
        out.str(),
        HasSubstr("class           weight  iops_limit    bw_KiB/s          bios           "
                  "kib  queued    waited  throttled    p50_us    p99_us\n"
                  "critical           200           -           -          1000          "
                  "4000       0         7          0       256      1024\n"
                  "production         100           -           -          5000         "
                  "20000       3        40          0       512      4096\n"
                  "test                50         500       10240           800          "
                  "3200       9       120         77      2048     65536\n"
                  "batch                0           -           -             0             "
                  "0       0         0          0         -         -\n"));
    EXPECT_EQ(err.str(), "");
}

TEST_F(Cli, StatusVersion5WithTheSchedulerOff) {
    dm.set_status("tandem0", std::string("5 2 AA 100 0 0 0 0 0 0 0 0 0 0 256 0 0 idle 65536 0 0 "
                                         "- copy 0 0 idle 0 0") +
                                 fresh_scheduler);
    EXPECT_EQ(run({"status", "tandem0"}), exit_ok);
    EXPECT_THAT(out.str(), HasSubstr("scheduler: off (queue depth 0); 0 rules\nclass "));
    EXPECT_THAT(out.str(), HasSubstr("\ntest                50           -           -"));
}

TEST_F(Cli, StatusRejectsAWrongClassCount) {
    std::string line = golden_status_v5;
    line.replace(line.find(" 64 12 4 "), 9, " 64 12 5 ");
    dm.set_status("tandem0", line);
    EXPECT_EQ(run({"status", "tandem0"}), exit_failure);
    EXPECT_THAT(err.str(), HasSubstr("tandemctl: tandem0: status field 76 (name of class 4): class "
                                     "name '2' must start with a lowercase letter a-z; is "
                                     "#classes (5) right? in '5 2 AA"));
}

TEST_F(Cli, StatusVersion4ShowsMetadataResyncModeAndCheck) {
    dm.set_status("tandem0", golden_status_v4);
    EXPECT_EQ(run({"status", "tandem0"}), exit_ok);
    EXPECT_EQ(out.str(), "tandem0: 2 legs, status version 4\n"
                         " leg  role   state    weight         reads        writes read_errors "
                         "write_errors  out_of_sync\n"
                         "   0  source alive      100%            10            20           0 "
                         "           0        0/256\n"
                         "   1  target alive        0%             0            20           0 "
                         "           0        0/256\n"
                         "read retries: 0\n"
                         "sync: idle, 65536 KiB/s\n"
                         "copied: 219 regions (112128 KiB) since the device was created\n"
                         "resync mode: checksum, 16384 blocks compared, 164 copied\n"
                         "metadata: ok\n"
                         "check: idle\n");
    EXPECT_EQ(err.str(), "");
}

TEST_F(Cli, StatusVersion4DuringAVerifyAndWithFailedMetadata) {
    dm.set_status("tandem0", v4_check("verify", 37, 2));
    EXPECT_EQ(run({"status", "tandem0"}), exit_ok);
    EXPECT_THAT(out.str(),
                HasSubstr("check: verify 37/256 regions, 2 mismatching blocks so far\n"));
    dm.set_status("tandem0", v4_check("repair", 255, 9));
    EXPECT_EQ(run({"status", "tandem0"}), exit_ok);
    EXPECT_THAT(
        out.str(),
        HasSubstr("check: repair 255/256 regions, 9 mismatching blocks rewritten so far\n"));
    dm.set_status("tandem0", v4_check("idle", 256, 5));
    EXPECT_EQ(run({"status", "tandem0"}), exit_ok);
    EXPECT_THAT(out.str(),
                HasSubstr("check: idle; last pass: 256/256 regions, 5 mismatching blocks\n"));
    dm.set_status("tandem0", "4 2 AA 100 0 0 0 0 0 0 0 0 0 0 256 0 0 idle 65536 0 0 failed copy "
                             "0 0 idle 0 0");
    EXPECT_EQ(run({"status", "tandem0"}), exit_ok);
    EXPECT_THAT(out.str(), HasSubstr("metadata: failed: every write fails (reads work) until the "
                                     "metadata device is replaced\n"));
}

TEST_F(Cli, StatusVersion3ShowsTheMetadataOnly) {
    dm.set_status("tandem0", "3 2 AD 100 0 0 0 0 0 0 0 0 0 0 256 0 3 idle 65536 0 0 -");
    EXPECT_EQ(run({"status", "tandem0"}), exit_ok);
    EXPECT_THAT(out.str(), HasSubstr("KiB) since the device was created\n"
                                     "metadata: - (in core only)\n"));
    EXPECT_THAT(out.str(), Not(HasSubstr("resync mode:")));
    EXPECT_THAT(out.str(), Not(HasSubstr("check:")));
}

TEST_F(Cli, StatusRejectsAMalformedVersion4Line) {
    dm.set_status("tandem0", v4_check("scrub", 0, 0));
    EXPECT_EQ(run({"status", "tandem0"}), exit_failure);
    EXPECT_THAT(err.str(), HasSubstr("tandemctl: tandem0: status field 26 (check_action): expected "
                                     "idle, verify or repair, got 'scrub' in '4 2 AA"));
}

TEST_F(Cli, StatusRejectsAMalformedVersion2Line) {
    dm.set_status("tandem0", "2 2 Aa 100 0 0 0 0 0 0 0 0 0 0 256 0 37 syncing 65536 0 0");
    EXPECT_EQ(run({"status", "tandem0"}), exit_failure);
    EXPECT_THAT(err.str(), HasSubstr("tandemctl: tandem0: status field 18 (sync_action): expected "
                                     "idle, resync or paused, got 'syncing' in '2 2 Aa"));
    // --raw prints the line whatever it holds.
    EXPECT_EQ(run({"status", "tandem0", "--raw"}), exit_ok);
}

TEST_F(Cli, TableIsDecoded) {
    EXPECT_EQ(run({"table", "tandem0"}), exit_ok);
    EXPECT_EQ(out.str(), "tandem0:\n"
                         "  metadata:     - (in-core only: full resync after an unclean start)\n"
                         "  region size:  1024 sectors (512 KiB)\n"
                         "  leg 0:        253:1 (source)\n"
                         "  leg 1:        253:2 (target)\n"
                         "  initial sync: skipped (nosync)\n"
                         "  read weights: 70 30\n"
                         "  sync rate:    65536 KiB/s (default)\n"
                         "  resync mode:  copy (default)\n"
                         "  queue depth:  0 (default: scheduler off)\n");
}

TEST_F(Cli, TableWithTheScheduler) {
    dm.add("t4", golden_status_v5,
           "- 1024 2 253:1 253:2 21 queue_depth 64 class test 20 500 10240 class batch 0 0 0 "
           "rule 2 critical cgroup=4242 rule 3 test op=read,write size=0-65536");
    EXPECT_EQ(run({"table", "t4"}), exit_ok);
    EXPECT_THAT(out.str(), HasSubstr("  resync mode:  copy (default)\n"
                                     "  queue depth:  64\n"
                                     "  class:        test weight 20, 500 IO/s, 10240 KiB/s\n"
                                     "  class:        batch weight 0, no limits\n"
                                     "  rule 0:       critical cgroup=4242\n"
                                     "  rule 1:       test op=read,write size=0-65536\n"));
    dm.add("t5", golden_status_v5, "- 1024 2 253:1 253:2 7 queue_depth 0 class test 50 0 1024");
    EXPECT_EQ(run({"table", "t5"}), exit_ok);
    EXPECT_THAT(out.str(), HasSubstr("  queue depth:  0 (scheduler off)\n"
                                     "  class:        test weight 50, 1024 KiB/s\n"));
}

TEST_F(Cli, TableWithAShadow) {
    dm.add("t6", golden_status_v5,
           "- 1024 2 253:1 253:2 9 nosync shadow 253:5 shadow_mode gate shadow_sample 10 "
           "shadow_pool 4096");
    EXPECT_EQ(run({"table", "t6"}), exit_ok);
    EXPECT_THAT(
        out.str(),
        HasSubstr("  shadow:       253:5, mode gate, cloning 1 in 10 bios, pool 4096 KiB\n"));
    dm.add("t7", golden_status_v5, "- 1024 2 253:1 253:2 2 shadow 253:5");
    EXPECT_EQ(run({"table", "t7"}), exit_ok);
    EXPECT_THAT(out.str(), HasSubstr("  shadow:       253:5, mode async (default), cloning every "
                                     "bio (default), pool 8192 KiB (default)\n"));
    // No shadow, no line.
    EXPECT_EQ(run({"table", "tandem0"}), exit_ok);
    EXPECT_THAT(out.str(), Not(HasSubstr("shadow")));
}

TEST_F(Cli, TableWithAMetadataDeviceAndChecksumResync) {
    dm.add("t3", golden_status_v4, "253:5 1024 2 253:1 253:2 3 nosync resync_mode checksum");
    EXPECT_EQ(run({"table", "t3"}), exit_ok);
    EXPECT_THAT(out.str(),
                HasSubstr("  metadata:     253:5 (leg state and write intent kept on disk)\n"));
    EXPECT_THAT(out.str(),
                HasSubstr("  resync mode:  checksum (only the 4 KiB blocks that differ are "
                          "copied)\n"));
}

TEST_F(Cli, TableWithoutNosyncAndWithASyncRate) {
    dm.add("t1", golden_status_v2, "- 1024 2 253:1 253:2 2 sync_rate 0");
    EXPECT_EQ(run({"table", "t1"}), exit_ok);
    EXPECT_THAT(out.str(), HasSubstr("  initial sync: legs 1.. copied from leg 0 when loaded\n"
                                     "  read weights: default\n"
                                     "  sync rate:    0 KiB/s (resync paused)\n"));
    dm.add("t2", golden_status_v2, "- 1024 2 253:1 253:2 2 sync_rate 2048");
    EXPECT_EQ(run({"table", "t2"}), exit_ok);
    EXPECT_THAT(out.str(), HasSubstr("  sync rate:    2048 KiB/s\n"));
}

TEST_F(Cli, SyncRateSendsOneMessage) {
    dm.set_status("tandem0", golden_status_v2);
    EXPECT_EQ(run({"sync-rate", "tandem0", "1024"}), exit_ok);
    ASSERT_EQ(dm.messages.size(), 1u);
    EXPECT_EQ(dm.messages[0],
              std::make_pair(std::string("tandem0"), std::string("sync_rate 1024")));
    EXPECT_EQ(out.str(), "tandem0: sync rate set to 1024 KiB/s\n");

    EXPECT_EQ(run({"sync-rate", "tandem0", "0"}), exit_ok);
    EXPECT_EQ(dm.messages.at(1).second, "sync_rate 0");
    EXPECT_EQ(out.str(), "tandem0: sync rate set to 0 KiB/s (resync paused)\n");
}

TEST_F(Cli, SyncRateOnATargetWithoutResyncChangesNothing) {
    // golden_status is version 1: that module has no resync.
    EXPECT_EQ(run({"sync-rate", "tandem0", "1024"}), exit_usage);
    EXPECT_TRUE(dm.messages.empty());
    EXPECT_EQ(err.str(), "tandemctl: sync-rate: tandem0 reports status version 1, a target without "
                         "resync; its module is older than this tandemctl\n");
}

TEST_F(Cli, SyncRateFailures) {
    EXPECT_EQ(run({"sync-rate", "tandem0", "16777217"}), exit_usage);
    EXPECT_EQ(factory_calls, 0);
    EXPECT_EQ(run({"sync-rate", "nosuch", "1"}), exit_failure);
    EXPECT_EQ(err.str(), "tandemctl: status nosuch: no such device\n");
    dm.set_status("tandem0", golden_status_v2);
    dm.reject.insert("sync_rate 5");
    EXPECT_EQ(run({"sync-rate", "tandem0", "5"}), exit_failure);
    EXPECT_THAT(err.str(), HasSubstr("rejected by the target"));
    EXPECT_TRUE(dm.messages.empty());
}

TEST_F(Cli, WeightsSendsOneMessage) {
    EXPECT_EQ(run({"weights", "tandem0", "20", "80"}), exit_ok);
    ASSERT_EQ(dm.messages.size(), 1u);
    EXPECT_EQ(dm.messages[0], std::make_pair(std::string("tandem0"), std::string("weights 20 80")));
    EXPECT_EQ(out.str(), "tandem0: read weights set to 20 80\n");
}

TEST_F(Cli, WeightsNotMatchingTheDevicesLegsChangeNothing) {
    EXPECT_EQ(run({"weights", "tandem0", "50", "25", "25"}), exit_usage);
    EXPECT_TRUE(dm.messages.empty());
    EXPECT_EQ(err.str(), "tandemctl: weights: tandem0 has 2 legs; give one weight per leg (3 "
                         "given)\n");
}

TEST_F(Cli, InvalidArgumentsNeverReachTheDevice) {
    EXPECT_EQ(run({"weights", "tandem0", "70", "20"}), exit_usage);
    EXPECT_EQ(run({"fail-leg", "tandem0", "x"}), exit_usage);
    EXPECT_EQ(run({"bogus"}), exit_usage);
    EXPECT_EQ(factory_calls, 0);
    EXPECT_TRUE(dm.status_calls.empty());
    EXPECT_TRUE(dm.messages.empty());
    EXPECT_THAT(err.str(), StartsWith("tandemctl: "));
}

TEST_F(Cli, HelpNeedsNoDevice) {
    EXPECT_EQ(run({"--help"}), exit_ok);
    EXPECT_THAT(out.str(), HasSubstr("Commands:"));
    EXPECT_EQ(factory_calls, 0);
}

TEST_F(Cli, FailAndReinstateLeg) {
    EXPECT_EQ(run({"fail-leg", "tandem0", "1"}), exit_ok);
    EXPECT_EQ(out.str(), "tandem0: leg 1 failed\n");
    EXPECT_EQ(run({"reinstate-leg", "tandem0", "1"}), exit_ok);
    EXPECT_EQ(out.str(), "tandem0: leg 1 reinstated\n");
    ASSERT_EQ(dm.messages.size(), 2u);
    EXPECT_EQ(dm.messages[0].second, "fail_leg 1");
    EXPECT_EQ(dm.messages[1].second, "reinstate_leg 1");
}

TEST_F(Cli, LegBeyondTheDevicesLegsChangesNothing) {
    EXPECT_EQ(run({"fail-leg", "tandem0", "2"}), exit_usage);
    EXPECT_EQ(err.str(), "tandemctl: fail-leg: tandem0 has 2 legs (0..1); there is no leg 2\n");
    EXPECT_EQ(run({"reinstate-leg", "tandem0", "3"}), exit_usage);
    EXPECT_TRUE(dm.messages.empty());
}

TEST_F(Cli, StatsPrintsTheReply) {
    dm.replies["stats"] = "leg 0 state A weight 70 reads 120\nread_retries 2\n";
    EXPECT_EQ(run({"stats", "tandem0"}), exit_ok);
    EXPECT_EQ(out.str(), "leg 0 state A weight 70 reads 120\nread_retries 2\n");
}

TEST_F(Cli, StatsReset) {
    EXPECT_EQ(run({"stats", "tandem0", "--reset"}), exit_ok);
    ASSERT_EQ(dm.messages.size(), 1u);
    EXPECT_EQ(dm.messages[0].second, "stats reset");
    EXPECT_EQ(out.str(), "tandem0: statistics reset\n");
}

TEST_F(Cli, RuntimeFailuresExitOne) {
    EXPECT_EQ(run({"status", "nosuch"}), exit_failure);
    EXPECT_EQ(err.str(), "tandemctl: status nosuch: no such device\n");

    dm.reject.insert("fail_leg 0");
    EXPECT_EQ(run({"fail-leg", "tandem0", "0"}), exit_failure);
    EXPECT_THAT(err.str(), HasSubstr("rejected by the target"));

    dm.set_status("tandem0", "1 2 AA 70");
    EXPECT_EQ(run({"status", "tandem0"}), exit_failure);
    EXPECT_EQ(err.str(), "tandemctl: tandem0: status: line ends before field 5 (weight of leg 1) "
                         "in '1 2 AA 70'\n");
    // An unreadable status also stops a change from being sent.
    EXPECT_EQ(run({"weights", "tandem0", "50", "50"}), exit_failure);
    EXPECT_TRUE(dm.messages.empty());
}

// --- resync-mode and verify ------------------------------------------------------

TEST_F(Cli, ResyncModeSendsOneMessage) {
    dm.set_status("tandem0", golden_status_v4);
    EXPECT_EQ(run({"resync-mode", "tandem0", "checksum"}), exit_ok);
    ASSERT_EQ(dm.messages.size(), 1u);
    EXPECT_EQ(dm.messages[0],
              std::make_pair(std::string("tandem0"), std::string("resync_mode checksum")));
    EXPECT_EQ(out.str(),
              "tandem0: resync mode set to checksum (only the 4 KiB blocks that differ are "
              "copied)\n");
    EXPECT_EQ(run({"resync-mode", "tandem0", "copy"}), exit_ok);
    EXPECT_EQ(dm.messages.at(1).second, "resync_mode copy");
    EXPECT_EQ(out.str(), "tandem0: resync mode set to copy (whole regions are copied)\n");
}

TEST_F(Cli, ResyncModeAndVerifyNeedAVersion4Target) {
    dm.set_status("tandem0", golden_status_v2);
    EXPECT_EQ(run({"resync-mode", "tandem0", "checksum"}), exit_usage);
    EXPECT_EQ(err.str(), "tandemctl: resync-mode: tandem0 reports status version 2, a target "
                         "without checksum resync, verify or repair; its module is older than "
                         "this tandemctl\n");
    EXPECT_EQ(run({"verify", "tandem0", "--wait"}), exit_usage);
    EXPECT_THAT(err.str(), StartsWith("tandemctl: verify: tandem0 reports status version 2"));
    dm.set_status("tandem0", "3 2 AA 100 0 0 0 0 0 0 0 0 0 0 256 0 0 idle 65536 0 0 ok");
    EXPECT_EQ(run({"verify", "tandem0"}), exit_usage);
    EXPECT_TRUE(dm.messages.empty());
}

TEST_F(Cli, VerifyStartsAPassAndReturns) {
    dm.set_status("tandem0", v4_check("idle", 0, 0));
    EXPECT_EQ(run({"verify", "tandem0"}), exit_ok);
    ASSERT_EQ(dm.messages.size(), 1u);
    EXPECT_EQ(dm.messages[0].second, "verify");
    EXPECT_EQ(out.str(), "tandem0: verify started (256 regions)\n");
    EXPECT_TRUE(dm.timed_waits.empty());

    EXPECT_EQ(run({"verify", "tandem0", "--repair"}), exit_ok);
    EXPECT_EQ(dm.messages.at(1).second, "repair");
    EXPECT_EQ(out.str(), "tandem0: repair started (256 regions)\n");
}

TEST_F(Cli, VerifyWaitExitsThreeWhenBlocksDiffer) {
    // The fake's message leaves the status alone: the pass shows as running
    // from the first read on, then as the waits return.
    dm.set_status("tandem0", v4_check("verify", 0, 0));
    dm.devices["tandem0"].event_nr = 7;
    dm.statuses_after_wait["tandem0"] = {v4_check("verify", 100, 3), v4_check("idle", 256, 5)};
    EXPECT_EQ(run({"verify", "tandem0", "--wait"}), exit_mismatch);
    EXPECT_EQ(out.str(), "tandem0: verify started (256 regions)\n"
                         "tandem0: verify finished: 256/256 regions compared, 5 mismatching "
                         "block(s)\n");
    // It waited from the event counter taken before the pass started.
    ASSERT_EQ(dm.timed_waits.size(), 2u);
    EXPECT_EQ(dm.timed_waits[0], std::make_pair(std::string("tandem0"), std::uint32_t{7}));
    EXPECT_EQ(dm.timed_waits[1], std::make_pair(std::string("tandem0"), std::uint32_t{8}));
}

TEST_F(Cli, VerifyWaitExitsZeroWhenNoBlockDiffers) {
    dm.set_status("tandem0", v4_check("verify", 0, 0));
    dm.statuses_after_wait["tandem0"] = {v4_check("idle", 256, 0)};
    EXPECT_EQ(run({"verify", "tandem0", "--wait"}), exit_ok);
    EXPECT_THAT(out.str(), HasSubstr("tandem0: verify finished: 256/256 regions compared, 0 "
                                     "mismatching block(s)\n"));
}

TEST_F(Cli, VerifyWaitKeepsPollingWithoutEvents) {
    dm.set_status("tandem0", v4_check("repair", 0, 0));
    // Two timeouts with nothing new, then the end.
    dm.statuses_after_wait["tandem0"] = {v4_check("repair", 5, 1), v4_check("repair", 9, 1),
                                         v4_check("idle", 256, 2)};
    EXPECT_EQ(run({"verify", "tandem0", "--repair", "--wait"}), exit_mismatch);
    EXPECT_EQ(dm.messages.at(0).second, "repair");
    EXPECT_EQ(dm.timed_waits.size(), 3u);
    EXPECT_THAT(out.str(), HasSubstr("tandem0: repair finished: 256/256 regions compared, 2 "
                                     "mismatching block(s) rewritten from the source\n"));
}

TEST_F(Cli, VerifyWaitFailsWhenThePassStopsEarly) {
    dm.set_status("tandem0", v4_check("verify", 0, 0));
    dm.statuses_after_wait["tandem0"] = {v4_check("idle", 37, 2, "AD")};
    EXPECT_EQ(run({"verify", "tandem0", "--wait"}), exit_failure);
    EXPECT_EQ(err.str(), "tandemctl: tandem0: the verify stopped after 37/256 regions, with fewer "
                         "than two legs in sync; 2 mismatching block(s) found until then\n");
}

TEST_F(Cli, VerifyOfAMissingDevice) {
    EXPECT_EQ(run({"verify", "nosuch", "--wait"}), exit_failure);
    EXPECT_EQ(err.str(), "tandemctl: status nosuch: no such device\n");
    EXPECT_TRUE(dm.messages.empty());
}

TEST_F(Cli, VerifyRefusedByTheTarget) {
    dm.set_status("tandem0", v4_check("verify", 3, 0));
    dm.reject.insert("verify");
    EXPECT_EQ(run({"verify", "tandem0", "--wait"}), exit_failure);
    EXPECT_THAT(err.str(), HasSubstr("rejected by the target"));
    EXPECT_TRUE(dm.timed_waits.empty());
}
