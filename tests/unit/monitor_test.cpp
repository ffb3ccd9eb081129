// Monitor: per-device poll schedules on a simulated clock, against a fake
// DeviceMapper.
#include "fake_device_mapper.h"

#include "tandem/config.h"
#include "tandem/monitor.h"

#include <gtest/gtest.h>

using namespace tandem;
using namespace std::chrono_literals;
using tandem::testing::FakeDeviceMapper;

namespace {

using Clock = Monitor::Clock;
const Clock::time_point t0{};

constexpr const char* two_alive = "1 2 AA 50 50 0 0 0 0 0 0 0 0 0";
constexpr const char* leg1_dead = "1 2 AD 50 50 0 0 0 0 0 0 0 0 0";

DeviceConfig device(const std::string& name, unsigned interval_ms) {
    return DeviceConfig{{name, "test"}, {interval_ms, "test"}};
}

template <class E>
bool is(const DeviceEvent& ev) {
    return std::holds_alternative<E>(ev.event);
}

} // namespace

TEST(Monitor, FirstRoundPollsEveryDevice) {
    FakeDeviceMapper dm;
    dm.add("a", two_alive);
    dm.add("b", leg1_dead);
    Monitor m(dm, {device("a", 1000), device("b", 250)}, t0);

    auto events = m.poll_due(t0);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].device, "a");
    EXPECT_TRUE(is<event::Observed>(events[0]));
    EXPECT_EQ(events[1].device, "b");
    EXPECT_EQ(dm.status_calls, (std::vector<std::string>{"a", "b"}));
    EXPECT_TRUE(m.all_available());
    EXPECT_EQ(m.next_due(), t0 + 250ms);
}

TEST(Monitor, EachDeviceOnItsOwnInterval) {
    FakeDeviceMapper dm;
    dm.add("a", two_alive);
    dm.add("b", two_alive);
    Monitor m(dm, {device("a", 1000), device("b", 250)}, t0);
    m.poll_due(t0);
    dm.status_calls.clear();

    // Step through one simulated second, waking when the monitor asks.
    auto now = t0;
    while ((now = m.next_due()) <= t0 + 1000ms)
        m.poll_due(now);
    EXPECT_EQ(dm.status_calls, (std::vector<std::string>{"b", "b", "b", "a", "b"}));
    EXPECT_EQ(m.next_due(), t0 + 1250ms);
}

TEST(Monitor, NotDueNotPolled) {
    FakeDeviceMapper dm;
    dm.add("a", two_alive);
    Monitor m(dm, {device("a", 1000)}, t0);
    m.poll_due(t0);
    EXPECT_TRUE(m.poll_due(t0 + 999ms).empty());
    EXPECT_EQ(dm.status_calls.size(), 1u);
}

TEST(Monitor, LateWakeupDoesNotCatchUpWithABurst) {
    FakeDeviceMapper dm;
    dm.add("a", two_alive);
    Monitor m(dm, {device("a", 100)}, t0);
    m.poll_due(t0);
    m.poll_due(t0 + 1050ms); // ten periods late
    EXPECT_EQ(dm.status_calls.size(), 2u);
    EXPECT_EQ(m.next_due(), t0 + 1150ms);
}

TEST(Monitor, ReportsLegFailureSeenByAPoll) {
    FakeDeviceMapper dm;
    dm.add("a", two_alive);
    Monitor m(dm, {device("a", 1000)}, t0);
    m.poll_due(t0);

    dm.set_status("a", leg1_dead);
    auto events = m.poll_due(t0 + 1s);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].device, "a");
    const auto& e = std::get<event::LegStateChanged>(events[0].event);
    EXPECT_EQ(e.leg, 1u);
    EXPECT_EQ(e.to, 'D');
}

TEST(Monitor, MissingDeviceAndGarbageStatusAreUnavailable) {
    FakeDeviceMapper dm;
    dm.add("bad", "1 2 AA");
    Monitor m(dm, {device("gone", 1000), device("bad", 1000)}, t0);

    auto events = m.poll_due(t0);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(std::get<event::Unavailable>(events[0].event).reason, "status gone: no such device");
    EXPECT_EQ(std::get<event::Unavailable>(events[1].event).reason,
              "status: line ends before field 4 (weight of leg 0)");
    EXPECT_FALSE(m.all_available());

    // Still failing: nothing new to say.
    EXPECT_TRUE(m.poll_due(t0 + 1s).empty());

    dm.add("gone", two_alive);
    events = m.poll_due(t0 + 2s);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_TRUE(is<event::Available>(events[0]));
    EXPECT_TRUE(is<event::Observed>(events[1]));
    EXPECT_FALSE(m.all_available()); // "bad" still is
}

TEST(Monitor, PollAllIgnoresTheSchedule) {
    FakeDeviceMapper dm;
    dm.add("a", two_alive);
    dm.add("b", two_alive);
    Monitor m(dm, {device("a", 1000), device("b", 5000)}, t0);
    m.poll_due(t0);
    m.poll_all(t0 + 10ms);
    EXPECT_EQ(dm.status_calls, (std::vector<std::string>{"a", "b", "a", "b"}));
    EXPECT_EQ(m.next_due(), t0 + 1010ms);
}

TEST(Monitor, ReconfigureKeepsHistoryOfRemainingDevices) {
    FakeDeviceMapper dm;
    dm.add("a", two_alive);
    dm.add("b", two_alive);
    Monitor m(dm, {device("a", 1000)}, t0);
    m.poll_due(t0);

    m.reconfigure({device("a", 1000), device("b", 1000)}, t0 + 100ms);
    EXPECT_EQ(m.device_names(), (std::vector<std::string>{"a", "b"}));
    auto events = m.poll_due(t0 + 100ms);
    // Only the new device is due, and only it is "observed" for the first time.
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].device, "b");
    EXPECT_TRUE(is<event::Observed>(events[0]));

    m.reconfigure({device("b", 1000)}, t0 + 200ms);
    EXPECT_EQ(m.tracker("a"), nullptr);
    ASSERT_NE(m.tracker("b"), nullptr);
    EXPECT_TRUE(m.tracker("b")->available());
}

TEST(Monitor, ShorterIntervalOnReconfigureTakesEffectSoon) {
    FakeDeviceMapper dm;
    dm.add("a", two_alive);
    Monitor m(dm, {device("a", 60000)}, t0);
    m.poll_due(t0);
    m.reconfigure({device("a", 100)}, t0 + 1s);
    EXPECT_EQ(m.next_due(), t0 + 1100ms);
}

TEST(Monitor, PollNowReadsOnlyTheNamedDevicesAndReschedulesThem) {
    FakeDeviceMapper dm;
    dm.add("a", two_alive);
    dm.add("b", two_alive);
    Monitor m(dm, {device("a", 1000), device("b", 1000)}, t0);
    m.poll_due(t0);
    dm.status_calls.clear();

    dm.set_status("a", leg1_dead);
    auto events = m.poll_now({"a", "not-watched"}, t0 + 300ms);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].device, "a");
    EXPECT_EQ(std::get<event::LegStateChanged>(events[0].event).to, 'D');
    EXPECT_EQ(dm.status_calls, (std::vector<std::string>{"a"}));

    // "b" keeps its schedule; "a" is next due one interval after the event.
    dm.status_calls.clear();
    m.poll_due(t0 + 1000ms);
    EXPECT_EQ(dm.status_calls, (std::vector<std::string>{"b"}));
    m.poll_due(t0 + 1300ms);
    EXPECT_EQ(dm.status_calls, (std::vector<std::string>{"b", "a"}));
}
