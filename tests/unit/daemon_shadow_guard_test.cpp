// The shadow guard on readings the test writes: learning first, then the
// throttle once on an error spike and the limits restored on recovery; a
// device without a shadow, and a switch between status and stats readings.
#include "shadow_guard.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace tandem;
using namespace tandem::daemon;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

namespace {

// A status with a shadow and a test class limited to 500 IO/s; its write
// figures advance by `bios` per reading, `errors` of the shadow's failing.
struct Device {
    Status status;

    Device() {
        status.version = 6;
        status.scheduler = SchedulerStatus{0, 0, {ClassStatus{"test", 50, 500, 0}}, 0};
        status.shadow = ShadowStatus{};
        status.shadow->device = "253:9";
        for (std::string_view op : shadow_ops)
            status.shadow->ops.push_back(ShadowOpStatus{std::string(op), {}, {}});
    }

    const Status& next(std::uint64_t bios, std::uint64_t errors) {
        ShadowOpStatus& w = status.shadow->ops[1];
        w.production.count += bios;
        w.production.p99_us = 400;
        w.shadow.count += bios;
        w.shadow.errors += errors;
        w.shadow.p99_us = 500;
        return status;
    }
};

std::vector<ActionKind> kinds(const GuardStep& s) {
    std::vector<ActionKind> out;
    for (const MitigationAction& a : s.actions)
        out.push_back(a.kind);
    return out;
}

AnomalyPolicy quick() {
    AnomalyPolicy p;
    p.warmup_windows = 2;
    p.consecutive = 2;
    return p;
}

} // namespace

TEST(ShadowGuard, ThrottlesOnceAndRestoresTheLimitsOnRecovery) {
    ShadowGuard g("tandem0", quick(), MitigationPolicy{});
    Device d;
    EXPECT_FALSE(g.poll(d.next(100, 0), std::nullopt).observed); // the first reading
    for (int i = 0; i < 2; i++)
        EXPECT_EQ(g.poll(d.next(100, 0), std::nullopt).verdict.state, AnomalyState::learning);
    EXPECT_EQ(g.poll(d.next(100, 0), std::nullopt).verdict.state, AnomalyState::normal);

    // 10% of the shadow's writes fail: anomalous after two windows.
    EXPECT_THAT(kinds(g.poll(d.next(100, 10), std::nullopt)), IsEmpty());
    GuardStep s = g.poll(d.next(100, 10), std::nullopt);
    EXPECT_EQ(s.verdict.state, AnomalyState::anomalous);
    ASSERT_THAT(kinds(s), ElementsAre(ActionKind::alert, ActionKind::throttle));
    EXPECT_EQ(s.actions[1].message, "class test limit iops 100 bw 0");
    for (const MitigationAction& a : s.actions)
        g.report(a, true);
    EXPECT_EQ(g.held_class(), "test");
    // Still failing: nothing more.
    EXPECT_THAT(kinds(g.poll(d.next(100, 10), std::nullopt)), IsEmpty());

    // Healthy for two windows: recovered, the 500 IO/s back.
    EXPECT_THAT(kinds(g.poll(d.next(100, 0), std::nullopt)), IsEmpty());
    s = g.poll(d.next(100, 0), std::nullopt);
    ASSERT_THAT(kinds(s), ElementsAre(ActionKind::alert, ActionKind::unthrottle));
    EXPECT_EQ(s.actions[1].message, "class test limit iops 500 bw 0");
    g.report(s.actions[1], true);
    EXPECT_EQ(g.held_class(), "");
    EXPECT_EQ(g.counters().detected, 1u);
    EXPECT_EQ(g.counters().recovered, 1u);
}

TEST(ShadowGuard, NothingWithoutAShadowAndAChangeOfReadingStartsOver) {
    ShadowGuard g("tandem0", quick(), MitigationPolicy{});
    Status none;
    none.version = 6;
    none.shadow = ShadowStatus{}; // device "-"
    EXPECT_FALSE(g.poll(none, std::nullopt).observed);
    EXPECT_FALSE(g.poll(none, std::nullopt).observed);

    Device d;
    g.poll(d.next(100, 0), std::nullopt);
    EXPECT_TRUE(g.poll(d.next(100, 0), std::nullopt).observed);
    // A stats reply after status readings: its p99s are another kind of
    // figure, so it is a first reading again.
    ShadowStats stats;
    stats.status = *d.status.shadow;
    EXPECT_FALSE(g.poll(d.next(100, 0), stats).observed);
    EXPECT_TRUE(g.poll(d.next(100, 0), stats).observed);
}

TEST(ShadowGuard, AShadowDeviceGoneUndoesTheThrottle) {
    ShadowGuard g("tandem0", quick(), MitigationPolicy{});
    Device d;
    for (int i = 0; i < 4; i++)
        g.poll(d.next(100, 0), std::nullopt);
    g.poll(d.next(100, 10), std::nullopt);
    for (const MitigationAction& a : g.poll(d.next(100, 10), std::nullopt).actions)
        g.report(a, true);
    ASSERT_EQ(g.held_class(), "test");

    // A table reloaded without the shadow: no verdict will ever come.
    Status gone = d.status;
    gone.shadow->device = "-";
    GuardStep s = g.poll(gone, std::nullopt);
    EXPECT_FALSE(s.observed);
    ASSERT_THAT(kinds(s), ElementsAre(ActionKind::unthrottle));
    EXPECT_EQ(s.actions[0].message, "class test limit iops 500 bw 0");
    g.report(s.actions[0], false); // refused: tried again at the next poll
    EXPECT_EQ(g.held_class(), "test");
    s = g.poll(gone, std::nullopt);
    ASSERT_THAT(kinds(s), ElementsAre(ActionKind::unthrottle));
    g.report(s.actions[0], true);
    EXPECT_EQ(g.held_class(), "");
    EXPECT_THAT(kinds(g.poll(gone, std::nullopt)), IsEmpty());
}

namespace {

// A guard past its warm-up whose throttle is in force (reported done).
ShadowGuard throttled(Device& d) {
    ShadowGuard g("tandem0", quick(), MitigationPolicy{});
    for (int i = 0; i < 4; i++)
        g.poll(d.next(100, 0), std::nullopt);
    g.poll(d.next(100, 10), std::nullopt);
    for (const MitigationAction& a : g.poll(d.next(100, 10), std::nullopt).actions)
        g.report(a, true);
    d.status.scheduler->classes[0].iops_limit = 100; // the kernel took it
    return g;
}

} // namespace

TEST(ShadowGuard, MemoryIsKeptWhileAThrottleIsInForce) {
    Device d;
    ShadowGuard g("tandem0", quick(), MitigationPolicy{});
    EXPECT_FALSE(g.memory());
    ShadowGuard held = throttled(d);
    const std::optional<GuardMemory> m = held.memory();
    ASSERT_TRUE(m);
    EXPECT_EQ(m->throttle_class, "test");
    EXPECT_EQ(m->saved, (ClassLimits{500, 0}));
    EXPECT_EQ(m->pushed, (ClassLimits{100, 0}));
    ASSERT_EQ(m->baselines.size(), 1u);
    EXPECT_EQ(m->baselines[0].op, "write");

    // Recovered and restored: nothing to keep.
    for (int i = 0; i < 2; i++) {
        for (const MitigationAction& a : held.poll(d.next(100, 0), std::nullopt).actions)
            held.report(a, true);
    }
    EXPECT_FALSE(held.memory());
}

TEST(ShadowGuard, ResumedThrottleIsHeldUntilTheShadowIsWithinBounds) {
    Device d;
    const GuardMemory memory = *throttled(d).memory();

    // The next run: the class still has the throttle's limits.
    ShadowGuard g("tandem0", quick(), MitigationPolicy{});
    ASSERT_TRUE(g.resume(memory, d.status));
    EXPECT_EQ(g.held_class(), "test");
    EXPECT_EQ(g.state(), AnomalyState::anomalous);
    EXPECT_EQ(g.memory(), memory);
    g.poll(d.next(100, 10), std::nullopt);
    // Still failing: held, nothing sent.
    for (int i = 0; i < 3; i++)
        EXPECT_THAT(kinds(g.poll(d.next(100, 10), std::nullopt)), IsEmpty());
    // Healthy for `consecutive` (2) windows: the class's own limits back.
    EXPECT_THAT(kinds(g.poll(d.next(100, 0), std::nullopt)), IsEmpty());
    GuardStep s = g.poll(d.next(100, 0), std::nullopt);
    ASSERT_THAT(kinds(s), ElementsAre(ActionKind::alert, ActionKind::unthrottle));
    EXPECT_EQ(s.actions[1].message, "class test limit iops 500 bw 0");
}

TEST(ShadowGuard, NoResumeOfAThrottleNoLongerInForce) {
    Device d;
    GuardMemory memory = *throttled(d).memory();
    ShadowGuard g("tandem0", quick(), MitigationPolicy{});
    // The operator set other limits meanwhile.
    d.status.scheduler->classes[0].iops_limit = 300;
    EXPECT_FALSE(g.resume(memory, d.status));
    EXPECT_EQ(g.held_class(), "");
    EXPECT_FALSE(g.memory());
    // Another class throttled by then.
    d.status.scheduler->classes[0].iops_limit = 100;
    memory.throttle_class = "batch";
    EXPECT_FALSE(g.resume(memory, d.status));
    EXPECT_EQ(g.state(), AnomalyState::learning);
}
