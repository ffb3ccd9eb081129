// StateTracker: successive status lines in, one event per change out.
#include "tandem/state_tracker.h"

#include <gtest/gtest.h>

using namespace tandem;

namespace {

Status st(const char* line) {
    return parse_status(line);
}

template <class E>
const E& only(const std::vector<Event>& events) {
    EXPECT_EQ(events.size(), 1u);
    const E* e = events.empty() ? nullptr : std::get_if<E>(&events.front());
    if (!e)
        throw std::runtime_error("unexpected event type");
    return *e;
}

} // namespace

TEST(StateTracker, FirstStatusIsObserved) {
    StateTracker t;
    EXPECT_FALSE(t.available());
    auto events = t.observe(st("1 2 AA 70 30 0 0 0 0 0 0 0 0 0"));
    const auto& e = only<event::Observed>(events);
    EXPECT_EQ(e.status.legs.size(), 2u);
    EXPECT_TRUE(t.available());
    EXPECT_EQ(describe(events[0]), "status v1: 2 legs, states AA, read weights 70 30");
    EXPECT_EQ(severity(events[0]), LogLevel::info);
}

TEST(StateTracker, NothingChangedNothingReported) {
    StateTracker t;
    t.observe(st("1 2 AA 70 30 5 5 0 0 5 5 0 0 0"));
    // Growing I/O counters alone are not events.
    EXPECT_TRUE(t.observe(st("1 2 AA 70 30 9 9 0 0 9 9 0 0 0")).empty());
    EXPECT_TRUE(t.observe(st("1 2 AA 70 30 9 9 0 0 9 9 0 0 0")).empty());
}

TEST(StateTracker, LegFailureAndReturnAreReportedOnce) {
    StateTracker t;
    t.observe(st("1 2 AA 50 50 0 0 0 0 0 0 0 0 0"));

    auto failed = t.observe(st("1 2 AD 50 50 0 0 0 0 0 0 0 0 0"));
    const auto& f = only<event::LegStateChanged>(failed);
    EXPECT_EQ(f.leg, 1u);
    EXPECT_EQ(f.from, 'A');
    EXPECT_EQ(f.to, 'D');
    EXPECT_EQ(describe(failed[0]), "leg 1 failed (A -> D)");
    EXPECT_EQ(severity(failed[0]), LogLevel::warning);

    EXPECT_TRUE(t.observe(st("1 2 AD 50 50 0 0 0 0 0 0 0 0 0")).empty());

    auto back = t.observe(st("1 2 AA 50 50 0 0 0 0 0 0 0 0 0"));
    EXPECT_EQ(only<event::LegStateChanged>(back).to, 'A');
    EXPECT_EQ(describe(back[0]), "leg 1 is back in service (D -> A)");
    EXPECT_EQ(severity(back[0]), LogLevel::info);
}

TEST(StateTracker, SeveralChangesInOnePoll) {
    StateTracker t;
    t.observe(st("1 3 AAA 40 30 30 0 0 0 0 0 0 0 0 0 0 0 0 0"));
    // Legs 0 and 2 fail; leg 0 has 2 read errors, leg 2 has 4 read errors.
    auto events = t.observe(st("1 3 DAD 0 100 0 0 0 2 0 0 0 0 0 0 0 4 0 0"));
    ASSERT_EQ(events.size(), 5u);
    EXPECT_EQ(std::get<event::LegStateChanged>(events[0]).leg, 0u);
    EXPECT_EQ(std::get<event::LegStateChanged>(events[1]).leg, 2u);
    const auto& w = std::get<event::WeightsChanged>(events[2]);
    EXPECT_EQ(w.from, (std::vector<unsigned>{40, 30, 30}));
    EXPECT_EQ(w.to, (std::vector<unsigned>{0, 100, 0}));
    EXPECT_EQ(describe(events[2]), "read weights changed from 40 30 30 to 0 100 0");
    const auto& e0 = std::get<event::LegErrors>(events[3]);
    EXPECT_EQ(e0.leg, 0u);
    EXPECT_EQ(e0.new_read_errors, 2u);
    EXPECT_EQ(e0.new_write_errors, 0u);
    const auto& e2 = std::get<event::LegErrors>(events[4]);
    EXPECT_EQ(e2.leg, 2u);
    EXPECT_EQ(e2.new_read_errors, 4u);
}

TEST(StateTracker, ErrorCountersReportTheRise) {
    StateTracker t;
    t.observe(st("1 2 AA 50 50 0 0 1 0 0 0 0 0 0"));
    auto events = t.observe(st("1 2 AA 50 50 0 0 4 2 0 0 0 0 0"));
    const auto& e = only<event::LegErrors>(events);
    EXPECT_EQ(e.leg, 0u);
    EXPECT_EQ(e.new_read_errors, 3u);
    EXPECT_EQ(e.new_write_errors, 2u);
    EXPECT_EQ(e.read_errors, 4u);
    EXPECT_EQ(describe(events[0]),
              "leg 0: 3 new read error(s), 2 new write error(s) (totals 4 / 2)");
}

TEST(StateTracker, CounterResetIsNotAnError) {
    StateTracker t;
    t.observe(st("1 2 AA 50 50 100 100 7 3 0 0 0 0 0"));
    // "stats reset" zeroed the counters: nothing new went wrong.
    EXPECT_TRUE(t.observe(st("1 2 AA 50 50 0 0 0 0 0 0 0 0 0")).empty());
    // After a reset, counts below the old totals are still new errors.
    auto events = t.observe(st("1 2 AA 50 50 0 0 2 0 0 0 0 0 0"));
    EXPECT_EQ(only<event::LegErrors>(events).new_read_errors, 2u);
}

TEST(StateTracker, UnavailableOncePerOutage) {
    StateTracker t;
    t.observe(st("1 2 AA 50 50 0 0 0 0 0 0 0 0 0"));

    auto lost = t.observe_failure("status tandem0: no such device");
    EXPECT_EQ(only<event::Unavailable>(lost).reason, "status tandem0: no such device");
    EXPECT_EQ(severity(lost[0]), LogLevel::error);
    EXPECT_FALSE(t.available());
    EXPECT_TRUE(t.observe_failure("status tandem0: no such device").empty());
    EXPECT_TRUE(t.observe_failure("another reason").empty());

    // Back, with a leg failed meanwhile: both are reported.
    auto back = t.observe(st("1 2 DA 50 50 0 0 0 0 0 0 0 0 0"));
    ASSERT_EQ(back.size(), 2u);
    EXPECT_TRUE(std::holds_alternative<event::Available>(back[0]));
    EXPECT_EQ(std::get<event::LegStateChanged>(back[1]).leg, 0u);
    EXPECT_TRUE(t.available());

    // A second outage is reported again.
    EXPECT_EQ(t.observe_failure("x").size(), 1u);
}

TEST(StateTracker, UnavailableBeforeFirstStatus) {
    StateTracker t;
    EXPECT_EQ(only<event::Unavailable>(t.observe_failure("no device")).reason, "no device");
    auto events = t.observe(st("1 2 AA 50 50 0 0 0 0 0 0 0 0 0"));
    ASSERT_EQ(events.size(), 2u);
    EXPECT_TRUE(std::holds_alternative<event::Available>(events[0]));
    EXPECT_TRUE(std::holds_alternative<event::Observed>(events[1]));
}

TEST(StateTracker, LegCountChangeStartsOver) {
    StateTracker t;
    t.observe(st("1 2 AA 50 50 0 0 0 0 0 0 0 0 0"));
    auto events = t.observe(st("1 3 AAD 50 50 0 0 0 0 0 0 0 0 0 0 0 0 0 0"));
    ASSERT_EQ(events.size(), 2u);
    const auto& c = std::get<event::LegCountChanged>(events[0]);
    EXPECT_EQ(c.from, 2u);
    EXPECT_EQ(c.to, 3u);
    EXPECT_EQ(std::get<event::Observed>(events[1]).status.legs.size(), 3u);
    EXPECT_TRUE(t.observe(st("1 3 AAD 50 50 0 0 0 0 0 0 0 0 0 0 0 0 0 0")).empty());
}

TEST(StateTracker, UnknownStateLettersOfNewerVersions) {
    StateTracker t;
    t.observe(st("2 2 AA 50 50 0 0 0 0 0 0 0 0 0"));
    auto events = t.observe(st("2 2 As 50 50 0 0 0 0 0 0 0 0 0 77"));
    EXPECT_EQ(describe(events.at(0)), "leg 1 changed state (A -> s)");
    EXPECT_EQ(severity(events[0]), LogLevel::warning);
}
