// The HTTP adapters on 127.0.0.1: the server's /health, /metrics, 404,
// bearer token and bind errors; GETs, probes and peer health against it;
// and the probe window on simulated time.
#include "error_of.h"

#include "tandem/errors.h"
#include "tandem/health_json.h"
#include "tandem/http_probe.h"
#include "tandem/http_server.h"
#include "tandem/peer_health.h"
#include "tandem/prometheus_text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

using namespace tandem;
using tandem::testing::error_of;
using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::StartsWith;

namespace {

constexpr auto timeout = std::chrono::milliseconds(2000);

NodeHealthReport report() {
    NodeHealthReport r;
    r.node = "a";
    r.time = 1700000000;
    r.score = 88;
    r.components = {{"cpu", 76}};
    r.devices = {{"tandem0", true, {{0, "a", LegState::alive, 100}, {1, "b", LegState::dead, 0}}}};
    return r;
}

HttpServerHandlers handlers() {
    return {[] { return encode_health_report(report()); },
            [] {
                return std::string("tandem_device_up{device=\"tandem0\"} 1\n");
            }};
}

HttpUrl url(std::uint16_t port, const std::string& path) {
    return HttpUrl{{"127.0.0.1", port}, path};
}

} // namespace

TEST(HttpServer, ServesHealthAndMetrics) {
    HttpServer server({{"127.0.0.1", 0}, ""}, handlers());
    server.start();
    ASSERT_TRUE(server.running());
    ASSERT_NE(server.port(), 0);

    const HttpGetResult health = http_get(url(server.port(), "/health"), timeout);
    EXPECT_EQ(health.error, "");
    EXPECT_EQ(health.status, 200);
    EXPECT_EQ(decode_health_report(health.body), report());
    EXPECT_GE(health.latency_ms, 0.0);

    const HttpGetResult metrics = http_get(url(server.port(), "/metrics"), timeout);
    EXPECT_EQ(metrics.status, 200);
    EXPECT_EQ(metrics.body, "tandem_device_up{device=\"tandem0\"} 1\n");

    EXPECT_EQ(http_get(url(server.port(), "/"), timeout).status, 404);
    EXPECT_EQ(http_get(url(server.port(), "/health/x"), timeout).status, 404);

    server.stop();
    EXPECT_FALSE(server.running());
    const HttpGetResult after = http_get(url(server.port(), "/health"), timeout);
    EXPECT_FALSE(after.responded());
    EXPECT_EQ(after.error,
              "http://127.0.0.1:" + std::to_string(server.port()) + "/health: connection failed");
    server.stop(); // twice is harmless
}

TEST(HttpServer, BearerTokenRequiredWhenConfigured) {
    HttpServer server({{"127.0.0.1", 0}, "s3cret"}, handlers());
    server.start();
    const HttpUrl health = url(server.port(), "/health");

    const HttpGetResult none = http_get(health, timeout);
    EXPECT_EQ(none.status, 401);
    EXPECT_EQ(none.body, "missing or wrong bearer token\n");
    EXPECT_EQ(http_get(health, timeout, "s3cre").status, 401);
    EXPECT_EQ(http_get(health, timeout, "s3cret!").status, 401);
    EXPECT_EQ(http_get(url(server.port(), "/nothing"), timeout).status, 401);

    EXPECT_EQ(http_get(health, timeout, "s3cret").status, 200);
    EXPECT_EQ(http_get(url(server.port(), "/metrics"), timeout, "s3cret").status, 200);
    EXPECT_EQ(http_get(url(server.port(), "/nothing"), timeout, "s3cret").status, 404);

    // A peer without the token gets a reason, not an exception.
    const PeerHealthResult refused = fetch_peer_health(health, timeout);
    EXPECT_FALSE(refused.ok());
    EXPECT_EQ(refused.error, format_http_url(health) + ": status 401, expected 200");
    const PeerHealthResult peer = fetch_peer_health(health, timeout, "s3cret");
    ASSERT_TRUE(peer.ok()) << peer.error;
    EXPECT_EQ(*peer.health, (PeerHealth{"a", 88, {{"cpu", 76}}, 1700000000}));
}

TEST(HttpServer, NonLoopbackNeedsAToken) {
    HttpServer server({{"0.0.0.0", 0}, ""}, handlers());
    EXPECT_EQ(error_of([&] { server.start(); }),
              "HTTP endpoint 0.0.0.0:0 is reachable from other machines: it needs a bearer token");
    EXPECT_THROW(server.start(), UsageError);
    EXPECT_FALSE(server.running());
}

TEST(HttpServer, BindErrorsNameTheAddress) {
    HttpServer first({{"127.0.0.1", 0}, ""}, handlers());
    first.start();
    const std::string taken = "127.0.0.1:" + std::to_string(first.port());
    HttpServer second({{"127.0.0.1", first.port()}, ""}, handlers());
    EXPECT_EQ(error_of([&] { second.start(); }),
              "cannot listen on " + taken + ": Address already in use");
    EXPECT_FALSE(second.running());

    // An address no interface of this machine has.
    HttpServer foreign({{"192.0.2.1", 9470}, "t"}, handlers());
    EXPECT_EQ(error_of([&] { foreign.start(); }),
              "cannot listen on 192.0.2.1:9470: Cannot assign requested address");

    HttpServer unnamed({{"no-such-host.invalid", 9470}, "t"}, handlers());
    EXPECT_THAT(error_of([&] { unnamed.start(); }),
                StartsWith("cannot listen on no-such-host.invalid:9470: "));

    EXPECT_THAT(error_of([&] { first.start(); }), HasSubstr("already started"));
}

TEST(HttpServer, ACallbackThatThrowsIsA500) {
    HttpServer server({{"127.0.0.1", 0}, ""},
                      {[]() -> std::string { throw std::runtime_error("no health yet"); },
                       [] {
                           return std::string();
                       }});
    server.start();
    const HttpGetResult r = http_get(url(server.port(), "/health"), timeout);
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(r.body, "no health yet\n");
    const PeerHealthResult peer = fetch_peer_health(url(server.port(), "/health"), timeout);
    EXPECT_THAT(peer.error, HasSubstr(": status 500, expected 200"));
}

// --- client side --------------------------------------------------------------------

TEST(HttpProbe, StatusDecidesTheOutcome) {
    HttpServer server({{"127.0.0.1", 0}, ""}, handlers());
    server.start();
    const ProbeResult ok = probe_http(url(server.port(), "/metrics"), timeout);
    EXPECT_TRUE(ok.ok);
    EXPECT_EQ(ok.status, 200);
    EXPECT_EQ(ok.error, "");

    const ProbeResult missing = probe_http(url(server.port(), "/x"), timeout);
    EXPECT_FALSE(missing.ok);
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(missing.error, "status 404, expected 200");
    EXPECT_TRUE(probe_http(url(server.port(), "/x"), timeout, 404).ok);
}

TEST(HttpProbe, ASlowServerTimesOut) {
    std::atomic<bool> release = false;
    HttpServer server({{"127.0.0.1", 0}, ""}, {[&] {
                                                   for (int i = 0; i < 200 && !release; i++)
                                                       std::this_thread::sleep_for(10ms);
                                                   return std::string("{}");
                                               },
                                               [] {
                                                   return std::string();
                                               }});
    server.start();
    const HttpUrl health = url(server.port(), "/health");
    const ProbeResult slow = probe_http(health, 200ms);
    release = true;
    EXPECT_FALSE(slow.ok);
    EXPECT_EQ(slow.status, 0);
    EXPECT_EQ(slow.error, format_http_url(health) + ": timed out after 200 ms");
    EXPECT_GE(slow.latency_ms, 200.0);
}

TEST(HttpProbe, ResultOfAGet) {
    struct Case {
        HttpGetResult get;
        int expect;
        ProbeResult probe;
    };
    const Case cases[] = {
        {{200, "ok", 12.5, ""}, 200, {true, 200, 12.5, ""}},
        {{204, "", 3, ""}, 204, {true, 204, 3, ""}},
        {{503, "busy", 7, ""}, 200, {false, 503, 7, "status 503, expected 200"}},
        {{0, "", 1000, "http://h/: connect timed out after 1000 ms"},
         200,
         {false, 0, 1000, "http://h/: connect timed out after 1000 ms"}},
    };
    for (const Case& c : cases)
        EXPECT_EQ(probe_result(c.get, c.expect), c.probe);
}

TEST(ProbeWindow, SuccessFractionAndMeanLatencyOverTheWindow) {
    const auto t0 = std::chrono::steady_clock::time_point{} + 1000s;
    ProbeWindow window(10s);
    EXPECT_EQ(window.summary(t0), (ProbeSummary{0, 0, std::nullopt, std::nullopt}));

    window.add(t0, {true, 200, 10, ""});
    window.add(t0 + 2s, {false, 0, 1000, "timed out"});
    window.add(t0 + 4s, {true, 200, 30, ""});
    window.add(t0 + 6s, {false, 503, 5, "status 503, expected 200"});
    // Failed probes count against the fraction, not in the latency.
    EXPECT_EQ(window.summary(t0 + 6s), (ProbeSummary{4, 2, 0.5, 20.0}));
    // At t0 + 10s the first probe is a whole window old: it has left.
    EXPECT_EQ(window.summary(t0 + 10s), (ProbeSummary{3, 1, 1.0 / 3.0, 30.0}));
    EXPECT_EQ(window.summary(t0 + 15s), (ProbeSummary{1, 0, 0.0, std::nullopt}));
    EXPECT_EQ(window.summary(t0 + 17s), (ProbeSummary{0, 0, std::nullopt, std::nullopt}));
    EXPECT_THROW(ProbeWindow(0s), std::invalid_argument);
}
