// tandemd's class settings from the device's load, and its response to a
// shadow turning anomalous, driven through the daemon on simulated time
// with version 6 status lines the test writes.
#include "daemon_fixture.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

using namespace tandem;
using namespace tandem::daemon;
using namespace std::chrono_literals;
using tandem::testing::advance;
using tandem::testing::DaemonRig;
using tandem::testing::Duration;
using tandem::testing::v6_status;
using ::testing::ElementsAre;

namespace {

Config one_device() {
    Config cfg = tandem::testing::daemon_config();
    cfg.devices.push_back(tandem::testing::tandem0_config());
    return cfg;
}

// tandem0 showing `status` at first, this node's cpu 10% busy, the alerts
// captured.
struct Rig : DaemonRig {
    explicit Rig(const Status& status)
        : DaemonRig(one_device()) {
        dm.add("tandem0", format_status(status));
        metrics.window.cpu_busy = 0.1;
        adapters.local_metrics = &metrics;
        adapters.alerts = &alerts;
    }

    Status status() const { return parse_status(dm.devices.at("tandem0").status); }
    void set(const Status& st) { dm.set_status("tandem0", format_status(st)); }
};

} // namespace

TEST(DaemonLoad, RisingLoadShiftsTheClassWeights) {
    Status st = v6_status();
    st.scheduler->queue_depth = 8;
    Rig rig(st);
    rig.metrics.window.cpu_busy = 0;
    std::vector<std::string> sent_while_idle;
    EXPECT_EQ(rig.run(8s,
                      [&](Duration t) {
                          if (t < 3s)
                              return;
                          if (t == 3s)
                              sent_while_idle = rig.sent("class ");
                          // From 3 s: every slot busy, two bios queued per
                          // slot, latency four times the baseline.
                          Status now = rig.status();
                          now.scheduler->in_flight = 8;
                          for (ClassStatus& c : now.scheduler->classes) {
                              c.bios += 1000;
                              c.queued = 6;
                              c.p50_us = 4000;
                              c.p99_us = 20000;
                          }
                          rig.set(now);
                      }),
              0);
    // Idle: the defaults at load 0 (critical gets its bonus on top).
    EXPECT_THAT(sent_while_idle, ElementsAre("class critical weight 150"));
    // Loaded: production and test fall to their floors, each sent once.
    EXPECT_THAT(rig.sent("class "),
                ElementsAre("class critical weight 150", "class production weight 10",
                            "class test weight 1"));
    EXPECT_TRUE(rig.logs.has("tandem0: load 1.00 ("));
}

TEST(DaemonLoad, LimitsHoldOnlyAboveTheirLoadAndOnlyForClassesThatHaveThem) {
    Status st = v6_status();
    st.scheduler->queue_depth = 4;
    Rig rig(st);
    rig.config.class_weights.classes[2].iops_limit = 1000; // test
    rig.config.class_weights.classes[2].limit_load = 0.3;
    rig.config.class_weights.classes[1].sensitivity = 0; // production keeps 100
    EXPECT_EQ(rig.run(10s,
                      [&](Duration t) {
                          // The queue is full from 3 s to 6 s.
                          Status now = rig.status();
                          const bool busy = t >= 3s && t < 6s;
                          now.scheduler->in_flight = busy ? 4 : 0;
                          now.scheduler->classes[2].queued = busy ? 8 : 0;
                          rig.set(now);
                      }),
              0);
    EXPECT_THAT(rig.sent("class test limit"),
                ElementsAre("class test limit iops 1000 bw 0", "class test limit iops 0 bw 0"));
    EXPECT_TRUE(rig.sent("class production").empty());
}

TEST(DaemonShadow, ALatencySpikeThrottlesOnceAndTheLimitComesBackAfterRecovery) {
    Status st = v6_status();
    st.shadow->device = "253:9";
    st.scheduler->classes[2].iops_limit = 500; // test, before any anomaly
    Rig rig(st);
    rig.config.anomaly.warmup_windows = 3;
    rig.config.anomaly.consecutive = 2;
    // The shadow's reads take 100 times longer from 8 s to 14 s.
    EXPECT_EQ(rig.run(24s,
                      [&](Duration t) {
                          Status now = rig.status();
                          advance(now.shadow->ops[0], 100, 0, t >= 8s && t < 14s ? 50000 : 500);
                          rig.set(now);
                      }),
              0);
    EXPECT_THAT(rig.sent("class test limit"),
                ElementsAre("class test limit iops 100 bw 0", "class test limit iops 500 bw 0"));
    ASSERT_EQ(rig.alerts.sent.size(), 2u);
    EXPECT_EQ(rig.alerts.sent[0].state, "anomalous");
    EXPECT_EQ(rig.alerts.sent[1].state, "recovered");
    EXPECT_EQ(rig.status().scheduler->classes[2].iops_limit, 500u);
    const DecisionCounters* c = rig.daemon->policy().counters("tandem0");
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->anomalies_detected, 1u);
    EXPECT_EQ(c->anomalies_enforced, 1u);
    EXPECT_TRUE(rig.logs.has("tandem0: class test limited to"));
    EXPECT_TRUE(rig.logs.has("tandem0: shadow recovered"));
}

TEST(DaemonShadow, TheLoadLeavesAThrottledClassAlone) {
    Status st = v6_status();
    st.shadow->device = "253:9";
    st.scheduler->queue_depth = 4;
    Rig rig(st);
    rig.config.anomaly.warmup_windows = 2;
    rig.config.anomaly.consecutive = 1;
    rig.config.class_weights.classes[2].iops_limit = 1000; // test, above load 0.8
    rig.config.class_weights.classes[2].limit_load = 0;    // always
    EXPECT_EQ(rig.run(12s,
                      [&](Duration t) {
                          Status now = rig.status();
                          // The shadow's writes fail from 5 s on.
                          advance(now.shadow->ops[1], 100, t >= 5s ? 50 : 0, 500);
                          rig.set(now);
                      }),
              0);
    // The load's 1000 first, then the throttle's 100, never the load's again.
    EXPECT_THAT(rig.sent("class test limit"),
                ElementsAre("class test limit iops 1000 bw 0", "class test limit iops 100 bw 0"));
}

namespace {

// State files in memory.
struct FakeStateFiles : StateFiles {
    std::map<std::string, std::string> files;

    std::optional<std::string> read(const std::string& path) override {
        auto it = files.find(path);
        return it == files.end() ? std::nullopt : std::optional(it->second);
    }
    void write(const std::string& path, const std::string& text) override { files[path] = text; }
    void remove(const std::string& path) override { files.erase(path); }
};

const std::string guard_file = "/run/tandemd/tandem0.guard";

// A rig over `st` keeping its state in `files`, whose shadow's reads take
// 100 times longer while `slow(t)`.
struct ShadowRig : Rig {
    ShadowRig(const Status& st, FakeStateFiles& files)
        : Rig(st) {
        config.anomaly.warmup_windows = 3;
        config.anomaly.consecutive = 2;
        adapters.state_files = &files;
    }

    int run_with(Duration end, std::function<bool(Duration)> slow) {
        return run(end, [this, slow](Duration t) {
            Status now = status();
            advance(now.shadow->ops[0], 100, 0, slow(t) ? 50000 : 500);
            set(now);
        });
    }
};

Status shadowed(std::uint32_t test_iops_limit) {
    Status st = v6_status();
    st.shadow->device = "253:9";
    st.scheduler->classes[2].iops_limit = test_iops_limit;
    return st;
}

} // namespace

TEST(DaemonShadow, ARestartedDaemonTakesTheThrottleOverAndRestoresTheLimitsLater) {
    FakeStateFiles files;
    Status left;
    {
        ShadowRig first(shadowed(500), files);
        // Slow from 8 s until the daemon stops.
        EXPECT_EQ(first.run_with(16s, [](Duration t) { return t >= 8s; }), 0);
        EXPECT_THAT(first.sent("class test limit"), ElementsAre("class test limit iops 100 bw 0"));
        left = first.status();
    }
    ASSERT_EQ(files.files.count(guard_file), 1u);
    EXPECT_THAT(files.files[guard_file], ::testing::StartsWith("tandemd-guard 1\n"
                                                               "throttle test saved 500 0 "
                                                               "pushed 100 0\n"
                                                               "baseline read shadow_p99 "));

    ShadowRig second(left, files);
    // Still slow for 6 s, then fast.
    EXPECT_EQ(second.run_with(16s, [](Duration t) { return t < 6s; }), 0);
    // No second throttle; the class's own 500 IO/s back once fast again.
    EXPECT_THAT(second.sent("class test limit"), ElementsAre("class test limit iops 500 bw 0"));
    EXPECT_EQ(second.status().scheduler->classes[2].iops_limit, 500u);
    EXPECT_TRUE(second.logs.has("tandem0: class test is still throttled from before the restart; "
                                "its limits iops 500 bw 0 KiB/s come back once the shadow is "
                                "within bounds"));
    EXPECT_TRUE(second.logs.has("tandem0: shadow recovered"));
    EXPECT_EQ(second.alerts.sent.size(), 1u); // recovered; anomalous was the first run's
    EXPECT_EQ(files.files.count(guard_file), 0u);
}

TEST(DaemonShadow, AKeptThrottleNoLongerInForceIsForgotten) {
    FakeStateFiles files;
    files.files[guard_file] = "tandemd-guard 1\nthrottle test saved 500 0 pushed 100 0\n";
    // The operator set 300 IO/s meanwhile.
    ShadowRig rig(shadowed(300), files);
    EXPECT_EQ(rig.run_with(6s, [](Duration) { return false; }), 0);
    EXPECT_TRUE(rig.sent("class test limit").empty());
    EXPECT_TRUE(rig.logs.has("tandem0: the throttle kept in " + guard_file +
                             " (class test at iops 100 bw 0 KiB/s) is no longer in force: "
                             "forgotten"));
    EXPECT_EQ(files.files.count(guard_file), 0u);
}

TEST(DaemonShadow, AnUnreadableKeptThrottleIsSaidAndForgotten) {
    FakeStateFiles files;
    files.files[guard_file] = "tandemd-guard 1\nthrottle test\n";
    ShadowRig rig(shadowed(100), files);
    EXPECT_EQ(rig.run_with(6s, [](Duration) { return false; }), 0);
    EXPECT_TRUE(rig.sent("class test limit").empty());
    EXPECT_TRUE(rig.logs.has("tandem0: the throttle kept in " + guard_file +
                             " is not taken over: line 2: expected 'throttle <class> saved"));
    EXPECT_EQ(files.files.count(guard_file), 0u);
}
