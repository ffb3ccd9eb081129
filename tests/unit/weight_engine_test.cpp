// The weighting engine on simulated time: the formula, the trend, failover,
// failback, the deadband and the rate cap; and its pure pieces.
#include "tandem/weight_engine.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <random>
#include <stdexcept>

using namespace tandem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

namespace {

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

// Every leg readable, with these healths.
std::vector<LegView> healths(std::initializer_list<double> h) {
    std::vector<LegView> out;
    for (double x : h)
        out.push_back({true, x});
    return out;
}

unsigned sum(const std::vector<unsigned>& w) {
    return std::accumulate(w.begin(), w.end(), 0u);
}

// The policy without the trend projection, for tests of what comes after it.
WeightPolicy no_projection() {
    WeightPolicy p;
    p.trend_horizon_seconds = 0;
    return p;
}

// Runs the engine once a `step` from `from` (included) to `to` (excluded)
// with the legs `legs(t)` says; returns the last decision.
WeightDecision run(WeightEngine& e, double from, double to,
                   const std::function<std::vector<LegView>(double)>& legs, double step = 1,
                   int* changes = nullptr) {
    WeightDecision d;
    for (double t = from; t < to - 1e-9; t += step) {
        d = e.update(t, legs(t));
        EXPECT_EQ(sum(d.weights), 100u) << "at " << t;
        if (changes && d.changed)
            ++*changes;
    }
    return d;
}

std::string construction_error(WeightPolicy p, std::size_t legs, std::vector<unsigned> w) {
    try {
        WeightEngine e(std::move(p), legs, std::move(w));
    } catch (const std::invalid_argument& err) {
        return err.what();
    }
    return "(accepted)";
}

} // namespace

// --- The pure pieces --------------------------------------------------------------

TEST(WeightApportion, LargestRemainderAlwaysSumsToTheTotal) {
    struct Case {
        std::vector<double> shares;
        std::vector<unsigned> expected;
    };
    const Case cases[] = {
        {{54, 36}, {60, 40}},
        {{1, 1, 1}, {34, 33, 33}},
        {{2, 1}, {67, 33}},
        {{1, 2}, {33, 67}},
        {{0.6, 0.4, 0.4, 0.4}, {34, 22, 22, 22}},
        {{45, 13.5, 20}, {57, 17, 26}},
        {{0, 0}, {50, 50}},            // nothing to go by: equal
        {{0, 0, 0}, {34, 33, 33}},     // ties to the lower leg
        {{not_a_number, 1}, {0, 100}}, // NaN, negative and infinite count as 0
        {{-5, 3, 1}, {0, 75, 25}},
        {{inf, inf}, {50, 50}},
        {{0.001, 1000}, {0, 100}},
    };
    for (const Case& c : cases)
        EXPECT_EQ(apportion(c.shares), c.expected);
    EXPECT_TRUE(apportion({}).empty());
    EXPECT_EQ(apportion({1, 1, 1}, 10), (std::vector<unsigned>{4, 3, 3}));

    // Many uneven shares: each within one of its exact value, summing to 100.
    std::uint32_t seed = 12345;
    for (int round = 0; round < 500; round++) {
        std::vector<double> shares(2 + round % 3);
        for (double& s : shares) {
            seed = seed * 1103515245 + 12345;
            s = (seed >> 8) % 10007 / 97.0;
        }
        const double total = std::accumulate(shares.begin(), shares.end(), 0.0);
        const std::vector<unsigned> w = apportion(shares);
        EXPECT_EQ(sum(w), 100u);
        for (std::size_t i = 0; i < w.size() && total > 0; i++)
            EXPECT_LT(std::abs(w[i] - shares[i] * 100 / total), 1.0);
    }
}

TEST(WeightTrend, LeastSquaresFit) {
    std::optional<TrendFit> fit = fit_trend({0, 1, 2}, {10, 12, 14});
    ASSERT_TRUE(fit);
    EXPECT_DOUBLE_EQ(fit->slope, 2);
    EXPECT_DOUBLE_EQ(fit->slope_error, 0);
    EXPECT_DOUBLE_EQ(fit->span, 2);

    fit = fit_trend({0, 1, 2, 3}, {0, 1, 1, 2});
    ASSERT_TRUE(fit);
    EXPECT_NEAR(fit->slope, 0.6, 1e-12);
    // Residuals -0.1, 0.3, -0.3, 0.1: sqrt(0.2 / 2 / 5).
    EXPECT_NEAR(fit->slope_error, std::sqrt(0.02), 1e-12);

    EXPECT_NEAR(fit_trend({0, 1, 2, 3}, {5, 5, 5, 5})->slope, 0, 1e-12);
    EXPECT_FALSE(fit_trend({10, 20}, {90, 70})); // two points tell no noise from trend
    EXPECT_FALSE(fit_trend({4, 4, 4}, {50, 60, 70}));
    EXPECT_FALSE(fit_trend({}, {}));
}

TEST(WeightTrend, OnlyASignificantFallIsProjected) {
    // A clean fall of 1/s seen for 30 s, projected 30 s ahead.
    TrendFit fall{-1, 0, 30};
    EXPECT_EQ(projected_health(60, fall, 30), 30);
    EXPECT_EQ(projected_health(60, fall, 0), 60);
    EXPECT_EQ(projected_health(60, fall, 100), 30); // no further ahead than the samples go back
    EXPECT_EQ(projected_health(50, fall, 5), 45);
    EXPECT_EQ(projected_health(-3, fall, 5), 0);
    EXPECT_EQ(projected_health(60, TrendFit{-5, 0, 30}, 30), 0);

    EXPECT_FALSE(projected_health(60, TrendFit{-1, 0.6, 30}, 30)); // within 2 errors: noise
    EXPECT_EQ(projected_health(60, TrendFit{-1, 0.4, 30}, 30), 30);
    EXPECT_FALSE(projected_health(60, TrendFit{0, 0, 30}, 30));
    EXPECT_FALSE(projected_health(60, TrendFit{2, 0, 30}, 30));
}

TEST(WeightPolicyFactor, MissingLegsShareTheLastFactor) {
    WeightPolicy p;
    EXPECT_EQ(leg_factor(p, 0), 0.6);
    EXPECT_EQ(leg_factor(p, 1), 0.4);
    EXPECT_EQ(leg_factor(p, 3), 0.4);
}

// --- The formula ------------------------------------------------------------------

TEST(WeightEngine, SourceAndTargetAt90Give60And40) {
    WeightEngine settled(WeightPolicy{}, 2, {60, 40});
    WeightDecision d = settled.update(0, healths({90, 90}));
    EXPECT_THAT(d.weights, ElementsAre(60, 40));
    EXPECT_THAT(d.target, ElementsAre(60, 40));
    EXPECT_FALSE(d.changed);
    EXPECT_EQ(d.reason, "steady at 60 40");

    // From 50/50 the first decision has no elapsed time to move in; the next does.
    WeightEngine e(WeightPolicy{}, 2, {50, 50});
    d = e.update(100, healths({90, 90}));
    EXPECT_THAT(d.weights, ElementsAre(50, 50));
    EXPECT_THAT(d.target, ElementsAre(60, 40));
    EXPECT_FALSE(d.changed);
    d = e.update(101, healths({90, 90}));
    EXPECT_THAT(d.weights, ElementsAre(60, 40));
    EXPECT_TRUE(d.changed);
    EXPECT_EQ(d.reason, "formula: 60 40");
    d = e.update(102, healths({90, 90}));
    EXPECT_FALSE(d.changed);
}

TEST(WeightEngine, ThreeAndFourLegsSumTo100) {
    WeightPolicy three;
    three.leg_factors = {0.5, 0.3, 0.2};
    WeightEngine e3(three, 3, {34, 33, 33});
    WeightDecision d = run(e3, 0, 20, [](double) { return healths({90, 45, 100}); });
    EXPECT_THAT(d.weights, ElementsAre(57, 17, 26)); // 45 : 13.5 : 20

    WeightEngine e4(no_projection(), 4, {25, 25, 25, 25});
    d = run(e4, 0, 20, [](double) { return healths({90, 90, 90, 90}); });
    EXPECT_THAT(d.weights, ElementsAre(34, 22, 22, 22)); // 0.6 : 0.4 : 0.4 : 0.4

    d = run(e4, 20, 40, [](double) { return healths({90, 90, 30, 90}); });
    EXPECT_EQ(sum(d.weights), 100u);
    EXPECT_THAT(d.weights, ElementsAre(39, 26, 9, 26)); // 54 : 36 : 12 : 36
}

// --- The trend --------------------------------------------------------------------

TEST(WeightEngine, FallingHealthShiftsWeightBeforeAnyThreshold) {
    // Leg 0 steady at 90 for a minute, then falling 1 point a second.
    auto falling = [](double t) {
        return healths({t < 60 ? 90 : 90 - (t - 60), 90});
    };

    WeightEngine predictive(WeightPolicy{}, 2, {60, 40});
    WeightDecision d = run(predictive, 0, 60, falling);
    EXPECT_THAT(d.weights, ElementsAre(60, 40));
    d = run(predictive, 60, 91, falling); // health 60 at t=90
    // 30 s of -1/s projected 30 s ahead: weighed at 30, not 60 (18 : 36).
    EXPECT_THAT(d.target, ElementsAre(33, 67));
    EXPECT_THAT(d.weights, ElementsAre(33, 67));
    EXPECT_THAT(d.reason, HasSubstr("predictive: leg 0 health 60 falling 1/s"));
    EXPECT_TRUE(d.failed_over.empty());
    EXPECT_EQ(predictive.phase(0), LegPhase::serving);

    // The same fall without the projection: still half the reads at health 60.
    WeightEngine plain(no_projection(), 2, {60, 40});
    run(plain, 0, 60, falling);
    d = run(plain, 60, 91, falling);
    EXPECT_THAT(d.weights, ElementsAre(50, 50));
}

TEST(WeightEngine, ProjectionNeverExceedsTheCurrentHealthAndRisesAreBelievedOnceTheyHold) {
    // Leg 1 at 50, then at 90 from t=40: credited only once the window has no 50 left.
    auto rising = [](double t) {
        return healths({90, t < 40 ? 50.0 : 90.0});
    };
    WeightEngine e(WeightPolicy{}, 2, {73, 27});
    WeightDecision d = run(e, 0, 40, rising);
    EXPECT_THAT(d.weights, ElementsAre(73, 27)); // 54 : 20
    d = run(e, 40, 70, rising);
    EXPECT_THAT(d.weights, ElementsAre(73, 27)); // 50 still in the window at t=69
    d = run(e, 70, 73, rising);
    EXPECT_THAT(d.weights, ElementsAre(60, 40));
}

// --- Failover ---------------------------------------------------------------------

TEST(WeightEngine, UnreadableLegFailsOverAtOnce) {
    WeightEngine e(WeightPolicy{}, 2, {60, 40});
    run(e, 0, 10, [](double) { return healths({90, 90}); });
    WeightDecision d = e.update(10, {{true, 90}, {false, 90}});
    EXPECT_THAT(d.weights, ElementsAre(100, 0));
    EXPECT_TRUE(d.changed);
    EXPECT_THAT(d.failed_over, ElementsAre(1u));
    EXPECT_EQ(d.reason, "leg 1 failed over: not readable; weights 100 0 at once");
    EXPECT_EQ(e.phase(1), LegPhase::failed_over);

    d = e.update(11, {{true, 90}, {false, 90}});
    EXPECT_FALSE(d.changed);
    EXPECT_TRUE(d.failed_over.empty()); // once per failover
}

TEST(WeightEngine, CriticalHealthFailsOverAtOnceWhateverTheRateCap) {
    WeightPolicy p;
    p.max_step_per_second = 0.5;
    WeightEngine e(p, 3, {34, 33, 33});
    WeightDecision d = e.update(0, healths({12, 90, 90}));
    EXPECT_THAT(d.weights, ElementsAre(0, 50, 50));
    EXPECT_THAT(d.failed_over, ElementsAre(0u));
    EXPECT_EQ(d.reason, "leg 0 failed over: health 12 < 20; weights 0 50 50 at once");

    // NaN health is no health.
    d = e.update(1, healths({12, not_a_number, 90}));
    EXPECT_THAT(d.weights, ElementsAre(0, 0, 100));
    EXPECT_EQ(d.reason, "leg 1 failed over: health 0 < 20; weights 0 0 100 at once");
}

TEST(WeightEngine, NoEligibleLegKeepsTheReadableOnesWeighted) {
    WeightEngine e(WeightPolicy{}, 2, {60, 40});
    WeightDecision d = e.update(0, healths({10, 15}));
    EXPECT_THAT(d.weights, ElementsAre(50, 50)); // 6 : 6
    EXPECT_THAT(d.failed_over, ElementsAre(0u, 1u));
    EXPECT_THAT(d.reason, HasSubstr("no leg eligible: readable legs 0,1 weighted by the formula: "
                                    "50 50"));

    d = e.update(1, {{false, 10}, {true, 15}});
    EXPECT_THAT(d.weights, ElementsAre(0, 100));

    d = e.update(2, {{false, 10}, {false, 15}});
    EXPECT_THAT(d.weights, ElementsAre(0, 100));
    EXPECT_FALSE(d.changed);
    EXPECT_EQ(d.reason, "no leg readable: keeping weights 0 100");
}

// --- Failback ---------------------------------------------------------------------

TEST(WeightEngine, FailbackWaitsForRecoveryThenRampsFromZeroToItsShare) {
    WeightEngine e(WeightPolicy{}, 2, {60, 40});
    auto legs = [](double t) -> std::vector<LegView> {
        if (t < 20)
            return healths({90, 90});
        if (t < 30)
            return {{true, 90}, {false, 90}};
        return healths({90, 90});
    };
    run(e, 0, 20, legs);
    WeightDecision d = run(e, 20, 30, legs);
    EXPECT_THAT(d.weights, ElementsAre(100, 0));

    // Readable and healthy from t=30: 30 s of recovery, no weight yet.
    d = run(e, 30, 59, legs);
    EXPECT_EQ(e.phase(1), LegPhase::recovering);
    EXPECT_THAT(d.weights, ElementsAre(100, 0));
    EXPECT_EQ(d.reason, "leg 1 recovering: health 90 >= 60 for 28 of 30 s");

    // The ramp: t=60 is 0%, 75 is 25%, 90 is 50%, 120 is 100% of 60 s.
    d = run(e, 59, 61, legs);
    EXPECT_EQ(e.phase(1), LegPhase::failing_back);
    EXPECT_THAT(d.weights, ElementsAre(100, 0));
    EXPECT_EQ(d.reason, "leg 1 failing back: ramp 0%");
    d = run(e, 61, 76, legs);
    EXPECT_THAT(d.weights, ElementsAre(90, 10));
    EXPECT_THAT(d.reason, HasSubstr("leg 1 failing back: ramp 25%"));
    d = run(e, 76, 91, legs);
    EXPECT_THAT(d.weights, ElementsAre(80, 20));
    EXPECT_THAT(d.reason, HasSubstr("ramp 50%"));
    d = run(e, 91, 120, legs);
    EXPECT_EQ(e.phase(1), LegPhase::failing_back);
    EXPECT_THAT(d.weights, ElementsAre(61, 39));
    d = e.update(120, legs(120));
    EXPECT_EQ(e.phase(1), LegPhase::serving);
    EXPECT_THAT(d.weights, ElementsAre(60, 40));
    EXPECT_THAT(d.failed_back, ElementsAre(1u));
    EXPECT_THAT(d.reason, HasSubstr("leg 1 failed back"));
}

TEST(WeightEngine, DippingDuringRecoveryRestartsTheTimer) {
    WeightEngine e(WeightPolicy{}, 2, {100, 0}); // leg 1 starts failed over
    EXPECT_EQ(e.phase(1), LegPhase::failed_over);
    auto legs = [](double t) {
        return healths({90, t >= 20 && t < 21 ? 50.0 : 90.0});
    };
    run(e, 0, 20, legs);
    EXPECT_EQ(e.phase(1), LegPhase::recovering);
    WeightDecision d = e.update(20, legs(20));
    EXPECT_EQ(e.phase(1), LegPhase::failed_over);
    EXPECT_EQ(d.reason, "leg 1 recovery reset: health 50 < 60");

    // 30 s from t=21, not from t=0.
    run(e, 21, 51, legs);
    EXPECT_EQ(e.phase(1), LegPhase::recovering);
    run(e, 51, 52, legs);
    EXPECT_EQ(e.phase(1), LegPhase::failing_back);
}

TEST(WeightEngine, FailingDuringTheRampFailsOverAgain) {
    WeightPolicy p;
    p.recover_seconds = 0;
    WeightEngine e(p, 2, {100, 0});
    run(e, 0, 30, [](double) { return healths({90, 90}); });
    EXPECT_EQ(e.phase(1), LegPhase::failing_back);
    EXPECT_THAT(e.weights(), ElementsAre(81, 19)); // t=29: 29/60 of 40
    WeightDecision d = e.update(30, {{true, 90}, {false, 90}});
    EXPECT_THAT(d.weights, ElementsAre(100, 0));
    EXPECT_THAT(d.failed_over, ElementsAre(1u));
}

// --- Stability --------------------------------------------------------------------

TEST(WeightEngine, FlappingHealthDoesNotFlapTheWeights) {
    // Ten minutes of leg 1 alternating 90 and 40 every 5 s, sampled each second.
    auto flapping = [](double t) {
        return healths({90, static_cast<int>(t / 5) % 2 == 0 ? 90.0 : 40.0});
    };
    WeightEngine e(WeightPolicy{}, 2, {60, 40});
    int changes = 0;
    run(e, 0, 600, flapping, 1, &changes);
    EXPECT_LE(changes, 4);
    EXPECT_GE(changes, 1); // it does weigh the leg down
    EXPECT_LT(e.weights()[1], 30u);

    // Across the critical health: one failover, and no failback while it keeps dipping.
    auto dipping = [](double t) {
        return healths({90, static_cast<int>(t / 10) % 2 == 0 ? 90.0 : 10.0});
    };
    WeightEngine f(WeightPolicy{}, 2, {60, 40});
    changes = 0;
    run(f, 0, 600, dipping, 1, &changes);
    EXPECT_EQ(changes, 1);
    EXPECT_THAT(f.weights(), ElementsAre(100, 0));
}

TEST(WeightEngine, RateCapLimitsHowFastAWeightMoves) {
    WeightEngine e(no_projection(), 2, {60, 40});
    run(e, 0, 10, [](double) { return healths({90, 90}); });
    std::vector<std::vector<unsigned>> seen;
    for (double t = 10; t < 14; t++)
        seen.push_back(e.update(t, healths({90, 30})).weights); // 54 : 12 -> 82/18
    EXPECT_THAT(seen, ElementsAre(ElementsAre(70, 30), ElementsAre(80, 20), ElementsAre(82, 18),
                                  ElementsAre(82, 18)));

    // Half-second steps move half as far; a quarter-second step a quarter.
    WeightEngine h(no_projection(), 2, {60, 40});
    h.update(0, healths({90, 90}));
    EXPECT_THAT(h.update(0.5, healths({90, 30})).weights, ElementsAre(65, 35));
    EXPECT_THAT(h.update(0.75, healths({90, 30})).weights, ElementsAre(68, 32)); // 67.5
    WeightDecision d = h.update(1, healths({90, 30}));
    EXPECT_THAT(d.weights, ElementsAre(70, 30));
    EXPECT_EQ(d.reason, "rate cap 10/s: 70 30 on the way to 82 18");
}

TEST(WeightEngine, ChangesWithinTheDeadbandAreNotMade) {
    WeightEngine e(no_projection(), 2, {60, 40});
    run(e, 0, 10, [](double) { return healths({90, 90}); });
    WeightDecision d = e.update(10, healths({90, 80})); // 54 : 32 -> 63/37
    EXPECT_THAT(d.weights, ElementsAre(60, 40));
    EXPECT_THAT(d.target, ElementsAre(63, 37));
    EXPECT_FALSE(d.changed);
    EXPECT_EQ(d.reason, "within the deadband of 63 37: keeping 60 40");

    d = e.update(11, healths({90, 70})); // 54 : 28 -> 66/34
    EXPECT_THAT(d.weights, ElementsAre(66, 34));
    EXPECT_TRUE(d.changed);

    WeightPolicy none = no_projection();
    none.deadband = 0;
    WeightEngine exact(none, 2, {60, 40});
    exact.update(0, healths({90, 90}));
    EXPECT_THAT(exact.update(1, healths({90, 80})).weights, ElementsAre(63, 37));
}

// --- Bad input --------------------------------------------------------------------

TEST(WeightEngine, RejectsBadConstructionAndUpdates) {
    EXPECT_EQ(construction_error(WeightPolicy{}, 1, {100}), "weighting: 1 legs, expected 2..4");
    EXPECT_EQ(construction_error(WeightPolicy{}, 5, {20, 20, 20, 20, 20}),
              "weighting: 5 legs, expected 2..4");
    EXPECT_EQ(construction_error(WeightPolicy{}, 3, {60, 40}),
              "weighting: 2 initial weights for 3 legs");
    EXPECT_THAT(construction_error(WeightPolicy{}, 2, {60, 30}),
                HasSubstr("weighting: initial weights: "));
    WeightPolicy bad;
    bad.deadband = -1;
    EXPECT_EQ(construction_error(bad, 2, {60, 40}),
              "weighting.deadband: -1 must be 0 or more, below 100");

    WeightEngine e(WeightPolicy{}, 2, {60, 40});
    EXPECT_THROW(e.phase(2), std::out_of_range);
    try {
        e.update(0, healths({90}));
        ADD_FAILURE() << "one view for two legs accepted";
    } catch (const std::invalid_argument& err) {
        EXPECT_STREQ(err.what(), "weighting: 1 leg views for 2 legs");
    }
    e.update(10, healths({90, 90}));
    try {
        e.update(9, healths({90, 90}));
        ADD_FAILURE() << "time going backwards accepted";
    } catch (const std::invalid_argument& err) {
        EXPECT_STREQ(err.what(), "weighting: time 9 s is before the last 10 s");
    }
}

TEST(WeightPolicyValidation, DefaultsAreValid) {
    EXPECT_EQ(validate(WeightPolicy{}), "");
}

TEST(WeightPolicyValidation, EachInvalidFieldIsNamed) {
    struct Case {
        void (*change)(WeightPolicy&);
        const char* message;
    };
    const Case cases[] = {
        {[](WeightPolicy& p) { p.leg_factors = {}; },
         "weighting.leg_factors: empty; give one factor per leg, the source first"},
        {[](WeightPolicy& p) {
             p.leg_factors = {1, 1, 1, 1, 1};
         },
         "weighting.leg_factors: 5 factors for at most 4 legs"},
        {[](WeightPolicy& p) {
             p.leg_factors = {0.6, -0.4};
         },
         "weighting.leg_factors: factor 1 (-0.4) must be a finite number of 0 or more"},
        {[](WeightPolicy& p) {
             p.leg_factors = {inf, 1};
         },
         "weighting.leg_factors: factor 0 (inf) must be a finite number of 0 or more"},
        {[](WeightPolicy& p) {
             p.leg_factors = {0, 0};
         },
         "weighting.leg_factors: every factor is 0, so no leg would get reads by health"},
        {[](WeightPolicy& p) { p.critical_health = -1; },
         "weighting.critical_health: -1 must be 0..100"},
        {[](WeightPolicy& p) { p.critical_health = not_a_number; },
         "weighting.critical_health: nan must be 0..100"},
        {[](WeightPolicy& p) { p.recover_health = 101; },
         "weighting.recover_health: 101 must be 0..100"},
        {[](WeightPolicy& p) { p.recover_health = 20; },
         "weighting.recover_health: 20 must be above critical_health (20), or a leg could fail "
         "back at a health that fails it over"},
        {[](WeightPolicy& p) { p.recover_seconds = -1; },
         "weighting.recover_seconds: -1 must be a finite number of seconds, 0 or more"},
        {[](WeightPolicy& p) { p.failback_seconds = inf; },
         "weighting.failback_seconds: inf must be a finite number of seconds, 0 or more"},
        {[](WeightPolicy& p) { p.trend_window_seconds = 0; },
         "weighting.trend_window_seconds: 0 must be a finite number of seconds above 0"},
        {[](WeightPolicy& p) { p.trend_horizon_seconds = -5; },
         "weighting.trend_horizon_seconds: -5 must be a finite number of seconds, 0 or more"},
        {[](WeightPolicy& p) { p.deadband = 100; },
         "weighting.deadband: 100 must be 0 or more, below 100"},
        {[](WeightPolicy& p) { p.max_step_per_second = 0; },
         "weighting.max_step_per_second: 0 must be above 0 (weight points per second)"},
    };
    for (const Case& c : cases) {
        WeightPolicy p;
        c.change(p);
        EXPECT_EQ(validate(p), c.message);
    }

    // Edges that are valid.
    WeightPolicy p;
    p.leg_factors = {1, 0, 0, 0};
    p.critical_health = 0;
    p.recover_health = 0.5;
    p.recover_seconds = 0;
    p.failback_seconds = 0;
    p.trend_horizon_seconds = 0;
    p.deadband = 0;
    EXPECT_EQ(validate(p), "");
}

TEST(WeightEngine, NoDecisionWeighsALegThatIsFailedOver) {
    // Random walks of health and readability over four legs, one with a
    // small factor so that capped moves leave it fractions of a point: a
    // leg failed over (or recovering) never gets a weight while another
    // leg is eligible, and the weights always sum to 100.
    std::mt19937 random(7);
    for (int walk = 0; walk < 400; walk++) {
        WeightPolicy p;
        p.leg_factors = {1, 1, 1, 0.03};
        p.deadband = 0;
        p.max_step_per_second = 1 + random() % 20;
        p.recover_seconds = 1;
        p.failback_seconds = 2;
        p.trend_window_seconds = 1;
        WeightEngine engine(p, 4, {25, 25, 25, 25});
        std::vector<LegView> legs(4);
        double now = 0;
        for (int step = 0; step < 30; step++) {
            for (LegView& leg : legs)
                leg = {random() % 40 != 0, 30.0 + random() % 71};
            now += 0.1 * (1 + random() % 10);
            const WeightDecision d = engine.update(now, legs);
            ASSERT_EQ(sum(d.weights), 100u);
            bool any_eligible = false;
            for (std::size_t i = 0; i < 4; i++)
                any_eligible = any_eligible || engine.phase(i) == LegPhase::serving ||
                               engine.phase(i) == LegPhase::failing_back;
            for (std::size_t i = 0; i < 4; i++) {
                const LegPhase phase = engine.phase(i);
                const bool weighted_out =
                    phase == LegPhase::failed_over || phase == LegPhase::recovering;
                if (any_eligible && weighted_out) {
                    ASSERT_EQ(d.weights[i], 0u)
                        << "walk " << walk << " at " << now << " s, leg " << i << ": " << d.reason;
                }
            }
        }
    }
}
