// The load score: /proc/stat samples, metrics into a load factor, and the
// load factor into class weights and limits.
#include "tandem/cpu_stat.h"
#include "tandem/errors.h"
#include "tandem/load_score.h"
#include "tandem/load_weights.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace tandem;
using ::testing::HasSubstr;

// --- /proc/stat ------------------------------------------------------------------

namespace {

// The head of a real /proc/stat (kernel 6.1, 2 CPUs).
constexpr const char* proc_stat = "cpu  10132153 290696 3084719 46828483 16683 0 25195 0 0 0\n"
                                  "cpu0 1393280 32966 572056 13718342 6234 0 17894 0 0 0\n"
                                  "cpu1 1335186 34512 520678 13900400 5436 0 3063 0 0 0\n"
                                  "intr 199292208 34 9 0 0 0 0 0\n"
                                  "ctxt 5318838464\n"
                                  "btime 1700000000\n";

std::string parse_error(std::string_view text) {
    try {
        parse_proc_stat(text);
    } catch (const ParseError& e) {
        return e.what();
    }
    return "(accepted)";
}

} // namespace

TEST(CpuStat, ParsesTheAggregateLine) {
    CpuSample s = parse_proc_stat(proc_stat);
    EXPECT_EQ(s, (CpuSample{10132153, 290696, 3084719, 46828483, 16683, 0, 25195, 0}));
    EXPECT_EQ(s.total(), 10132153u + 290696 + 3084719 + 46828483 + 16683 + 25195);
    EXPECT_EQ(s.busy(), 10132153u + 290696 + 3084719 + 25195);
}

TEST(CpuStat, OlderKernelsPrintFewerCounters) {
    EXPECT_EQ(parse_cpu_line("cpu 1 2 3 4"), (CpuSample{1, 2, 3, 4, 0, 0, 0, 0}));
    EXPECT_EQ(parse_cpu_line("cpu 1 2 3 4 5 6 7 8 9 10 11"), (CpuSample{1, 2, 3, 4, 5, 6, 7, 8}));
}

TEST(CpuStat, RejectsOtherText) {
    EXPECT_EQ(parse_error("intr 1 2 3\n"), "/proc/stat: no aggregate 'cpu' line");
    EXPECT_EQ(parse_error("cpu0 1 2 3 4\n"), "/proc/stat: no aggregate 'cpu' line");
    EXPECT_EQ(parse_error("cpu 1 2 3\n"),
              "/proc/stat: the cpu line has 3 counters, expected at least 4");
    EXPECT_EQ(parse_error("cpu 1 2 x 4\n"), "/proc/stat: cpu counter 3 is not a number: 'x'");
    EXPECT_THROW(parse_cpu_line("cpu0 1 2 3 4"), ParseError);
}

TEST(CpuStat, UtilisationFromTwoSamples) {
    struct Case {
        const char* before;
        const char* after;
        double expected;
    };
    const Case cases[] = {
        // 100 ticks: 30 user, 10 system, 60 idle.
        {"cpu 1000 0 500 8000 0 0 0 0", "cpu 1030 0 510 8060 0 0 0 0", 0.40},
        // iowait is idle time; irq, softirq and steal are busy.
        {"cpu 0 0 0 0 0 0 0 0", "cpu 10 0 0 40 40 5 3 2", 0.20},
        // nice counts as busy.
        {"cpu 0 0 0 0", "cpu 0 50 0 50", 0.50},
        // Fully busy, fully idle.
        {"cpu 0 0 0 0", "cpu 70 0 30 0", 1.0},
        {"cpu 0 0 0 0", "cpu 0 0 0 100", 0.0},
        // No tick passed, or the samples swapped.
        {"cpu 10 0 0 10", "cpu 10 0 0 10", 0.0},
        {"cpu 20 0 0 20", "cpu 10 0 0 10", 0.0},
        // iowait can go backwards (NO_HZ): the ticks that did pass count.
        {"cpu 0 0 0 0 50", "cpu 50 0 0 50 40", 50.0 / 90},
    };
    for (const Case& c : cases)
        EXPECT_DOUBLE_EQ(cpu_utilisation(parse_cpu_line(c.before), parse_cpu_line(c.after)),
                         c.expected)
            << c.before << " -> " << c.after;
}

// --- metrics to a load factor ------------------------------------------------------

TEST(LoadScore, AnIdleDeviceHasNoLoad) {
    LoadMetrics idle;
    idle.mean_latency_us = 800; // under the 1000 us baseline
    idle.p99_latency_us = 4000;
    idle.queue_depth = 64;
    idle.cpu = 0;
    EXPECT_EQ(score_load(idle), LoadScore{});
    EXPECT_EQ(load_factor(LoadMetrics{}), 0.0);
}

TEST(LoadScore, LatencyRatioSaturates) {
    LoadOptions o; // baseline 1000 us, saturation at 4x
    struct Case {
        double mean_us;
        double component;
    };
    const Case cases[] = {{0, 0},      {500, 0},    {1000, 0},   {1750, 0.25},
                          {2500, 0.5}, {4000, 1.0}, {8000, 1.0}, {1e12, 1.0}};
    for (const Case& c : cases) {
        LoadMetrics m;
        m.mean_latency_us = c.mean_us;
        LoadScore s = score_load(m, o);
        EXPECT_DOUBLE_EQ(s.latency, c.component) << c.mean_us << " us";
        EXPECT_DOUBLE_EQ(s.load, o.latency_weight * c.component) << c.mean_us << " us";
    }
    LoadMetrics just_under;
    just_under.mean_latency_us = 3999;
    EXPECT_LT(score_load(just_under, o).latency, 1.0);
    EXPECT_GT(score_load(just_under, o).latency, 0.99);
    LoadMetrics p99;
    p99.p99_latency_us = 5000 * 2.5; // baseline 5000 us: halfway to 4x
    EXPECT_DOUBLE_EQ(score_load(p99, o).p99, 0.5);
}

TEST(LoadScore, EachComponentAgainstItsSaturationPoint) {
    LoadOptions o;
    o.iops_saturation = 20000;
    LoadMetrics m;
    m.iops = 5000;
    m.queue_depth = 32;
    m.in_flight = 32;
    m.queued = 16; // 48 of 64 outstanding
    m.cpu = 0.45;
    LoadScore s = score_load(m, o);
    EXPECT_DOUBLE_EQ(s.iops, 0.25);
    EXPECT_DOUBLE_EQ(s.queue, 0.75);
    EXPECT_DOUBLE_EQ(s.cpu, 0.5);
    EXPECT_DOUBLE_EQ(s.load, 0.2 * 0.25 + 0.4 * 0.75 + 0.2 * 0.5);
}

TEST(LoadScore, MetricsLeftOut) {
    LoadMetrics m;
    m.iops = 1e9;     // iops_saturation 0 by default: left out
    m.queued = 10000; // queue depth 0: the scheduler is off, no queue
    EXPECT_EQ(score_load(m), LoadScore{});
    LoadOptions o;
    o.baseline_mean_us = 0;
    m.mean_latency_us = 1e9;
    EXPECT_EQ(score_load(m, o).latency, 0.0);
}

TEST(LoadScore, EverythingSaturatedIsFullLoadAndClamped) {
    LoadOptions o;
    o.iops_saturation = 1000;
    LoadMetrics m{2000, 10000, 50000, 8, 8, 100, 1.0};
    LoadScore s = score_load(m, o);
    EXPECT_EQ(s, (LoadScore{1, 1, 1, 1, 1, 1}));
    // Latency and queue saturated, the rest idle: 0.8 with the default weights.
    LoadMetrics two{0, 4000, 0, 8, 8, 8, 0};
    EXPECT_DOUBLE_EQ(load_factor(two, o), 0.8);
}

TEST(LoadScore, WeightsAreConfigurable) {
    LoadOptions o;
    o.latency_weight = 1;
    o.p99_weight = o.queue_weight = o.cpu_weight = o.iops_weight = 0;
    LoadMetrics m;
    m.mean_latency_us = 4000;
    m.cpu = 1;
    EXPECT_DOUBLE_EQ(load_factor(m, o), 1.0);
    o.latency_weight = 0;
    EXPECT_DOUBLE_EQ(load_factor(m, o), 0.0);
}

TEST(LoadScore, NotANumberCountsAsNoLoad) {
    LoadMetrics m;
    m.mean_latency_us = std::numeric_limits<double>::quiet_NaN();
    m.cpu = std::numeric_limits<double>::quiet_NaN();
    EXPECT_EQ(load_factor(m), 0.0);
}

TEST(LoadScore, HigherMetricsNeverLowerTheLoad) {
    LoadOptions o;
    o.iops_saturation = 10000;
    double previous = 0;
    for (int step = 0; step <= 40; step++) {
        const double f = step / 10.0;
        LoadMetrics m{f * 3000,
                      1000 + f * 1000,
                      5000 + f * 5000,
                      16,
                      static_cast<std::uint64_t>(step),
                      static_cast<std::uint64_t>(step),
                      f / 4};
        const double load = load_factor(m, o);
        EXPECT_GE(load, previous) << "step " << step;
        EXPECT_LE(load, 1.0);
        previous = load;
    }
    EXPECT_EQ(previous, 1.0);
}

TEST(LoadScore, OptionProblems) {
    EXPECT_EQ(load_options_problem(LoadOptions{}), "");
    LoadOptions o;
    o.queue_weight = -1;
    EXPECT_EQ(load_options_problem(o), "queue_weight must be a finite number of 0 or more");
    o = LoadOptions{};
    o.cpu_saturation = std::numeric_limits<double>::quiet_NaN();
    EXPECT_EQ(load_options_problem(o), "cpu_saturation must be a finite number of 0 or more");
    o = LoadOptions{};
    o.latency_ratio_saturation = 1;
    EXPECT_EQ(load_options_problem(o),
              "latency_ratio_saturation must be above 1 (the baseline itself is no load)");
    o.baseline_mean_us = o.baseline_p99_us = 0;
    EXPECT_EQ(load_options_problem(o), "");
}

// --- the load factor to class settings ---------------------------------------------

namespace {

std::vector<unsigned> weights_at(double load, const WeightOptions& o = {}) {
    std::vector<unsigned> out;
    for (const ClassSetting& s : class_settings(load, o))
        out.push_back(s.weight);
    return out;
}

} // namespace

TEST(LoadWeights, DefaultsByLoad) {
    struct Case {
        double load;
        std::vector<unsigned> weights; // critical, production, test
    };
    const Case cases[] = {
        {0.0, {150, 100, 50}},
        {0.1, {150, 90, 45}},
        {0.25, {150, 75, 38}},
        {0.5, {150, 50, 25}},
        {0.9, {150, 10, 5}},
        {0.95, {150, 10, 3}},
        {1.0, {150, 10, 1}},
        // Out of range and NaN are clamped.
        {-1, {150, 100, 50}},
        {7, {150, 10, 1}},
        {std::nan(""), {150, 100, 50}},
    };
    for (const Case& c : cases)
        EXPECT_EQ(weights_at(c.load), c.weights) << "load " << c.load;

    const std::vector<ClassSetting> at0 = class_settings(0);
    ASSERT_EQ(at0.size(), 3u);
    EXPECT_EQ(at0[0], (ClassSetting{"critical", 150, 0, 0}));
    EXPECT_EQ(at0[1].name, "production");
    EXPECT_EQ(at0[2].name, "test");
}

TEST(LoadWeights, FullLoadPutsNonCriticalClassesAtTheirFloors) {
    WeightOptions o;
    o.classes.push_back({"batch", 200, 1, 0, false});
    o.classes.push_back({"backup", 80, 0.5, 1, false});
    EXPECT_EQ(weights_at(1, o), (std::vector<unsigned>{150, 10, 1, 0, 40}));
    // Sensitivity 0.5: backup keeps half of its weight.
}

TEST(LoadWeights, HigherLoadNeverRaisesANonCriticalWeight) {
    WeightOptions o;
    o.classes.push_back({"odd", 999, 0.37, 7, false});
    std::vector<unsigned> previous = weights_at(0, o);
    for (int step = 1; step <= 1000; step++) {
        const std::vector<unsigned> now = weights_at(step / 1000.0, o);
        for (std::size_t i = 0; i < now.size(); i++) {
            if (o.classes[i].critical)
                EXPECT_GE(now[i], previous[i]);
            else
                EXPECT_LE(now[i], previous[i]) << o.classes[i].name << " at " << step / 1000.0;
        }
        previous = now;
    }
}

TEST(LoadWeights, CriticalBonusAndClamping) {
    WeightOptions o;
    o.critical_bonus = 0;
    EXPECT_EQ(weights_at(0, o), (std::vector<unsigned>{100, 100, 50}));
    o.critical_bonus = 1000;
    EXPECT_EQ(weights_at(0, o)[0], 1000u); // 1100, clamped to the kernel's maximum
    WeightOptions sensitive;
    sensitive.classes[0].sensitivity = 1; // critical too loses weight under load
    EXPECT_EQ(weights_at(1, sensitive)[0], 51u);
}

TEST(LoadWeights, LimitsOnlyAboveTheirLoad) {
    WeightOptions o;
    o.classes[2].iops_limit = 1000; // test
    o.classes[2].bw_limit = 51200;
    o.classes[2].limit_load = 0.75;
    EXPECT_EQ(class_settings(0.5, o)[2], (ClassSetting{"test", 25, 0, 0}));
    EXPECT_EQ(class_settings(0.75, o)[2], (ClassSetting{"test", 13, 0, 0}));
    EXPECT_EQ(class_settings(0.76, o)[2], (ClassSetting{"test", 12, 1000, 51200}));
    EXPECT_EQ(class_settings(1, o)[2], (ClassSetting{"test", 1, 1000, 51200}));
    // Classes without limits stay unlimited.
    EXPECT_EQ(class_settings(1, o)[1], (ClassSetting{"production", 10, 0, 0}));
}

TEST(LoadWeights, OptionProblems) {
    EXPECT_EQ(weight_options_problem(WeightOptions{}), "");
    auto problem = [](auto change) {
        WeightOptions o;
        change(o);
        return weight_options_problem(o);
    };
    EXPECT_EQ(problem([](WeightOptions& o) { o.critical_bonus = 1001; }),
              "critical_bonus 1001 is over 1000");
    EXPECT_EQ(problem([](WeightOptions& o) { o.classes[1].name = "Prod"; }),
              "class name 'Prod' must start with a lowercase letter a-z");
    EXPECT_EQ(problem([](WeightOptions& o) { o.classes[2].name = "critical"; }),
              "class 'critical': given twice");
    EXPECT_EQ(problem([](WeightOptions& o) { o.classes[0].base_weight = 1001; }),
              "class 'critical': base class weight 1001 is out of range; it must be 0..1000");
    EXPECT_EQ(problem([](WeightOptions& o) { o.classes[0].floor = 2000; }),
              "class 'critical': floor 2000 is over 1000");
    EXPECT_EQ(problem([](WeightOptions& o) { o.classes[1].sensitivity = 1.5; }),
              "class 'production': sensitivity must be 0..1");
    EXPECT_EQ(problem([](WeightOptions& o) { o.classes[1].limit_load = std::nan(""); }),
              "class 'production': limit_load must be 0..1");
    EXPECT_THAT(problem([](WeightOptions& o) { o.classes[2].iops_limit = 10000001; }),
                HasSubstr("class 'test': iops limit 10000001 is out of range"));
}
