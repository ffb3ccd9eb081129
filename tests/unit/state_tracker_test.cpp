// StateTracker: successive status lines in, one event per change out.
#include "tandem/state_tracker.h"

#include <gtest/gtest.h>

using namespace tandem;

namespace {

Status st(const std::string& line) {
    return parse_status(line);
}

template <class E>
const E& only(const std::vector<Event>& events) {
    EXPECT_EQ(events.size(), 1u);
    const E* e = events.empty() ? nullptr : std::get_if<E>(&events.front());
    if (!e)
        throw std::runtime_error("unexpected event type");
    return *e;
}

} // namespace

TEST(StateTracker, FirstStatusIsObserved) {
    StateTracker t;
    EXPECT_FALSE(t.available());
    auto events = t.observe(st("1 2 AA 70 30 0 0 0 0 0 0 0 0 0"));
    const auto& e = only<event::Observed>(events);
    EXPECT_EQ(e.status.legs.size(), 2u);
    EXPECT_TRUE(t.available());
    EXPECT_EQ(describe(events[0]), "status v1: 2 legs, states AA, read weights 70 30");
    EXPECT_EQ(severity(events[0]), LogLevel::info);
}

TEST(StateTracker, NothingChangedNothingReported) {
    StateTracker t;
    t.observe(st("1 2 AA 70 30 5 5 0 0 5 5 0 0 0"));
    // Growing I/O counters alone are not events.
    EXPECT_TRUE(t.observe(st("1 2 AA 70 30 9 9 0 0 9 9 0 0 0")).empty());
    EXPECT_TRUE(t.observe(st("1 2 AA 70 30 9 9 0 0 9 9 0 0 0")).empty());
}

TEST(StateTracker, LegFailureAndReturnAreReportedOnce) {
    StateTracker t;
    t.observe(st("1 2 AA 50 50 0 0 0 0 0 0 0 0 0"));

    auto failed = t.observe(st("1 2 AD 50 50 0 0 0 0 0 0 0 0 0"));
    const auto& f = only<event::LegStateChanged>(failed);
    EXPECT_EQ(f.leg, 1u);
    EXPECT_EQ(f.from, 'A');
    EXPECT_EQ(f.to, 'D');
    EXPECT_EQ(describe(failed[0]), "leg 1 failed (A -> D)");
    EXPECT_EQ(severity(failed[0]), LogLevel::warning);

    EXPECT_TRUE(t.observe(st("1 2 AD 50 50 0 0 0 0 0 0 0 0 0")).empty());

    auto back = t.observe(st("1 2 AA 50 50 0 0 0 0 0 0 0 0 0"));
    EXPECT_EQ(only<event::LegStateChanged>(back).to, 'A');
    EXPECT_EQ(describe(back[0]), "leg 1 is back in service (D -> A)");
    EXPECT_EQ(severity(back[0]), LogLevel::info);
}

TEST(StateTracker, SeveralChangesInOnePoll) {
    StateTracker t;
    t.observe(st("1 3 AAA 40 30 30 0 0 0 0 0 0 0 0 0 0 0 0 0"));
    // Legs 0 and 2 fail; leg 0 has 2 read errors, leg 2 has 4 read errors.
    auto events = t.observe(st("1 3 DAD 0 100 0 0 0 2 0 0 0 0 0 0 0 4 0 0"));
    ASSERT_EQ(events.size(), 5u);
    EXPECT_EQ(std::get<event::LegStateChanged>(events[0]).leg, 0u);
    EXPECT_EQ(std::get<event::LegStateChanged>(events[1]).leg, 2u);
    const auto& w = std::get<event::WeightsChanged>(events[2]);
    EXPECT_EQ(w.from, (std::vector<unsigned>{40, 30, 30}));
    EXPECT_EQ(w.to, (std::vector<unsigned>{0, 100, 0}));
    EXPECT_EQ(describe(events[2]), "read weights changed from 40 30 30 to 0 100 0");
    const auto& e0 = std::get<event::LegErrors>(events[3]);
    EXPECT_EQ(e0.leg, 0u);
    EXPECT_EQ(e0.new_read_errors, 2u);
    EXPECT_EQ(e0.new_write_errors, 0u);
    const auto& e2 = std::get<event::LegErrors>(events[4]);
    EXPECT_EQ(e2.leg, 2u);
    EXPECT_EQ(e2.new_read_errors, 4u);
}

TEST(StateTracker, ErrorCountersReportTheRise) {
    StateTracker t;
    t.observe(st("1 2 AA 50 50 0 0 1 0 0 0 0 0 0"));
    auto events = t.observe(st("1 2 AA 50 50 0 0 4 2 0 0 0 0 0"));
    const auto& e = only<event::LegErrors>(events);
    EXPECT_EQ(e.leg, 0u);
    EXPECT_EQ(e.new_read_errors, 3u);
    EXPECT_EQ(e.new_write_errors, 2u);
    EXPECT_EQ(e.read_errors, 4u);
    EXPECT_EQ(describe(events[0]),
              "leg 0: 3 new read error(s), 2 new write error(s) (totals 4 / 2)");
}

TEST(StateTracker, CounterResetIsNotAnError) {
    StateTracker t;
    t.observe(st("1 2 AA 50 50 100 100 7 3 0 0 0 0 0"));
    // "stats reset" zeroed the counters: nothing new went wrong.
    EXPECT_TRUE(t.observe(st("1 2 AA 50 50 0 0 0 0 0 0 0 0 0")).empty());
    // After a reset, counts below the old totals are still new errors.
    auto events = t.observe(st("1 2 AA 50 50 0 0 2 0 0 0 0 0 0"));
    EXPECT_EQ(only<event::LegErrors>(events).new_read_errors, 2u);
}

TEST(StateTracker, UnavailableOncePerOutage) {
    StateTracker t;
    t.observe(st("1 2 AA 50 50 0 0 0 0 0 0 0 0 0"));

    auto lost = t.observe_failure("status tandem0: no such device");
    EXPECT_EQ(only<event::Unavailable>(lost).reason, "status tandem0: no such device");
    EXPECT_EQ(severity(lost[0]), LogLevel::error);
    EXPECT_FALSE(t.available());
    EXPECT_TRUE(t.observe_failure("status tandem0: no such device").empty());
    EXPECT_TRUE(t.observe_failure("another reason").empty());

    // Back, with a leg failed meanwhile: both are reported.
    auto back = t.observe(st("1 2 DA 50 50 0 0 0 0 0 0 0 0 0"));
    ASSERT_EQ(back.size(), 2u);
    EXPECT_TRUE(std::holds_alternative<event::Available>(back[0]));
    EXPECT_EQ(std::get<event::LegStateChanged>(back[1]).leg, 0u);
    EXPECT_TRUE(t.available());

    // A second outage is reported again.
    EXPECT_EQ(t.observe_failure("x").size(), 1u);
}

TEST(StateTracker, UnavailableBeforeFirstStatus) {
    StateTracker t;
    EXPECT_EQ(only<event::Unavailable>(t.observe_failure("no device")).reason, "no device");
    auto events = t.observe(st("1 2 AA 50 50 0 0 0 0 0 0 0 0 0"));
    ASSERT_EQ(events.size(), 2u);
    EXPECT_TRUE(std::holds_alternative<event::Available>(events[0]));
    EXPECT_TRUE(std::holds_alternative<event::Observed>(events[1]));
}

TEST(StateTracker, LegCountChangeStartsOver) {
    StateTracker t;
    t.observe(st("1 2 AA 50 50 0 0 0 0 0 0 0 0 0"));
    auto events = t.observe(st("1 3 AAD 50 50 0 0 0 0 0 0 0 0 0 0 0 0 0 0"));
    ASSERT_EQ(events.size(), 2u);
    const auto& c = std::get<event::LegCountChanged>(events[0]);
    EXPECT_EQ(c.from, 2u);
    EXPECT_EQ(c.to, 3u);
    EXPECT_EQ(std::get<event::Observed>(events[1]).status.legs.size(), 3u);
    EXPECT_TRUE(t.observe(st("1 3 AAD 50 50 0 0 0 0 0 0 0 0 0 0 0 0 0 0")).empty());
}

TEST(StateTracker, UnknownStateLettersOfNewerVersions) {
    StateTracker t;
    const std::string v4_fields = " 8 0 0 idle 1 0 0 ok copy 0 0 idle 0 0";
    const std::string v5_fields = " 0 0 1 production 100 0 0 0 0 0 0 0 0 0 0";
    const std::string v6_fields = " - async 1 8192 0 0 0 0 0 0 0 read 0 0 0 0 0 0 write 0 0 0 0 0 "
                                  "0 flush 0 0 0 0 0 0 discard 0 0 0 0 0 0";
    t.observe(st("9 2 AA 50 50 0 0 0 0 0 0 0 0 0" + v4_fields + v5_fields + v6_fields));
    auto events =
        t.observe(st("9 2 As 50 50 0 0 0 0 0 0 0 0 0" + v4_fields + v5_fields + v6_fields + " 77"));
    EXPECT_EQ(describe(events.at(0)), "leg 1 changed state (A -> s)");
    EXPECT_EQ(severity(events[0]), LogLevel::warning);
}

// --- version 2: resync ---------------------------------------------------------

namespace {

// A two-leg version 2 status line: leg 1 in `states`[1] with `oos1` of 256
// regions out of sync, the given sync fields.
Status v2(const char* states, unsigned oos1, const char* action, unsigned rate = 65536,
          unsigned regions_copied = 0, unsigned kib_copied = 0) {
    return parse_status(std::string("2 2 ") + states + " 100 0 0 0 0 0 0 0 0 0 0 256 0 " +
                        std::to_string(oos1) + " " + action + " " + std::to_string(rate) + " " +
                        std::to_string(regions_copied) + " " + std::to_string(kib_copied));
}

} // namespace

TEST(StateTracker, ObservedIncludesTheSync) {
    StateTracker t;
    auto events = t.observe(v2("Aa", 37, "resync"));
    EXPECT_EQ(
        describe(only<event::Observed>(events)),
        "status v2: 2 legs, states Aa, read weights 100 0, sync resync 37/256 regions to copy "
        "for leg 1, 65536 KiB/s");
    StateTracker idle;
    EXPECT_EQ(describe(idle.observe(v2("AA", 0, "idle")).at(0)),
              "status v2: 2 legs, states AA, read weights 100 0, sync idle, 65536 KiB/s");
}

TEST(StateTracker, ReinstatedLegResyncsThenIsInSyncReportedOnce) {
    StateTracker t;
    t.observe(v2("AD", 37, "idle", 65536, 10, 5120));

    // reinstate_leg 1: D -> a and the resync starts.
    auto started = t.observe(v2("Aa", 37, "resync", 65536, 10, 5120));
    ASSERT_EQ(started.size(), 2u);
    const auto& back = std::get<event::LegStateChanged>(started[0]);
    EXPECT_EQ(back.from, 'D');
    EXPECT_EQ(back.to, 'a');
    EXPECT_EQ(back.out_of_sync_regions, 37u);
    EXPECT_EQ(back.regions, 256u);
    EXPECT_EQ(describe(started[0]), "leg 1 is back in service, resyncing 37/256 regions (D -> a)");
    EXPECT_EQ(severity(started[0]), LogLevel::info);
    const auto& s = std::get<event::SyncStarted>(started[1]);
    EXPECT_FALSE(s.paused);
    EXPECT_EQ(s.rate, 65536u);
    EXPECT_EQ(describe(started[1]),
              "resync started at 65536 KiB/s: 37/256 regions to copy for leg 1");
    EXPECT_EQ(severity(started[1]), LogLevel::info);

    // Progress alone is not news.
    EXPECT_TRUE(t.observe(v2("Aa", 37, "resync", 65536, 10, 5120)).empty());
    EXPECT_TRUE(t.observe(v2("Aa", 20, "resync", 65536, 27, 13824)).empty());
    EXPECT_TRUE(t.observe(v2("Aa", 1, "resync", 65536, 46, 23552)).empty());

    // In sync: a -> A and the resync finished, each once.
    auto finished = t.observe(v2("AA", 0, "idle", 65536, 47, 24064));
    ASSERT_EQ(finished.size(), 2u);
    EXPECT_EQ(describe(finished[0]), "leg 1 is in sync (a -> A)");
    EXPECT_EQ(severity(finished[0]), LogLevel::info);
    const auto& f = std::get<event::SyncFinished>(finished[1]);
    EXPECT_EQ(f.regions_copied, 37u);
    EXPECT_EQ(f.kib_copied, 18944u);
    EXPECT_EQ(f.left_out, "");
    EXPECT_EQ(describe(finished[1]),
              "resync finished: 37 region(s) (18944 KiB) copied, every healthy leg in sync");
    EXPECT_EQ(severity(finished[1]), LogLevel::info);

    EXPECT_TRUE(t.observe(v2("AA", 0, "idle", 65536, 47, 24064)).empty());
}

TEST(StateTracker, HealthyLegFallingOutOfSyncIsAWarning) {
    StateTracker t;
    t.observe(v2("AA", 0, "idle"));
    auto events = t.observe(v2("Aa", 1, "resync"));
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(describe(events[0]), "leg 1 fell out of sync, resyncing 1/256 regions (A -> a)");
    EXPECT_EQ(severity(events[0]), LogLevel::warning);
    EXPECT_TRUE(std::holds_alternative<event::SyncStarted>(events[1]));
}

TEST(StateTracker, ResyncingLegFailing) {
    StateTracker t;
    t.observe(v2("Aa", 37, "resync", 65536, 0, 0));
    auto events = t.observe(v2("AD", 30, "idle", 65536, 7, 3584));
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(describe(events[0]), "leg 1 failed (a -> D)");
    EXPECT_EQ(severity(events[0]), LogLevel::warning);
    EXPECT_EQ(describe(events[1]), "resync finished: 7 region(s) (3584 KiB) copied, every healthy "
                                   "leg in sync; leg 1 (failed) lacks 30/256 regions");
}

TEST(StateTracker, PauseAndResume) {
    StateTracker t;
    t.observe(v2("Aa", 37, "resync"));

    auto paused = t.observe(v2("Aa", 30, "paused", 0, 7, 3584));
    ASSERT_EQ(paused.size(), 2u);
    const auto& r = std::get<event::SyncRateChanged>(paused[0]);
    EXPECT_EQ(r.from, 65536u);
    EXPECT_EQ(r.to, 0u);
    EXPECT_EQ(describe(paused[0]), "sync rate changed from 65536 to 0 KiB/s");
    EXPECT_EQ(severity(paused[0]), LogLevel::info);
    EXPECT_EQ(describe(paused[1]), "resync paused (sync rate 0): 30/256 regions to copy for leg 1");
    EXPECT_EQ(severity(paused[1]), LogLevel::warning);
    EXPECT_TRUE(t.observe(v2("Aa", 30, "paused", 0, 7, 3584)).empty());

    auto resumed = t.observe(v2("Aa", 30, "resync", 1024, 7, 3584));
    ASSERT_EQ(resumed.size(), 2u);
    EXPECT_EQ(describe(resumed[0]), "sync rate changed from 0 to 1024 KiB/s");
    EXPECT_EQ(describe(resumed[1]),
              "resync resumed at 1024 KiB/s: 30/256 regions to copy for leg 1");
    EXPECT_EQ(severity(resumed[1]), LogLevel::info);

    // The finished resync counts what it copied before the pause too.
    auto finished = t.observe(v2("AA", 0, "idle", 1024, 37, 18944));
    EXPECT_EQ(std::get<event::SyncFinished>(finished.at(1)).regions_copied, 37u);
}

TEST(StateTracker, RateChangeWhileIdle) {
    StateTracker t;
    t.observe(v2("AA", 0, "idle"));
    auto events = t.observe(v2("AA", 0, "idle", 2048));
    EXPECT_EQ(describe(only<event::SyncRateChanged>(events)),
              "sync rate changed from 65536 to 2048 KiB/s");
}

TEST(StateTracker, ReinstatedWhilePaused) {
    StateTracker t;
    t.observe(v2("AD", 37, "idle", 0));
    auto events = t.observe(v2("Aa", 37, "paused", 0));
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(describe(events[0]), "leg 1 is back in service, resyncing 37/256 regions (D -> a)");
    EXPECT_TRUE(std::get<event::SyncStarted>(events[1]).paused);
    EXPECT_EQ(describe(events[1]),
              "resync needed but paused (sync rate 0): 37/256 regions to copy for leg 1");
    EXPECT_EQ(severity(events[1]), LogLevel::warning);
}

TEST(StateTracker, WholeResyncBetweenTwoPolls) {
    StateTracker t;
    t.observe(v2("AD", 2, "idle", 65536, 100, 51200));
    auto events = t.observe(v2("AA", 0, "idle", 65536, 102, 52224));
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(describe(events[0]), "leg 1 is back in service (D -> A)");
    EXPECT_EQ(describe(events[1]),
              "resync finished: 2 region(s) (1024 KiB) copied, every healthy leg in sync");
    EXPECT_TRUE(t.observe(v2("AA", 0, "idle", 65536, 102, 52224)).empty());
}

TEST(StateTracker, CopyCountedAfterTheFinishIsNotASecondFinish) {
    StateTracker t;
    t.observe(v2("Aa", 1, "resync", 65536, 0, 0));
    // The last region is in sync before its copy is counted.
    auto finished = t.observe(v2("AA", 0, "idle", 65536, 36, 18432));
    ASSERT_EQ(finished.size(), 2u);
    EXPECT_EQ(std::get<event::SyncFinished>(finished[1]).regions_copied, 36u);
    EXPECT_TRUE(t.observe(v2("AA", 0, "idle", 65536, 37, 18944)).empty());
}

TEST(StateTracker, CopyCountersStartingOverCountFromZero) {
    StateTracker t;
    t.observe(v2("AA", 0, "idle", 65536, 500, 256000));
    // The table was reloaded without nosync: a new initial sync.
    t.observe(v2("Aa", 256, "resync", 65536, 0, 0));
    auto finished = t.observe(v2("AA", 0, "idle", 65536, 256, 131072));
    const auto& f = std::get<event::SyncFinished>(finished.at(1));
    EXPECT_EQ(f.regions_copied, 256u);
    EXPECT_EQ(f.kib_copied, 131072u);
}

TEST(StateTracker, FirstStatusMidResyncCountsFromThere) {
    StateTracker t;
    t.observe(v2("Aa", 10, "resync", 65536, 246, 125952));
    auto finished = t.observe(v2("AA", 0, "idle", 65536, 256, 131072));
    EXPECT_EQ(std::get<event::SyncFinished>(finished.at(1)).regions_copied, 10u);
}

TEST(StateTracker, Version1LinesHaveNoSyncEvents) {
    StateTracker t;
    t.observe(st("1 2 AD 50 50 0 0 0 0 0 0 0 0 0"));
    auto events = t.observe(st("1 2 AA 50 50 0 0 0 0 0 0 0 0 0"));
    EXPECT_EQ(describe(only<event::LegStateChanged>(events)), "leg 1 is back in service (D -> A)");
}

// --- versions 3 and 4: metadata, resync mode, verify and repair ---------------

namespace {

// A two-leg version 4 status line of 256 regions, both legs in sync, with
// the given metadata state, resync mode and check fields.
Status v4(const char* metadata, const char* mode, const char* action, unsigned done = 0,
          unsigned mismatches = 0, const char* states = "AA") {
    return parse_status(std::string("4 2 ") + states +
                        " 100 0 0 0 0 0 0 0 0 0 0 256 0 0 idle 65536 0 0 " + metadata + " " + mode +
                        " 0 0 " + action + " " + std::to_string(done) + " " +
                        std::to_string(mismatches));
}

} // namespace

TEST(StateTracker, ObservedIncludesMetadataAndResyncMode) {
    StateTracker t;
    auto events = t.observe(v4("ok", "checksum", "idle"));
    EXPECT_EQ(describe(only<event::Observed>(events)),
              "status v4: 2 legs, states AA, read weights 100 0, sync idle, 65536 KiB/s, "
              "metadata ok, resync mode checksum");
    EXPECT_EQ(severity(events[0]), LogLevel::info);

    StateTracker running;
    EXPECT_EQ(describe(running.observe(v4("-", "copy", "verify", 37, 2)).at(0)),
              "status v4: 2 legs, states AA, read weights 100 0, sync idle, 65536 KiB/s, "
              "metadata - (in core only), resync mode copy, verify 37/256 regions, 2 "
              "mismatching blocks so far");
}

TEST(StateTracker, FailedMetadataAtStartIsAnError) {
    StateTracker t;
    auto events = t.observe(v4("failed", "copy", "idle"));
    EXPECT_EQ(describe(only<event::Observed>(events)),
              "status v4: 2 legs, states AA, read weights 100 0, sync idle, 65536 KiB/s, "
              "metadata failed: every write fails (reads work) until the metadata device is "
              "replaced, resync mode copy");
    EXPECT_EQ(severity(events[0]), LogLevel::error);
}

TEST(StateTracker, MetadataFailingIsAnErrorReportedOnce) {
    StateTracker t;
    t.observe(v4("ok", "copy", "idle"));
    auto failed = t.observe(v4("failed", "copy", "idle"));
    const auto& e = only<event::MetadataChanged>(failed);
    EXPECT_EQ(e.from, "ok");
    EXPECT_EQ(e.to, "failed");
    EXPECT_EQ(describe(failed[0]), "metadata write failed (ok -> failed): every write fails (reads "
                                   "work) until the metadata device is replaced");
    EXPECT_EQ(severity(failed[0]), LogLevel::error);
    EXPECT_TRUE(t.observe(v4("failed", "copy", "idle")).empty());

    // A table with a new metadata device replaces it.
    auto back = t.observe(v4("ok", "copy", "idle"));
    EXPECT_EQ(describe(only<event::MetadataChanged>(back)),
              "metadata state changed from failed to ok");
    EXPECT_EQ(severity(back[0]), LogLevel::info);
}

TEST(StateTracker, Version3MetadataFailing) {
    StateTracker t;
    t.observe(st("3 2 AA 100 0 0 0 0 0 0 0 0 0 0 8 0 0 idle 1 0 0 ok"));
    auto events = t.observe(st("3 2 AA 100 0 0 0 0 0 0 0 0 0 0 8 0 0 idle 1 0 0 failed"));
    EXPECT_EQ(severity(only<event::MetadataChanged>(events)), LogLevel::error);
}

TEST(StateTracker, ResyncModeChange) {
    StateTracker t;
    t.observe(v4("ok", "copy", "idle"));
    auto events = t.observe(v4("ok", "checksum", "idle"));
    EXPECT_EQ(describe(only<event::ResyncModeChanged>(events)),
              "resync mode changed from copy to checksum");
    EXPECT_EQ(severity(events[0]), LogLevel::info);
}

TEST(StateTracker, VerifyStartAndFinishReportedOnceEach) {
    StateTracker t;
    t.observe(v4("ok", "copy", "idle"));

    auto started = t.observe(v4("ok", "copy", "verify", 0, 0));
    const auto& s = only<event::CheckStarted>(started);
    EXPECT_EQ(s.action, "verify");
    EXPECT_EQ(describe(started[0]), "verify started: comparing 256 regions");
    EXPECT_EQ(severity(started[0]), LogLevel::info);

    // Progress alone is not news.
    EXPECT_TRUE(t.observe(v4("ok", "copy", "verify", 100, 3)).empty());
    EXPECT_TRUE(t.observe(v4("ok", "copy", "verify", 200, 5)).empty());

    auto finished = t.observe(v4("ok", "copy", "idle", 256, 5));
    const auto& f = only<event::CheckFinished>(finished);
    EXPECT_EQ(f.action, "verify");
    EXPECT_EQ(f.regions_done, 256u);
    EXPECT_EQ(f.regions, 256u);
    EXPECT_EQ(f.mismatches, 5u);
    EXPECT_EQ(describe(finished[0]),
              "verify finished: 256/256 regions compared, 5 mismatching block(s)");
    EXPECT_EQ(severity(finished[0]), LogLevel::warning);

    EXPECT_TRUE(t.observe(v4("ok", "copy", "idle", 256, 5)).empty());
}

TEST(StateTracker, CleanVerifyIsInfoAndRepairSaysWhatItDid) {
    StateTracker t;
    t.observe(v4("ok", "copy", "verify", 10, 0));
    auto clean = t.observe(v4("ok", "copy", "idle", 256, 0));
    EXPECT_EQ(describe(only<event::CheckFinished>(clean)),
              "verify finished: 256/256 regions compared, 0 mismatching block(s)");
    EXPECT_EQ(severity(clean[0]), LogLevel::info);

    EXPECT_EQ(describe(only<event::CheckStarted>(t.observe(v4("ok", "copy", "repair", 0, 0)))),
              "repair started: comparing 256 regions");
    auto repaired = t.observe(v4("ok", "copy", "idle", 256, 5));
    EXPECT_EQ(describe(only<event::CheckFinished>(repaired)),
              "repair finished: 256/256 regions compared, 5 mismatching block(s) rewritten from "
              "the source");
    EXPECT_EQ(severity(repaired[0]), LogLevel::warning);
}

TEST(StateTracker, PassStoppingEarlyIsAWarning) {
    StateTracker t;
    t.observe(v4("ok", "copy", "verify", 30, 1));
    auto events = t.observe(v4("ok", "copy", "idle", 37, 2, "AD"));
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(describe(events[0]), "leg 1 failed (A -> D)");
    EXPECT_EQ(describe(events[1]), "verify stopped after 37/256 regions (fewer than two legs in "
                                   "sync): 2 mismatching block(s)");
    EXPECT_EQ(severity(events[1]), LogLevel::warning);
}

TEST(StateTracker, WholePassBetweenTwoPolls) {
    StateTracker t;
    t.observe(v4("ok", "copy", "idle", 256, 5));
    // Another pass ran (and found other counts) between two polls.
    auto events = t.observe(v4("ok", "copy", "idle", 256, 0));
    EXPECT_EQ(describe(only<event::CheckFinished>(events)),
              "verify or repair finished: 256/256 regions compared, 0 mismatching block(s)");
    EXPECT_TRUE(t.observe(v4("ok", "copy", "idle", 256, 0)).empty());

    // From nothing, too.
    StateTracker fresh;
    fresh.observe(v4("ok", "copy", "idle"));
    EXPECT_EQ(
        only<event::CheckFinished>(fresh.observe(v4("ok", "copy", "idle", 256, 3))).mismatches, 3u);
}

TEST(StateTracker, OnePassEndingAndAnotherStartingBetweenPolls) {
    StateTracker t;
    t.observe(v4("ok", "copy", "verify", 100, 0));
    auto events = t.observe(v4("ok", "copy", "repair", 3, 0));
    EXPECT_EQ(only<event::CheckStarted>(events).action, "repair");
}

TEST(StateTracker, NewTableWithoutAPassIsNotAFinish) {
    StateTracker t;
    t.observe(v4("ok", "copy", "idle", 256, 5));
    // A reload zeroes the pass counters: no pass ran.
    EXPECT_TRUE(t.observe(v4("ok", "copy", "idle", 0, 0)).empty());
}
