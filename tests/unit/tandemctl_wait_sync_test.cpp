// tandemctl wait-sync and resync on simulated time: a fake device mapper
// whose status moves on with each wait, the progress lines (plain and on a
// terminal), the time to go, and every outcome with its exit status: in
// sync, a failed leg left behind, regions no leg holds, the device gone,
// the timeout.
#include "tandemctl_host_runner.h"
#include "tandemctl_usage_error.h"
#include "v2_status_line.h"

#include "cli.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace tandem;
using namespace tandem::cli;
using tandem::testing::usage_error;
using tandem::testing::v2_status;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

namespace {

const std::string in_sync = v2_status("AA", {0, 0}, "idle");

// Device t0, two legs, regions of 512 KiB; each wait lasts a second.
struct WaitSync : ::testing::Test, tandem::testing::HostRunner {
    WaitSync() { dm.add("t0", v2_status("Aa", {0, 128}), "- 1024 2 8:16 8:32"); }

    void then(std::initializer_list<std::string> lines) {
        dm.statuses_after_wait["t0"] = std::deque<std::string>(lines);
    }
};

using Resync = WaitSync;

} // namespace

// --- arguments ---------------------------------------------------------------------

TEST(WaitSyncArguments, Parse) {
    auto w = std::get<WaitSyncFlags>(parse_command_line({"wait-sync", "t0"}));
    EXPECT_EQ(w.device, "t0");
    EXPECT_EQ(w.timeout_s, std::nullopt);
    EXPECT_FALSE(w.quiet);
    w = std::get<WaitSyncFlags>(parse_command_line({"wait-sync", "t0", "--timeout", "60", "-q"}));
    EXPECT_EQ(w.timeout_s, 60u);
    EXPECT_TRUE(w.quiet);

    auto r = std::get<ResyncFlags>(parse_command_line({"resync", "t0", "1"}));
    EXPECT_EQ(r.device, "t0");
    EXPECT_EQ(r.leg, 1u);
    EXPECT_FALSE(r.wait);
    r = std::get<ResyncFlags>(
        parse_command_line({"resync", "t0", "3", "--wait", "--timeout", "0", "--quiet"}));
    EXPECT_EQ(r.leg, 3u);
    EXPECT_TRUE(r.wait);
    EXPECT_EQ(r.wait_flags.device, "t0");
    EXPECT_EQ(r.wait_flags.timeout_s, 0u);
    EXPECT_TRUE(r.wait_flags.quiet);
}

TEST(WaitSyncArguments, Errors) {
    const std::pair<std::string, std::string> cases[] = {
        {usage_error({"wait-sync"}), "wait-sync: missing <dev>"},
        {usage_error({"wait-sync", "t0", "1"}), "wait-sync: too many arguments"},
        {usage_error({"wait-sync", "t0", "--timeout", "1m"}),
         "wait-sync: --timeout: expected a whole number of seconds, got '1m'"},
        {usage_error({"wait-sync", "t0", "--timeout", "4294967296"}),
         "wait-sync: --timeout: expected a whole number of seconds, got '4294967296'"},
        {usage_error({"wait-sync", "t0", "--timeout", "-1"}), "wait-sync: '-1' is negative"},
        {usage_error({"wait-sync", "t0", "--timeout"}), "wait-sync: the required argument for "
                                                        "option '--timeout' is missing"},
        {usage_error({"resync", "t0"}), "resync: missing <leg>"},
        {usage_error({"resync", "t0", "4"}), "resync: leg index must be 0..3, got 4"},
        {usage_error({"resync", "t0", "x"}), "resync: leg: expected a whole number, got 'x'"},
        {usage_error({"resync", "t0", "1", "2"}), "resync: too many arguments"},
        {usage_error({"resync", "t0", "1", "--timeout", "5"}),
         "resync: --timeout and --quiet go with --wait"},
        {usage_error({"resync", "t0", "1", "--quiet"}),
         "resync: --timeout and --quiet go with --wait"},
    };
    for (const auto& [error, expected] : cases)
        EXPECT_THAT(error, StartsWith(expected));
    EXPECT_THAT(usage_error({"resync", "t0"}),
                HasSubstr("\nusage: tandemctl resync <dev> <leg> [--wait [--timeout <s>] "
                          "[--quiet]]"));
}

TEST(WaitSyncArguments, HelpSaysTheExitStatuses) {
    const std::string help = std::get<Help>(parse_command_line({"wait-sync", "--help"})).text;
    EXPECT_THAT(help, StartsWith("usage: tandemctl wait-sync <dev> [--timeout <s>] [--quiet]\n"));
    EXPECT_THAT(help, HasSubstr("Exit status: 0 when every leg is healthy and in sync, 1 if"));
    EXPECT_THAT(help, HasSubstr("4 if --timeout seconds passed first."));
    const std::string all = std::get<Help>(parse_command_line({"--help"})).text;
    EXPECT_THAT(all, HasSubstr("  wait-sync     <dev> [--timeout <s>] [--quiet]\n"));
    EXPECT_THAT(all, HasSubstr("  resync        <dev> <leg> [--wait [--timeout <s>] [--quiet]]\n"));
    EXPECT_THAT(all, HasSubstr("4 if 'wait-sync' or 'resync --wait' timed out."));
}

// --- wait-sync ---------------------------------------------------------------------

TEST_F(WaitSync, InSyncAlready) {
    dm.set_status("t0", in_sync);
    EXPECT_EQ(run({"wait-sync", "t0"}), exit_ok);
    EXPECT_EQ(out.str(), "t0: in sync: 2 legs, 256 regions\n");
    EXPECT_THAT(dm.wait_timeouts, IsEmpty());
}

TEST_F(WaitSync, PlainLinesAsEachPercentIsDone) {
    then({v2_status("Aa", {0, 127}), v2_status("Aa", {0, 64}), in_sync});
    EXPECT_EQ(run({"wait-sync", "t0"}), exit_ok) << err.str();
    // First from the sync rate (128 regions of 512 KiB at 64 MiB/s), then
    // from what was copied: 64 regions in 2 s.  127 left is still 50%.
    EXPECT_EQ(out.str(), "t0: resync  50.0%  128/256 regions left  ETA 1s\n"
                         "t0: resync  75.0%  64/256 regions left  ETA 2s\n"
                         "t0: in sync: 2 legs, 256 regions\n");
    EXPECT_THAT(dm.wait_timeouts,
                ElementsAre(sync_poll_interval, sync_poll_interval, sync_poll_interval));
    EXPECT_EQ(clock.seconds(), 3.0);
    EXPECT_EQ(err.str(), "");
}

TEST_F(WaitSync, OneLineRedrawnOnATerminal) {
    terminal = true;
    then({v2_status("Aa", {0, 64}), in_sync});
    EXPECT_EQ(run({"wait-sync", "t0"}), exit_ok) << err.str();
    EXPECT_EQ(out.str(), "\rt0: [###############---------------]  50.0%  128/256 regions left  "
                         "ETA 1s\033[K"
                         "\rt0: [######################--------]  75.0%  64/256 regions left  "
                         "ETA 1s\033[K"
                         "\n"
                         "t0: in sync: 2 legs, 256 regions\n");
}

TEST_F(WaitSync, QuietPrintsNothing) {
    terminal = true;
    then({v2_status("Aa", {0, 64}), in_sync});
    EXPECT_EQ(run({"wait-sync", "t0", "--quiet"}), exit_ok);
    EXPECT_EQ(out.str(), "");
    EXPECT_EQ(dm.wait_timeouts.size(), 2u);
}

TEST_F(WaitSync, TimesOut) {
    // The status never changes.
    EXPECT_EQ(run({"wait-sync", "t0", "--timeout", "3"}), exit_timeout);
    EXPECT_EQ(err.str(), "tandemctl: wait-sync: t0 not in sync after 3s: 128/256 regions left\n");
    EXPECT_EQ(dm.wait_timeouts.size(), 3u);
    EXPECT_EQ(clock.seconds(), 3.0);
    EXPECT_EQ(out.str(), "t0: resync  50.0%  128/256 regions left  ETA 1s\n");

    // Zero: one look.
    dm.wait_timeouts.clear();
    EXPECT_EQ(run({"wait-sync", "t0", "--timeout", "0", "--quiet"}), exit_timeout);
    EXPECT_THAT(dm.wait_timeouts, IsEmpty());
    EXPECT_EQ(out.str(), "");
    EXPECT_THAT(err.str(), HasSubstr("not in sync after 0s"));

    // In sync in time.
    then({v2_status("Aa", {0, 10}), in_sync});
    EXPECT_EQ(run({"wait-sync", "t0", "--timeout", "2"}), exit_ok);
}

TEST_F(WaitSync, ATerminalLineEndsBeforeTheTimeout) {
    terminal = true;
    EXPECT_EQ(run({"wait-sync", "t0", "--timeout", "1"}), exit_timeout);
    EXPECT_THAT(out.str(), HasSubstr("ETA 1s\033[K\n"));
    EXPECT_EQ(out.str().back(), '\n');
}

TEST_F(WaitSync, PausedSaysHowToResume) {
    // Once resumed, the time to go comes from the rate again: the pause
    // says nothing of how fast the copy goes.
    dm.set_status("t0", v2_status("Aa", {0, 128}, "paused", 0));
    then({v2_status("Aa", {0, 128}, "paused", 0), v2_status("Aa", {0, 100}), in_sync});
    EXPECT_EQ(run({"wait-sync", "t0"}), exit_ok);
    EXPECT_EQ(out.str(), "t0: paused  50.0%  128/256 regions left; 'tandemctl sync-rate t0 "
                         "<KiB/s>' resumes it\n"
                         "t0: resync  60.9%  100/256 regions left  ETA 1s\n"
                         "t0: in sync: 2 legs, 256 regions\n");
    terminal = true;
    dm.set_status("t0", v2_status("Aa", {0, 128}, "paused", 0));
    EXPECT_EQ(run({"wait-sync", "t0", "--timeout", "0"}), exit_timeout);
    EXPECT_EQ(out.str(), "\rt0: [###############---------------]  50.0%  128/256 regions left  "
                         "ETA -  paused (sync rate 0)\033[K\n");
    EXPECT_EQ(err.str(),
              "tandemctl: wait-sync: t0 not in sync after 0s: 128/256 regions left (paused)\n");
}

TEST_F(WaitSync, AFailedLegIsLeftBehind) {
    dm.set_status("t0", v2_status("AaD", {0, 10, 256}));
    then({v2_status("AAD", {0, 0, 256}, "idle")});
    EXPECT_EQ(run({"wait-sync", "t0"}), exit_failure);
    EXPECT_EQ(err.str(), "tandemctl: t0: not in sync: leg 2 failed (lacks 256/256 regions); "
                         "nothing is copied to a failed leg ('tandemctl resync t0 2' returns it "
                         "to service)\n");
    EXPECT_EQ(dm.wait_timeouts.size(), 1u);
    // A failed leg that missed nothing is still not in sync.
    dm.set_status("t0", v2_status("DA", {0, 0}, "idle"));
    EXPECT_EQ(run({"wait-sync", "t0"}), exit_failure);
    EXPECT_THAT(err.str(), HasSubstr("not in sync: leg 0 failed; nothing is copied"));
}

TEST_F(WaitSync, RegionsNoLegHolds) {
    dm.set_status("t0", v2_status("Aa", {0, 37}, "idle"));
    EXPECT_EQ(run({"wait-sync", "t0"}), exit_failure);
    EXPECT_EQ(err.str(), "tandemctl: t0: not in sync: 37/256 regions to copy for leg 1, but the "
                         "resync is idle: no healthy leg holds them\n");
}

TEST_F(WaitSync, TheDeviceGoesAway) {
    dm.after_wait = [this] {
        dm.remove_device("t0");
    };
    EXPECT_EQ(run({"wait-sync", "t0"}), exit_failure);
    EXPECT_EQ(err.str(), "tandemctl: wait-sync: t0 went away while waiting for its resync\n");
    EXPECT_EQ(run({"wait-sync", "t0"}), exit_failure);
    EXPECT_EQ(err.str(), "tandemctl: wait-sync: there is no device named t0\n");
}

TEST_F(WaitSync, ATargetWithoutResync) {
    dm.set_status("t0", "1 2 AD 70 30 120 40 0 0 80 40 3 1 2");
    EXPECT_EQ(run({"wait-sync", "t0"}), exit_usage);
    EXPECT_EQ(err.str(), "tandemctl: wait-sync: t0 reports status version 1, a target without "
                         "resync; its module is older than this tandemctl\n");
}

TEST_F(WaitSync, WithoutTheTableNoEstimateFromTheRate) {
    dm.devices["t0"].table = "not a table";
    then({in_sync});
    EXPECT_EQ(run({"wait-sync", "t0"}), exit_ok);
    EXPECT_THAT(out.str(), StartsWith("t0: resync  50.0%  128/256 regions left  ETA -\n"));
}

// --- resync ------------------------------------------------------------------------

TEST_F(Resync, ReinstatesAFailedLeg) {
    dm.set_status("t0", v2_status("AD", {0, 37}, "idle"));
    dm.status_after_message["reinstate_leg 1"] = v2_status("Aa", {0, 37});
    EXPECT_EQ(run({"resync", "t0", "1"}), exit_ok) << err.str();
    EXPECT_THAT(dm.messages,
                ElementsAre(std::make_pair(std::string("t0"), std::string("reinstate_leg 1"))));
    EXPECT_EQ(out.str(), "t0: leg 1 reinstated; resyncing the 37/256 regions it missed\n");
    EXPECT_THAT(dm.wait_timeouts, IsEmpty());

    dm.set_status("t0", v2_status("AD", {0, 0}, "idle"));
    dm.status_after_message["reinstate_leg 1"] = in_sync;
    EXPECT_EQ(run({"resync", "t0", "1"}), exit_ok);
    EXPECT_EQ(out.str(), "t0: leg 1 reinstated; it missed no region\n");
}

TEST_F(Resync, AndWaits) {
    dm.set_status("t0", v2_status("AD", {0, 37}, "idle"));
    dm.status_after_message["reinstate_leg 1"] = v2_status("Aa", {0, 37});
    then({in_sync});
    EXPECT_EQ(run({"resync", "t0", "1", "--wait"}), exit_ok) << err.str();
    EXPECT_EQ(out.str(), "t0: leg 1 reinstated; resyncing the 37/256 regions it missed\n"
                         "t0: resync  85.5%  37/256 regions left  ETA 1s\n"
                         "t0: in sync: 2 legs, 256 regions\n");

    dm.set_status("t0", v2_status("AD", {0, 37}, "idle"));
    EXPECT_EQ(run({"resync", "t0", "1", "--wait", "--timeout", "1", "--quiet"}), exit_timeout);
    EXPECT_EQ(out.str(), "t0: leg 1 reinstated; resyncing the 37/256 regions it missed\n");
    EXPECT_EQ(err.str(), "tandemctl: wait-sync: t0 not in sync after 1s: 37/256 regions left\n");
}

TEST_F(Resync, RefusesALegThatIsNotFailed) {
    dm.set_status("t0", in_sync);
    EXPECT_EQ(run({"resync", "t0", "1"}), exit_failure);
    EXPECT_EQ(err.str(), "tandemctl: resync: leg 1 of t0 is not failed: it is healthy and in "
                         "sync; there is nothing to resync\n");
    dm.set_status("t0", v2_status("Aa", {0, 37}));
    EXPECT_EQ(run({"resync", "t0", "1", "--wait"}), exit_failure);
    EXPECT_EQ(err.str(), "tandemctl: resync: leg 1 of t0 is not failed: it is resyncing already "
                         "(37/256 regions left); 'tandemctl wait-sync t0' waits for it\n");
    EXPECT_EQ(run({"resync", "t0", "2"}), exit_usage);
    EXPECT_EQ(err.str(), "tandemctl: resync: t0 has 2 legs (0..1); there is no leg 2\n");
    dm.set_status("t0", "1 2 AD 70 30 120 40 0 0 80 40 3 1 2");
    EXPECT_EQ(run({"resync", "t0", "1"}), exit_usage);
    EXPECT_THAT(err.str(), StartsWith("tandemctl: resync: t0 reports status version 1"));
    EXPECT_THAT(dm.messages, IsEmpty());
}

TEST_F(Resync, RefusedByTheTarget) {
    dm.set_status("t0", v2_status("AD", {0, 37}, "idle"));
    dm.reject.insert("reinstate_leg 1");
    EXPECT_EQ(run({"resync", "t0", "1", "--wait"}), exit_failure);
    EXPECT_THAT(err.str(), HasSubstr("rejected by the target"));
    EXPECT_EQ(out.str(), "");
    EXPECT_THAT(dm.wait_timeouts, IsEmpty());
    EXPECT_EQ(run({"resync", "nosuch", "1"}), exit_failure);
    EXPECT_EQ(err.str(), "tandemctl: status nosuch: no such device\n");
}
