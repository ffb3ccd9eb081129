// What tandemd publishes: the timeline file's lines, and /health and
// /metrics served from the last round's snapshot, with a bearer token.
#include "daemon_fixture.h"

#include "timeline.h"

#include "tandem/health_json.h"
#include "tandem/http_probe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

using namespace tandem;
using namespace tandem::daemon;
using namespace std::chrono_literals;
using tandem::testing::TwoNodeRig;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

namespace {

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
        out.push_back(l);
    return out;
}

// tandem0 with both legs alive at 50/50, 10 and 20 reads done.
struct Rig : TwoNodeRig {
    Rig() { dm.add("tandem0", "1 2 AA 50 50 10 0 0 0 20 0 0 0 0", "- 1024 2 8:16 8:32"); }
};

} // namespace

TEST(DaemonTimeline, ALinePerDevicePerPollWithWeightsHealthStatesAndReads) {
    Rig rig;
    std::ostringstream out;
    rig.adapters.timeline = &out;
    EXPECT_EQ(rig.run(2500ms), 0);
    // Leg 0's node is not scored before the second sample of its counters;
    // the weights sent at 1 s show from 2 s.
    EXPECT_THAT(lines(out.str()),
                ElementsAre("time_s,device,leg0_weight,leg0_health,leg0_state,leg0_reads,"
                            "leg1_weight,leg1_health,leg1_state,leg1_reads",
                            "0.000,tandem0,50,100.0,A,10,50,90.0,A,20",
                            "1.000,tandem0,50,90.0,A,10,50,90.0,A,20",
                            "2.000,tandem0,60,90.0,A,10,40,90.0,A,20"));
}

TEST(Timeline, HeaderFromTheFirstRoundAndEmptyCellsForMissingLegs) {
    std::ostringstream out;
    Timeline t(out);
    const Status three = parse_status("1 3 AAD 50 50 0 1 0 0 0 2 0 0 0 3 0 0 0 0");
    const Status two = parse_status("1 2 AA 100 0 7 0 0 0 8 0 0 0 0");
    t.record(12.5, {TimelineRow{"big", three, {80, 70.25}}, TimelineRow{"odd,name", two, {}}});
    t.record(13, {TimelineRow{"odd,name", two, {}}});
    EXPECT_THAT(lines(out.str()),
                ElementsAre("time_s,device,leg0_weight,leg0_health,leg0_state,leg0_reads,"
                            "leg1_weight,leg1_health,leg1_state,leg1_reads,leg2_weight,"
                            "leg2_health,leg2_state,leg2_reads",
                            "12.500,big,50,80.0,A,1,50,70.2,A,2,0,,D,3",
                            "12.500,\"odd,name\",100,,A,7,0,,A,8,,,,",
                            "13.000,\"odd,name\",100,,A,7,0,,A,8,,,,"));
    t.record(14, {});
    EXPECT_EQ(lines(out.str()).size(), 4u);
}

TEST(DaemonHttp, HealthAndMetricsServeTheLastRoundBehindTheToken) {
    Rig rig;
    const std::string token_file = ::testing::TempDir() + "/tandemd-token";
    std::ofstream(token_file) << "s3cret\n";
    rig.config.http.listen = HostPort{"127.0.0.1", 0};
    rig.config.http.token_file = token_file;
    rig.adapters.serve_http = true;
    HttpGetResult without, health, metrics;
    EXPECT_EQ(rig.run(3500ms,
                      [&](auto t) {
                          if (t != 3s)
                              return;
                          const auto port = rig.daemon->policy().http().port();
                          ASSERT_TRUE(port.has_value());
                          HttpUrl url{{"127.0.0.1", *port}, "/health"};
                          without = http_get(url, 2000ms);
                          health = http_get(url, 2000ms, "s3cret");
                          url.path = "/metrics";
                          metrics = http_get(url, 2000ms, "s3cret");
                      }),
              0);
    std::remove(token_file.c_str());
    EXPECT_EQ(without.status, 401);
    ASSERT_EQ(health.status, 200) << health.error;
    const NodeHealthReport report = decode_health_report(health.body);
    EXPECT_EQ(report.node, "a");
    EXPECT_DOUBLE_EQ(report.score, 90);
    EXPECT_THAT(report.components, ElementsAre(std::pair<std::string, double>{"cpu", 90}));
    ASSERT_EQ(report.devices.size(), 1u);
    EXPECT_TRUE(report.devices[0].available);
    EXPECT_THAT(report.devices[0].legs, ElementsAre(LegHealthReport{0, "a", LegState::alive, 60},
                                                    LegHealthReport{1, "b", LegState::alive, 40}));
    ASSERT_EQ(metrics.status, 200) << metrics.error;
    EXPECT_THAT(metrics.body, HasSubstr("tandem_weight_changes_total{device=\"tandem0\"} 1\n"));
    EXPECT_THAT(metrics.body, HasSubstr("tandem_node_health_score{node=\"b\"} 90\n"));
    EXPECT_TRUE(rig.logs.has("http: serving /health and /metrics on 127.0.0.1:"));
}

TEST(DaemonHttp, ATokenFileThatCannotBeReadServesNothing) {
    // Serving without the token would open the endpoint to anyone.
    Rig rig;
    rig.config.http.listen = HostPort{"127.0.0.1", 0};
    rig.config.http.token_file = ::testing::TempDir() + "/tandemd-no-such-token";
    rig.adapters.serve_http = true;
    std::optional<std::uint16_t> port = 1;
    EXPECT_EQ(rig.run(1500ms, [&](auto) { port = rig.daemon->policy().http().port(); }), 0);
    EXPECT_EQ(port, std::nullopt);
    EXPECT_TRUE(rig.logs.has("tandemd-no-such-token cannot be read; /health and /metrics are "
                             "not served"));
}
