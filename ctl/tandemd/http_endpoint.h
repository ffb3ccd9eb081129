// tandemd's /health and /metrics.  The daemon's loop publishes what it
// knows after each round of polls (a NodeHealthReport and a
// MetricsSnapshot, copied under a mutex); the server's thread formats the
// last one published for each request, so it never reads the loop's own
// state.  The server is started when http.listen is set, and restarted on
// a reload that changes the address or the token.
#pragma once

#include "tandem/health_json.h"
#include "tandem/http_server.h"
#include "tandem/metrics_text.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace tandem::daemon {

class HttpEndpoint {
public:
    HttpEndpoint() = default;
    HttpEndpoint(const HttpEndpoint&) = delete;
    HttpEndpoint& operator=(const HttpEndpoint&) = delete;
    ~HttpEndpoint(); // stops the server

    // Serve on `listen` (nullopt: serve nothing) with `token`.  A server
    // that cannot start is logged, and the daemon goes on without one.
    void configure(const std::optional<HostPort>& listen, const std::string& token);

    void publish(NodeHealthReport health, MetricsSnapshot metrics);

    // The bodies of GET /health and GET /metrics, from the last publish.
    std::string health_body() const;
    std::string metrics_body() const;

    // The port served, when serving.
    std::optional<std::uint16_t> port() const;

private:
    mutable std::mutex mutex_; // guards health_ and metrics_
    NodeHealthReport health_;
    MetricsSnapshot metrics_;

    std::unique_ptr<HttpServer> server_;
    std::optional<HostPort> listen_;
    std::string token_;
};

} // namespace tandem::daemon
