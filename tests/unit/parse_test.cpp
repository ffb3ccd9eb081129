// Table and message grammar (kernel/tandem-parse.c), compiled for userspace.
#include <gtest/gtest.h>

#include "kernel_words.h"

namespace {

using tandem_test::parse_msg;
using tandem_test::parse_table;

TEST(ParseUint, AcceptsPlainDecimalWithinMax) {
    u64 v = 0;
    EXPECT_EQ(tandem_parse_uint("0", 10, &v), 0);
    EXPECT_EQ(v, 0u);
    EXPECT_EQ(tandem_parse_uint("18446744073709551615", UINT64_MAX, &v), 0);
    EXPECT_EQ(v, UINT64_MAX);
    EXPECT_EQ(tandem_parse_uint("4", 4, &v), 0);
    EXPECT_EQ(v, 4u);
}

TEST(ParseUint, RejectsJunkSignsAndValuesAboveMax) {
    u64 v = 77;
    for (const char* bad : {"", "-1", "+1", " 1", "1 ", "1k", "0x10", "5", "9", "40"})
        EXPECT_EQ(tandem_parse_uint(bad, 4, &v), -EINVAL) << bad;
    for (const char* bad : {"18446744073709551616", "99999999999999999999999"})
        EXPECT_EQ(tandem_parse_uint(bad, UINT64_MAX, &v), -EINVAL) << bad;
    EXPECT_EQ(v, 77u) << "output untouched on failure";
}

TEST(ParseTable, MinimalLine) {
    tandem_table_args t;
    ASSERT_EQ(parse_table("- 1024 2 /dev/a /dev/b 1 nosync", t), 0);
    EXPECT_EQ(t.metadata_dev, nullptr);
    EXPECT_EQ(t.region_sectors, 1024u);
    EXPECT_EQ(t.nr_legs, 2u);
    EXPECT_STREQ(t.leg_path[0], "/dev/a");
    EXPECT_STREQ(t.leg_path[1], "/dev/b");
    EXPECT_TRUE(t.nosync);
    EXPECT_FALSE(t.has_read_weights);
}

TEST(ParseTable, FourLegsWithWeightsInAnyFeatureOrder) {
    tandem_table_args t;
    ASSERT_EQ(parse_table("/dev/md 8 4 a b c d 6 read_weights 10 20 30 40 nosync", t), 0);
    EXPECT_STREQ(t.metadata_dev, "/dev/md");
    EXPECT_EQ(t.nr_legs, 4u);
    EXPECT_TRUE(t.nosync);
    ASSERT_TRUE(t.has_read_weights);
    EXPECT_EQ(t.read_weights[0], 10);
    EXPECT_EQ(t.read_weights[3], 40);
}

TEST(ParseTable, SyncRate) {
    tandem_table_args t;
    ASSERT_EQ(parse_table("- 1024 2 a b 2 sync_rate 0", t), 0);
    EXPECT_TRUE(t.has_sync_rate);
    EXPECT_EQ(t.sync_rate, 0u);
    EXPECT_FALSE(t.nosync);
    ASSERT_EQ(parse_table("- 1024 2 a b 3 sync_rate 16777216 nosync", t), 0);
    EXPECT_EQ(t.sync_rate, 16777216u);
    EXPECT_TRUE(t.nosync);
}

TEST(ParseTable, NoFeaturesAtAll) {
    tandem_table_args t;
    ASSERT_EQ(parse_table("- 2097152 3 a b c", t), 0);
    EXPECT_FALSE(t.nosync);
    ASSERT_EQ(parse_table("- 64 2 a b 0", t), 0);
}

struct BadLine {
    const char* line;
    const char* error;
};

void PrintTo(const BadLine& b, std::ostream* os) {
    *os << '"' << b.line << '"';
}

class ParseTableRejects : public ::testing::TestWithParam<BadLine> {};

TEST_P(ParseTableRejects, WithClearError) {
    tandem_table_args t;
    std::string error;
    EXPECT_EQ(parse_table(GetParam().line, t, &error), -EINVAL);
    EXPECT_EQ(error, GetParam().error);
}

INSTANTIATE_TEST_SUITE_P(
    BadTables, ParseTableRejects,
    ::testing::Values(
        BadLine{"", "Not enough arguments"}, BadLine{"- 1024 2 a", "Not enough arguments"},
        BadLine{"- 1000 2 a b",
                "Invalid region size: must be a power of two from 8 to 2097152 sectors"},
        BadLine{"- 4 2 a b",
                "Invalid region size: must be a power of two from 8 to 2097152 sectors"},
        BadLine{"- 4194304 2 a b",
                "Invalid region size: must be a power of two from 8 to 2097152 sectors"},
        BadLine{"- -8 2 a b",
                "Invalid region size: must be a power of two from 8 to 2097152 sectors"},
        BadLine{"- 8k 2 a b",
                "Invalid region size: must be a power of two from 8 to 2097152 sectors"},
        BadLine{"- 8 1 a b", "Invalid number of legs: must be 2 to 4"},
        BadLine{"- 8 5 a b c d e", "Invalid number of legs: must be 2 to 4"},
        BadLine{"- 8 x a b", "Invalid number of legs: must be 2 to 4"},
        BadLine{"- 8 3 a b", "Fewer leg devices than the number of legs"},
        BadLine{"- 8 2 a -", "Invalid leg device"},
        BadLine{"- 8 2 a b nosync", "Invalid feature argument count"},
        BadLine{"- 8 2 a b 2 nosync", "Feature argument count does not match the arguments given"},
        BadLine{"- 8 2 a b 1 nosync extra",
                "Feature argument count does not match the arguments given"},
        BadLine{"- 8 2 a b 2 nosync nosync", "Duplicate feature: nosync"},
        BadLine{"- 8 2 a b 1 bogus", "Unknown feature"},
        BadLine{"- 8 2 a b 2 read_weights 100", "read_weights needs one weight per leg"},
        BadLine{"- 8 2 a b 3 read_weights 60 60", "Read weights must sum to 100"},
        BadLine{"- 8 2 a b 3 read_weights 101 0", "Invalid read weight: each must be 0..100"},
        BadLine{"- 8 2 a b 3 read_weights 50 x", "Invalid read weight: each must be 0..100"},
        BadLine{"- 8 2 a b 6 read_weights 50 50 read_weights 50 50",
                "Duplicate feature: read_weights"},
        BadLine{"- 8 2 a b 1 sync_rate", "Invalid sync rate: must be 0..16777216 KiB/s"},
        BadLine{"- 8 2 a b 2 sync_rate 16777217", "Invalid sync rate: must be 0..16777216 KiB/s"},
        BadLine{"- 8 2 a b 2 sync_rate fast", "Invalid sync rate: must be 0..16777216 KiB/s"},
        BadLine{"- 8 2 a b 4 sync_rate 1 sync_rate 2", "Duplicate feature: sync_rate"},
        BadLine{"- 8 2 a b 1 resync_mode", "Invalid resync mode: must be copy or checksum"},
        BadLine{"- 8 2 a b 2 resync_mode crc", "Invalid resync mode: must be copy or checksum"},
        BadLine{"- 8 2 a b 4 resync_mode copy resync_mode checksum",
                "Duplicate feature: resync_mode"}));

TEST(ParseMessage, Weights) {
    tandem_msg m;
    ASSERT_EQ(parse_msg("weights 70 30", 2, m), 0);
    EXPECT_EQ(m.verb, TANDEM_VERB_WEIGHTS);
    EXPECT_EQ(m.weights[0], 70);
    EXPECT_EQ(m.weights[1], 30);
}

TEST(ParseMessage, LegVerbsAndStats) {
    tandem_msg m;
    ASSERT_EQ(parse_msg("fail_leg 2", 3, m), 0);
    EXPECT_EQ(m.verb, TANDEM_VERB_FAIL_LEG);
    EXPECT_EQ(m.leg, 2u);
    ASSERT_EQ(parse_msg("reinstate_leg 0", 2, m), 0);
    EXPECT_EQ(m.verb, TANDEM_VERB_REINSTATE_LEG);
    EXPECT_EQ(m.leg, 0u);
    ASSERT_EQ(parse_msg("stats", 2, m), 0);
    EXPECT_EQ(m.verb, TANDEM_VERB_STATS);
    ASSERT_EQ(parse_msg("stats reset", 2, m), 0);
    EXPECT_EQ(m.verb, TANDEM_VERB_STATS_RESET);
    ASSERT_EQ(parse_msg("resync_mode checksum", 2, m), 0);
    EXPECT_EQ(m.verb, TANDEM_VERB_RESYNC_MODE);
    EXPECT_TRUE(m.resync_checksum);
    ASSERT_EQ(parse_msg("resync_mode copy", 2, m), 0);
    EXPECT_FALSE(m.resync_checksum);
    ASSERT_EQ(parse_msg("verify", 2, m), 0);
    EXPECT_EQ(m.verb, TANDEM_VERB_VERIFY);
    ASSERT_EQ(parse_msg("repair", 2, m), 0);
    EXPECT_EQ(m.verb, TANDEM_VERB_REPAIR);
    ASSERT_EQ(parse_msg("sync_rate 4096", 2, m), 0);
    EXPECT_EQ(m.verb, TANDEM_VERB_SYNC_RATE);
    EXPECT_EQ(m.sync_rate, 4096u);
}

struct BadMsg {
    const char* line;
    unsigned nr_legs;
    const char* error;
};

void PrintTo(const BadMsg& b, std::ostream* os) {
    *os << '"' << b.line << '"';
}

class ParseMessageRejects : public ::testing::TestWithParam<BadMsg> {};

TEST_P(ParseMessageRejects, WithClearError) {
    tandem_msg m;
    std::string error;
    EXPECT_EQ(parse_msg(GetParam().line, GetParam().nr_legs, m, &error), -EINVAL);
    EXPECT_EQ(error, GetParam().error);
}

INSTANTIATE_TEST_SUITE_P(
    BadMessages, ParseMessageRejects,
    ::testing::Values(
        BadMsg{"", 2, "Empty message"}, BadMsg{"frobnicate", 2, "Unknown message"},
        BadMsg{"WEIGHTS 50 50", 2, "Unknown message"},
        BadMsg{"weights", 2, "weights expects one weight per leg"},
        BadMsg{"weights 100", 2, "weights expects one weight per leg"},
        BadMsg{"weights 50 25 25", 2, "weights expects one weight per leg"},
        BadMsg{"weights 50 49", 2, "Read weights must sum to 100"},
        BadMsg{"weights 200 -100", 2, "Invalid read weight: each must be 0..100"},
        BadMsg{"weights 0x32 50", 2, "Invalid read weight: each must be 0..100"},
        BadMsg{"fail_leg", 2, "Expects exactly one leg index"},
        BadMsg{"fail_leg 1 2", 2, "Expects exactly one leg index"},
        BadMsg{"fail_leg 2", 2, "Invalid leg index"}, BadMsg{"fail_leg -1", 2, "Invalid leg index"},
        BadMsg{"reinstate_leg one", 2, "Invalid leg index"},
        BadMsg{"reinstate_leg 4", 4, "Invalid leg index"},
        BadMsg{"stats now", 2, "stats takes no argument or 'reset'"},
        BadMsg{"stats reset now", 2, "stats takes no argument or 'reset'"},
        BadMsg{"sync_rate", 2, "sync_rate expects one rate in KiB/s"},
        BadMsg{"sync_rate 1 2", 2, "sync_rate expects one rate in KiB/s"},
        BadMsg{"sync_rate -1", 2, "Invalid sync rate: must be 0..16777216 KiB/s"},
        BadMsg{"resync_mode", 2, "resync_mode expects copy or checksum"},
        BadMsg{"resync_mode copy checksum", 2, "resync_mode expects copy or checksum"},
        BadMsg{"resync_mode Copy", 2, "Invalid resync mode: must be copy or checksum"},
        BadMsg{"verify now", 2, "verify and repair take no argument"},
        BadMsg{"repair 1", 2, "verify and repair take no argument"}));

} // namespace
