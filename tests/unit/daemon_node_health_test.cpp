// Node health on simulated time: the local node from its counters and
// probes, a peer from its report lowered by the probes, an unreachable
// peer counted as 0 after three failures, and history kept over a reload.
#include "daemon_fakes.h"

#include "node_health.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace tandem;
using namespace tandem::daemon;
using namespace std::chrono_literals;
using tandem::testing::FakeMetrics;
using tandem::testing::FakeNetwork;
using tandem::testing::LogCapture;
using ::testing::ElementsAre;
using ::testing::Pair;

namespace {

using Clock = std::chrono::steady_clock;

Config nodes_config() {
    Config cfg;
    cfg.health.smoothing = 1; // each score as it is
    cfg.nodes = {NodeConfig{"a", std::nullopt, {}, {"eth1"}},
                 NodeConfig{"b", parse_http_url("http://10.0.0.2:9470/health")}};
    ProbeConfig app{parse_http_url("http://10.0.0.2:8080/ready")};
    cfg.nodes[1].probes = {app};
    return cfg;
}

ProbeOutcome probe(const std::string& node, Clock::duration at, bool ok, double ms = 10) {
    ProbeResult r;
    r.ok = ok;
    r.status = ok ? 200 : 503;
    r.latency_ms = ms;
    r.error = ok ? "" : "status 503, expected 200";
    return ProbeOutcome{node, Clock::time_point(at), r};
}

// Node b without probes, its reports smoothed by half: the tracker has
// taken its first score, `first`.
struct PeerOnly {
    FakeNetwork network;
    Config cfg = nodes_config();
    NodeHealthTracker tracker{nullptr, &network};

    explicit PeerOnly(double first) {
        network.peer_scores["b"] = first;
        cfg.nodes[1].probes.clear();
        cfg.health.smoothing = 0.5;
        tracker.configure(cfg, "", Clock::time_point{});
        tracker.update(Clock::time_point{});
    }
};

} // namespace

TEST(NodeHealth, TheLocalNodeFromItsCountersOnceTwoSamplesWereTaken) {
    FakeMetrics metrics;
    metrics.window.cpu_busy = 0.25;
    metrics.window.memory_used = 0.5;
    NodeHealthTracker t(&metrics, nullptr);
    t.configure(nodes_config(), "", Clock::time_point{});
    EXPECT_THAT(metrics.interfaces, ElementsAre("eth1"));
    EXPECT_EQ(t.local_node(), "a");

    EXPECT_TRUE(t.update(Clock::time_point{}));
    EXPECT_FALSE(t.health("a").has_value()); // one sample: no window yet
    EXPECT_FALSE(t.update(Clock::time_point(500ms)));
    EXPECT_TRUE(t.update(Clock::time_point(1s)));
    // cpu 75 (weight 0.15), memory 50 (weight 0.10).
    EXPECT_DOUBLE_EQ(*t.health("a"), (0.15 * 75 + 0.10 * 50) / 0.25);
    EXPECT_EQ(t.next_due(), Clock::time_point(2s));
    ASSERT_NE(t.local_window(), nullptr);
    EXPECT_EQ(t.local_window()->cpu_busy, 0.25);
}

TEST(NodeHealth, APeerIsItsReportLoweredByWhatItsProbesSay) {
    FakeNetwork network;
    network.peer_scores["b"] = 80;
    NodeHealthTracker t(nullptr, &network);
    t.configure(nodes_config(), "tok", Clock::time_point{});
    EXPECT_EQ(network.plan.token, "tok");
    EXPECT_EQ(network.plan.peer_timeout, 1000ms);

    t.update(Clock::time_point{});
    EXPECT_EQ(t.health("b"), 80);
    // Half the probes fail: probe success 0.5 scores 0, latency 10 ms 100.
    network.probes = {probe("b", 100ms, true), probe("b", 200ms, false)};
    t.update(Clock::time_point(1s));
    EXPECT_EQ(t.health("b"), 50);
    const auto views = t.views();
    ASSERT_EQ(views.size(), 2u);
    EXPECT_THAT(views[1].components, ElementsAre(Pair("peer", 80), Pair("probe_success", 0),
                                                 Pair("probe_latency", 100)));
}

TEST(NodeHealth, AnUnreachablePeerIsZeroAfterThreeFailuresAndSaysSoOnce) {
    LogCapture logs;
    PeerOnly peer(90);
    FakeNetwork& network = peer.network;
    NodeHealthTracker& t = peer.tracker;
    network.unreachable["b"] = "http://10.0.0.2:9470/health: timed out after 1000 ms";
    std::vector<double> seen;
    for (int s = 1; s <= 5; s++) {
        t.update(Clock::time_point(std::chrono::seconds(s)));
        seen.push_back(*t.health("b"));
    }
    // The last score holds for two failures, then 0 at once, not smoothed.
    EXPECT_THAT(seen, ElementsAre(90, 90, 0, 0, 0));
    EXPECT_EQ(logs.count("node b: no health from its peer 3 times in a row"), 1);

    network.unreachable.clear();
    network.peer_scores["b"] = 70;
    t.update(Clock::time_point(6s));
    EXPECT_EQ(t.health("b"), 35); // smoothed again from 0
    EXPECT_TRUE(logs.has("node b: its peer answers again, health 70.0"));
}

TEST(NodeHealth, AReloadKeepsTheHistoryOfTheNodesThatRemain) {
    PeerOnly peer(60);
    FakeNetwork& network = peer.network;
    NodeHealthTracker& t = peer.tracker;
    Config& cfg = peer.cfg;
    network.peer_scores["b"] = 100;
    cfg.nodes.push_back(NodeConfig{"c", parse_http_url("http://10.0.0.3:9470/health")});
    t.configure(cfg, "", Clock::time_point(1s));
    t.update(Clock::time_point(1s));
    EXPECT_EQ(t.health("b"), 80);            // 60 smoothed towards 100, not 100
    EXPECT_FALSE(t.health("c").has_value()); // never answered
    EXPECT_FALSE(t.health("nobody").has_value());
    EXPECT_EQ(network.plans, 2);
}
