// tandemctl's resync progress: the fraction in sync from a status line,
// the time to go from samples and from the sync rate, their formatting,
// and where a resync stands (the verdict wait-sync acts on).
#include "v2_status_line.h"

#include "sync_progress.h"
#include "wait_sync.h"

#include "tandem/status.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

using namespace tandem;
using namespace tandem::cli;
using tandem::testing::v2_status;

TEST(SyncProgress, FromTheLegsThatLackRegions) {
    struct Case {
        std::string line;
        std::uint64_t left, total, copies;
        double fraction;
    };
    const Case cases[] = {
        {v2_status("Aa", {0, 64}, "resync"), 64, 256, 64, 0.75},
        {v2_status("Aaa", {0, 64, 128}, "resync"), 192, 512, 128, 0.625},
        // A failed leg is not copied to: it counts for nothing.
        {v2_status("AaD", {0, 64, 256}, "resync"), 64, 256, 64, 0.75},
        {v2_status("Aa", {0, 256}, "paused", 0), 256, 256, 256, 0.0},
        {v2_status("Aa", {0, 1}, "resync"), 1, 256, 1, 255.0 / 256},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.line);
        const auto p = sync_progress(parse_status(c.line));
        ASSERT_TRUE(p);
        EXPECT_EQ(p->regions_left, c.left);
        EXPECT_EQ(p->regions_total, c.total);
        EXPECT_EQ(p->copies_left, c.copies);
        EXPECT_DOUBLE_EQ(p->fraction(), c.fraction);
    }
}

TEST(SyncProgress, NoneWhenNothingIsToCopy) {
    EXPECT_FALSE(sync_progress(parse_status(v2_status("AA", {0, 0}, "idle"))));
    EXPECT_FALSE(sync_progress(parse_status(v2_status("AD", {0, 37}, "idle"))));
    // Version 1 has no resync fields.
    EXPECT_FALSE(sync_progress(parse_status("1 2 AD 70 30 120 40 0 0 80 40 3 1 2")));
}

TEST(SyncProgress, EtaAtTheSyncRate) {
    // 37 regions of 512 KiB at 64 MiB/s; 2048 regions at 1 MiB/s.
    EXPECT_DOUBLE_EQ(*eta_at_rate(37, 1024, 65536), 37.0 * 512 / 65536);
    EXPECT_DOUBLE_EQ(*eta_at_rate(2048, 1024, 1024), 1024.0);
    EXPECT_DOUBLE_EQ(*eta_at_rate(3, 8, 4), 3.0);
    EXPECT_FALSE(eta_at_rate(37, 1024, 0)); // paused
}

TEST(EtaEstimator, RateOfTheRegionsLeftOverTime) {
    EtaEstimator eta;
    eta.add(0, 100);
    EXPECT_FALSE(eta.eta()); // one sample: no rate yet
    eta.add(10, 80);
    EXPECT_DOUBLE_EQ(*eta.eta(), 40.0); // 2 regions/s, 80 left
    eta.add(20, 60);
    EXPECT_DOUBLE_EQ(*eta.eta(), 30.0);
    // More left than before: a leg came back; the rate starts anew.
    eta.add(25, 90);
    EXPECT_FALSE(eta.eta());
    eta.add(35, 70);
    EXPECT_DOUBLE_EQ(*eta.eta(), 35.0);
}

TEST(EtaEstimator, OnlyTheWindowCounts) {
    EtaEstimator eta(10);
    eta.add(0, 1000);
    eta.add(5, 900); // fast at first ...
    eta.add(10, 890);
    eta.add(20, 880); // ... 1 region/s over the last 10 s
    EXPECT_DOUBLE_EQ(*eta.eta(), 880.0);
}

TEST(EtaEstimator, NoneWithoutProgress) {
    EtaEstimator eta;
    eta.add(0, 50);
    eta.add(5, 50);
    EXPECT_FALSE(eta.eta());
    EtaEstimator instant;
    instant.add(3, 50);
    instant.add(3, 40); // no time passed
    EXPECT_FALSE(instant.eta());
}

TEST(SyncProgressFormat, Durations) {
    const std::pair<double, const char*> cases[] = {
        {0, "0s"},
        {0.2, "1s"},
        {45, "45s"},
        {59.5, "1m00s"},
        {187, "3m07s"},
        {3599, "59m59s"},
        {3600, "1h00m"},
        {7500, "2h05m"},
        {86399, "23h59m"},
        {86400, "1d00h"},
        {273600, "3d04h"},
        {-5, "0s"},
        // An estimate beyond any sense is shown at the bound, not converted
        // out of range.
        {1e30, "999d00h"},
        {std::numeric_limits<double>::infinity(), "999d00h"},
        {std::numeric_limits<double>::quiet_NaN(), "0s"},
    };
    for (const auto& [seconds, text] : cases)
        EXPECT_EQ(format_duration(seconds), text) << seconds;
}

TEST(SyncProgressFormat, Bars) {
    EXPECT_EQ(progress_bar(0, 10), "[----------]");
    EXPECT_EQ(progress_bar(0.5, 10), "[#####-----]");
    EXPECT_EQ(progress_bar(0.99, 10), "[#########-]");
    EXPECT_EQ(progress_bar(1, 4), "[####]");
    EXPECT_EQ(progress_bar(1.5, 4), "[####]");
    EXPECT_EQ(progress_bar(-1, 3), "[---]");
}

TEST(SyncProgressFormat, PercentRoundsDown) {
    EXPECT_EQ(format_percent(0), "  0.0%");
    EXPECT_EQ(format_percent(0.85546875), " 85.5%");
    EXPECT_EQ(format_percent(0.7), " 70.0%");
    EXPECT_EQ(format_percent(0.9999), " 99.9%"); // not done: never 100.0%
    EXPECT_EQ(format_percent(1), "100.0%");
    EXPECT_DOUBLE_EQ(percent_done(0.85546875), 85.5);
    EXPECT_DOUBLE_EQ(percent_done(0.9999), 99.9);
    EXPECT_DOUBLE_EQ(percent_done(1.5), 100.0);
}

TEST(SyncProgressFormat, Line) {
    const SyncProgress p{37, 256, 37};
    EXPECT_EQ(format_progress(p, 65), "[#########################-----]  85.5%  37/256 regions "
                                      "left  ETA 1m05s");
    EXPECT_EQ(format_progress(p, std::nullopt, 8), "[######--]  85.5%  37/256 regions left  ETA -");
    EXPECT_EQ(format_progress(SyncProgress{512, 512, 256}, 3600, 4),
              "[----]   0.0%  512/512 regions left  ETA 1h00m");
}

TEST(SyncVerdict, FromTheStatus) {
    const std::pair<std::string, SyncVerdict> cases[] = {
        {v2_status("AA", {0, 0}, "idle"), SyncVerdict::in_sync},
        {v2_status("AAA", {0, 0, 0}, "idle", 0), SyncVerdict::in_sync},
        {v2_status("Aa", {0, 37}, "resync"), SyncVerdict::syncing},
        {v2_status("Aa", {0, 37}, "paused", 0), SyncVerdict::paused},
        // The last region copied, the action not back to idle yet.
        {v2_status("AA", {0, 0}, "resync"), SyncVerdict::syncing},
        // A failed leg: nothing will be copied to it.
        {v2_status("AD", {0, 37}, "idle"), SyncVerdict::failed_legs},
        {v2_status("AD", {0, 0}, "idle"), SyncVerdict::failed_legs},
        {v2_status("DA", {0, 0}, "idle"), SyncVerdict::failed_legs},
        // Another leg still syncing comes first.
        {v2_status("AaD", {0, 5, 256}, "resync"), SyncVerdict::syncing},
        // A healthy leg lacks regions and nothing copies them.
        {v2_status("Aa", {0, 37}, "idle"), SyncVerdict::stuck},
    };
    for (const auto& [line, verdict] : cases)
        EXPECT_EQ(judge_sync(parse_status(line)), verdict) << line;
}

TEST(SyncVerdict, AnUnknownActionWithRegionsLeftIsSyncing) {
    Status st = parse_status(v2_status("Aa", {0, 37}, "resync"));
    st.sync->action_word = "rebuild";
    st.sync->action = SyncAction::unknown;
    EXPECT_EQ(judge_sync(st), SyncVerdict::syncing);
    st.legs[1] = st.legs[0];
    EXPECT_EQ(judge_sync(st), SyncVerdict::in_sync);
}
