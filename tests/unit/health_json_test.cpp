// The /health document: encoding what the daemon fills, decoding it on
// the peer side, and a peer's reply turned into its health or a reason.
#include "tandem/errors.h"
#include "tandem/health_json.h"
#include "tandem/peer_health.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace tandem;
using ::testing::HasSubstr;

namespace {

NodeHealthReport sample_report() {
    NodeHealthReport r;
    r.node = "a";
    r.time = 1700000000.25;
    r.score = 93.5;
    r.components = {{"cpu", 90}, {"memory", 62.5}, {"disk_busy", 100}};
    r.devices = {
        {"tandem0", true, {{0, "a", LegState::alive, 70}, {1, "b", LegState::syncing, 30}}},
        {"tandem1", false, {}},
    };
    return r;
}

constexpr const char* sample_json = R"({"schema":1,"node":"a","time":1700000000.25,"score":93.5,)"
                                    R"("components":{"cpu":90.0,"memory":62.5,"disk_busy":100.0},)"
                                    R"("devices":[{"name":"tandem0","available":true,"legs":[)"
                                    R"({"index":0,"node":"a","state":"alive","weight":70},)"
                                    R"({"index":1,"node":"b","state":"syncing","weight":30}]},)"
                                    R"({"name":"tandem1","available":false,"legs":[]}]})";

std::string decode_error(std::string_view json) {
    try {
        decode_health_report(json);
    } catch (const ParseError& e) {
        return e.what();
    }
    return "(accepted)";
}

std::string encode_error(const NodeHealthReport& report) {
    try {
        encode_health_report(report);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "(accepted)";
}

} // namespace

TEST(HealthJson, EncodesTheDocumentedLayout) {
    EXPECT_EQ(encode_health_report(sample_report()), sample_json);
}

TEST(HealthJson, RoundTrip) {
    EXPECT_EQ(decode_health_report(encode_health_report(sample_report())), sample_report());
    NodeHealthReport empty;
    empty.node = "";
    EXPECT_EQ(decode_health_report(encode_health_report(empty)), empty);
    NodeHealthReport dead = sample_report();
    dead.devices[0].legs[1].state = LegState::dead;
    dead.score = 0;
    dead.components.clear();
    EXPECT_EQ(decode_health_report(encode_health_report(dead)), dead);
}

TEST(HealthJson, ANewerSchemaIsRead) {
    // Members it does not know are ignored, a state it does not know is
    // kept as unknown, and member order does not matter.
    const NodeHealthReport r = decode_health_report(
        R"({"devices":[{"name":"t","available":true,"extra":1,"legs":[)"
        R"({"index":0,"node":"","state":"draining","weight":100}]}],)"
        R"("components":{},"score":50,"time":5,"node":"c","schema":2,"uptime":3})");
    EXPECT_EQ(r.node, "c");
    EXPECT_EQ(r.time, 5.0);
    EXPECT_EQ(r.score, 50.0);
    ASSERT_EQ(r.devices.size(), 1u);
    EXPECT_EQ(r.devices[0].legs[0].state, LegState::unknown);
    EXPECT_EQ(r.devices[0].legs[0].weight, 100u);
}

TEST(HealthJson, DecodeErrorsNameTheMember) {
    const std::string valid = sample_json;
    auto with = [&](std::string_view from, std::string_view to) {
        std::string text = valid;
        const std::size_t at = text.find(from);
        EXPECT_NE(at, std::string::npos) << from;
        return text.replace(at, from.size(), to);
    };
    struct Case {
        std::string json;
        std::string error;
    };
    const Case cases[] = {
        {"<html>", "health report: not JSON: parse error at line 1, column 1: syntax error while "
                   "parsing value - invalid literal; last read: '<'"},
        {"[1]", "health report: document: expected an object, got [1]"},
        {"{}", "health report: missing member \"schema\""},
        {with(R"("schema":1)", R"("schema":0)"),
         "health report: schema: expected a version >= 1, got 0"},
        {with(R"("schema":1)", R"("schema":"1")"),
         "health report: schema: expected a version >= 1, got \"1\""},
        {with(R"("node":"a",)", ""), "health report: missing member \"node\""},
        {with(R"("node":"a")", R"("node":7)"), "health report: node: expected a string, got 7"},
        {with(R"("time":1700000000.25)", R"("time":-1)"),
         "health report: time: expected a number >= 0, got -1"},
        {with(R"("score":93.5)", R"("score":"high")"),
         "health report: score: expected a number 0..100, got \"high\""},
        {with(R"("score":93.5)", R"("score":100.5)"),
         "health report: score: expected a number 0..100, got 100.5"},
        {with(R"("components":{"cpu":90.0,)", R"("components":{"cpu":-3,)"),
         "health report: components.cpu: expected a number 0..100, got -3"},
        {with(R"("components":{"cpu":90.0,"memory":62.5,"disk_busy":100.0})",
              R"("components":[90])"),
         "health report: components: expected an object, got [90]"},
        {with(R"("available":true)", R"("available":1)"),
         "health report: devices[0].available: expected true or false, got 1"},
        {with(R"("weight":30)", R"("weight":150)"),
         "health report: devices[0].legs[1].weight: expected an integer 0..100, got 150"},
        {with(R"("weight":30)", R"("weight":30.5)"),
         "health report: devices[0].legs[1].weight: expected an integer 0..100, got 30.5"},
        {with(R"({"index":0,"node":"a","state":"alive","weight":70})", R"({"index":0})"),
         "health report: devices[0].legs[0]: missing member \"node\""},
        {with(R"("legs":[])", R"("legs":{})"),
         "health report: devices[1].legs: expected an array, got {}"},
        {with(R"("state":"alive")", R"("state":null)"),
         "health report: devices[0].legs[0].state: expected a string, got null"},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.json);
        EXPECT_EQ(decode_error(c.json), c.error);
    }
}

TEST(HealthJson, EncodeRefusesWhatPeersWouldRefuse) {
    NodeHealthReport r = sample_report();
    r.score = 101;
    EXPECT_EQ(encode_error(r), "health report: score must be 0..100, is 101.000000");
    r = sample_report();
    r.score = std::numeric_limits<double>::quiet_NaN();
    EXPECT_THAT(encode_error(r), HasSubstr("score must be 0..100"));
    r = sample_report();
    r.components.emplace_back("cpu", 10);
    EXPECT_EQ(encode_error(r), "health report: component cpu named twice");
    r = sample_report();
    r.components[1].second = -1;
    EXPECT_EQ(encode_error(r), "health report: component memory must be 0..100, is -1.000000");
    r = sample_report();
    r.time = -5;
    EXPECT_EQ(encode_error(r), "health report: time must be a finite number >= 0, is -5.000000");
    r = sample_report();
    r.devices[0].legs[0].weight = 101;
    EXPECT_EQ(encode_error(r), "health report: device tandem0 leg 0: weight 101 is over 100");
}

// --- the peer side ------------------------------------------------------------------

TEST(PeerHealth, FromAResponse) {
    const HttpUrl url = parse_http_url("http://10.0.0.2:9470/health");
    struct Case {
        const char* what;
        HttpGetResult response;
        bool ok;
        std::string error;
    };
    const Case cases[] = {
        {"a report", {200, sample_json, 3.5, ""}, true, ""},
        {"no answer",
         {0, "", 1000, "http://10.0.0.2:9470/health: connect timed out after 1000 ms"},
         false,
         "http://10.0.0.2:9470/health: connect timed out after 1000 ms"},
        {"refused by its token",
         {401, "missing or wrong bearer token\n", 2, ""},
         false,
         "http://10.0.0.2:9470/health: status 401, expected 200"},
        {"not a report",
         {200, R"({"schema":1})", 2, ""},
         false,
         "http://10.0.0.2:9470/health: bad reply: health report: missing member \"node\""},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.what);
        const PeerHealthResult r = peer_health_from_response(url, c.response);
        EXPECT_EQ(r.ok(), c.ok);
        EXPECT_EQ(r.error, c.error);
        EXPECT_EQ(r.latency_ms, c.response.latency_ms);
    }
    const PeerHealthResult r = peer_health_from_response(url, {200, sample_json, 3.5, ""});
    const NodeHealthReport report = sample_report();
    EXPECT_EQ(*r.health, (PeerHealth{report.node, report.score, report.components, report.time}));
}
