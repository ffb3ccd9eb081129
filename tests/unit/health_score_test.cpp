// The health score: each component's mapping, the weighted composite over
// the known inputs, the smoother and the policy's validation.
#include "tandem/health_score.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>

using namespace tandem;

namespace {

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

// The one component a single input produces.
std::pair<std::string, double> only_component(const HealthInputs& in) {
    HealthScore s = score_health(in);
    EXPECT_EQ(s.components.size(), 1u);
    if (s.components.size() != 1)
        return {"(none)", -1};
    // One known input: the composite is that component, whatever its weight.
    EXPECT_DOUBLE_EQ(s.score, s.components[0].second);
    return s.components[0];
}

struct MappingCase {
    std::optional<double> HealthInputs::*field;
    double input;
    const char* component;
    double expected;
};

} // namespace

TEST(HealthScore, EachInputMapsLinearlyOntoItsComponent) {
    const MappingCase cases[] = {
        {&HealthInputs::cpu_busy, 0, "cpu", 100},
        {&HealthInputs::cpu_busy, 0.25, "cpu", 75},
        {&HealthInputs::cpu_busy, 1, "cpu", 0},
        {&HealthInputs::memory_used, 0.4, "memory", 60},
        {&HealthInputs::network_errors, 0, "network", 100},
        {&HealthInputs::network_errors, 0.01, "network", 80},
        {&HealthInputs::network_errors, 0.025, "network", 50},
        {&HealthInputs::network_errors, 0.05, "network", 0},
        {&HealthInputs::disk_busy, 0.9, "disk_busy", 10},
        {&HealthInputs::disk_latency_ms, 5, "disk_latency", 100},
        {&HealthInputs::disk_latency_ms, 102.5, "disk_latency", 50},
        {&HealthInputs::disk_latency_ms, 200, "disk_latency", 0},
        {&HealthInputs::leg_error_rate, 0.001, "errors", 90},
        {&HealthInputs::leg_error_rate, 0.005, "errors", 50},
        {&HealthInputs::leg_error_rate, 0.01, "errors", 0},
        {&HealthInputs::probe_success, 1, "probe_success", 100},
        {&HealthInputs::probe_success, 0.75, "probe_success", 50},
        {&HealthInputs::probe_success, 0.5, "probe_success", 0},
        {&HealthInputs::probe_latency_ms, 50, "probe_latency", 100},
        {&HealthInputs::probe_latency_ms, 1025, "probe_latency", 50},
        {&HealthInputs::probe_latency_ms, 2000, "probe_latency", 0},
    };
    for (const MappingCase& c : cases) {
        HealthInputs in;
        in.*c.field = c.input;
        auto [name, score] = only_component(in);
        EXPECT_EQ(name, c.component) << "input " << c.input;
        EXPECT_NEAR(score, c.expected, 1e-9) << c.component << " input " << c.input;
    }
}

TEST(HealthScore, InputsBeyondTheirRangeAreClamped) {
    const MappingCase cases[] = {
        {&HealthInputs::cpu_busy, 1.5, "cpu", 0},
        {&HealthInputs::cpu_busy, -0.2, "cpu", 100},
        {&HealthInputs::memory_used, 7, "memory", 0},
        {&HealthInputs::network_errors, 0.5, "network", 0},
        {&HealthInputs::disk_latency_ms, 0.1, "disk_latency", 100},
        {&HealthInputs::disk_latency_ms, 5000, "disk_latency", 0},
        {&HealthInputs::disk_latency_ms, inf, "disk_latency", 0},
        {&HealthInputs::leg_error_rate, 1, "errors", 0},
        {&HealthInputs::probe_success, 0, "probe_success", 0},
        {&HealthInputs::probe_success, 1.2, "probe_success", 100},
        {&HealthInputs::probe_latency_ms, 1, "probe_latency", 100},
    };
    for (const MappingCase& c : cases) {
        HealthInputs in;
        in.*c.field = c.input;
        auto [name, score] = only_component(in);
        EXPECT_EQ(name, c.component);
        EXPECT_DOUBLE_EQ(score, c.expected) << c.component << " input " << c.input;
    }
}

TEST(HealthScore, EveryInputKnownGivesTheWeightedMean) {
    HealthInputs in;
    in.cpu_busy = 0.2;        // 80, weight 0.15
    in.memory_used = 0.5;     // 50, weight 0.10
    in.network_errors = 0.01; // 80, weight 0.10
    in.disk_busy = 0.5;       // 50, weight 0.125
    in.disk_latency_ms = 5;   // 100, weight 0.125
    in.leg_error_rate = 0;    // 100, weight 0.15
    in.probe_success = 1;     // 100, weight 0.125
    in.probe_latency_ms = 50; // 100, weight 0.125
    HealthScore s = score_health(in);
    EXPECT_NEAR(s.score, 12 + 5 + 8 + 6.25 + 12.5 + 15 + 12.5 + 12.5, 1e-9);

    const std::vector<std::pair<std::string, double>> expected = {
        {"cpu", 80},           {"memory", 50},  {"network", 80},        {"disk_busy", 50},
        {"disk_latency", 100}, {"errors", 100}, {"probe_success", 100}, {"probe_latency", 100},
    };
    ASSERT_EQ(s.components.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); i++) {
        EXPECT_EQ(s.components[i].first, expected[i].first);
        EXPECT_NEAR(s.components[i].second, expected[i].second, 1e-9) << expected[i].first;
    }
}

TEST(HealthScore, MissingInputsAreLeftOutAndTheRestRenormalised) {
    HealthInputs in;
    in.cpu_busy = 0.2;      // 80, weight 0.15
    in.probe_success = 0.5; // 0, weight 0.125
    EXPECT_NEAR(score_health(in).score, 0.15 * 80 / 0.275, 1e-9);

    // NaN is unknown, not zero.
    in.memory_used = not_a_number;
    in.disk_latency_ms = not_a_number;
    HealthScore s = score_health(in);
    EXPECT_NEAR(s.score, 0.15 * 80 / 0.275, 1e-9);
    EXPECT_EQ(s.components.size(), 2u);

    // The same node scored by its disk alone: the busy half and the latency half.
    HealthInputs disk;
    disk.disk_busy = 0.6;         // 40
    disk.disk_latency_ms = 102.5; // 50
    EXPECT_NEAR(score_health(disk).score, 45, 1e-9);
}

TEST(HealthScore, NothingKnownIsFullHealth) {
    HealthScore s = score_health({});
    EXPECT_EQ(s.score, 100);
    EXPECT_TRUE(s.components.empty());

    // Only inputs weighted 0: listed, but they do not count.
    HealthPolicy p;
    p.cpu = 0;
    HealthInputs in;
    in.cpu_busy = 1;
    s = score_health(in, p);
    EXPECT_EQ(s.score, 100);
    ASSERT_EQ(s.components.size(), 1u);
    EXPECT_EQ(s.components[0].second, 0);
}

TEST(HealthScore, PolicyMovesTheMappingPoints) {
    HealthPolicy p;
    p.disk_latency_good_ms = 1;
    p.disk_latency_bad_ms = 11;
    p.probe_success_bad = 0;
    p.leg_errors_bad = 0.1;
    HealthInputs in;
    in.disk_latency_ms = 3.5;
    EXPECT_NEAR(score_health(in, p).score, 75, 1e-9);
    in = {};
    in.probe_success = 0.3;
    EXPECT_NEAR(score_health(in, p).score, 30, 1e-9);
    in = {};
    in.leg_error_rate = 0.01;
    EXPECT_NEAR(score_health(in, p).score, 90, 1e-9);
}

TEST(HealthSmoother, MovesByAlphaOfTheDifference) {
    HealthSmoother s(0.3);
    EXPECT_FALSE(s.has_value());
    EXPECT_EQ(s.value(), 100);
    EXPECT_DOUBLE_EQ(s.update(100), 100); // the first value as it is
    EXPECT_DOUBLE_EQ(s.update(0), 70);
    EXPECT_DOUBLE_EQ(s.update(0), 49);
    EXPECT_DOUBLE_EQ(s.update(100), 64.3);
    EXPECT_TRUE(s.has_value());

    EXPECT_DOUBLE_EQ(s.update(not_a_number), 64.3);             // ignored
    EXPECT_DOUBLE_EQ(s.update(250), 64.3 + 0.3 * (100 - 64.3)); // clamped to 100 first

    s.reset();
    EXPECT_FALSE(s.has_value());
    EXPECT_DOUBLE_EQ(s.update(40), 40);
}

TEST(HealthSmoother, AlphaOneDoesNotSmooth) {
    HealthSmoother s(1);
    for (double raw : {90.0, 10.0, 55.0})
        EXPECT_DOUBLE_EQ(s.update(raw), raw);
}

TEST(HealthSmoother, RejectsAlphaOutsideItsRange) {
    for (double alpha : {0.0, -0.5, 1.5, not_a_number}) {
        try {
            HealthSmoother s(alpha);
            ADD_FAILURE() << "alpha " << alpha << " accepted";
        } catch (const std::invalid_argument& e) {
            EXPECT_THAT(e.what(), ::testing::StartsWith("health.smoothing: "));
            EXPECT_THAT(e.what(),
                        ::testing::EndsWith(" must be above 0, at most 1 (1: no smoothing)"));
        }
    }
}

TEST(HealthPolicy, DefaultsAreValid) {
    EXPECT_EQ(validate(HealthPolicy{}), "");
}

TEST(HealthPolicy, EachInvalidFieldIsNamed) {
    struct Case {
        void (*change)(HealthPolicy&);
        const char* message;
    };
    const Case cases[] = {
        {[](HealthPolicy& p) { p.cpu = -0.1; },
         "health.cpu: weight -0.1 must be a finite number of 0 or more"},
        {[](HealthPolicy& p) { p.memory = not_a_number; },
         "health.memory: weight nan must be a finite number of 0 or more"},
        {[](HealthPolicy& p) { p.network = -1; },
         "health.network: weight -1 must be a finite number of 0 or more"},
        {[](HealthPolicy& p) { p.disk = inf; },
         "health.disk: weight inf must be a finite number of 0 or more"},
        {[](HealthPolicy& p) { p.errors = -2; },
         "health.errors: weight -2 must be a finite number of 0 or more"},
        {[](HealthPolicy& p) { p.probes = -0.5; },
         "health.probes: weight -0.5 must be a finite number of 0 or more"},
        {[](HealthPolicy& p) { p.cpu = p.memory = p.network = p.disk = p.errors = p.probes = 0; },
         "health.cpu: every component weight is 0, so no input would count"},
        {[](HealthPolicy& p) { p.disk_latency_good_ms = -1; },
         "health.disk_latency_good_ms: -1 must be a finite number of milliseconds, 0 or more"},
        {[](HealthPolicy& p) { p.disk_latency_bad_ms = inf; },
         "health.disk_latency_bad_ms: inf must be a finite number of milliseconds, 0 or more"},
        {[](HealthPolicy& p) { p.disk_latency_bad_ms = 5; },
         "health.disk_latency_bad_ms: 5 must be above disk_latency_good_ms (5)"},
        {[](HealthPolicy& p) { p.probe_latency_good_ms = not_a_number; },
         "health.probe_latency_good_ms: nan must be a finite number of milliseconds, 0 or more"},
        {[](HealthPolicy& p) { p.probe_latency_bad_ms = -3; },
         "health.probe_latency_bad_ms: -3 must be a finite number of milliseconds, 0 or more"},
        {[](HealthPolicy& p) { p.probe_latency_bad_ms = 10; },
         "health.probe_latency_bad_ms: 10 must be above probe_latency_good_ms (50)"},
        {[](HealthPolicy& p) { p.network_errors_bad = 0; },
         "health.network_errors_bad: 0 must be a fraction above 0, at most 1"},
        {[](HealthPolicy& p) { p.leg_errors_bad = 1.5; },
         "health.leg_errors_bad: 1.5 must be a fraction above 0, at most 1"},
        {[](HealthPolicy& p) { p.probe_success_bad = 1; },
         "health.probe_success_bad: 1 must be a fraction of 0 or more, below 1"},
        {[](HealthPolicy& p) { p.smoothing = 0; },
         "health.smoothing: 0 must be above 0, at most 1 (1: no smoothing)"},
        {[](HealthPolicy& p) { p.smoothing = 1.01; },
         "health.smoothing: 1.01 must be above 0, at most 1 (1: no smoothing)"},
    };
    for (const Case& c : cases) {
        HealthPolicy p;
        c.change(p);
        EXPECT_EQ(validate(p), c.message);
    }

    // Edges that are valid.
    HealthPolicy p;
    p.cpu = 0;
    p.smoothing = 1;
    p.network_errors_bad = 1;
    p.probe_success_bad = 0;
    p.disk_latency_good_ms = 0;
    EXPECT_EQ(validate(p), "");
}
