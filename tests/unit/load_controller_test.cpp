// The load controller: metrics from two scheduler statuses, the interval,
// and the class messages it asks for.
#include "load_controller.h"

#include "tandem/errors.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace tandem;
using namespace tandem::daemon;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

namespace {

SchedulerStatus scheduler(std::uint32_t depth, std::uint64_t in_flight,
                          std::vector<ClassStatus> classes) {
    return SchedulerStatus{depth, in_flight, std::move(classes), 0};
}

ClassStatus cls(const std::string& name, unsigned weight, std::uint64_t bios, std::uint64_t queued,
                std::uint64_t p50, std::uint64_t p99) {
    ClassStatus c{name, weight};
    c.bios = bios;
    c.queued = queued;
    c.p50_us = p50;
    c.p99_us = p99;
    return c;
}

Status with(SchedulerStatus s) {
    Status st;
    st.version = 5;
    st.scheduler = std::move(s);
    return st;
}

} // namespace

TEST(LoadMetrics, FromTwoStatuses) {
    const SchedulerStatus before =
        scheduler(8, 0, {cls("critical", 200, 100, 0, 0, 0), cls("test", 50, 1000, 0, 0, 0)});
    const SchedulerStatus after = scheduler(
        8, 5, {cls("critical", 200, 400, 1, 1000, 4000), cls("test", 50, 1100, 2, 4000, 16000)});
    const LoadMetrics m = load_metrics(before, after, 2.0, 0.25);
    EXPECT_DOUBLE_EQ(m.iops, 200); // (300 + 100) bios in 2 s
    EXPECT_DOUBLE_EQ(m.mean_latency_us, (300 * 1000 + 100 * 4000) / 400.0);
    EXPECT_DOUBLE_EQ(m.p99_latency_us, 16000);
    EXPECT_EQ(m.queue_depth, 8u);
    EXPECT_EQ(m.in_flight, 5u);
    EXPECT_EQ(m.queued, 3u);
    EXPECT_DOUBLE_EQ(m.cpu, 0.25);

    // A class without bios in the window says nothing of latency; a
    // counter that went back (stats reset) counts from zero.
    const SchedulerStatus reset =
        scheduler(8, 0, {cls("critical", 200, 50, 0, 900, 9000), cls("test", 50, 1100, 0, 1, 1)});
    const LoadMetrics r = load_metrics(after, reset, 1.0, 0);
    EXPECT_DOUBLE_EQ(r.iops, 50);
    EXPECT_DOUBLE_EQ(r.p99_latency_us, 9000);
}

TEST(LoadController, AsksOnlyForWhatDiffersOncePerInterval) {
    LoadController c(LoadOptions{}, WeightOptions{}, 2.0);
    const auto idle = [](std::uint64_t bios, unsigned critical, unsigned test) {
        return with(scheduler(4, 0,
                              {cls("critical", critical, bios, 0, 100, 200),
                               cls("production", 100, bios, 0, 100, 200),
                               cls("test", test, bios, 0, 100, 200)}));
    };
    EXPECT_FALSE(c.poll(0, idle(0, 200, 50), 0).evaluated);  // the first reading
    EXPECT_FALSE(c.poll(1, idle(10, 200, 50), 0).evaluated); // within the interval
    LoadStep s = c.poll(2, idle(20, 200, 50), 0);
    ASSERT_TRUE(s.evaluated);
    EXPECT_DOUBLE_EQ(s.score.load, 0);
    EXPECT_THAT(s.messages, ElementsAre("class critical weight 150"));
    // The kernel took it: nothing more to send; 49 is within 5% of 50.
    s = c.poll(4, idle(30, 150, 49), 0);
    EXPECT_THAT(s.messages, IsEmpty());
    ASSERT_EQ(s.settings.size(), 3u);
    EXPECT_EQ(s.settings[2], (ClassSetting{"test", 50, 0, 0}));
}

TEST(LoadController, LeavesDevicesWithoutTheSchedulerAndUnknownClassesAlone) {
    LoadController c(LoadOptions{}, WeightOptions{}, 1.0);
    Status off = with(scheduler(0, 0, {cls("critical", 200, 0, 0, 0, 0)}));
    EXPECT_FALSE(c.poll(0, off, 0).evaluated);
    EXPECT_FALSE(c.poll(5, off, 0).evaluated);
    Status v4;
    v4.version = 4;
    EXPECT_FALSE(c.poll(6, v4, 0).evaluated);

    // Only "critical" exists on the device: the others are not asked for.
    Status on = with(scheduler(4, 0, {cls("critical", 200, 0, 0, 0, 0)}));
    c.poll(7, on, 0);
    const LoadStep s = c.poll(8, on, 0);
    ASSERT_TRUE(s.evaluated);
    EXPECT_THAT(s.messages, ElementsAre("class critical weight 150"));
    EXPECT_EQ(s.settings.size(), 1u);
}

TEST(LoadController, RefusesInvalidOptions) {
    LoadOptions bad;
    bad.queue_weight = -1;
    EXPECT_THROW(LoadController(bad, WeightOptions{}, 1.0), UsageError);
    WeightOptions twice;
    twice.classes.push_back(twice.classes.front());
    EXPECT_THROW(LoadController(LoadOptions{}, twice, 1.0), UsageError);
}
