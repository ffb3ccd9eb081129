// The read weights of one device from its legs' health: the leg's own
// error rate and disk against its node's health, the decision interval,
// and the weights to send only when the kernel has others.
#include "weight_controller.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace tandem;
using namespace tandem::daemon;
using ::testing::ElementsAre;

namespace {

// Version 1: states, weights, then reads writes read_errors write_errors per leg.
Status status(const std::string& states, unsigned w0, unsigned w1, std::uint64_t reads1 = 0,
              std::uint64_t errors1 = 0) {
    return parse_status("1 2 " + states + " " + std::to_string(w0) + " " + std::to_string(w1) +
                        " 0 0 0 0 " + std::to_string(reads1) + " 0 " + std::to_string(errors1) +
                        " 0 0");
}

HealthPolicy unsmoothed() {
    HealthPolicy p;
    p.smoothing = 1;
    return p;
}

std::vector<LegContext> nodes(double h0, double h1) {
    return {LegContext{h0, {}}, LegContext{h1, {}}};
}

} // namespace

TEST(WeightController, AdoptsTheKernelsWeightsAndSendsOnlyWhatDiffers) {
    WeightController c(WeightPolicy{}, unsmoothed(), 1.0, status("AA", 60, 40));
    WeightStep s = c.poll(0, status("AA", 60, 40), nodes(90, 90));
    EXPECT_TRUE(s.decided);
    EXPECT_THAT(s.decision.weights, ElementsAre(60, 40));
    EXPECT_FALSE(s.send.has_value());

    // Someone set other weights by hand: the decision is sent again.
    s = c.poll(1, status("AA", 50, 50), nodes(90, 90));
    ASSERT_TRUE(s.send.has_value());
    EXPECT_THAT(*s.send, ElementsAre(60, 40));
}

TEST(WeightController, DecidesOncePerIntervalUnlessALegChangedState) {
    WeightController c(WeightPolicy{}, unsmoothed(), 2.0, status("AA", 60, 40));
    EXPECT_TRUE(c.poll(0, status("AA", 60, 40), nodes(90, 90)).decided);
    EXPECT_FALSE(c.poll(1, status("AA", 60, 40), nodes(90, 90)).decided);
    EXPECT_TRUE(c.poll(2, status("AA", 60, 40), nodes(90, 90)).decided);
    // A leg failing is decided at once, interval or not.
    WeightStep s = c.poll(2.5, status("AD", 60, 40), nodes(90, 90));
    EXPECT_TRUE(s.decided);
    EXPECT_THAT(s.decision.failed_over, ElementsAre(1u));
    ASSERT_TRUE(s.send.has_value());
    EXPECT_THAT(*s.send, ElementsAre(100, 0));
    // And so is a forced decision (a dm event).
    EXPECT_TRUE(c.poll(3, status("AD", 100, 0), nodes(90, 90), true).decided);
}

TEST(WeightController, ALegsHealthIsTheLowerOfItsNodesAndItsOwn) {
    struct Case {
        const char* what;
        std::optional<double> node;
        std::optional<DiskWindow> disk;
        std::uint64_t errors; // of 1000 reads since the previous poll
        double expected;
    };
    const Case cases[] = {
        {"nothing known", std::nullopt, std::nullopt, 0, 100},
        {"its node only", 70, std::nullopt, 0, 70},
        {"1% failed bios score 0", 70, std::nullopt, 10, 0},
        {"0.5% failed bios score 50", 70, std::nullopt, 5, 50},
        // disk 0, errors 100: (0.25 x 0 + 0.15 x 100) / 0.4
        {"a slow, busy disk", 90, DiskWindow{1.0, 200.0}, 0, 37.5},
        // disk: busy 0 -> 100, latency 102.5 ms -> 50: disk 75, errors 100
        // -> (0.25 x 75 + 0.15 x 100) / 0.4
        {"a half-slow idle disk", 90, DiskWindow{0.0, 102.5}, 0, 84.375},
    };
    for (const Case& c : cases) {
        WeightController ctl(WeightPolicy{}, unsmoothed(), 1.0, status("AA", 60, 40));
        ctl.poll(0, status("AA", 60, 40, 1000, 0),
                 {LegContext{90, {}}, LegContext{c.node, c.disk}});
        ctl.poll(1, status("AA", 60, 40, 2000, c.errors),
                 {LegContext{90, {}}, LegContext{c.node, c.disk}});
        ASSERT_EQ(ctl.leg_health().size(), 2u) << c.what;
        EXPECT_DOUBLE_EQ(ctl.leg_health()[1], c.expected) << c.what;
    }
}

TEST(WeightController, RefusesAStatusWithAnotherNumberOfLegs) {
    WeightController c(WeightPolicy{}, unsmoothed(), 1.0, status("AA", 60, 40));
    EXPECT_THROW(c.poll(0, parse_status("1 3 AAA 40 30 30 0 0 0 0 0 0 0 0 0 0 0 0 0"), {}),
                 std::invalid_argument);
    Status one_leg = status("AA", 60, 40);
    one_leg.legs.pop_back();
    EXPECT_THROW(WeightController(WeightPolicy{}, unsmoothed(), 1.0, one_leg),
                 std::invalid_argument);
}
