// The resync, metadata and verify summaries shared by `tandemctl status` and tandemd's log.
#include "tandem/sync_summary.h"

#include <gtest/gtest.h>

using namespace tandem;

TEST(SyncSummary, ResyncOfOneLeg) {
    Status st = parse_status("2 2 Aa 100 0 10 20 0 0 0 20 0 0 0 256 0 37 resync 65536 219 112128");
    EXPECT_EQ(out_of_sync_fraction(st, 0), "0/256");
    EXPECT_EQ(out_of_sync_fraction(st, 1), "37/256");
    EXPECT_EQ(regions_to_copy(st), "37/256 regions to copy for leg 1");
    EXPECT_EQ(failed_legs_out_of_sync(st), "");
    EXPECT_EQ(describe_sync(st), "resync 37/256 regions to copy for leg 1, 65536 KiB/s");
}

TEST(SyncSummary, SeveralLegsAndAFailedOne) {
    // Legs 1 and 3 resyncing, leg 2 failed and behind too; leg 0 is the source.
    Status st = parse_status("2 4 AaDa 100 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 "
                             "1024 0 12 1024 3 resync 4096 0 0");
    EXPECT_EQ(regions_to_copy(st), "12/1024 regions to copy for leg 1, 3/1024 for leg 3");
    EXPECT_EQ(failed_legs_out_of_sync(st), "leg 2 (failed) lacks 1024/1024 regions");
    EXPECT_EQ(describe_sync(st),
              "resync 12/1024 regions to copy for leg 1, 3/1024 for leg 3, 4096 KiB/s");
}

TEST(SyncSummary, PausedAndIdle) {
    EXPECT_EQ(describe_sync(parse_status("2 2 Aa 100 0 0 0 0 0 0 0 0 0 0 64 0 3 paused 0 0 0")),
              "paused 3/64 regions to copy for leg 1, 0 KiB/s");
    EXPECT_EQ(describe_sync(parse_status("2 2 AA 100 0 0 0 0 0 0 0 0 0 0 64 0 0 idle 1024 0 0")),
              "idle, 1024 KiB/s");
    // A failed leg is not copied to: nothing to copy while it is out.
    Status failed = parse_status("2 2 AD 100 0 0 0 0 0 0 0 0 0 0 64 0 5 idle 1024 0 0");
    EXPECT_EQ(describe_sync(failed), "idle, 1024 KiB/s");
    EXPECT_EQ(failed_legs_out_of_sync(failed), "leg 1 (failed) lacks 5/64 regions");
}

TEST(SyncSummary, Version1HasNone) {
    Status st = parse_status("1 2 AD 70 30 120 40 0 0 80 40 3 1 2");
    EXPECT_EQ(out_of_sync_fraction(st, 1), "");
    EXPECT_EQ(regions_to_copy(st), "");
    EXPECT_EQ(failed_legs_out_of_sync(st), "");
    EXPECT_EQ(describe_sync(st), "");
}

namespace {

// A two-leg version 4 line of 256 regions with the given tail
// (<metadata> <resync_mode> ... <check_mismatches>).
Status v4(const std::string& tail) {
    return parse_status("4 2 AA 100 0 0 0 0 0 0 0 0 0 0 256 0 0 idle 65536 0 0 " + tail);
}

} // namespace

TEST(SyncSummary, Metadata) {
    EXPECT_EQ(describe_metadata(v4("ok copy 0 0 idle 0 0")), "ok");
    EXPECT_EQ(describe_metadata(v4("- copy 0 0 idle 0 0")), "- (in core only)");
    EXPECT_EQ(describe_metadata(v4("failed copy 0 0 idle 0 0")),
              "failed: every write fails (reads work) until the metadata device is replaced");
    EXPECT_EQ(describe_metadata(parse_status("3 2 AA 100 0 0 0 0 0 0 0 0 0 0 8 0 0 idle 1 0 0 ok")),
              "ok");
    EXPECT_EQ(describe_metadata(parse_status("2 2 AA 100 0 0 0 0 0 0 0 0 0 0 8 0 0 idle 1 0 0")),
              "");
}

TEST(SyncSummary, ResyncMode) {
    EXPECT_EQ(describe_resync_mode(v4("ok checksum 16384 164 idle 0 0")),
              "checksum, 16384 blocks compared, 164 copied");
    EXPECT_EQ(describe_resync_mode(v4("ok copy 0 0 idle 0 0")),
              "copy, 0 blocks compared, 0 copied");
    EXPECT_EQ(
        describe_resync_mode(parse_status("3 2 AA 100 0 0 0 0 0 0 0 0 0 0 8 0 0 idle 1 0 0 -")),
        "");
}

TEST(SyncSummary, Check) {
    EXPECT_EQ(describe_check(v4("ok copy 0 0 idle 0 0")), "idle");
    EXPECT_EQ(describe_check(v4("ok copy 0 0 verify 37 2")),
              "verify 37/256 regions, 2 mismatching blocks so far");
    EXPECT_EQ(describe_check(v4("ok copy 0 0 repair 37 2")),
              "repair 37/256 regions, 2 mismatching blocks rewritten so far");
    EXPECT_EQ(describe_check(v4("ok copy 0 0 idle 256 5")),
              "idle; last pass: 256/256 regions, 5 mismatching blocks");
    EXPECT_EQ(describe_check(v4("ok copy 0 0 idle 37 2")),
              "idle; last pass stopped after 37/256 regions, 2 mismatching blocks");
    EXPECT_EQ(describe_check(parse_status("2 2 AA 100 0 0 0 0 0 0 0 0 0 0 8 0 0 idle 1 0 0")), "");
}
