// The message builders: exact text for valid requests, UsageError for
// anything the kernel would refuse on any device.
#include "tandem/errors.h"
#include "tandem/message.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

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
