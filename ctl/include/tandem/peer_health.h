// A peer daemon's view of its own node, read from its GET /health
// (health_json.h).  Whatever goes wrong (no answer, a timeout, a status
// other than 200, text that is not a health report) comes back as a
// result with the reason, never as an exception, so the daemon's loop
// treats an unreachable peer as a health signal rather than a crash.
#pragma once

#include "tandem/http_probe.h"
#include "tandem/http_url.h"

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tandem {

struct PeerHealth {
    std::string node;
    double score = 0;                                       // 0..100
    std::vector<std::pair<std::string, double>> components; // each 0..100
    double time = 0; // when the peer made the report, seconds since the Unix epoch

    bool operator==(const PeerHealth&) const = default;
};

struct PeerHealthResult {
    std::optional<PeerHealth> health; // nullopt when the peer's report could not be had
    std::string error;                // why not, naming the URL; "" when there is a report
    double latency_ms = 0;            // of the GET

    bool ok() const { return health.has_value(); }
};

// The health of a GET's answer (pure): the report in a 200 response's
// body, or the reason there is none ("status 401", "bad report: ...").
// `url` only names the peer in errors.
PeerHealthResult peer_health_from_response(const HttpUrl& url, const HttpGetResult& response);

// GET the peer's /health URL and read it; `bearer_token` as for http_get().
PeerHealthResult fetch_peer_health(const HttpUrl& url, std::chrono::milliseconds timeout,
                                   const std::string& bearer_token = "");

} // namespace tandem
