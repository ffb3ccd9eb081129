// The message builders: exact text for valid requests, UsageError for
// anything the kernel would refuse on any device.
#include "tandem/errors.h"
#include "tandem/message.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <vector>

using namespace tandem;
using ::testing::HasSubstr;

namespace {

std::string weights_error(std::vector<unsigned> w) {
    try {
        message::weights(w);
    } catch (const UsageError& e) {
        return e.what();
    }
    return "(accepted)";
}

} // namespace

TEST(MessageWeights, BuildsOneValuePerLeg) {
    EXPECT_EQ(message::weights(std::vector<unsigned>{70, 30}), "weights 70 30");
    EXPECT_EQ(message::weights(std::vector<unsigned>{100, 0}), "weights 100 0");
    EXPECT_EQ(message::weights(std::vector<unsigned>{25, 25, 25, 25}), "weights 25 25 25 25");
    EXPECT_EQ(message::weights(std::vector<unsigned>{0, 0, 100}), "weights 0 0 100");
}

TEST(MessageWeights, RejectsWrongCount) {
    EXPECT_THAT(weights_error({}), HasSubstr("expected 2 to 4 weights (one per leg), got 0"));
    EXPECT_THAT(weights_error({100}), HasSubstr("got 1"));
    EXPECT_THAT(weights_error({20, 20, 20, 20, 20}), HasSubstr("got 5"));
}

TEST(MessageWeights, RejectsOutOfRange) {
    EXPECT_THAT(weights_error({101, 0}), HasSubstr("weight of leg 0 is 101; each must be 0..100"));
    EXPECT_THAT(weights_error({50, 4000000000u}), HasSubstr("weight of leg 1 is 4000000000"));
}

TEST(MessageWeights, RejectsWrongSum) {
    EXPECT_THAT(weights_error({70, 20}), HasSubstr("weights sum to 90; they must sum to 100"));
    EXPECT_THAT(weights_error({70, 40}), HasSubstr("weights sum to 110"));
    EXPECT_THAT(weights_error({0, 0}), HasSubstr("weights sum to 0"));
}

TEST(MessageLegs, BuildsFailAndReinstate) {
    EXPECT_EQ(message::fail_leg(0), "fail_leg 0");
    EXPECT_EQ(message::fail_leg(3), "fail_leg 3");
    EXPECT_EQ(message::reinstate_leg(1), "reinstate_leg 1");
}

TEST(MessageLegs, RejectsIndexBeyondMaxLegs) {
    EXPECT_THROW(message::fail_leg(4), UsageError);
    EXPECT_THROW(message::reinstate_leg(4), UsageError);
    try {
        message::fail_leg(17);
        FAIL();
    } catch (const UsageError& e) {
        EXPECT_THAT(e.what(), HasSubstr("fail_leg: leg index 17 out of range"));
    }
}

TEST(MessageSyncRate, BuildsTheRate) {
    EXPECT_EQ(message::sync_rate(65536), "sync_rate 65536");
    EXPECT_EQ(message::sync_rate(0), "sync_rate 0");
    EXPECT_EQ(message::sync_rate(16777216), "sync_rate 16777216");
}

TEST(MessageSyncRate, RejectsRatesOverTheMaximum) {
    for (std::uint64_t rate :
         {std::uint64_t{16777217}, std::uint64_t{UINT32_MAX} + 1, UINT64_MAX}) {
        try {
            message::sync_rate(rate);
            FAIL() << "accepted " << rate;
        } catch (const UsageError& e) {
            EXPECT_THAT(e.what(),
                        HasSubstr("sync_rate: sync rate " + std::to_string(rate) +
                                  " KiB/s is out of range; it must be 0..16777216 KiB/s"));
        }
    }
}

TEST(MessageStats, BuildsQueryAndReset) {
    EXPECT_EQ(message::stats(), "stats");
    EXPECT_EQ(message::stats_reset(), "stats reset");
}

TEST(MessageResyncMode, BuildsCopyAndChecksum) {
    EXPECT_EQ(message::resync_mode("copy"), "resync_mode copy");
    EXPECT_EQ(message::resync_mode("checksum"), "resync_mode checksum");
}

TEST(MessageResyncMode, RejectsOtherModes) {
    for (const char* mode : {"", "Checksum", "xxh64", "copy checksum"}) {
        try {
            message::resync_mode(mode);
            FAIL() << "accepted '" << mode << "'";
        } catch (const UsageError& e) {
            EXPECT_THAT(e.what(), HasSubstr(std::string("resync_mode: expected copy or checksum, "
                                                        "got '") +
                                            mode + "'"));
        }
    }
}

TEST(MessageVerify, BuildsVerifyAndRepair) {
    EXPECT_EQ(message::verify(), "verify");
    EXPECT_EQ(message::repair(), "repair");
}

// --- the class scheduler ---------------------------------------------------------

namespace {

std::string usage_error(const std::function<std::string()>& build) {
    try {
        return "(accepted: " + build() + ")";
    } catch (const UsageError& e) {
        return e.what();
    }
}

} // namespace

TEST(MessageQueueDepth, BuildsTheDepth) {
    EXPECT_EQ(message::queue_depth(0), "queue_depth 0");
    EXPECT_EQ(message::queue_depth(64), "queue_depth 64");
    EXPECT_EQ(message::queue_depth(4096), "queue_depth 4096");
    EXPECT_EQ(usage_error([] { return message::queue_depth(4097); }),
              "queue_depth: queue depth 4097 is out of range; it must be 0..4096 (0 turns the "
              "scheduler off)");
}

TEST(MessageClass, BuildsEachForm) {
    EXPECT_EQ(message::class_add("batch"), "class add batch");
    EXPECT_EQ(message::class_remove("batch"), "class remove batch");
    EXPECT_EQ(message::class_weight("test", 20), "class test weight 20");
    EXPECT_EQ(message::class_weight("critical", 0), "class critical weight 0");
    EXPECT_EQ(message::class_weight("critical", 1000), "class critical weight 1000");
    EXPECT_EQ(message::class_limit("test", 500, std::nullopt), "class test limit iops 500");
    EXPECT_EQ(message::class_limit("test", std::nullopt, 10240), "class test limit bw 10240");
    EXPECT_EQ(message::class_limit("test", 0, 0), "class test limit iops 0 bw 0");
    EXPECT_EQ(message::class_limit("a-1_b", 10000000, 4294967295u),
              "class a-1_b limit iops 10000000 bw 4294967295");
}

TEST(MessageClass, ValidatesNamesLikeTheKernel) {
    EXPECT_EQ(message::class_add("a"), "class add a");
    EXPECT_EQ(message::class_add("fifteen-chars-x"), "class add fifteen-chars-x");
    EXPECT_EQ(message::class_add("list"), "class add list");
    EXPECT_EQ(usage_error([] { return message::class_add("sixteen-chars-xx"); }),
              "class: class name 'sixteen-chars-xx' is longer than 15 characters");
    EXPECT_EQ(usage_error([] { return message::class_add(""); }), "class: class name is empty");
    EXPECT_EQ(usage_error([] { return message::class_add("Batch"); }),
              "class: class name 'Batch' must start with a lowercase letter a-z");
    EXPECT_EQ(usage_error([] { return message::class_add("1st"); }),
              "class: class name '1st' must start with a lowercase letter a-z");
    EXPECT_EQ(usage_error([] { return message::class_add("_x"); }),
              "class: class name '_x' must start with a lowercase letter a-z");
    EXPECT_EQ(usage_error([] { return message::class_add("bat ch"); }),
              "class: class name 'bat ch' may contain only a-z, 0-9, '_' and '-'");
    EXPECT_EQ(usage_error([] { return message::class_add("batCh"); }),
              "class: class name 'batCh' may contain only a-z, 0-9, '_' and '-'");
    EXPECT_EQ(usage_error([] { return message::class_remove("add"); }),
              "class: class name 'add' is reserved: it is a word of the class message");
    EXPECT_EQ(usage_error([] { return message::class_weight("remove", 1); }),
              "class: class name 'remove' is reserved: it is a word of the class message");
}

TEST(MessageClass, ValidatesWeightsAndLimits) {
    EXPECT_EQ(usage_error([] { return message::class_weight("test", 1001); }),
              "class: class weight 1001 is out of range; it must be 0..1000");
    EXPECT_EQ(usage_error([] { return message::class_limit("test", 10000001, std::nullopt); }),
              "class: iops limit 10000001 is out of range; it must be 0..10000000 IO/s (0: none)");
    EXPECT_EQ(usage_error([] { return message::class_limit("test", 1, 4294967296u); }),
              "class: bw limit 4294967296 KiB/s is out of range; it must be 0..4294967295 KiB/s "
              "(0: none)");
    EXPECT_EQ(usage_error([] { return message::class_limit("test", std::nullopt, std::nullopt); }),
              "class: a limit needs iops, bw or both (0: none)");
}

TEST(MessageRule, BuildsEachForm) {
    Rule r;
    r.class_name = "test";
    EXPECT_EQ(message::rule_add(r), "rule add test");
    r.cgroup = 1234;
    r.ioprio = IoprioMatch{IoprioClass::idle, std::nullopt};
    r.ops = {Op::write, Op::read};
    r.size = SizeRange{4096, 1048576};
    EXPECT_EQ(message::rule_add(r),
              "rule add test cgroup=1234 ioprio=idle op=read,write size=4096-1048576");
    EXPECT_EQ(message::rule_del(0), "rule del 0");
    EXPECT_EQ(message::rule_del(31), "rule del 31");
    EXPECT_EQ(message::rule_clear(), "rule clear");
    EXPECT_EQ(message::rule_list(), "rule list");
}

TEST(MessageRule, ValidatesRulesAndIndexes) {
    Rule r;
    r.class_name = "Test";
    EXPECT_EQ(usage_error([&] { return message::rule_add(r); }),
              "rule: class name 'Test' must start with a lowercase letter a-z");
    r.class_name = "test";
    r.ops = {Op::read, Op::read};
    EXPECT_EQ(usage_error([&] { return message::rule_add(r); }),
              "rule: op: 'read' is listed twice");
    r.ops = {};
    r.size = SizeRange{2, 1};
    EXPECT_EQ(usage_error([&] { return message::rule_add(r); }),
              "rule: size: min 2 is above max 1");
    EXPECT_EQ(usage_error([] { return message::rule_del(32); }),
              "rule: rule index 32 out of range; a device has at most 32 rules (0..31)");
}

// --- the shadow ------------------------------------------------------------------

TEST(MessageShadow, BuildsEachForm) {
    EXPECT_EQ(message::shadow_on(), "shadow on");
    EXPECT_EQ(message::shadow_off(), "shadow off");
    EXPECT_EQ(message::shadow_sample(0), "shadow sample 0");
    EXPECT_EQ(message::shadow_sample(10), "shadow sample 10");
    EXPECT_EQ(message::shadow_sample(1000000), "shadow sample 1000000");
    EXPECT_EQ(message::shadow_pool(0), "shadow pool 0");
    EXPECT_EQ(message::shadow_pool(4194304), "shadow pool 4194304");
    EXPECT_EQ(message::shadow_mode("async"), "shadow_mode async");
    EXPECT_EQ(message::shadow_mode("sync"), "shadow_mode sync");
    EXPECT_EQ(message::shadow_mode("gate"), "shadow_mode gate");
}

TEST(MessageShadow, ValidatesLikeTheKernel) {
    EXPECT_EQ(usage_error([] { return message::shadow_sample(1000001); }),
              "shadow: shadow sample 1000001 is out of range; it must be 0..1000000 (clone 1 in "
              "n bios; 0: none)");
    EXPECT_EQ(usage_error([] { return message::shadow_pool(4194305); }),
              "shadow: shadow pool 4194305 KiB is out of range; it must be 0..4194304 KiB");
    EXPECT_EQ(usage_error([] { return message::shadow_mode("Async"); }),
              "shadow_mode: shadow mode must be async, sync or gate, got 'Async'");
    EXPECT_EQ(usage_error([] { return message::shadow_mode(""); }),
              "shadow_mode: shadow mode must be async, sync or gate, got ''");
    EXPECT_EQ(usage_error([] { return message::shadow_mode("gate "); }),
              "shadow_mode: shadow mode must be async, sync or gate, got 'gate '");
}
