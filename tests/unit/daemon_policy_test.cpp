// tandemd's policy loop driven through the daemon on simulated time: this
// node's counters and the peer's /health as the test sets them, a device
// that takes the weights it is sent, and the messages the daemon sends.
#include "daemon_fixture.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <sstream>

using namespace tandem;
using namespace tandem::daemon;
using namespace std::chrono_literals;
using tandem::testing::Duration;
using tandem::testing::TwoNodeRig;
using tandem::testing::WeighingDeviceMapper;
using ::testing::ElementsAre;

namespace {

std::string status_line(const std::string& states, unsigned w0, unsigned w1) {
    return "1 2 " + states + " " + std::to_string(w0) + " " + std::to_string(w1) +
           " 0 0 0 0 0 0 0 0 0";
}

// cpu_busy is the only input, so the local node's health is 100 * (1 - busy).
NodeWindow busy(double cpu) {
    NodeWindow w;
    w.cpu_busy = cpu;
    return w;
}

unsigned leg_weight(WeighingDeviceMapper& dm, unsigned leg) {
    return parse_status(dm.devices.at("tandem0").status).legs.at(leg).weight;
}

// tandem0 showing `status` at first.
struct Rig : TwoNodeRig {
    explicit Rig(const std::string& status) { dm.add("tandem0", status); }

    // A dm event at `at` after which the device shows `status`.
    void event_at(Duration at, std::string status) {
        waiter.script.push_back({at, 0, [this, status] {
                                     dm.set_status("tandem0", status);
                                     events.pending = {"tandem0"};
                                 }});
    }
};

} // namespace

TEST(DaemonPolicy, SourceAndTargetAt90GetWeights60And40) {
    Rig rig(status_line("AA", 50, 50));
    EXPECT_EQ(rig.run(3500ms), 0);
    EXPECT_THAT(rig.dm.sent("tandem0"), ElementsAre("weights 60 40"));
    EXPECT_TRUE(rig.logs.has("tandem0: read weights 50 50 -> 60 40: formula: 60 40"));
    EXPECT_EQ(rig.daemon->policy().nodes().health("a"), 90);
    EXPECT_EQ(rig.daemon->policy().nodes().health("b"), 90);
    EXPECT_EQ(rig.daemon->policy().counters("tandem0")->weight_changes, 1u);
}

TEST(DaemonPolicy, ALegFailingIsWeightedOutAtTheNextPoll) {
    Rig rig(status_line("AA", 60, 40));
    rig.event_at(2500ms, status_line("AD", 60, 40));
    std::vector<std::string> sent_by_event;
    EXPECT_EQ(rig.run(5s,
                      [&](Duration t) {
                          if (t == 2600ms)
                              sent_by_event = rig.dm.sent("tandem0");
                      }),
              0);
    // The status is read at once on the event, and the weights follow.
    EXPECT_THAT(rig.dm.sent("tandem0"), ElementsAre("weights 100 0"));
    EXPECT_EQ(rig.waiter.wakeups.at(2), 2500ms);
    EXPECT_TRUE(rig.logs.has("tandem0: read weights 60 40 -> 100 0: leg 1 failed over"));
    EXPECT_EQ(rig.daemon->policy().counters("tandem0")->failovers, 1u);
}

TEST(DaemonPolicy, ALegBackInSyncFailsBackAlongARamp) {
    Rig rig(status_line("AA", 60, 40));
    rig.config.weighting.recover_seconds = 5;
    rig.config.weighting.failback_seconds = 10;
    rig.event_at(2s, status_line("AD", 60, 40));
    rig.event_at(8s, status_line("Aa", 100, 0));  // reinstated, resyncing
    rig.event_at(10s, status_line("AA", 100, 0)); // in sync
    std::size_t sent_before_recovery = 0;
    EXPECT_EQ(rig.run(40s,
                      [&](Duration t) {
                          if (t == 14s)
                              sent_before_recovery = rig.dm.sent("tandem0").size();
                      }),
              0);

    const std::vector<std::string> sent = rig.dm.sent("tandem0");
    ASSERT_GE(sent.size(), 4u);
    EXPECT_EQ(sent.front(), "weights 100 0");
    // Nothing moves until the leg was in sync for recover_seconds.
    EXPECT_EQ(sent_before_recovery, 1u);
    // Then leg 1's weight climbs step by step to its share.
    unsigned previous = 0;
    for (std::size_t i = 1; i < sent.size(); i++) {
        std::istringstream words(sent[i].substr(8));
        unsigned w0 = 0, w1 = 0;
        words >> w0 >> w1;
        EXPECT_GT(w1, previous) << sent[i];
        EXPECT_EQ(w0 + w1, 100u);
        previous = w1;
    }
    EXPECT_EQ(sent.back(), "weights 60 40");
    EXPECT_EQ(rig.daemon->policy().counters("tandem0")->failbacks, 1u);
    EXPECT_EQ(rig.logs.count("leg 1 failed back"), 1);
}

TEST(DaemonPolicy, FallingSourceHealthShiftsReadsBeforeAnyThreshold) {
    Rig rig(status_line("AA", 60, 40));
    rig.config.weighting.trend_window_seconds = 10;
    rig.config.weighting.trend_horizon_seconds = 10;
    // Node a's health falls 3 points a second from 90.
    bool shifted_early = false;
    EXPECT_EQ(rig.run(15s,
                      [&](Duration t) {
                          const double s = std::chrono::duration<double>(t).count();
                          rig.metrics.window = busy(std::min(1.0, 0.1 + 0.03 * s));
                          const auto health = rig.daemon->policy().nodes().health("a");
                          if (!health || *health < 60)
                              return;
                          // The formula alone at this health would give leg 0 this share.
                          const double formula = 100 * 0.6 * *health / (0.6 * *health + 0.4 * 90);
                          if (leg_weight(rig.dm, 0) + 5 < formula)
                              shifted_early = true;
                      }),
              0);
    EXPECT_TRUE(shifted_early);
    EXPECT_TRUE(rig.logs.has("predictive: leg 0"));
}

TEST(DaemonPolicy, ThePeersHealthWeighsTheTargetsLeg) {
    Rig rig(status_line("AA", 60, 40));
    rig.network.peer_scores["b"] = 30;
    EXPECT_EQ(rig.run(8s), 0);
    // 0.6 x 90 against 0.4 x 30, reached at no more than 10 points a second.
    EXPECT_THAT(rig.dm.sent("tandem0"),
                ElementsAre("weights 70 30", "weights 80 20", "weights 82 18"));
}

TEST(DaemonPolicy, AnUnreachablePeerCountsAsZeroAfterThreeFailures) {
    Rig rig(status_line("AA", 60, 40));
    rig.network.peer_scores.clear();
    rig.network.unreachable["b"] = "http://10.0.0.2:9470/health: connection failed";
    EXPECT_EQ(rig.run(10s), 0);
    EXPECT_THAT(rig.dm.sent("tandem0"), ElementsAre("weights 100 0"));
    EXPECT_EQ(
        rig.logs.count("node b: no health from its peer 3 times in a row "
                       "(http://10.0.0.2:9470/health: connection failed); counting its health "
                       "as 0"),
        1);
    EXPECT_EQ(rig.daemon->policy().nodes().health("b"), 0);
}

TEST(DaemonPolicy, BadReloadKeepsControllingWithThePreviousConfiguration) {
    Rig rig(status_line("AA", 60, 40));
    int loads = 0;
    rig.waiter.script.push_back({1500ms, SIGHUP});
    rig.waiter.script.push_back({6s, SIGTERM});
    rig.waiter.on_wakeup = [&](Duration t) {
        if (t == 3s)
            rig.network.peer_scores["b"] = 30;
    };
    Config good = rig.config;
    Daemon d(
        [&] {
            if (++loads > 1)
                throw ConfigError("t.yaml:9:3: weighting.deadband: expected a number");
            return good;
        },
        rig.dm, rig.waiter, rig.events, [](auto) {}, false, Adapters{&rig.metrics, &rig.network});
    EXPECT_EQ(d.run(), 0);
    EXPECT_EQ(loads, 2);
    EXPECT_TRUE(rig.logs.has("weighting.deadband: expected a number; keeping the previous"));
    EXPECT_FALSE(rig.dm.sent("tandem0").empty());
}
