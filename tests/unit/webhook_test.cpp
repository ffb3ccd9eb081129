// The webhook: the alert's JSON body, and POSTs to a local httplib server
// on an ephemeral port of 127.0.0.1.
#include "hook_result_printer.h"

#include "tandem/alert_hooks.h"
#include "tandem/errors.h"

// httplib::Server's layout does not depend on the CPPHTTPLIB_*_SUPPORT
// definitions the library was built with, so the test serves with it
// without them.
#include <httplib.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <thread>

using namespace tandem;
using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::StartsWith;

namespace {

// 2024-05-01T12:00:00Z
const auto may_day = std::chrono::system_clock::from_time_t(1714564800);

// A server answering POST /hook with `status` (after `delay`), keeping
// what it received.
class HookServer {
public:
    explicit HookServer(int status, std::chrono::milliseconds delay = 0ms) {
        server_.Post("/hook",
                     [this, status, delay](const httplib::Request& req, httplib::Response& res) {
                         {
                             std::lock_guard lock(mutex_);
                             bodies_.push_back(req.body);
                             content_type_ = req.get_header_value("Content-Type");
                         }
                         std::this_thread::sleep_for(delay);
                         res.status = status;
                         res.set_content("{}", "application/json");
                     });
        port_ = server_.bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        // Bound and listening already; wait until stop() can stop it.
        while (!server_.is_running())
            std::this_thread::sleep_for(1ms);
    }
    ~HookServer() {
        server_.stop();
        thread_.join();
    }

    std::string url(const std::string& path = "/hook") const {
        return "http://127.0.0.1:" + std::to_string(port_) + path;
    }
    std::vector<std::string> bodies() {
        std::lock_guard lock(mutex_);
        return bodies_;
    }
    std::string content_type() {
        std::lock_guard lock(mutex_);
        return content_type_;
    }

private:
    httplib::Server server_;
    int port_ = 0;
    std::thread thread_;
    std::mutex mutex_;
    std::vector<std::string> bodies_;
    std::string content_type_;
};

const Alert anomalous_alert{"tandem0",
                            "anomalous",
                            {"write shadow p99 10000 us > 2.0 x baseline 1000 us for 3 windows",
                             "shadow drop rate 20.00% (25 of 125 clones) > 5.00% for 3 windows"},
                            may_day};

} // namespace

// --- the alert and its body ------------------------------------------------------

TEST(AlertJson, Golden) {
    EXPECT_EQ(alert_json(anomalous_alert),
              R"({"device":"tandem0","state":"anomalous","reasons":["write shadow p99 10000 us )"
              R"(> 2.0 x baseline 1000 us for 3 windows","shadow drop rate 20.00% (25 of 125 )"
              R"(clones) > 5.00% for 3 windows"],"time":"2024-05-01T12:00:00Z"})");
    EXPECT_EQ(alert_json({"tandem1", "recovered", {}, may_day}),
              R"({"device":"tandem1","state":"recovered","reasons":[],)"
              R"("time":"2024-05-01T12:00:00Z"})");
}

TEST(AlertJson, EscapesStrings) {
    EXPECT_EQ(alert_json({"a\"b\\c", "x", {"tab\there\nnew\x01"}, may_day}),
              R"({"device":"a\"b\\c","state":"x","reasons":["tab\there\nnew\u0001"],)"
              R"("time":"2024-05-01T12:00:00Z"})");
}

TEST(AlertJson, AlertOfAnAction) {
    MitigationAction entered{ActionKind::alert,
                             "tandem0",
                             AnomalyState::anomalous,
                             "",
                             "tandem0: shadow anomalous: r1; r2",
                             {"r1", "r2"},
                             true};
    EXPECT_EQ(make_alert(entered, may_day), (Alert{"tandem0", "anomalous", {"r1", "r2"}, may_day}));
    MitigationAction left{ActionKind::alert,
                          "tandem0",
                          AnomalyState::normal,
                          "",
                          "tandem0: shadow recovered",
                          {},
                          true};
    EXPECT_EQ(make_alert(left, may_day),
              (Alert{"tandem0", "recovered", {"tandem0: shadow recovered"}, may_day}));
}

// --- posting ---------------------------------------------------------------------

TEST(WebhookHook, PostsTheJsonBody) {
    HookServer server(200);
    WebhookHook hook(server.url(), 5s);
    EXPECT_EQ(hook.send(anomalous_alert), (HookResult{true, "HTTP 200"}));
    EXPECT_EQ(server.bodies(), std::vector<std::string>{alert_json(anomalous_alert)});
    EXPECT_EQ(server.content_type(), "application/json");
}

TEST(WebhookHook, ReportsAnErrorStatus) {
    HookServer server(503);
    EXPECT_EQ(WebhookHook(server.url(), 5s).send(anomalous_alert), (HookResult{false, "HTTP 503"}));
    // Another path on the same server: httplib answers 404.
    EXPECT_EQ(WebhookHook(server.url("/other"), 5s).send(anomalous_alert),
              (HookResult{false, "HTTP 404"}));
}

TEST(WebhookHook, ReportsAServerThatIsNotThere) {
    int port = 0;
    {
        HookServer gone(200);
        port = std::stoi(gone.url().substr(std::string("http://127.0.0.1:").size()));
    }
    const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/hook";
    const HookResult r = WebhookHook(url, 2s).send(anomalous_alert);
    EXPECT_FALSE(r.ok);
    EXPECT_THAT(r.detail, StartsWith("POST " + url + ": "));
    EXPECT_THAT(r.detail, HasSubstr("Connection"));
}

TEST(WebhookHook, GivesUpAtTheTimeout) {
    HookServer slow(200, 2s);
    const auto start = std::chrono::steady_clock::now();
    const HookResult r = WebhookHook(slow.url(), 300ms).send(anomalous_alert);
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_FALSE(r.ok);
    EXPECT_THAT(r.detail, HasSubstr("Read"));
    EXPECT_LT(took, 1500ms);
}

TEST(WebhookHook, RefusesABadUrl) {
    EXPECT_THROW(WebhookHook("https://example.com/hook", 1s), UsageError);
    EXPECT_THROW(WebhookHook("127.0.0.1:80/hook", 1s), UsageError);
}
