// Fair queueing, token buckets and latency histograms of the class
// scheduler (kernel/tandem-fairq.c), compiled for userspace and driven on
// simulated time.
#include <gtest/gtest.h>

#include <array>
#include <vector>

extern "C" {
#include "tandem-fairq.h"
}

namespace {

constexpr u32 kBlock = 4096;

// Dispatches `rounds` bios from always-backlogged classes and counts
// how many each class got.
std::array<u64, TANDEM_MAX_CLASSES> saturate(const std::array<u32, TANDEM_MAX_CLASSES>& weights,
                                             unsigned long busy, unsigned rounds,
                                             u32 bytes = kBlock) {
    tandem_sfq q{};
    std::array<u64, TANDEM_MAX_CLASSES> got{};
    for (unsigned c = 0; c < TANDEM_MAX_CLASSES; c++)
        if (busy & (1UL << c))
            tandem_sfq_activate(&q, c);
    for (unsigned i = 0; i < rounds; i++) {
        int c = tandem_sfq_pick(&q, busy, weights.data());
        EXPECT_GE(c, 0);
        got[c]++;
        tandem_sfq_charge(&q, c, weights[c], bytes);
    }
    return got;
}

TEST(Sfq, SharesFollowWeightsUnderSaturation) {
    std::array<u32, TANDEM_MAX_CLASSES> w{200, 100, 50};
    auto got = saturate(w, 0b111, 3500);
    EXPECT_NEAR(got[0], 2000, 2);
    EXPECT_NEAR(got[1], 1000, 2);
    EXPECT_NEAR(got[2], 500, 2);
}

TEST(Sfq, SharesCountBytesNotBios) {
    // Class 1 sends 16 KiB bios: at equal weights it gets a quarter of the bios.
    tandem_sfq q{};
    std::array<u32, TANDEM_MAX_CLASSES> w{100, 100};
    std::array<u64, 2> got{};
    tandem_sfq_activate(&q, 0);
    tandem_sfq_activate(&q, 1);
    for (int i = 0; i < 5000; i++) {
        int c = tandem_sfq_pick(&q, 0b11, w.data());
        got[c]++;
        tandem_sfq_charge(&q, c, w[c], c ? 4 * kBlock : kBlock);
    }
    EXPECT_NEAR(static_cast<double>(got[0]) / got[1], 4.0, 0.01);
}

TEST(Sfq, WeightOneIsNeverStarved) {
    std::array<u32, TANDEM_MAX_CLASSES> w{1000, 1};
    tandem_sfq q{};
    tandem_sfq_activate(&q, 0);
    tandem_sfq_activate(&q, 1);
    unsigned since_last = 0, worst = 0;
    for (int i = 0; i < 20000; i++) {
        int c = tandem_sfq_pick(&q, 0b11, w.data());
        tandem_sfq_charge(&q, c, w[c], kBlock);
        since_last = c == 1 ? 0 : since_last + 1;
        worst = std::max(worst, since_last);
    }
    // Bounded wait: about weight ratio dispatches between its turns.
    EXPECT_LE(worst, 1001u);
}

TEST(Sfq, WeightZeroRunsOnlyWhenWeightedClassesAreIdle) {
    std::array<u32, TANDEM_MAX_CLASSES> w{100, 0};
    tandem_sfq q{};
    tandem_sfq_activate(&q, 0);
    tandem_sfq_activate(&q, 1);
    for (int i = 0; i < 100; i++) {
        ASSERT_EQ(tandem_sfq_pick(&q, 0b11, w.data()), 0);
        tandem_sfq_charge(&q, 0, w[0], kBlock);
    }
    EXPECT_EQ(tandem_sfq_pick(&q, 0b10, w.data()), 1);
    EXPECT_EQ(tandem_sfq_pick(&q, 0, w.data()), -1);
}

TEST(Sfq, AnIdleClassEarnsNoCredit) {
    // Class 1 sleeps while class 0 dispatches 1000 bios; on waking it
    // competes from the current virtual time instead of owning the next
    // thousand turns.
    std::array<u32, TANDEM_MAX_CLASSES> w{100, 100};
    tandem_sfq q{};
    tandem_sfq_activate(&q, 0);
    for (int i = 0; i < 1000; i++)
        tandem_sfq_charge(&q, tandem_sfq_pick(&q, 0b01, w.data()), 100, kBlock);
    tandem_sfq_activate(&q, 1);
    std::array<int, 2> got{};
    for (int i = 0; i < 100; i++) {
        int c = tandem_sfq_pick(&q, 0b11, w.data());
        got[c]++;
        tandem_sfq_charge(&q, c, w[c], kBlock);
    }
    EXPECT_NEAR(got[0], 50, 1);
    EXPECT_NEAR(got[1], 50, 1);
}

TEST(Sfq, AWakingClassIsServedNext) {
    // A light class that wakes up goes ahead of a backlog of equal weight.
    std::array<u32, TANDEM_MAX_CLASSES> w{100, 100};
    tandem_sfq q{};
    tandem_sfq_activate(&q, 1);
    for (int i = 0; i < 50; i++)
        tandem_sfq_charge(&q, tandem_sfq_pick(&q, 0b10, w.data()), 100, kBlock);
    tandem_sfq_activate(&q, 0);
    EXPECT_EQ(tandem_sfq_pick(&q, 0b11, w.data()), 0);
}

TEST(Bucket, UnlimitedIsAlwaysReady) {
    tandem_bucket b{};
    tandem_bucket_set(&b, 0, 0);
    tandem_bucket_take(&b, 1000 * TANDEM_BUCKET_ONE);
    EXPECT_TRUE(tandem_bucket_ready(&b));
    EXPECT_EQ(tandem_bucket_wait_ns(&b), 0u);
}

// Drives a bucket for `seconds` of simulated time with a backlog that
// takes `cost` each time it may, and returns how many went.
u64 drive(u64 rate, u64 cost, double seconds) {
    tandem_bucket b{};
    u64 now = 1'000'000'000ULL, end = now + static_cast<u64>(seconds * 1e9), sent = 0;
    tandem_bucket_set(&b, rate, now);
    while (now < end) {
        tandem_bucket_refill(&b, now);
        if (tandem_bucket_ready(&b)) {
            tandem_bucket_take(&b, cost);
            sent++;
            continue;
        }
        now += tandem_bucket_wait_ns(&b);
    }
    return sent;
}

TEST(Bucket, IopsRateIsExactOverTime) {
    // 10 s at 300/s: 3000 plus the 50 ms burst the bucket starts with.
    EXPECT_NEAR(drive(300, TANDEM_BUCKET_ONE, 10.0), 3015, 2);
}

TEST(Bucket, BandwidthCountsKibAndLetsLargeBiosGoIntoDebt) {
    // 2048 KiB/s with 1 MiB bios: two per second, each sent while positive.
    u64 sent = drive(2048, tandem_bucket_bw_cost(1 << 20), 10.0);
    EXPECT_NEAR(sent, 21, 1);
}

TEST(Bucket, WaitIsTheTimeToBecomePositive) {
    tandem_bucket b{};
    tandem_bucket_set(&b, 1000, 0);
    tandem_bucket_take(&b, 51 * TANDEM_BUCKET_ONE); // 50 in the bucket: 1 in debt
    EXPECT_FALSE(tandem_bucket_ready(&b));
    u64 wait = tandem_bucket_wait_ns(&b);
    EXPECT_NEAR(static_cast<double>(wait), 1e6, 1);
    tandem_bucket_refill(&b, wait);
    EXPECT_TRUE(tandem_bucket_ready(&b));
}

TEST(Bucket, RefillIsCappedAtTheBurst) {
    tandem_bucket b{};
    tandem_bucket_set(&b, 100, 0);
    tandem_bucket_refill(&b, 3600ULL * 1'000'000'000ULL);
    EXPECT_EQ(b.tokens, static_cast<s64>(100 * TANDEM_BUCKET_BURST_NS));
}

TEST(Bucket, LargestRatesDoNotOverflow) {
    tandem_bucket b{};
    tandem_bucket_set(&b, TANDEM_MAX_BW_LIMIT, 0);
    tandem_bucket_take(&b, tandem_bucket_bw_cost(UINT32_MAX));
    tandem_bucket_refill(&b, 10'000'000'000ULL);
    EXPECT_GT(b.tokens, 0);
}

TEST(Latency, BucketsAreLog2Microseconds) {
    EXPECT_EQ(tandem_lat_bucket(0), 0u);
    EXPECT_EQ(tandem_lat_bucket(1999), 0u);
    EXPECT_EQ(tandem_lat_bucket(2000), 1u);
    EXPECT_EQ(tandem_lat_bucket(3999), 1u);
    EXPECT_EQ(tandem_lat_bucket(4000), 2u);
    EXPECT_EQ(tandem_lat_bucket(1'000'000), 9u); // 1 ms in [512, 1024) us
    EXPECT_EQ(tandem_lat_bucket(3600ULL * 1'000'000'000ULL), TANDEM_LAT_BUCKETS - 1);
}

TEST(Latency, PercentileIsTheUpperBoundOfItsBucket) {
    std::vector<u64> h(TANDEM_LAT_BUCKETS, 0);
    EXPECT_EQ(tandem_lat_percentile_us(h.data(), 50), 0u);
    h[6] = 98; // [64, 128) us
    h[10] = 2; // [1024, 2048) us
    EXPECT_EQ(tandem_lat_percentile_us(h.data(), 50), 128u);
    EXPECT_EQ(tandem_lat_percentile_us(h.data(), 98), 128u);
    EXPECT_EQ(tandem_lat_percentile_us(h.data(), 99), 2048u);
    EXPECT_EQ(tandem_lat_percentile_us(h.data(), 100), 2048u);
}

} // namespace
