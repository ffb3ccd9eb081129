// Weighted read choice (kernel/tandem-wrr.c), compiled for userspace.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <vector>

extern "C" {
#include "tandem-wrr.h"
}

namespace {

struct Picks {
    std::array<unsigned, TANDEM_MAX_LEGS> count{};
    std::vector<int> sequence;
};

Picks pick_n(tandem_wrr& wrr, std::vector<u8> weights, unsigned eligible, unsigned n) {
    Picks picks;
    const u32 packed = tandem_weights_pack(weights.data(), weights.size());
    for (unsigned i = 0; i < n; i++) {
        int leg = tandem_wrr_pick(&wrr, packed, eligible, weights.size());
        EXPECT_GE(leg, 0);
        if (leg < 0)
            break;
        picks.count[leg]++;
        picks.sequence.push_back(leg);
    }
    return picks;
}

TEST(WeightsPack, RoundTripsEveryLeg) {
    const std::vector<u8> w{10, 20, 30, 40};
    const u32 packed = tandem_weights_pack(w.data(), 4);
    for (unsigned i = 0; i < 4; i++)
        EXPECT_EQ(tandem_weight_of(packed, i), w[i]);
}

TEST(Wrr, ExactSharesOverWholeCycles) {
    tandem_wrr wrr;
    tandem_wrr_init(&wrr);
    Picks p = pick_n(wrr, {70, 30}, 0x3, 1000);
    EXPECT_EQ(p.count[0], 700u);
    EXPECT_EQ(p.count[1], 300u);
}

TEST(Wrr, SharesWithinFivePercentForUnevenCounts) {
    tandem_wrr wrr;
    tandem_wrr_init(&wrr);
    const std::vector<u8> w{13, 29, 41, 17};
    Picks p = pick_n(wrr, w, 0xf, 3037);
    for (unsigned i = 0; i < 4; i++) {
        double share = 100.0 * p.count[i] / 3037;
        EXPECT_NEAR(share, w[i], 5.0) << "leg " << i;
        EXPECT_NEAR(share, w[i], 0.1) << "leg " << i;
    }
}

TEST(Wrr, SpreadsPicksInsteadOfBunching) {
    tandem_wrr wrr;
    tandem_wrr_init(&wrr);
    Picks p = pick_n(wrr, {50, 50}, 0x3, 10);
    for (size_t i = 1; i < p.sequence.size(); i++)
        EXPECT_NE(p.sequence[i], p.sequence[i - 1]) << "at " << i;
}

TEST(Wrr, ZeroWeightLegIsNeverPicked) {
    tandem_wrr wrr;
    tandem_wrr_init(&wrr);
    Picks p = pick_n(wrr, {100, 0}, 0x3, 500);
    EXPECT_EQ(p.count[0], 500u);
    EXPECT_EQ(p.count[1], 0u);
}

TEST(Wrr, IneligibleLegIsSkippedAndItsShareRedistributed) {
    tandem_wrr wrr;
    tandem_wrr_init(&wrr);
    Picks p = pick_n(wrr, {50, 25, 25}, 0x6, 400);
    EXPECT_EQ(p.count[0], 0u);
    EXPECT_EQ(p.count[1], 200u);
    EXPECT_EQ(p.count[2], 200u);
}

TEST(Wrr, OnlyZeroWeightLegsEligibleShareEqually) {
    tandem_wrr wrr;
    tandem_wrr_init(&wrr);
    Picks p = pick_n(wrr, {100, 0, 0}, 0x6, 100);
    EXPECT_EQ(p.count[0], 0u);
    EXPECT_EQ(p.count[1], 50u);
    EXPECT_EQ(p.count[2], 50u);
}

TEST(Wrr, NoEligibleLegReturnsMinusOne) {
    tandem_wrr wrr;
    tandem_wrr_init(&wrr);
    const std::vector<u8> w{50, 50};
    EXPECT_EQ(tandem_wrr_pick(&wrr, tandem_weights_pack(w.data(), 2), 0, 2), -1);
    /* Bits above nr_legs do not count as legs. */
    EXPECT_EQ(tandem_wrr_pick(&wrr, tandem_weights_pack(w.data(), 2), 0x4, 2), -1);
}

TEST(Wrr, WeightChangeTakesEffectAtOnce) {
    tandem_wrr wrr;
    tandem_wrr_init(&wrr);
    pick_n(wrr, {90, 10}, 0x3, 37);
    Picks p = pick_n(wrr, {20, 80}, 0x3, 100);
    EXPECT_EQ(p.count[0], 20u);
    EXPECT_EQ(p.count[1], 80u);
}

} // namespace

namespace {

u32 pack(std::vector<u8> w) {
    return tandem_weights_pack(w.data(), w.size());
}

TEST(WrrFallback, PicksTheHeaviestEligibleLeg) {
    EXPECT_EQ(tandem_wrr_fallback(pack({10, 60, 30}), 0x7, 3), 1);
    EXPECT_EQ(tandem_wrr_fallback(pack({10, 60, 30}), 0x5, 3), 2);
    EXPECT_EQ(tandem_wrr_fallback(pack({10, 60, 30}), 0x1, 3), 0);
}

TEST(WrrFallback, LowestIndexOnATieAndZeroWeightsStillEligible) {
    EXPECT_EQ(tandem_wrr_fallback(pack({0, 50, 50}), 0x6, 3), 1);
    EXPECT_EQ(tandem_wrr_fallback(pack({100, 0, 0}), 0x6, 3), 1);
}

TEST(WrrFallback, NoEligibleLeg) {
    EXPECT_EQ(tandem_wrr_fallback(pack({50, 50}), 0x0, 2), -1);
    EXPECT_EQ(tandem_wrr_fallback(pack({50, 50}), 0x4, 2), -1);
}

} // namespace
