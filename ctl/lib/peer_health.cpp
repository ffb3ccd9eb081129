#include "tandem/peer_health.h"

#include "tandem/errors.h"
#include "tandem/health_json.h"

namespace tandem {

PeerHealthResult peer_health_from_response(const HttpUrl& url, const HttpGetResult& response) {
    PeerHealthResult result;
    result.latency_ms = response.latency_ms;
    if (!response.responded()) {
        result.error = response.error; // names the URL already
        return result;
    }
    if (response.status != 200) {
        result.error =
            format_http_url(url) + ": status " + std::to_string(response.status) + ", expected 200";
        return result;
    }
    try {
        NodeHealthReport report = decode_health_report(response.body);
        result.health = PeerHealth{std::move(report.node), report.score,
                                   std::move(report.components), report.time};
    } catch (const ParseError& e) {
        result.error = format_http_url(url) + ": bad reply: " + e.what();
    }
    return result;
}

PeerHealthResult fetch_peer_health(const HttpUrl& url, std::chrono::milliseconds timeout,
                                   const std::string& bearer_token) {
    return peer_health_from_response(url, http_get(url, timeout, bearer_token));
}

} // namespace tandem
