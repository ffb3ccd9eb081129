// Anomaly detection on simulated windows of shadow figures, and the windows
// made from two status readings or two stats replies.
#include "tandem/anomaly_detector.h"
#include "tandem/errors.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

using namespace tandem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

namespace {

// One operation's window: production and shadow with 100 bios each.
ShadowOpWindow op_window(std::string op, std::uint64_t prod_p99, std::uint64_t shadow_p99,
                         std::uint64_t bios = 100, std::uint64_t shadow_errors = 0) {
    return {std::move(op), {bios, 0, prod_p99}, {bios, shadow_errors, shadow_p99}};
}

// A window where only writes ran, shadow p99 `shadow_p99`, production p99
// `prod_p99`.
ShadowWindow writes(std::uint64_t shadow_p99, std::uint64_t prod_p99 = 1000) {
    ShadowWindow w;
    w.ops = {op_window("read", 0, 0, 0), op_window("write", prod_p99, shadow_p99),
             op_window("flush", 0, 0, 0), op_window("discard", 0, 0, 0)};
    return w;
}

// Feed `n` windows, returning the last verdict.
AnomalyVerdict feed(AnomalyDetector& d, const ShadowWindow& w, unsigned n) {
    AnomalyVerdict v;
    for (unsigned i = 0; i < n; i++)
        v = d.observe(w);
    return v;
}

// A detector past its warm-up on writes with a shadow p99 of 1000 us.
AnomalyDetector warmed(AnomalyPolicy policy = {}) {
    AnomalyDetector d(policy);
    feed(d, writes(1000), policy.warmup_windows);
    return d;
}

// A deterministic value in [base * 0.8, base * 1.2].
double noisy(std::mt19937& rng, double base) {
    return base * (0.8 + 0.4 * (static_cast<double>(rng()) / std::mt19937::max()));
}

// The upper bound of the log2 bucket holding `us`, as the target reports p99.
std::uint64_t bucketed(double us) {
    std::uint64_t bound = 2;
    while (static_cast<double>(bound) <= us)
        bound *= 2;
    return bound;
}

std::string policy_problem(void (*change)(AnomalyPolicy&)) {
    AnomalyPolicy p;
    change(p);
    return anomaly_policy_problem(p);
}

} // namespace

// --- the policy ------------------------------------------------------------------

TEST(AnomalyPolicy, DefaultsAreValid) {
    EXPECT_EQ(anomaly_policy_problem({}), "");
}

TEST(AnomalyPolicy, NamesWhatIsWrong) {
    EXPECT_EQ(policy_problem([](AnomalyPolicy& p) { p.warmup_windows = 0; }),
              "warmup_windows must be at least 1");
    EXPECT_EQ(policy_problem([](AnomalyPolicy& p) { p.ewma_alpha = 0; }),
              "ewma_alpha must be in (0, 1], got 0.000");
    EXPECT_EQ(policy_problem([](AnomalyPolicy& p) { p.ewma_alpha = 1.5; }),
              "ewma_alpha must be in (0, 1], got 1.500");
    EXPECT_EQ(policy_problem([](AnomalyPolicy& p) { p.deviations = -1; }),
              "deviations must be a number of at least 0");
    EXPECT_EQ(policy_problem([](AnomalyPolicy& p) {
                  p.deviations = std::numeric_limits<double>::quiet_NaN();
              }),
              "deviations must be a number of at least 0");
    EXPECT_EQ(policy_problem([](AnomalyPolicy& p) { p.consecutive = 0; }),
              "consecutive must be at least 1");
    EXPECT_EQ(policy_problem([](AnomalyPolicy& p) { p.latency_floor_us = -5; }),
              "latency_floor_us must be a number of at least 0");
    EXPECT_EQ(policy_problem([](AnomalyPolicy& p) { p.min_latency_factor = 0.5; }),
              "min_latency_factor must be a number of at least 1");
    EXPECT_EQ(policy_problem([](AnomalyPolicy& p) { p.max_error_rate = 1.5; }),
              "max_error_rate must be in [0, 1]");
    EXPECT_EQ(policy_problem([](AnomalyPolicy& p) {
                  p.max_drop_rate = std::numeric_limits<double>::quiet_NaN();
              }),
              "max_drop_rate must be in [0, 1]");
    EXPECT_EQ(policy_problem([](AnomalyPolicy& p) { p.max_latency_ratio = 0.5; }),
              "max_latency_ratio must be 0 (off) or a number of at least 1");
    EXPECT_EQ(policy_problem([](AnomalyPolicy& p) { p.max_latency_ratio = 0; }), "");
    EXPECT_EQ(policy_problem([](AnomalyPolicy& p) { p.min_bios = 0; }),
              "min_bios must be at least 1");
}

TEST(AnomalyPolicy, DetectorRefusesAnInvalidPolicy) {
    AnomalyPolicy p;
    p.consecutive = 0;
    try {
        AnomalyDetector d(p);
        FAIL() << "accepted";
    } catch (const UsageError& e) {
        EXPECT_STREQ(e.what(), "anomaly policy: consecutive must be at least 1");
    }
}

// --- warm-up and noise -----------------------------------------------------------

TEST(AnomalyDetector, WarmUpGivesNoVerdict) {
    AnomalyDetector d;
    ShadowWindow bad = writes(50000);
    bad.dropped = 1000;
    bad.compared = 10;
    bad.mismatches = 10;
    bad.ops[1].shadow.errors = 100;
    for (unsigned i = 0; i < 10; i++) {
        AnomalyVerdict v = d.observe(i % 2 ? bad : writes(1000));
        EXPECT_EQ(v.state, AnomalyState::learning) << "window " << i;
        EXPECT_TRUE(v.findings.empty()) << "window " << i;
        EXPECT_EQ(v.changed, false) << "window " << i;
    }
    AnomalyVerdict v = d.observe(writes(1000));
    EXPECT_EQ(v.state, AnomalyState::normal);
    EXPECT_TRUE(v.changed);
    EXPECT_EQ(d.counters().windows, 11u);
}

TEST(AnomalyDetector, BaselineIsTheAverageDuringWarmUp) {
    AnomalyDetector d;
    for (std::uint64_t p99 : {800, 1200, 800, 1200})
        d.observe(writes(p99));
    const LatencyBaseline* b = d.baseline("write");
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(b->windows, 4u);
    EXPECT_NEAR(b->value, 1000, 1e-9);
    EXPECT_EQ(d.baseline("read"), nullptr); // no read bios
}

TEST(AnomalyDetector, SteadyNoiseIsNeverAnomalous) {
    std::mt19937 rng(42);
    AnomalyDetector d;
    for (int i = 0; i < 1000; i++) {
        const auto shadow = static_cast<std::uint64_t>(noisy(rng, 1000));
        const auto prod = static_cast<std::uint64_t>(noisy(rng, 1000));
        AnomalyVerdict v = d.observe(writes(shadow, prod));
        ASSERT_NE(v.state, AnomalyState::anomalous) << "window " << i << ": " << v.reasons()[0];
    }
    EXPECT_EQ(d.counters().detections, 0u);
    EXPECT_NEAR(d.baseline("write")->value, 1000, 100);
}

TEST(AnomalyDetector, NoiseAcrossALatencyBucketBoundaryIsNeverAnomalous) {
    // 1000 us +-20% straddles the 1024 us boundary: the target's p99 flips
    // between 1024 and 2048, one bucket, in about half the windows.
    for (unsigned seed : {1u, 7u, 1234u}) {
        std::mt19937 rng(seed);
        AnomalyDetector d;
        for (int i = 0; i < 1000; i++) {
            AnomalyVerdict v =
                d.observe(writes(bucketed(noisy(rng, 1000)), bucketed(noisy(rng, 1000))));
            ASSERT_NE(v.state, AnomalyState::anomalous)
                << "seed " << seed << " window " << i << ": " << v.reasons()[0];
        }
    }
}

// --- latency ---------------------------------------------------------------------

TEST(AnomalyDetector, SustainedSpikeIsAnomalousAtTheKthWindow) {
    AnomalyPolicy p;
    p.max_latency_ratio = 0; // the baseline alone
    AnomalyDetector d = warmed(p);
    EXPECT_EQ(d.observe(writes(10000)).state, AnomalyState::normal);
    EXPECT_EQ(d.observe(writes(10000)).state, AnomalyState::normal);
    AnomalyVerdict v = d.observe(writes(10000));
    EXPECT_EQ(v.state, AnomalyState::anomalous);
    EXPECT_TRUE(v.changed);
    ASSERT_EQ(v.findings.size(), 1u);
    EXPECT_EQ(v.findings[0].op, "write");
    EXPECT_EQ(v.findings[0].signal, AnomalySignal::shadow_p99);
    EXPECT_EQ(v.findings[0].windows, 3u);
    EXPECT_DOUBLE_EQ(v.findings[0].value, 10000);
    EXPECT_DOUBLE_EQ(v.findings[0].bound, 2000);
    EXPECT_EQ(v.findings[0].reason,
              "write shadow p99 10000 us > 2.0 x baseline 1000 us for 3 windows");
    EXPECT_EQ(d.counters().detections, 1u);

    // Still anomalous: no new detection, the streak grows.
    v = d.observe(writes(10000));
    EXPECT_EQ(v.state, AnomalyState::anomalous);
    EXPECT_FALSE(v.changed);
    EXPECT_EQ(v.reasons(), std::vector<std::string>{
                               "write shadow p99 10000 us > 2.0 x baseline 1000 us for 4 windows"});
    EXPECT_EQ(d.counters().detections, 1u);
    EXPECT_EQ(d.counters().signal_detections, 1u);
}

TEST(AnomalyDetector, ReasonNamesTheDeviationBoundWhenItIsTheLarger) {
    // Two windows learnt, 1000 and 3000 us: baseline 2000 us, deviation
    // 1000 us, so the bound is 2000 + 4 x 1000 = 6000 us, over 2 x 2000.
    AnomalyPolicy p;
    p.warmup_windows = 2;
    p.max_latency_ratio = 0;
    AnomalyDetector d(p);
    d.observe(writes(1000));
    d.observe(writes(3000));
    EXPECT_EQ(*d.baseline("write"), (LatencyBaseline{2, 2000, 1000}));
    AnomalyVerdict v = feed(d, writes(48000), 3);
    ASSERT_EQ(v.state, AnomalyState::anomalous);
    EXPECT_EQ(v.reasons(),
              std::vector<std::string>{"write shadow p99 48000 us > baseline 2000 us + 4 x 1000 us "
                                       "for 3 windows"});
    EXPECT_DOUBLE_EQ(v.findings[0].bound, 6000);
}

TEST(AnomalyDetector, DeviationFloorKeepsASteadyDeviceFromFlagging) {
    // A perfectly steady 100 us baseline has no deviation; the floor keeps
    // the bound at 100 + 4 x 200 = 900 us (over 2 x 100).
    AnomalyPolicy p;
    p.max_latency_ratio = 0;
    AnomalyDetector at_bound(p);
    feed(at_bound, writes(100, 100), 10);
    EXPECT_EQ(feed(at_bound, writes(900, 100), 3).state, AnomalyState::normal);

    AnomalyDetector over(p);
    feed(over, writes(100, 100), 10);
    AnomalyVerdict v = feed(over, writes(901, 100), 3);
    EXPECT_EQ(v.state, AnomalyState::anomalous);
    EXPECT_EQ(v.reasons(), std::vector<std::string>{"write shadow p99 901 us > baseline 100 us "
                                                    "+ 4 x 200 us for 3 windows"});
}

TEST(AnomalyDetector, SingleWindowSpikeIsNotAnomalous) {
    AnomalyDetector d = warmed();
    for (int round = 0; round < 20; round++) {
        EXPECT_EQ(d.observe(writes(10000)).state, AnomalyState::normal);
        EXPECT_EQ(d.observe(writes(1000)).state, AnomalyState::normal);
    }
    // Two in a row, one short of K, neither.
    EXPECT_EQ(feed(d, writes(10000), 2).state, AnomalyState::normal);
    EXPECT_EQ(d.observe(writes(1000)).state, AnomalyState::normal);
    EXPECT_EQ(d.counters().detections, 0u);
}

TEST(AnomalyDetector, SpikesDoNotTeachTheBaseline) {
    AnomalyDetector d = warmed();
    const LatencyBaseline before = *d.baseline("write");
    feed(d, writes(10000), 50);
    EXPECT_EQ(*d.baseline("write"), before);
    EXPECT_EQ(d.state(), AnomalyState::anomalous);
}

TEST(AnomalyDetector, ClearsAfterKNormalWindows) {
    AnomalyDetector d = warmed();
    ASSERT_EQ(feed(d, writes(10000), 3).state, AnomalyState::anomalous);
    AnomalyVerdict v = d.observe(writes(1000));
    EXPECT_EQ(v.state, AnomalyState::anomalous);
    // The finding stays, with the last out-of-bounds window's figures.
    EXPECT_THAT(v.reasons()[0], HasSubstr("for 3 windows"));
    EXPECT_EQ(d.observe(writes(1000)).state, AnomalyState::anomalous);
    // A relapse restarts the count.
    EXPECT_EQ(d.observe(writes(10000)).state, AnomalyState::anomalous);
    EXPECT_EQ(feed(d, writes(1000), 2).state, AnomalyState::anomalous);
    v = d.observe(writes(1000));
    EXPECT_EQ(v.state, AnomalyState::normal);
    EXPECT_TRUE(v.changed);
    EXPECT_TRUE(v.findings.empty());
    EXPECT_EQ(d.counters().detections, 1u);
    EXPECT_EQ(d.counters().recoveries, 1u);
}

TEST(AnomalyDetector, WindowsWithoutFiguresLeaveTheStreak) {
    AnomalyDetector d = warmed();
    d.observe(writes(10000));
    d.observe(writes(10000));
    ShadowWindow idle = writes(0);
    idle.ops[1] = op_window("write", 0, 0, 0);
    EXPECT_EQ(d.observe(idle).state, AnomalyState::normal);
    EXPECT_EQ(d.observe(writes(10000)).state, AnomalyState::anomalous);
    // Idle windows do not clear it either.
    EXPECT_EQ(feed(d, idle, 10).state, AnomalyState::anomalous);
}

TEST(AnomalyDetector, FewBiosGiveNoLatencyVerdict) {
    AnomalyDetector d = warmed();
    ShadowWindow few = writes(50000);
    few.ops[1].shadow.count = 19;
    few.ops[1].production.count = 19;
    EXPECT_EQ(feed(d, few, 10).state, AnomalyState::normal);
}

TEST(AnomalyDetector, AnOperationSeenLateLearnsItsOwnBaselineFirst) {
    AnomalyDetector d = warmed();
    ShadowWindow w = writes(1000);
    w.ops[3] = op_window("discard", 50000, 50000);
    // Ten windows to learn discards' 50 ms, no verdict on them meanwhile.
    EXPECT_EQ(feed(d, w, 10).state, AnomalyState::normal);
    EXPECT_DOUBLE_EQ(d.baseline("discard")->value, 50000);
    w.ops[3] = op_window("discard", 50000, 500000);
    const std::vector<std::string> expected = {
        "discard shadow p99 500000 us > 2.0 x baseline 50000 us for 3 windows",
        "discard shadow p99 500000 us > 3.0 x production p99 50000 us (ratio 10.0) for 3 windows"};
    EXPECT_EQ(feed(d, w, 3).reasons(), expected);
}

TEST(AnomalyDetector, LatencyRatioTriggersWithItsReason) {
    // The shadow steady at 2048 us, production at 1024 us (ratio 2); then
    // production gets faster, 512 us: the shadow is 4x slower.
    AnomalyDetector d;
    ShadowWindow w;
    w.ops = {op_window("read", 1024, 2048)};
    feed(d, w, 10);
    w.ops = {op_window("read", 512, 2048)};
    EXPECT_EQ(feed(d, w, 2).state, AnomalyState::normal);
    AnomalyVerdict v = d.observe(w);
    ASSERT_EQ(v.state, AnomalyState::anomalous);
    ASSERT_EQ(v.findings.size(), 1u);
    EXPECT_EQ(v.findings[0].signal, AnomalySignal::latency_ratio);
    EXPECT_DOUBLE_EQ(v.findings[0].value, 4);
    EXPECT_EQ(v.findings[0].reason, "read shadow p99 2048 us > 3.0 x production p99 512 us "
                                    "(ratio 4.0) for 3 windows");
}

TEST(AnomalyDetector, LatencyRatioOffWhenZero) {
    AnomalyPolicy p;
    p.max_latency_ratio = 0;
    AnomalyDetector d(p);
    ShadowWindow w;
    w.ops = {op_window("read", 100, 100000)};
    EXPECT_EQ(feed(d, w, 50).state, AnomalyState::normal); // learnt as the baseline
}

// --- rates and mismatches --------------------------------------------------------

TEST(AnomalyDetector, ErrorRateTriggersWithItsReason) {
    AnomalyDetector d = warmed();
    ShadowWindow w = writes(1000);
    w.ops[1].shadow.errors = 1; // 1%: at the limit, not over it
    EXPECT_EQ(feed(d, w, 5).state, AnomalyState::normal);
    w.ops[1].shadow.errors = 10;
    EXPECT_EQ(feed(d, w, 2).state, AnomalyState::normal);
    AnomalyVerdict v = d.observe(w);
    ASSERT_EQ(v.state, AnomalyState::anomalous);
    ASSERT_EQ(v.findings.size(), 1u);
    EXPECT_EQ(v.findings[0].signal, AnomalySignal::error_rate);
    EXPECT_DOUBLE_EQ(v.findings[0].value, 0.1);
    EXPECT_EQ(v.findings[0].reason,
              "write shadow error rate 10.00% (10 of 100 bios) > 1.00% for 3 windows");
}

TEST(AnomalyDetector, ErrorRateOfFewBiosIsTakenOverMinBios) {
    AnomalyPolicy p;
    p.max_error_rate = 0.1;
    AnomalyDetector d = warmed(p);
    ShadowWindow w = writes(1000);
    w.ops[1] = op_window("write", 1000, 1000, 2, 1); // 1 of 2: 1/20 = 5%
    EXPECT_EQ(feed(d, w, 10).state, AnomalyState::normal);
    w.ops[1] = op_window("write", 1000, 1000, 2, 2); // 2/20 = 10%: at the limit
    EXPECT_EQ(feed(d, w, 10).state, AnomalyState::normal);
    w.ops[1] = op_window("write", 1000, 1000, 3, 3); // 3/20 = 15%
    EXPECT_EQ(feed(d, w, 3).reasons(),
              std::vector<std::string>{
                  "write shadow error rate 15.00% (3 of 3 bios) > 10.00% for 3 windows"});
}

TEST(AnomalyDetector, DropRateTriggersWithItsReason) {
    AnomalyDetector d = warmed();
    ShadowWindow w = writes(1000);
    w.dropped = 5; // 5 of 105: 4.76%
    EXPECT_EQ(feed(d, w, 5).state, AnomalyState::normal);
    w.dropped = 25; // 25 of 125: 20%
    AnomalyVerdict v = feed(d, w, 3);
    ASSERT_EQ(v.state, AnomalyState::anomalous);
    ASSERT_EQ(v.findings.size(), 1u);
    EXPECT_EQ(v.findings[0].op, "");
    EXPECT_EQ(v.findings[0].signal, AnomalySignal::drop_rate);
    EXPECT_EQ(v.findings[0].reason,
              "shadow drop rate 20.00% (25 of 125 clones) > 5.00% for 3 windows");
}

TEST(AnomalyDetector, MismatchesTriggerWithTheirReason) {
    AnomalyDetector d = warmed();
    ShadowWindow w = writes(1000);
    w.compared = 50;
    EXPECT_EQ(feed(d, w, 5).state, AnomalyState::normal);
    w.mismatches = 2;
    AnomalyVerdict v = feed(d, w, 3);
    ASSERT_EQ(v.state, AnomalyState::anomalous);
    EXPECT_EQ(v.reasons(), std::vector<std::string>{
                               "shadow read mismatches 2 (of 50 compared) > 0 for 3 windows"});

    AnomalyPolicy tolerant;
    tolerant.max_mismatches = 2;
    AnomalyDetector t = warmed(tolerant);
    EXPECT_EQ(feed(t, w, 10).state, AnomalyState::normal);
}

TEST(AnomalyDetector, FindingsInOperationOrderThenDeviceWide) {
    AnomalyDetector d;
    ShadowWindow w;
    w.ops = {op_window("read", 1000, 1000), op_window("write", 1000, 1000)};
    feed(d, w, 10);
    w.ops[0].shadow.errors = 50;
    w.ops[1].shadow.errors = 50;
    w.compared = 10;
    w.mismatches = 1;
    w.dropped = 100;
    AnomalyVerdict v = feed(d, w, 3);
    std::vector<std::pair<std::string, AnomalySignal>> got;
    for (const AnomalyFinding& f : v.findings)
        got.emplace_back(f.op, f.signal);
    EXPECT_THAT(
        got, ElementsAre(std::pair<std::string, AnomalySignal>{"read", AnomalySignal::error_rate},
                         std::pair<std::string, AnomalySignal>{"write", AnomalySignal::error_rate},
                         std::pair<std::string, AnomalySignal>{"", AnomalySignal::drop_rate},
                         std::pair<std::string, AnomalySignal>{"", AnomalySignal::mismatches}));
    EXPECT_EQ(d.counters().signal_detections, 4u);
    EXPECT_EQ(d.counters().detections, 1u);
}

TEST(AnomalyDetector, NamesOfStatesAndSignals) {
    EXPECT_EQ(to_string(AnomalyState::learning), "learning");
    EXPECT_EQ(to_string(AnomalyState::normal), "normal");
    EXPECT_EQ(to_string(AnomalyState::anomalous), "anomalous");
    std::vector<std::string_view> names;
    for (AnomalySignal s : anomaly_signals)
        names.push_back(to_string(s));
    EXPECT_THAT(names, ElementsAre("shadow_p99", "shadow_p50", "latency_ratio", "error_rate",
                                   "drop_rate", "mismatches"));
}

// --- windows from readings -------------------------------------------------------

namespace {

ShadowStatus shadow_status(std::uint64_t base) {
    ShadowStatus s;
    s.device = "253:2";
    s.dropped = base + 1;
    s.gate_failures = base + 2;
    s.compared = base + 3;
    s.mismatches = base + 4;
    s.confined = base + 5;
    s.confined_errors = base + 6;
    for (std::string_view op : shadow_ops)
        s.ops.push_back({std::string(op), {base * 10, base, 512}, {base * 10, base * 2, 4096}});
    return s;
}

} // namespace

TEST(ShadowWindow, StatusCountersAreDifferences) {
    ShadowWindow w = shadow_window(shadow_status(10), shadow_status(30));
    EXPECT_EQ(w.dropped, 20u);
    EXPECT_EQ(w.gate_failures, 20u);
    EXPECT_EQ(w.compared, 20u);
    EXPECT_EQ(w.mismatches, 20u);
    EXPECT_EQ(w.confined, 20u);
    EXPECT_EQ(w.confined_errors, 20u);
    ASSERT_EQ(w.ops.size(), 4u);
    EXPECT_EQ(w.ops[1], (ShadowOpWindow{"write", {200, 20, 512}, {200, 40, 4096}}));
}

TEST(ShadowWindow, StatusCounterThatWentDownWasReset) {
    ShadowWindow w = shadow_window(shadow_status(30), shadow_status(10));
    EXPECT_EQ(w.dropped, 11u);
    EXPECT_EQ(w.ops[0], (ShadowOpWindow{"read", {100, 10, 512}, {100, 20, 4096}}));
}

TEST(ShadowWindow, StatusWindowHasNoP50) {
    ShadowWindow w = shadow_window(shadow_status(10), shadow_status(30));
    EXPECT_EQ(w.ops[1].shadow.p99_us, 4096u);
    EXPECT_EQ(w.ops[1].shadow.p50_us, 0u);
}

TEST(ShadowWindow, StatusWindowWithoutBiosHasNoP99) {
    ShadowWindow w = shadow_window(shadow_status(10), shadow_status(10));
    EXPECT_EQ(w.ops[2], (ShadowOpWindow{"flush", {0, 0, 0}, {0, 0, 0}}));
}

TEST(ShadowWindow, StatsPercentilesAreTheWindowsOwn) {
    // Before: 1000 fast writes on the shadow (bucket 3, < 16 us); then 60
    // more at [1, 2) ms (bucket 10) and 40 at [4, 8) ms (bucket 12): the
    // window's p50 is 2048 us and its p99 8192 us whatever the history
    // says.
    ShadowStats before;
    before.status = shadow_status(0);
    for (std::string_view op : shadow_ops)
        before.ops.push_back({std::string(op), {}, {}});
    before.ops[1].shadow.count = 1000;
    before.ops[1].shadow.latency.buckets[3] = 1000;
    ShadowStats after = before;
    after.status = shadow_status(5);
    after.ops[1].shadow.count = 1100;
    after.ops[1].shadow.errors = 3;
    after.ops[1].shadow.latency.buckets[10] = 60;
    after.ops[1].shadow.latency.buckets[12] = 40;
    after.ops[1].production.count = 1100;
    after.ops[1].production.latency.buckets[6] = 1100;

    ShadowWindow w = shadow_window(before, after);
    EXPECT_EQ(w.dropped, 5u);
    ASSERT_EQ(w.ops.size(), 4u);
    EXPECT_EQ(w.ops[1], (ShadowOpWindow{"write", {1100, 0, 128, 128}, {100, 3, 8192, 2048}}));
    EXPECT_EQ(w.ops[0], (ShadowOpWindow{"read", {0, 0, 0}, {0, 0, 0}}));

    // After a reset the whole histogram is the window's.
    ShadowStats reset = before;
    reset.ops[1].shadow.count = 10;
    reset.ops[1].shadow.latency = {};
    reset.ops[1].shadow.latency.buckets[12] = 10;
    EXPECT_EQ(shadow_window(after, reset).ops[1].shadow, (ShadowSideWindow{10, 0, 8192, 8192}));
}

namespace {

// A window of writes with both percentiles of the shadow known, as the
// `stats` reply gives them.
ShadowWindow writes_with_median(std::uint64_t shadow_p50, std::uint64_t shadow_p99) {
    ShadowWindow w = writes(shadow_p99);
    w.ops[1].shadow.p50_us = shadow_p50;
    return w;
}

bool has_finding(const AnomalyVerdict& v, AnomalySignal signal) {
    return std::any_of(v.findings.begin(), v.findings.end(),
                       [&](const AnomalyFinding& f) { return f.signal == signal; });
}

} // namespace

TEST(AnomalyDetector, SlowShadowIsSeenInTheMedianWhenTheTailWasLearntNoisy) {
    // A busy host: the tail jumps between 16 and 64 ms, so the p99 bound
    // ends up above 128 ms; the median stays at 2 ms.
    AnomalyPolicy p;
    p.warmup_windows = 6;
    p.consecutive = 2;
    p.max_latency_ratio = 0;
    AnomalyDetector d(p);
    for (unsigned i = 0; i < 12; i++)
        d.observe(writes_with_median(2048, i % 2 ? 65536 : 16384));
    ASSERT_NE(d.baseline("write", AnomalySignal::shadow_p50), nullptr);
    EXPECT_DOUBLE_EQ(d.baseline("write", AnomalySignal::shadow_p50)->value, 2048);

    // Every bio 100 ms slower.
    AnomalyVerdict v = d.observe(writes_with_median(131072, 131072));
    EXPECT_EQ(v.state, AnomalyState::normal);
    v = d.observe(writes_with_median(131072, 131072));
    EXPECT_EQ(v.state, AnomalyState::anomalous);
    EXPECT_TRUE(has_finding(v, AnomalySignal::shadow_p50));
    EXPECT_FALSE(has_finding(v, AnomalySignal::shadow_p99));
    EXPECT_THAT(v.reasons(), ElementsAre("write shadow p50 131072 us > 2.0 x baseline 2048 us for "
                                         "2 windows"));
}

TEST(AnomalyDetector, TailStallsLeaveTheMedianAlone) {
    AnomalyPolicy p;
    p.warmup_windows = 6;
    p.consecutive = 2;
    AnomalyDetector d(p);
    p.max_latency_ratio = 0;
    std::mt19937 rng(7);
    for (unsigned i = 0; i < 6; i++)
        d.observe(writes_with_median(bucketed(noisy(rng, 1500)), 8192));
    // Stalls catch a few bios of every window for a while: the p99 leaves
    // its baseline, the median does not.
    AnomalyVerdict v;
    for (unsigned i = 0; i < 10; i++) {
        v = d.observe(writes_with_median(bucketed(noisy(rng, 1500)), 65536));
        EXPECT_FALSE(has_finding(v, AnomalySignal::shadow_p50)) << "window " << i;
    }
    EXPECT_TRUE(has_finding(v, AnomalySignal::shadow_p99));
}

TEST(AnomalyDetector, NoMedianNoMedianBaseline) {
    AnomalyDetector d;
    feed(d, writes(1000), 20);
    EXPECT_NE(d.baseline("write"), nullptr);
    EXPECT_EQ(d.baseline("write", AnomalySignal::shadow_p50), nullptr);
}

TEST(AnomalyDetector, DescribesAWindowWithWhatItLearnt) {
    AnomalyDetector d;
    const ShadowWindow w = writes(1000);
    EXPECT_EQ("write p99 1000 us of 100 bios; dropped 0", d.describe(w));
    d.observe(w);
    ShadowWindow later = writes(3000);
    later.dropped = 2;
    EXPECT_EQ("write p99 3000 us (baseline 1000 +- 0) of 100 bios; dropped 2", d.describe(later));
    later.ops[1].shadow.p50_us = 512;
    EXPECT_EQ("write p50 512 us, p99 3000 us (baseline 1000 +- 0) of 100 bios; dropped 2",
              d.describe(later));
}

TEST(AnomalyDetector, NamesOfSignalsReadBack) {
    for (AnomalySignal s : anomaly_signals)
        EXPECT_EQ(anomaly_signal_from(to_string(s)), s);
    EXPECT_EQ(anomaly_signal_from("p99"), std::nullopt);
}

TEST(AnomalyDetector, ResumedBaselinesJudgeTheFirstWindow) {
    AnomalyPolicy p;
    p.consecutive = 1;
    AnomalyDetector before(p);
    feed(before, writes(1000), p.warmup_windows + 2);
    const std::vector<SavedBaseline> saved = before.baselines();
    ASSERT_EQ(saved.size(), 1u);
    EXPECT_EQ(saved[0].op, "write");
    EXPECT_EQ(saved[0].signal, AnomalySignal::shadow_p99);
    EXPECT_DOUBLE_EQ(saved[0].baseline.value, 1000);

    AnomalyDetector after(p);
    after.resume(saved, false);
    EXPECT_EQ(after.state(), AnomalyState::normal);
    EXPECT_EQ(after.baselines(), saved);
    EXPECT_EQ(after.observe(writes(50000)).state, AnomalyState::anomalous);
}

TEST(AnomalyDetector, ResumedAnomalousHoldsUntilConsecutiveCleanWindows) {
    AnomalyPolicy p;
    p.consecutive = 3;
    p.max_latency_ratio = 0;
    AnomalyDetector before(p);
    feed(before, writes(1000), p.warmup_windows);

    AnomalyDetector d(p);
    d.resume(before.baselines(), true);
    EXPECT_EQ(d.state(), AnomalyState::anomalous);
    // Still slow: held from the first window (before its track could say
    // so on its own), however long.
    EXPECT_EQ(d.observe(writes(50000)).state, AnomalyState::anomalous);
    AnomalyVerdict v = feed(d, writes(50000), 5);
    EXPECT_EQ(v.state, AnomalyState::anomalous);
    EXPECT_FALSE(v.changed);
    // Windows without figures count for nothing.
    ShadowWindow idle = writes(0);
    idle.ops[1].shadow.count = 0;
    idle.ops[1].production.count = 0;
    EXPECT_EQ(feed(d, idle, 5).state, AnomalyState::anomalous);
    // Two clean windows, a slow one: the count starts over.
    feed(d, writes(1000), 2);
    EXPECT_EQ(d.observe(writes(50000)).state, AnomalyState::anomalous);
    EXPECT_EQ(feed(d, writes(1000), 2).state, AnomalyState::anomalous);
    v = d.observe(writes(1000));
    EXPECT_EQ(v.state, AnomalyState::normal);
    EXPECT_TRUE(v.changed);
    EXPECT_EQ(d.counters().recoveries, 1u);
}
