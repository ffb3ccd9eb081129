// Latency histograms of the stats reply and their percentiles, computed
// as the kernel computes the status's p50_us and p99_us.
#include "tandem/errors.h"
#include "tandem/latency_histogram.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>

using namespace tandem;
using ::testing::HasSubstr;

namespace {

LatencyHistogram with(std::initializer_list<std::pair<unsigned, std::uint64_t>> counts) {
    LatencyHistogram h;
    for (auto [bucket, count] : counts)
        h.buckets.at(bucket) = count;
    return h;
}

} // namespace

TEST(LatencyHistogram, BucketBoundsArePowersOfTwo) {
    EXPECT_EQ(bucket_upper_us(0), 2u);
    EXPECT_EQ(bucket_upper_us(9), 1024u);
    EXPECT_EQ(bucket_upper_us(23), 16777216u);
}

TEST(LatencyHistogram, EmptyIsZero) {
    EXPECT_EQ(percentile_us(LatencyHistogram{}, 50), 0u);
    EXPECT_EQ(percentile_us(LatencyHistogram{}, 99), 0u);
}

struct PercentileCase {
    LatencyHistogram histogram;
    unsigned pct;
    std::uint64_t expected_us;
};

TEST(LatencyHistogram, PercentilesAreTheUpperBoundOfTheirBucket) {
    const PercentileCase cases[] = {
        // One completion: every percentile is its bucket.
        {with({{7, 1}}), 1, 256},
        {with({{7, 1}}), 50, 256},
        {with({{7, 1}}), 100, 256},
        // 100 completions: 90 in [256, 512) us, 9 in [1, 2) ms, 1 in [32, 64) ms.
        {with({{8, 90}, {10, 9}, {15, 1}}), 50, 512},
        {with({{8, 90}, {10, 9}, {15, 1}}), 90, 512},
        {with({{8, 90}, {10, 9}, {15, 1}}), 91, 2048},
        {with({{8, 90}, {10, 9}, {15, 1}}), 99, 2048},
        {with({{8, 90}, {10, 9}, {15, 1}}), 100, 65536},
        // The cumulative count reaches ceil(total * pct / 100): 2 of 3 for p50.
        {with({{0, 1}, {1, 1}, {2, 1}}), 50, 4},
        {with({{0, 1}, {1, 1}, {2, 1}}), 33, 2},
        {with({{0, 1}, {1, 1}, {2, 1}}), 34, 4},
        // The last bucket holds everything slower.
        {with({{23, 5}}), 50, 16777216},
        // Counts too large to multiply by 100 in 64 bits.
        {with({{3, UINT64_MAX / 2}, {4, UINT64_MAX / 2}}), 50, 16},
        {with({{3, UINT64_MAX / 2}, {4, UINT64_MAX / 2}}), 51, 32},
    };
    for (const PercentileCase& c : cases)
        EXPECT_EQ(percentile_us(c.histogram, c.pct), c.expected_us)
            << "p" << c.pct << " of " << c.histogram.total() << " completions";
}

TEST(LatencyHistogram, PercentileOutOfRange) {
    EXPECT_THROW(percentile_us(with({{1, 1}}), 0), std::invalid_argument);
    EXPECT_THROW(percentile_us(with({{1, 1}}), 101), std::invalid_argument);
}

TEST(LatencyHistogram, ParsesTwentyFourCounts) {
    LatencyHistogram h = parse_latency_histogram(
        "0,0,0,0,0,0,0,0,12,345,6,0,0,0,0,0,0,0,0,0,0,0,0,18446744073709551615");
    EXPECT_EQ(h.buckets[8], 12u);
    EXPECT_EQ(h.buckets[9], 345u);
    EXPECT_EQ(h.buckets[10], 6u);
    EXPECT_EQ(h.buckets[23], UINT64_MAX);
}

TEST(LatencyHistogram, RejectsMalformedText) {
    auto error = [](std::string_view text) -> std::string {
        try {
            parse_latency_histogram(text);
        } catch (const ParseError& e) {
            return e.what();
        }
        return "(accepted)";
    };
    const std::string zeros23 = "0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0";
    EXPECT_EQ(error(zeros23), "expected 24 buckets, got 23 in '" + zeros23 + "'");
    EXPECT_EQ(error(zeros23 + ",0,0"), "more than 24 buckets in '" + zeros23 + ",0,0'");
    EXPECT_EQ(error(zeros23 + ",x"), "bucket 23: expected a whole number, got 'x'");
    EXPECT_EQ(error("1,,2"), "bucket 1: expected a whole number, got ''");
    EXPECT_THAT(error(""), HasSubstr("bucket 0"));
    EXPECT_THAT(error(zeros23 + ",-1"), HasSubstr("bucket 23"));
}
