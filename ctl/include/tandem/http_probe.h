// HTTP GETs as health signals: one request with a timeout, its outcome as
// a value (a refused connection or a timeout is a result, not an
// exception), and a window of probe outcomes summarised into the success
// fraction and mean latency the health score takes.
//
// Plain http:// only (HttpUrl, http_url.h).  The timeout bounds the
// connect and each read or write: a server that keeps sending slowly can
// take longer in all.  http_get() blocks; call it off any thread that must
// stay responsive.
#pragma once

#include "tandem/http_url.h"

#include <chrono>
#include <cstddef>
#include <deque>
#include <optional>
#include <string>

namespace tandem {

struct HttpGetResult {
    int status = 0;        // the response's status, 0 when there is no response
    std::string body;      // the response's body
    double latency_ms = 0; // from the start of the connect to the whole response or the failure
    std::string error;     // why there is no response ("" when there is one)

    bool responded() const { return error.empty(); }
};

// GET `url`, with "Authorization: Bearer <bearer_token>" unless the token is
// empty.  Never throws for network failures: they come back in `error`,
// e.g. "http://10.0.0.2:9470/health: connection failed"
// or "...: timed out after 1000 ms".
HttpGetResult http_get(const HttpUrl& url, std::chrono::milliseconds timeout,
                       const std::string& bearer_token = "");

struct ProbeResult {
    bool ok = false; // the server answered with the expected status
    int status = 0;  // 0 when it did not answer
    double latency_ms = 0;
    std::string error; // why it is not ok ("" when it is)

    bool operator==(const ProbeResult&) const = default;
};

// A GET's outcome as a probe: ok only for a response with `expect_status`;
// another status is an error "status 503, expected 200".
ProbeResult probe_result(const HttpGetResult& get, int expect_status = 200);

// http_get() then probe_result().
ProbeResult probe_http(const HttpUrl& url, std::chrono::milliseconds timeout,
                       int expect_status = 200);

// What the probes of the last window say.
struct ProbeSummary {
    std::size_t probes = 0;
    std::size_t successes = 0;
    std::optional<double> success_fraction; // successes / probes; nullopt without probes
    // Mean latency of the successful probes (a failed probe's latency is
    // mostly its timeout); nullopt without a success.
    std::optional<double> mean_latency_ms;

    bool operator==(const ProbeSummary&) const = default;
};

// The outcomes of one target's probes over a sliding window of time.
// Time is passed in, so tests run on a simulated clock.
class ProbeWindow {
public:
    using Clock = std::chrono::steady_clock;

    // Raises std::invalid_argument for a window that is not positive.
    explicit ProbeWindow(Clock::duration window);

    // Record a probe that ended at `at`.
    void add(Clock::time_point at, const ProbeResult& result);

    // The probes that ended in (now - window, now]; older ones are forgotten.
    ProbeSummary summary(Clock::time_point now);

    Clock::duration window() const { return window_; }

private:
    struct Entry {
        Clock::time_point at;
        bool ok;
        double latency_ms;
    };

    void forget_before(Clock::time_point oldest_kept);

    Clock::duration window_;
    std::deque<Entry> entries_; // by time of record
};

} // namespace tandem
