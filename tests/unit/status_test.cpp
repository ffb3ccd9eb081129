// parse_status / format_status against golden status lines, versions 1 to 6.
#include "tandem/errors.h"
#include "tandem/status.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <deque>

using namespace tandem;
using ::testing::HasSubstr;

namespace {

// What the version 1 target prints for two legs, leg 1 failed.
constexpr const char* golden_v1 = "1 2 AD 70 30 120 40 0 0 80 40 3 1 2";

// What the version 2 target prints for two legs, leg 1 reinstated and
// resyncing: 37 of 256 regions still to copy.
constexpr const char* golden_v2 =
    "2 2 Aa 100 0 10 20 0 0 0 20 0 0 0 256 0 37 resync 65536 219 112128";

// Version 3: leg 1 failed, 3 regions behind, with a metadata device.
constexpr const char* golden_v3 = "3 2 AD 100 0 10 20 0 0 0 0 0 0 0 256 0 3 idle 65536 0 0 ok";

// Version 4: in-core state, checksum resync (16384 blocks compared, 164
// copied), a verify pass 37 regions in with 2 differing blocks so far.
constexpr const char* golden_v4 = "4 2 AA 100 0 10 20 0 0 0 20 0 0 0 128 0 0 idle 65536 128 65536 "
                                  "- checksum 16384 164 verify 37 2";

// The version 1..4 fields of a version 5 line: two legs in sync.
constexpr const char* v5_base =
    "5 2 AA 100 0 10 20 0 0 0 20 0 0 0 128 0 0 idle 65536 0 0 ok copy 0 0 idle 0 0";

// Version 5: queue depth 64 with 12 in flight; critical has waited, test
// is limited to 500 IO/s and 10 MiB/s with bios queued and throttled, an
// added class "batch" with weight 0; 2 rules.
constexpr const char* golden_v5_scheduler = " 64 12 4"
                                            " critical 200 0 0 1000 4000 0 7 0 256 1024"
                                            " production 100 0 0 5000 20000 3 40 0 512 4096"
                                            " test 50 500 10240 800 3200 9 120 77 2048 65536"
                                            " batch 0 0 0 0 0 0 0 0 0 0"
                                            " 2";

// A fresh version 5 device: scheduler off, the three built-in classes.
constexpr const char* fresh_scheduler = " 0 0 3"
                                        " critical 200 0 0 0 0 0 0 0 0 0"
                                        " production 100 0 0 0 0 0 0 0 0 0"
                                        " test 50 0 0 0 0 0 0 0 0 0"
                                        " 0";

const std::string golden_v5 = std::string(v5_base) + golden_v5_scheduler;

// Version 6: a gate shadow on 253:2; 100 reads compared, 3 of them
// differing; one bio confined; one more write on the shadow than in
// production (the confined one).
constexpr const char* golden_v6_shadow =
    " 253:2 gate 1 8192 0 0 0 100 3 1 0 read 100 0 512 100 0 128 write 2048 0 1024 2049 0 256 "
    "flush 0 0 0 0 0 0 discard 0 0 0 0 0 0";

// A version 6 device without a shadow: the defaults and zeros.
constexpr const char* no_shadow =
    " - async 1 8192 0 0 0 0 0 0 0 read 0 0 0 0 0 0 write 0 0 0 0 0 0 "
    "flush 0 0 0 0 0 0 discard 0 0 0 0 0 0";

// The version 1..5 fields of a version 6 line.
const std::string v6_base = "6" + std::string(v5_base).substr(1) + fresh_scheduler;
const std::string golden_v6 = v6_base + golden_v6_shadow;

} // namespace

TEST(StatusCodec, GoldenVersion1TwoLegs) {
    Status st = parse_status(golden_v1);
    EXPECT_EQ(st.version, 1u);
    ASSERT_EQ(st.legs.size(), 2u);

    EXPECT_EQ(st.legs[0].state, LegState::alive);
    EXPECT_EQ(st.legs[0].state_letter, 'A');
    EXPECT_EQ(st.legs[0].weight, 70u);
    EXPECT_EQ(st.legs[0].reads, 120u);
    EXPECT_EQ(st.legs[0].writes, 40u);
    EXPECT_EQ(st.legs[0].read_errors, 0u);
    EXPECT_EQ(st.legs[0].write_errors, 0u);

    EXPECT_EQ(st.legs[1].state, LegState::dead);
    EXPECT_EQ(st.legs[1].state_letter, 'D');
    EXPECT_EQ(st.legs[1].weight, 30u);
    EXPECT_EQ(st.legs[1].reads, 80u);
    EXPECT_EQ(st.legs[1].writes, 40u);
    EXPECT_EQ(st.legs[1].read_errors, 3u);
    EXPECT_EQ(st.legs[1].write_errors, 1u);

    EXPECT_EQ(st.read_retries, 2u);
    EXPECT_TRUE(st.extra_fields.empty());
}

TEST(StatusCodec, DocsExampleFreshDevice) {
    // docs/target.md, "Examples": a new device with reads split 70/30.
    Status st = parse_status("1 2 AA 70 30 0 0 0 0 0 0 0 0 0");
    ASSERT_EQ(st.legs.size(), 2u);
    EXPECT_EQ(st.legs[0].state, LegState::alive);
    EXPECT_EQ(st.legs[1].state, LegState::alive);
    EXPECT_EQ(st.legs[0].weight, 70u);
    EXPECT_EQ(st.legs[1].weight, 30u);
    EXPECT_EQ(st.legs[1].reads, 0u);
    EXPECT_EQ(st.read_retries, 0u);
}

TEST(StatusCodec, GoldenVersion1FourLegs) {
    Status st = parse_status("1 4 AADA 40 30 0 30 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17");
    ASSERT_EQ(st.legs.size(), 4u);
    EXPECT_EQ(st.legs[2].state, LegState::dead);
    EXPECT_EQ(st.legs[2].weight, 0u);
    EXPECT_EQ(st.legs[3].weight, 30u);
    EXPECT_EQ(st.legs[3].reads, 13u);
    EXPECT_EQ(st.legs[3].write_errors, 16u);
    EXPECT_EQ(st.read_retries, 17u);
}

TEST(StatusCodec, FreshDeviceAllZero) {
    Status st = parse_status("1 2 AA 100 0 0 0 0 0 0 0 0 0 0");
    EXPECT_EQ(st.legs[0].weight, 100u);
    EXPECT_EQ(st.legs[1].weight, 0u);
    EXPECT_EQ(st.read_retries, 0u);
}

TEST(StatusCodec, ToleratesSurroundingAndRepeatedBlanks) {
    EXPECT_EQ(parse_status("  1  2\tAD 70 30 120 40 0 0 80 40 3 1 2\n"), parse_status(golden_v1));
}

TEST(StatusCodec, LargestCountersAreExact) {
    Status st = parse_status("1 2 AA 50 50 18446744073709551615 0 0 0 0 0 0 0 0");
    EXPECT_EQ(st.legs[0].reads, UINT64_MAX);
}

TEST(StatusCodec, Version1HasNoSyncFields) {
    Status st = parse_status(golden_v1);
    EXPECT_FALSE(st.sync.has_value());
    EXPECT_EQ(st.legs[0].out_of_sync_regions, 0u);
    EXPECT_EQ(st.legs[1].out_of_sync_regions, 0u);
}

TEST(StatusCodec, GoldenVersion2TwoLegsResyncing) {
    Status st = parse_status(golden_v2);
    EXPECT_EQ(st.version, 2u);
    ASSERT_EQ(st.legs.size(), 2u);

    EXPECT_EQ(st.legs[0].state, LegState::alive);
    EXPECT_EQ(st.legs[0].weight, 100u);
    EXPECT_EQ(st.legs[0].reads, 10u);
    EXPECT_EQ(st.legs[0].writes, 20u);
    EXPECT_EQ(st.legs[0].out_of_sync_regions, 0u);

    EXPECT_EQ(st.legs[1].state, LegState::syncing);
    EXPECT_EQ(st.legs[1].state_letter, 'a');
    EXPECT_EQ(st.legs[1].weight, 0u);
    EXPECT_EQ(st.legs[1].reads, 0u);
    EXPECT_EQ(st.legs[1].writes, 20u);
    EXPECT_EQ(st.legs[1].out_of_sync_regions, 37u);
    EXPECT_EQ(st.read_retries, 0u);

    ASSERT_TRUE(st.sync.has_value());
    EXPECT_EQ(st.sync->regions, 256u);
    EXPECT_EQ(st.sync->action, SyncAction::resync);
    EXPECT_EQ(st.sync->action_word, "resync");
    EXPECT_EQ(st.sync->rate, 65536u);
    EXPECT_EQ(st.sync->regions_copied, 219u);
    EXPECT_EQ(st.sync->kib_copied, 112128u);
    EXPECT_TRUE(st.extra_fields.empty());
}

TEST(StatusCodec, GoldenVersion2FreshNosyncDevice) {
    Status st = parse_status("2 2 AA 100 0 0 0 0 0 0 0 0 0 0 256 0 0 idle 65536 0 0");
    EXPECT_EQ(st.legs[1].state, LegState::alive);
    EXPECT_EQ(st.legs[1].out_of_sync_regions, 0u);
    ASSERT_TRUE(st.sync.has_value());
    EXPECT_EQ(st.sync->action, SyncAction::idle);
    EXPECT_EQ(st.sync->regions_copied, 0u);
}

TEST(StatusCodec, GoldenVersion2FourLegsPaused) {
    // Leg 1 resyncing with the rate at 0; leg 2 failed, lacking regions too.
    Status st = parse_status("2 4 AaDA 40 0 0 60 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 "
                             "1024 0 12 1024 0 paused 0 5 2560");
    ASSERT_EQ(st.legs.size(), 4u);
    EXPECT_EQ(st.legs[1].state, LegState::syncing);
    EXPECT_EQ(st.legs[2].state, LegState::dead);
    EXPECT_EQ(st.legs[3].write_errors, 16u);
    EXPECT_EQ(st.read_retries, 17u);
    EXPECT_EQ(st.legs[0].out_of_sync_regions, 0u);
    EXPECT_EQ(st.legs[1].out_of_sync_regions, 12u);
    EXPECT_EQ(st.legs[2].out_of_sync_regions, 1024u);
    EXPECT_EQ(st.legs[3].out_of_sync_regions, 0u);
    ASSERT_TRUE(st.sync.has_value());
    EXPECT_EQ(st.sync->regions, 1024u);
    EXPECT_EQ(st.sync->action, SyncAction::paused);
    EXPECT_EQ(st.sync->rate, 0u);
    EXPECT_EQ(st.sync->regions_copied, 5u);
    EXPECT_EQ(st.sync->kib_copied, 2560u);
}

TEST(StatusCodec, Version2LargestValues) {
    Status st = parse_status("2 2 AA 50 50 0 0 0 0 0 0 0 0 0 18446744073709551615 "
                             "18446744073709551615 0 idle 16777216 18446744073709551615 "
                             "18446744073709551615");
    EXPECT_EQ(st.sync->regions, UINT64_MAX);
    EXPECT_EQ(st.legs[0].out_of_sync_regions, UINT64_MAX);
    EXPECT_EQ(st.sync->rate, 16777216u);
    EXPECT_EQ(st.sync->kib_copied, UINT64_MAX);
}

TEST(StatusCodec, GoldenVersion3WithMetadata) {
    Status st = parse_status(golden_v3);
    EXPECT_EQ(st.version, 3u);
    EXPECT_EQ(st.legs[1].state, LegState::dead);
    EXPECT_EQ(st.legs[1].out_of_sync_regions, 3u);
    ASSERT_TRUE(st.sync.has_value());
    EXPECT_EQ(st.sync->action, SyncAction::idle);
    ASSERT_TRUE(st.metadata.has_value());
    EXPECT_EQ(st.metadata->state, MetadataState::ok);
    EXPECT_EQ(st.metadata->word, "ok");
    EXPECT_FALSE(st.compare.has_value());
    EXPECT_TRUE(st.extra_fields.empty());
}

TEST(StatusCodec, Version3MetadataStates) {
    const std::string base = "3 2 AA 100 0 0 0 0 0 0 0 0 0 0 256 0 0 idle 65536 0 0 ";
    EXPECT_EQ(parse_status(base + "-").metadata->state, MetadataState::none);
    EXPECT_EQ(parse_status(base + "ok").metadata->state, MetadataState::ok);
    EXPECT_EQ(parse_status(base + "failed").metadata->state, MetadataState::failed);
}

TEST(StatusCodec, GoldenVersion4VerifyRunning) {
    Status st = parse_status(golden_v4);
    EXPECT_EQ(st.version, 4u);
    ASSERT_EQ(st.legs.size(), 2u);
    EXPECT_EQ(st.legs[1].writes, 20u);
    ASSERT_TRUE(st.sync.has_value());
    EXPECT_EQ(st.sync->regions, 128u);
    EXPECT_EQ(st.sync->regions_copied, 128u);
    EXPECT_EQ(st.sync->kib_copied, 65536u);
    ASSERT_TRUE(st.metadata.has_value());
    EXPECT_EQ(st.metadata->state, MetadataState::none);
    ASSERT_TRUE(st.compare.has_value());
    const CompareStatus& cmp = *st.compare;
    EXPECT_EQ(cmp.resync_mode, ResyncMode::checksum);
    EXPECT_EQ(cmp.resync_mode_word, "checksum");
    EXPECT_EQ(cmp.blocks_compared, 16384u);
    EXPECT_EQ(cmp.blocks_copied, 164u);
    EXPECT_EQ(cmp.check_action, CheckAction::verify);
    EXPECT_EQ(cmp.check_action_word, "verify");
    EXPECT_EQ(cmp.check_regions_done, 37u);
    EXPECT_EQ(cmp.check_mismatches, 2u);
    EXPECT_TRUE(st.extra_fields.empty());
}

TEST(StatusCodec, GoldenVersion4ThreeLegsFailedMetadataRepair) {
    // Leg 1 resyncing by whole regions, metadata failed (safe mode), a
    // repair pass at its last region.
    Status st = parse_status("4 3 AaA 50 0 50 1 2 3 4 5 6 7 8 9 10 11 12 13 "
                             "1024 0 12 0 resync 65536 5 2560 failed copy 0 0 repair 1023 9");
    ASSERT_EQ(st.legs.size(), 3u);
    EXPECT_EQ(st.legs[2].write_errors, 12u);
    EXPECT_EQ(st.read_retries, 13u);
    EXPECT_EQ(st.legs[1].out_of_sync_regions, 12u);
    EXPECT_EQ(st.sync->action, SyncAction::resync);
    EXPECT_EQ(st.metadata->state, MetadataState::failed);
    EXPECT_EQ(st.compare->resync_mode, ResyncMode::copy);
    EXPECT_EQ(st.compare->blocks_compared, 0u);
    EXPECT_EQ(st.compare->check_action, CheckAction::repair);
    EXPECT_EQ(st.compare->check_regions_done, 1023u);
    EXPECT_EQ(st.compare->check_mismatches, 9u);
}

TEST(StatusCodec, Version4IdleAfterAPassAndLargestValues) {
    Status st = parse_status("4 2 AA 100 0 0 0 0 0 0 0 0 0 0 256 0 0 idle 65536 0 0 ok copy "
                             "18446744073709551615 18446744073709551615 idle 256 "
                             "18446744073709551615");
    EXPECT_EQ(st.compare->check_action, CheckAction::idle);
    EXPECT_EQ(st.compare->check_regions_done, 256u);
    EXPECT_EQ(st.compare->blocks_compared, UINT64_MAX);
    EXPECT_EQ(st.compare->blocks_copied, UINT64_MAX);
    EXPECT_EQ(st.compare->check_mismatches, UINT64_MAX);
}

TEST(StatusCodec, OlderVersionsHaveNoNewerParts) {
    EXPECT_FALSE(parse_status(golden_v2).metadata.has_value());
    EXPECT_FALSE(parse_status(golden_v2).compare.has_value());
    EXPECT_FALSE(parse_status(golden_v1).metadata.has_value());
}

TEST(StatusCodec, GoldenVersion5Scheduler) {
    Status st = parse_status(golden_v5);
    EXPECT_EQ(st.version, 5u);
    ASSERT_TRUE(st.compare.has_value());
    EXPECT_EQ(st.compare->check_action, CheckAction::idle);
    ASSERT_TRUE(st.scheduler.has_value());
    const SchedulerStatus& sched = *st.scheduler;
    EXPECT_EQ(sched.queue_depth, 64u);
    EXPECT_EQ(sched.in_flight, 12u);
    EXPECT_EQ(sched.rules, 2u);
    ASSERT_EQ(sched.classes.size(), 4u);

    EXPECT_EQ(sched.classes[0],
              (ClassStatus{"critical", 200, 0, 0, 1000, 4000, 0, 7, 0, 256, 1024}));
    EXPECT_EQ(sched.classes[1],
              (ClassStatus{"production", 100, 0, 0, 5000, 20000, 3, 40, 0, 512, 4096}));
    const ClassStatus& test = sched.classes[2];
    EXPECT_EQ(test.name, "test");
    EXPECT_EQ(test.weight, 50u);
    EXPECT_EQ(test.iops_limit, 500u);
    EXPECT_EQ(test.bw_limit, 10240u);
    EXPECT_EQ(test.bios, 800u);
    EXPECT_EQ(test.kib, 3200u);
    EXPECT_EQ(test.queued, 9u);
    EXPECT_EQ(test.waited, 120u);
    EXPECT_EQ(test.throttled, 77u);
    EXPECT_EQ(test.p50_us, 2048u);
    EXPECT_EQ(test.p99_us, 65536u);
    EXPECT_EQ(sched.classes[3].name, "batch");
    EXPECT_EQ(sched.classes[3].weight, 0u);
    EXPECT_TRUE(st.extra_fields.empty());

    EXPECT_EQ(sched.find_class("test"), &sched.classes[2]);
    EXPECT_EQ(sched.find_class("batch"), &sched.classes[3]);
    EXPECT_EQ(sched.find_class("tes"), nullptr);
}

TEST(StatusCodec, Version5FreshDevice) {
    Status st = parse_status(std::string(v5_base) + fresh_scheduler);
    ASSERT_TRUE(st.scheduler.has_value());
    EXPECT_EQ(st.scheduler->queue_depth, 0u);
    EXPECT_EQ(st.scheduler->in_flight, 0u);
    ASSERT_EQ(st.scheduler->classes.size(), 3u);
    EXPECT_EQ(st.scheduler->classes[0].name, "critical");
    EXPECT_EQ(st.scheduler->classes[1].name, "production");
    EXPECT_EQ(st.scheduler->classes[2].name, "test");
    EXPECT_EQ(st.scheduler->classes[2].weight, 50u);
    EXPECT_EQ(st.scheduler->rules, 0u);
}

TEST(StatusCodec, Version5FourLegsEightClassesLargestValues) {
    std::string line = "5 4 AaDA 40 0 0 60 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 "
                       "1024 0 12 1024 0 paused 0 5 2560 ok copy 0 0 idle 0 0 4096 "
                       "18446744073709551615 8";
    const char* names[] = {"critical", "production", "test", "a",
                           "b-2",      "c_3",        "d",    "fifteen-chars-x"};
    for (const char* name : names)
        line += std::string(" ") + name +
                " 1000 10000000 4294967295 18446744073709551615 18446744073709551615 "
                "18446744073709551615 18446744073709551615 18446744073709551615 "
                "18446744073709551615 18446744073709551615";
    line += " 32";
    Status st = parse_status(line);
    EXPECT_EQ(st.legs.size(), 4u);
    EXPECT_EQ(st.read_retries, 17u);
    const SchedulerStatus& sched = *st.scheduler;
    EXPECT_EQ(sched.queue_depth, 4096u);
    EXPECT_EQ(sched.in_flight, UINT64_MAX);
    ASSERT_EQ(sched.classes.size(), 8u);
    EXPECT_EQ(sched.classes[7].name, "fifteen-chars-x");
    EXPECT_EQ(sched.classes[7].weight, 1000u);
    EXPECT_EQ(sched.classes[7].iops_limit, 10000000u);
    EXPECT_EQ(sched.classes[7].bw_limit, 4294967295u);
    EXPECT_EQ(sched.classes[7].p99_us, UINT64_MAX);
    EXPECT_EQ(sched.rules, 32u);
    EXPECT_EQ(format_status(st), line);
}

TEST(StatusCodec, GoldenVersion6Shadow) {
    Status st = parse_status(golden_v6);
    EXPECT_EQ(st.version, 6u);
    ASSERT_TRUE(st.scheduler.has_value());
    EXPECT_EQ(st.scheduler->rules, 0u);
    ASSERT_TRUE(st.shadow.has_value());
    const ShadowStatus& sh = *st.shadow;
    EXPECT_TRUE(sh.has_device());
    EXPECT_EQ(sh.device, "253:2");
    EXPECT_EQ(sh.mode, ShadowMode::gate);
    EXPECT_EQ(sh.mode_word, "gate");
    EXPECT_EQ(sh.sample, 1u);
    EXPECT_EQ(sh.pool_kib, 8192u);
    EXPECT_EQ(sh.pool_used_kib, 0u);
    EXPECT_EQ(sh.dropped, 0u);
    EXPECT_EQ(sh.gate_failures, 0u);
    EXPECT_EQ(sh.compared, 100u);
    EXPECT_EQ(sh.mismatches, 3u);
    EXPECT_EQ(sh.confined, 1u);
    EXPECT_EQ(sh.confined_errors, 0u);
    ASSERT_EQ(sh.ops.size(), 4u);
    EXPECT_EQ(sh.ops[0], (ShadowOpStatus{"read", {100, 0, 512}, {100, 0, 128}}));
    EXPECT_EQ(sh.ops[1], (ShadowOpStatus{"write", {2048, 0, 1024}, {2049, 0, 256}}));
    EXPECT_EQ(sh.ops[2], (ShadowOpStatus{"flush", {}, {}}));
    EXPECT_EQ(sh.ops[3], (ShadowOpStatus{"discard", {}, {}}));
    EXPECT_EQ(sh.find_op("write"), &sh.ops[1]);
    EXPECT_EQ(sh.find_op("zone"), nullptr);
    EXPECT_TRUE(st.extra_fields.empty());
}

TEST(StatusCodec, Version6WithoutAShadow) {
    Status st = parse_status(v6_base + no_shadow);
    ASSERT_TRUE(st.shadow.has_value());
    EXPECT_FALSE(st.shadow->has_device());
    EXPECT_EQ(st.shadow->device, "-");
    EXPECT_EQ(st.shadow->mode, ShadowMode::async);
    EXPECT_EQ(st.shadow->ops.size(), 4u);
    EXPECT_EQ(st.shadow->ops[3].op, "discard");
}

TEST(StatusCodec, Version6FourLegsLargestValues) {
    std::string line = "6 4 AaDA 40 0 0 60 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 "
                       "1024 0 12 1024 0 paused 0 5 2560 ok copy 0 0 idle 0 0 0 0 0 32 "
                       "259:65535 sync 1000000 4194304 18446744073709551615";
    for (int i = 0; i < 6; i++)
        line += " 18446744073709551615";
    for (const char* op : {"read", "write", "flush", "discard"}) {
        line += std::string(" ") + op;
        for (int i = 0; i < 6; i++)
            line += " 18446744073709551615";
    }
    Status st = parse_status(line);
    const ShadowStatus& sh = *st.shadow;
    EXPECT_EQ(st.scheduler->rules, 32u);
    EXPECT_EQ(sh.device, "259:65535");
    EXPECT_EQ(sh.mode, ShadowMode::sync);
    EXPECT_EQ(sh.sample, 1000000u);
    EXPECT_EQ(sh.pool_kib, 4194304u);
    EXPECT_EQ(sh.pool_used_kib, UINT64_MAX);
    EXPECT_EQ(sh.confined_errors, UINT64_MAX);
    EXPECT_EQ(sh.ops[3].shadow.p99_us, UINT64_MAX);
    EXPECT_EQ(format_status(st), line);
}

TEST(StatusCodec, NewerVersionMayUseOtherShadowWords) {
    // A hypothetical version 9 with a new mode and a renamed operation.
    Status st = parse_status("9" + v6_base.substr(1) +
                             " 8:16 mirror 1 8192 0 0 0 0 0 0 0 read 0 0 0 0 0 0 write 0 0 0 0 0 0 "
                             "flush 0 0 0 0 0 0 trim 0 0 0 0 0 0 zone 0 0 0 0 0 0");
    EXPECT_EQ(st.shadow->mode, ShadowMode::unknown);
    EXPECT_EQ(st.shadow->mode_word, "mirror");
    EXPECT_EQ(st.shadow->ops[3].op, "trim");
    EXPECT_EQ(st.extra_fields.size(), 7u);
}

TEST(ShadowModeNames, MatchTheKernelsWords) {
    EXPECT_EQ(shadow_mode_from_word("async"), ShadowMode::async);
    EXPECT_EQ(shadow_mode_from_word("sync"), ShadowMode::sync);
    EXPECT_EQ(shadow_mode_from_word("gate"), ShadowMode::gate);
    EXPECT_EQ(shadow_mode_from_word("Gate"), ShadowMode::unknown);
    EXPECT_EQ(shadow_mode_from_word(""), ShadowMode::unknown);
    EXPECT_EQ(to_string(ShadowMode::async), "async");
    EXPECT_EQ(to_string(ShadowMode::sync), "sync");
    EXPECT_EQ(to_string(ShadowMode::gate), "gate");
    EXPECT_EQ(to_string(ShadowMode::unknown), "unknown");
}

TEST(StatusCodec, NewerVersionKeepsExtraFieldsAndUnknownStates) {
    // A hypothetical version 9: a new state letter ('s'), new words in every
    // word field and more fields after the version 5 layout.
    Status st = parse_status(std::string("9 2 As 50 50 10 20 0 0 30 40 0 0 5 64 0 3 rebuild 100 7 "
                                         "3584 degraded blake3 5 1 scrub 7 0") +
                             fresh_scheduler + golden_v6_shadow + " critical:7 test:0");
    EXPECT_EQ(st.version, 9u);
    ASSERT_EQ(st.legs.size(), 2u);
    EXPECT_EQ(st.legs[0].state, LegState::alive);
    EXPECT_EQ(st.legs[1].state, LegState::unknown);
    EXPECT_EQ(st.legs[1].state_letter, 's');
    EXPECT_EQ(st.legs[1].reads, 30u);
    EXPECT_EQ(st.legs[1].out_of_sync_regions, 3u);
    EXPECT_EQ(st.read_retries, 5u);
    ASSERT_TRUE(st.sync.has_value());
    EXPECT_EQ(st.sync->action, SyncAction::unknown);
    EXPECT_EQ(st.sync->action_word, "rebuild");
    EXPECT_EQ(st.sync->kib_copied, 3584u);
    EXPECT_EQ(st.metadata->state, MetadataState::unknown);
    EXPECT_EQ(st.metadata->word, "degraded");
    EXPECT_EQ(st.compare->resync_mode, ResyncMode::unknown);
    EXPECT_EQ(st.compare->resync_mode_word, "blake3");
    EXPECT_EQ(st.compare->check_action, CheckAction::unknown);
    EXPECT_EQ(st.compare->check_action_word, "scrub");
    EXPECT_EQ(st.compare->check_regions_done, 7u);
    ASSERT_TRUE(st.scheduler.has_value());
    EXPECT_EQ(st.scheduler->classes.size(), 3u);
    ASSERT_TRUE(st.shadow.has_value());
    EXPECT_EQ(st.shadow->mode, ShadowMode::gate);
    EXPECT_EQ(st.extra_fields, (std::vector<std::string>{"critical:7", "test:0"}));
}

TEST(StatusCodec, NewerVersionWithoutExtraFieldsIsAccepted) {
    EXPECT_EQ(parse_status(std::string("9 2 AA 50 50 0 0 0 0 0 0 0 0 0 8 0 0 idle 1 0 0 ok copy 0 "
                                       "0 idle 0 0") +
                           fresh_scheduler + no_shadow)
                  .version,
              9u);
}

TEST(StatusCodec, NewerVersionMayNameClassesOtherwise) {
    // Class names are checked only in the versions this parser knows.
    Status st = parse_status(std::string("9 2 AA 50 50 0 0 0 0 0 0 0 0 0 8 0 0 idle 1 0 0 ok copy "
                                         "0 0 idle 0 0 0 0 1 Gold.Tier 100 0 0 0 0 0 0 0 0 0 0") +
                             no_shadow);
    EXPECT_EQ(st.scheduler->classes.at(0).name, "Gold.Tier");
}

TEST(StatusCodecFormat, RoundTrips) {
    EXPECT_EQ(format_status(parse_status(golden_v1)), golden_v1);
    EXPECT_EQ(format_status(parse_status(golden_v2)), golden_v2);
    EXPECT_EQ(format_status(parse_status(golden_v3)), golden_v3);
    EXPECT_EQ(format_status(parse_status(golden_v4)), golden_v4);
    EXPECT_EQ(format_status(parse_status(golden_v5)), golden_v5);
    const std::string fresh = std::string(v5_base) + fresh_scheduler;
    EXPECT_EQ(format_status(parse_status(fresh)), fresh);
    const std::string newer = std::string("9 2 As 50 50 10 20 0 0 30 40 0 0 5 64 0 3 rebuild 100 "
                                          "7 3584 degraded blake3 5 1 scrub 7 0") +
                              golden_v5_scheduler + golden_v6_shadow + " x";
    EXPECT_EQ(format_status(parse_status(newer)), newer);
    EXPECT_EQ(format_status(parse_status(golden_v6)), golden_v6);
    EXPECT_EQ(format_status(parse_status(v6_base + no_shadow)), v6_base + no_shadow);
}

TEST(LegStateNames, AreReadable) {
    EXPECT_EQ(to_string(LegState::alive), "alive");
    EXPECT_EQ(to_string(LegState::syncing), "syncing");
    EXPECT_EQ(to_string(LegState::dead), "dead");
    EXPECT_EQ(to_string(LegState::unknown), "unknown");
    EXPECT_EQ(leg_state_from_letter('A'), LegState::alive);
    EXPECT_EQ(leg_state_from_letter('a'), LegState::syncing);
    EXPECT_EQ(leg_state_from_letter('D'), LegState::dead);
    EXPECT_EQ(leg_state_from_letter('d'), LegState::unknown);
}

TEST(SyncActionNames, MatchTheKernelsWords) {
    EXPECT_EQ(sync_action_from_word("idle"), SyncAction::idle);
    EXPECT_EQ(sync_action_from_word("resync"), SyncAction::resync);
    EXPECT_EQ(sync_action_from_word("paused"), SyncAction::paused);
    EXPECT_EQ(sync_action_from_word("Resync"), SyncAction::unknown);
    EXPECT_EQ(sync_action_from_word(""), SyncAction::unknown);
    EXPECT_EQ(to_string(SyncAction::idle), "idle");
    EXPECT_EQ(to_string(SyncAction::resync), "resync");
    EXPECT_EQ(to_string(SyncAction::paused), "paused");
    EXPECT_EQ(to_string(SyncAction::unknown), "unknown");
}

TEST(Version4Words, MatchTheKernelsWords) {
    EXPECT_EQ(metadata_state_from_word("-"), MetadataState::none);
    EXPECT_EQ(metadata_state_from_word("ok"), MetadataState::ok);
    EXPECT_EQ(metadata_state_from_word("failed"), MetadataState::failed);
    EXPECT_EQ(metadata_state_from_word("OK"), MetadataState::unknown);
    EXPECT_EQ(to_string(MetadataState::none), "-");
    EXPECT_EQ(to_string(MetadataState::failed), "failed");
    EXPECT_EQ(to_string(MetadataState::unknown), "unknown");
    EXPECT_EQ(resync_mode_from_word("copy"), ResyncMode::copy);
    EXPECT_EQ(resync_mode_from_word("checksum"), ResyncMode::checksum);
    EXPECT_EQ(resync_mode_from_word("xxh64"), ResyncMode::unknown);
    EXPECT_EQ(to_string(ResyncMode::checksum), "checksum");
    EXPECT_EQ(check_action_from_word("idle"), CheckAction::idle);
    EXPECT_EQ(check_action_from_word("verify"), CheckAction::verify);
    EXPECT_EQ(check_action_from_word("repair"), CheckAction::repair);
    EXPECT_EQ(check_action_from_word(""), CheckAction::unknown);
    EXPECT_EQ(to_string(CheckAction::repair), "repair");
    EXPECT_EQ(to_string(CheckAction::unknown), "unknown");
}

namespace {

struct Malformed {
    const char* line;
    const char* message; // a substring the error must contain
};

// Names each case in test output by its line.
void PrintTo(const Malformed& m, std::ostream* os) {
    *os << '"' << m.line << '"';
}

class StatusCodecRejects : public ::testing::TestWithParam<Malformed> {};

} // namespace

TEST_P(StatusCodecRejects, NamingTheField) {
    const Malformed& m = GetParam();
    try {
        parse_status(m.line);
        FAIL() << "accepted '" << m.line << "'";
    } catch (const ParseError& e) {
        EXPECT_THAT(e.what(), HasSubstr(m.message)) << "for '" << m.line << "'";
    }
}

INSTANTIATE_TEST_SUITE_P(
    Lines, StatusCodecRejects,
    ::testing::Values(
        Malformed{"", "status: line ends before field 1 (version)"},
        Malformed{"   \n", "line ends before field 1 (version)"},
        Malformed{"0 2 AA 50 50 0 0 0 0 0 0 0 0 0", "status field 1 (version)"},
        Malformed{"v1 2 AA 50 50 0 0 0 0 0 0 0 0 0", "status field 1 (version)"},
        Malformed{"1", "line ends before field 2 (#legs)"},
        Malformed{"1 1 A 100 0 0 0 0 0", "status field 2 (#legs): expected an integer 2..4"},
        Malformed{"1 5 AAAAA 20 20 20 20 20", "status field 2 (#legs)"},
        Malformed{"1 2", "line ends before field 3 (states)"},
        Malformed{"1 2 A 100 0 0 0 0 0 0 0 0 0 0", "status field 3 (states): expected 2 state"},
        Malformed{"1 2 AAA 100 0 0 0 0 0 0 0 0 0 0", "status field 3 (states)"},
        Malformed{"1 2 AX 50 50 0 0 0 0 0 0 0 0 0",
                  "leg 1 has unknown state 'X'; expected A or D (version 1)"},
        // 'a' came with version 2.
        Malformed{"1 2 Aa 50 50 0 0 0 0 0 0 0 0 0",
                  "leg 1 has unknown state 'a'; expected A or D (version 1)"},
        Malformed{"1 2 AA 70", "line ends before field 5 (weight of leg 1)"},
        Malformed{"1 2 AA 101 0 0 0 0 0 0 0 0 0 0", "status field 4 (weight of leg 0)"},
        Malformed{"1 2 AA 70 -30 0 0 0 0 0 0 0 0 0", "status field 5 (weight of leg 1)"},
        Malformed{"1 2 AA 70 30 1 2 3", "line ends before field 9 (write_errors of leg 0)"},
        Malformed{"1 2 AA 70 30 1 2 x 4 5 6 7 8 9", "status field 8 (read_errors of leg 0)"},
        Malformed{"1 2 AA 70 30 1 2 3 4 5 +6 7 8 9", "status field 11 (writes of leg 1)"},
        Malformed{"1 2 AA 70 30 1 2 3 4 5 6 7 8", "line ends before field 14 (read_retries)"},
        Malformed{"1 2 AA 70 30 18446744073709551616 0 0 0 0 0 0 0 0",
                  "status field 6 (reads of leg 0)"},
        Malformed{"1 2 AA 70 30 1 2 3 4 5 6 7 8 9 10",
                  "version 1 ends after field 14 (read_retries), but 1 more field(s) follow"},
        // A version 2 line under a version 1 number.
        Malformed{"1 2 AA 100 0 0 0 0 0 0 0 0 0 0 256 0 0 idle 65536 0 0",
                  "version 1 ends after field 14 (read_retries), but 7 more field(s) follow"}));

// Version 2 lines (fields 15.. for two legs: #regions, out_of_sync_regions
// of leg 0 and 1, sync_action, sync_rate, regions_copied, kib_copied).
INSTANTIATE_TEST_SUITE_P(
    Version2Lines, StatusCodecRejects,
    ::testing::Values(
        Malformed{"2 2 AX 100 0 0 0 0 0 0 0 0 0 0 256 0 0 idle 65536 0 0",
                  "status field 3 (states): leg 1 has unknown state 'X'; expected A, a or D "
                  "(version 2)"},
        // A version 1 line under a version 2 number.
        Malformed{"2 2 AA 100 0 0 0 0 0 0 0 0 0 0", "line ends before field 15 (#regions)"},
        Malformed{"2 2 AA 100 0 0 0 0 0 0 0 0 0 0 256",
                  "line ends before field 16 (out_of_sync_regions of leg 0)"},
        Malformed{"2 2 AA 100 0 0 0 0 0 0 0 0 0 0 256 0 0 idle 65536 0",
                  "line ends before field 21 (kib_copied)"},
        Malformed{"2 2 Aa 100 0 0 0 0 0 0 0 0 0 0 256 0 37 resync 65536 219 112128 7",
                  "version 2 ends after field 21 (kib_copied), but 1 more field(s) follow"},
        Malformed{"2 2 AA 100 0 0 0 0 0 0 0 0 0 0 0 0 0 idle 65536 0 0",
                  "status field 15 (#regions): expected an integer 1..18446744073709551615, got "
                  "'0'"},
        Malformed{"2 2 AA 100 0 0 0 0 0 0 0 0 0 0 many 0 0 idle 65536 0 0",
                  "status field 15 (#regions)"},
        // A bad sync action word.
        Malformed{"2 2 Aa 100 0 0 0 0 0 0 0 0 0 0 256 0 37 syncing 65536 0 0",
                  "status field 18 (sync_action): expected idle, resync or paused, got "
                  "'syncing'"},
        Malformed{"2 2 Aa 100 0 0 0 0 0 0 0 0 0 0 256 0 37 RESYNC 65536 0 0",
                  "status field 18 (sync_action): expected idle, resync or paused, got 'RESYNC'"},
        // One out-of-sync count too many: a number where the action belongs.
        Malformed{"2 2 Aa 100 0 0 0 0 0 0 0 0 0 0 256 0 37 5 resync 65536 0 0",
                  "status field 18 (sync_action): expected idle, resync or paused, got '5'; is "
                  "there one out_of_sync_regions field per leg (2)?"},
        // One too few: the action where a count belongs.
        Malformed{"2 2 Aa 100 0 0 0 0 0 0 0 0 0 0 256 37 resync 65536 0 0",
                  "status field 17 (out_of_sync_regions of leg 1): expected an integer 0..256, "
                  "got 'resync'"},
        Malformed{"2 2 Aa 100 0 0 0 0 0 0 0 0 0 0 256 0 257 resync 65536 0 0",
                  "status field 17 (out_of_sync_regions of leg 1): expected an integer 0..256, "
                  "got '257'"},
        Malformed{"2 2 Aa 100 0 0 0 0 0 0 0 0 0 0 256 -1 37 resync 65536 0 0",
                  "status field 16 (out_of_sync_regions of leg 0)"},
        Malformed{"2 2 Aa 100 0 0 0 0 0 0 0 0 0 0 256 0 37 resync 16777217 0 0",
                  "status field 19 (sync_rate): expected an integer 0..16777216, got '16777217'"},
        Malformed{"2 2 Aa 100 0 0 0 0 0 0 0 0 0 0 256 0 37 resync 64M 0 0",
                  "status field 19 (sync_rate)"},
        Malformed{"2 2 Aa 100 0 0 0 0 0 0 0 0 0 0 256 0 37 resync 65536 x 0",
                  "status field 20 (regions_copied)"},
        Malformed{"2 2 Aa 100 0 0 0 0 0 0 0 0 0 0 256 0 37 resync 65536 0 1.5",
                  "status field 21 (kib_copied)"},
        // A newer version still carries the version 2 fields.
        Malformed{"9 2 AA 50 50 0 0 0 0 0 0 0 0 0", "line ends before field 15 (#regions)"},
        Malformed{"9 2 AA 50 50 0 0 0 0 0 0 0 0 0 8 0 9 idle 1 0 0 ok copy 0 0 idle 0 0",
                  "status field 17 (out_of_sync_regions of leg 1)"}));

// Version 3 and 4 lines (fields 22.. for two legs: metadata, resync_mode,
// blocks_compared, blocks_copied, check_action, check_regions_done,
// check_mismatches).
INSTANTIATE_TEST_SUITE_P(
    Version3And4Lines, StatusCodecRejects,
    ::testing::Values(
        // A version 2 line under a version 3 number.
        Malformed{"3 2 AA 100 0 0 0 0 0 0 0 0 0 0 256 0 0 idle 65536 0 0",
                  "line ends before field 22 (metadata)"},
        Malformed{"3 2 AA 100 0 0 0 0 0 0 0 0 0 0 256 0 0 idle 65536 0 0 good",
                  "status field 22 (metadata): expected -, ok or failed, got 'good'"},
        Malformed{"3 2 AA 100 0 0 0 0 0 0 0 0 0 0 256 0 0 idle 65536 0 0 FAILED",
                  "status field 22 (metadata): expected -, ok or failed, got 'FAILED'"},
        Malformed{"3 2 AA 100 0 0 0 0 0 0 0 0 0 0 256 0 0 idle 65536 0 0 ok copy",
                  "version 3 ends after field 22 (metadata), but 1 more field(s) follow"},
        // A version 4 line under a version 3 number.
        Malformed{"3 2 AA 100 0 0 0 0 0 0 0 0 0 0 256 0 0 idle 65536 0 0 ok copy 0 0 idle 0 0",
                  "version 3 ends after field 22 (metadata), but 6 more field(s) follow"},
        // A version 3 line under a version 4 number.
        Malformed{"4 2 AA 100 0 0 0 0 0 0 0 0 0 0 256 0 0 idle 65536 0 0 ok",
                  "line ends before field 23 (resync_mode)"},
        // The metadata field missing: the mode where the state belongs.
        Malformed{"4 2 AA 100 0 0 0 0 0 0 0 0 0 0 256 0 0 idle 65536 0 0 copy 0 0 idle 0 0",
                  "status field 22 (metadata): expected -, ok or failed, got 'copy'"},
        Malformed{"4 2 AA 100 0 0 0 0 0 0 0 0 0 0 256 0 0 idle 65536 0 0 ok xxh64 0 0 idle 0 0",
                  "status field 23 (resync_mode): expected copy or checksum, got 'xxh64'"},
        Malformed{"4 2 AA 100 0 0 0 0 0 0 0 0 0 0 256 0 0 idle 65536 0 0 ok copy x 0 idle 0 0",
                  "status field 24 (blocks_compared): expected an integer"},
        Malformed{"4 2 AA 100 0 0 0 0 0 0 0 0 0 0 256 0 0 idle 65536 0 0 ok copy 0 -1 idle 0 0",
                  "status field 25 (blocks_copied)"},
        Malformed{"4 2 AA 100 0 0 0 0 0 0 0 0 0 0 256 0 0 idle 65536 0 0 ok copy 0 0 scrub 0 0",
                  "status field 26 (check_action): expected idle, verify or repair, got 'scrub'"},
        Malformed{"4 2 AA 100 0 0 0 0 0 0 0 0 0 0 256 0 0 idle 65536 0 0 ok copy 0 0 0 idle 0",
                  "status field 26 (check_action): expected idle, verify or repair, got '0'"},
        Malformed{"4 2 AA 100 0 0 0 0 0 0 0 0 0 0 256 0 0 idle 65536 0 0 ok copy 0 0 verify 257 "
                  "0",
                  "status field 27 (check_regions_done): expected an integer 0..256, got '257'"},
        Malformed{"4 2 AA 100 0 0 0 0 0 0 0 0 0 0 256 0 0 idle 65536 0 0 ok copy 0 0 verify 5 1e3",
                  "status field 28 (check_mismatches)"},
        Malformed{"4 2 AA 100 0 0 0 0 0 0 0 0 0 0 256 0 0 idle 65536 0 0 ok copy 0 0 verify 5",
                  "line ends before field 28 (check_mismatches)"},
        Malformed{"4 2 AA 100 0 0 0 0 0 0 0 0 0 0 256 0 0 idle 65536 0 0 ok copy 0 0 idle 0 0 7",
                  "version 4 ends after field 28 (check_mismatches), but 1 more field(s) follow"},
        // A version 5 line under a version 4 number.
        Malformed{"4 2 AA 100 0 0 0 0 0 0 0 0 0 0 256 0 0 idle 65536 0 0 ok copy 0 0 idle 0 0 0 0 "
                  "1 critical 200 0 0 0 0 0 0 0 0 0 0",
                  "version 4 ends after field 28 (check_mismatches), but 15 more field(s) follow"},
        Malformed{"4 2 AX 100 0 0 0 0 0 0 0 0 0 0 256 0 0 idle 65536 0 0 ok copy 0 0 idle 0 0",
                  "leg 1 has unknown state 'X'; expected A, a or D (version 4)"},
        Malformed{"4 2 AA 100 0 0 0 0 0 0 0 0 0 0 256 0 0 rebuild 65536 0 0 ok copy 0 0 idle 0 0",
                  "status field 18 (sync_action): expected idle, resync or paused, got "
                  "'rebuild'"},
        // A newer version still carries the version 3 and 4 fields.
        Malformed{"9 2 AA 50 50 0 0 0 0 0 0 0 0 0 8 0 0 idle 1 0 0 ok",
                  "line ends before field 23 (resync_mode)"},
        Malformed{"9 2 AA 50 50 0 0 0 0 0 0 0 0 0 8 0 0 idle 1 0 0 x y 0 0 z 9 0",
                  "status field 27 (check_regions_done): expected an integer 0..8, got '9'"}));

namespace {

// A version 5 line (two legs, as v5_base) with the given scheduler fields.
Malformed v5(const char* scheduler, const char* message) {
    static std::deque<std::string> lines; // keeps each c_str() alive
    lines.push_back(std::string(v5_base) + " " + scheduler);
    return Malformed{lines.back().c_str(), message};
}

} // namespace

// Version 5 lines (fields 29.. for two legs: queue_depth, in_flight,
// #classes, 11 per class from field 32 on, #rules).
INSTANTIATE_TEST_SUITE_P(
    Version5Lines, StatusCodecRejects,
    ::testing::Values(
        // A version 4 line under a version 5 number.
        v5("", "line ends before field 29 (queue_depth)"),
        v5("0 0", "line ends before field 31 (#classes)"),
        v5("4097 0 0 0", "status field 29 (queue_depth): expected an integer 0..4096, got '4097'"),
        v5("-1 0 0 0", "status field 29 (queue_depth)"),
        v5("0 many 0 0", "status field 30 (in_flight): expected an integer"),
        v5("0 0 9 0", "status field 31 (#classes): expected an integer 0..8, got '9'"),
        v5("0 0 three 0", "status field 31 (#classes)"),
        // Fewer fields than the classes need.
        v5("0 0 1 critical 200 0 0 0 0 0 0 0", "line ends before field 41 (p50_us of class 0)"),
        v5("0 0 2 critical 200 0 0 0 0 0 0 0 0 0 test",
           "line ends before field 44 (weight of class 1)"),
        v5("0 0 1 critical 200 0 0 0 0 0 0 0 0 0", "line ends before field 43 (#rules)"),
        // #classes one too high: #rules where a name belongs.
        v5("0 0 2 critical 200 0 0 0 0 0 0 0 0 0 0",
           "status field 43 (name of class 1): class name '0' must start with a lowercase letter "
           "a-z; is #classes (2) right?"),
        // #classes one too low: a name where #rules belongs.
        v5("0 0 1 critical 200 0 0 0 0 0 0 0 0 0 test 50 0 0 0 0 0 0 0 0 0 0",
           "status field 43 (#rules): expected an integer 0..32, got 'test'; is #classes (1) "
           "right?"),
        v5("0 0 0 0 0", "version 5 ends after field 32 (#rules), but 1 more field(s) follow"),
        // A class with a field too few: its next name is a number.
        v5("0 0 2 critical 200 0 0 0 0 0 0 0 0 test 50 0 0 0 0 0 0 0 0 0 0",
           "status field 42 (p99_us of class 0): expected an integer 0..18446744073709551615, "
           "got 'test'"),
        v5("0 0 1 Critical 200 0 0 0 0 0 0 0 0 0 0",
           "status field 32 (name of class 0): class name 'Critical' must start with a lowercase "
           "letter a-z"),
        v5("0 0 1 crit.ical 200 0 0 0 0 0 0 0 0 0 0",
           "class name 'crit.ical' may contain only a-z, 0-9, '_' and '-'"),
        v5("0 0 1 sixteen-chars-xx 200 0 0 0 0 0 0 0 0 0 0",
           "class name 'sixteen-chars-xx' is longer than 15 characters"),
        v5("0 0 2 test 50 0 0 0 0 0 0 0 0 0 test 50 0 0 0 0 0 0 0 0 0 0",
           "status field 43 (name of class 1): class 'test' appears twice"),
        v5("0 0 1 critical 1001 0 0 0 0 0 0 0 0 0 0",
           "status field 33 (weight of class 0): expected an integer 0..1000, got '1001'"),
        v5("0 0 1 critical 2x 0 0 0 0 0 0 0 0 0 0", "status field 33 (weight of class 0)"),
        v5("0 0 1 critical 200 10000001 0 0 0 0 0 0 0 0 0",
           "status field 34 (iops_limit of class 0): expected an integer 0..10000000"),
        v5("0 0 1 critical 200 0 4294967296 0 0 0 0 0 0 0 0",
           "status field 35 (bw_limit of class 0): expected an integer 0..4294967295"),
        v5("0 0 1 critical 200 0 0 x 0 0 0 0 0 0 0", "status field 36 (bios of class 0)"),
        v5("0 0 1 critical 200 0 0 0 x 0 0 0 0 0 0", "status field 37 (kib of class 0)"),
        v5("0 0 1 critical 200 0 0 0 0 x 0 0 0 0 0", "status field 38 (queued of class 0)"),
        v5("0 0 1 critical 200 0 0 0 0 0 x 0 0 0 0", "status field 39 (waited of class 0)"),
        v5("0 0 1 critical 200 0 0 0 0 0 0 x 0 0 0", "status field 40 (throttled of class 0)"),
        v5("0 0 1 critical 200 0 0 0 0 0 0 0 1.5 0 0", "status field 41 (p50_us of class 0)"),
        v5("0 0 1 critical 200 0 0 0 0 0 0 0 0 0 33",
           "status field 43 (#rules): expected an integer 0..32, got '33'"),
        // A newer version still carries the version 5 fields.
        Malformed{"9 2 AA 50 50 0 0 0 0 0 0 0 0 0 8 0 0 idle 1 0 0 ok copy 0 0 idle 0 0",
                  "line ends before field 29 (queue_depth)"},
        Malformed{"9 2 AA 50 50 0 0 0 0 0 0 0 0 0 8 0 0 idle 1 0 0 ok copy 0 0 idle 0 0 0 0 9",
                  "status field 31 (#classes): expected an integer 0..8"},
        // A version 6 line under a version 5 number.
        Malformed{"5 2 AA 50 50 0 0 0 0 0 0 0 0 0 8 0 0 idle 1 0 0 ok copy 0 0 idle 0 0 0 0 0 0 - "
                  "async 1 8192 0 0 0 0 0 0 0 read 0 0 0 0 0 0 write 0 0 0 0 0 0 flush 0 0 0 0 "
                  "0 0 discard 0 0 0 0 0 0",
                  "version 5 ends after field 32 (#rules), but 39 more field(s) follow"}));

namespace {

// A version 6 line (two legs, three classes, as v6_base) with the given
// shadow fields.
Malformed v6(const char* shadow, const char* message) {
    static std::deque<std::string> lines; // keeps each c_str() alive
    lines.push_back(v6_base + " " + shadow);
    return Malformed{lines.back().c_str(), message};
}

constexpr const char* zero_ops =
    "read 0 0 0 0 0 0 write 0 0 0 0 0 0 flush 0 0 0 0 0 0 discard 0 0 0 0 0 0";

} // namespace

// Version 6 lines (fields 66.. for two legs and three classes: shadow_dev,
// shadow_mode, shadow_sample, pool_kib, pool_used_kib, dropped,
// gate_failures, compared, mismatches, confined, confined_errors, then 7
// per operation from field 77 on).
INSTANTIATE_TEST_SUITE_P(
    Version6Lines, StatusCodecRejects,
    ::testing::Values(
        // A version 5 line under a version 6 number.
        v6("", "line ends before field 66 (shadow_dev)"),
        v6("- async 1 8192 0 0 0 0 0 0 0", "line ends before field 77 (op read)"),
        v6("- async 1 8192 0 0 0 0 0 0 0 read 0 0 0 0 0 0 write 0 0 0 0 0 0 flush 0 0 0 0 0 0",
           "line ends before field 98 (op discard)"),
        v6("- async 1 8192 0 0 0 0 0 0 0 read 0 0 0 0 0 0 write 0 0 0 0 0 0 flush 0 0 0 0 0 0 "
           "discard 0 0 0 0 0",
           "line ends before field 104 (discard shadow_p99_us)"),
        v6("/dev/mapper/s async 1 8192 0 0 0 0 0 0 0 read",
           "status field 66 (shadow_dev): expected - or major:minor, got '/dev/mapper/s'"),
        v6("253: async 1 8192 0 0 0 0 0 0 0 read",
           "status field 66 (shadow_dev): expected - or major:minor, got '253:'"),
        v6("7 async 1 8192 0 0 0 0 0 0 0 read",
           "status field 66 (shadow_dev): expected - or major:minor, got '7'"),
        v6("- Async 1 8192 0 0 0 0 0 0 0 read",
           "status field 67 (shadow_mode): expected async, sync or gate, got 'Async'"),
        v6("- async 1000001 8192 0 0 0 0 0 0 0 read",
           "status field 68 (shadow_sample): expected an integer 0..1000000, got '1000001'"),
        v6("- async 1 4194305 0 0 0 0 0 0 0 read",
           "status field 69 (pool_kib): expected an integer 0..4194304, got '4194305'"),
        v6("- async 1 8192 -1 0 0 0 0 0 0 read", "status field 70 (pool_used_kib)"),
        v6("- async 1 8192 0 x 0 0 0 0 0 read", "status field 71 (dropped)"),
        v6("- async 1 8192 0 0 x 0 0 0 0 read", "status field 72 (gate_failures)"),
        v6("- async 1 8192 0 0 0 x 0 0 0 read", "status field 73 (compared)"),
        v6("- async 1 8192 0 0 0 0 x 0 0 read", "status field 74 (mismatches)"),
        v6("- async 1 8192 0 0 0 0 0 x 0 read", "status field 75 (confined)"),
        v6("- async 1 8192 0 0 0 0 0 0 1.5 read", "status field 76 (confined_errors)"),
        // A field missing in the summary: an operation's name is a number.
        v6("- async 1 8192 0 0 0 0 0 0 read 0 0 0 0 0 0",
           "status field 76 (confined_errors): expected an integer 0..18446744073709551615, got "
           "'read'"),
        v6("- async 1 8192 0 0 0 0 0 0 0 0 read 0 0 0 0 0 0",
           "status field 77 (op read): expected 'read', got '0'"),
        v6("- async 1 8192 0 0 0 0 0 0 0 write 0 0 0 0 0 0 read 0 0 0 0 0 0",
           "status field 77 (op read): expected 'read', got 'write'"),
        v6("- async 1 8192 0 0 0 0 0 0 0 read x 0 0 0 0 0", "status field 78 (read prod_count)"),
        v6("- async 1 8192 0 0 0 0 0 0 0 read 0 x 0 0 0 0", "status field 79 (read prod_errors)"),
        v6("- async 1 8192 0 0 0 0 0 0 0 read 0 0 x 0 0 0", "status field 80 (read prod_p99_us)"),
        v6("- async 1 8192 0 0 0 0 0 0 0 read 0 0 0 x 0 0", "status field 81 (read shadow_count)"),
        v6("- async 1 8192 0 0 0 0 0 0 0 read 0 0 0 0 x 0", "status field 82 (read shadow_errors)"),
        v6("- async 1 8192 0 0 0 0 0 0 0 read 0 0 0 0 0 x", "status field 83 (read shadow_p99_us)"),
        // An operation with a field too few.
        v6("- async 1 8192 0 0 0 0 0 0 0 read 0 0 0 0 0 write 0 0 0 0 0 0",
           "status field 83 (read shadow_p99_us): expected an integer 0..18446744073709551615, "
           "got 'write'"),
        v6("- async 1 8192 0 0 0 0 0 0 0 read 0 0 0 0 0 0 write 0 0 0 0 0 0 discard 0 0 0 0 0 0 "
           "flush 0 0 0 0 0 0",
           "status field 91 (op flush): expected 'flush', got 'discard'"),
        v6(" - async 1 8192 0 0 0 0 0 0 0 read 0 0 0 0 0 0 write 0 0 0 0 0 0 flush 0 0 0 0 0 0 "
           "discard 0 0 0 0 0 0 7",
           "version 6 ends after field 104 (discard shadow_p99_us), but 1 more field(s) follow"),
        // #rules missing: the shadow device where #rules belongs.
        Malformed{"6 2 AA 100 0 10 20 0 0 0 20 0 0 0 128 0 0 idle 65536 0 0 ok copy 0 0 idle 0 0 "
                  "0 0 0 - async 1 8192 0 0 0 0 0 0 0 read",
                  "status field 32 (#rules): expected an integer 0..32, got '-'"},
        // A newer version still carries the version 6 fields.
        Malformed{"9 2 AA 50 50 0 0 0 0 0 0 0 0 0 8 0 0 idle 1 0 0 ok copy 0 0 idle 0 0 0 0 0 0",
                  "line ends before field 33 (shadow_dev)"},
        Malformed{"9 2 AA 50 50 0 0 0 0 0 0 0 0 0 8 0 0 idle 1 0 0 ok copy 0 0 idle 0 0 0 0 0 0 "
                  "- any 1 8192 0 0 0 0 0 0 0 read 0 0 0 0 0 0 write 0 0 0 0 0 0 flush 0 0 0 0 0 "
                  "0 discard 0 0 0 0 0",
                  "line ends before field 71 (discard shadow_p99_us)"}));

TEST(StatusCodec, Version6ZeroOpsHelperIsValid) {
    // The helper of the cases above builds a valid line from valid fields.
    EXPECT_NO_THROW(parse_status(v6_base + " - async 1 8192 0 0 0 0 0 0 0 " + zero_ops));
}
