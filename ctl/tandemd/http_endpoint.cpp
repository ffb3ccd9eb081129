#include "http_endpoint.h"

#include "tandem/log.h"

namespace tandem::daemon {

HttpEndpoint::~HttpEndpoint() {
    if (server_)
        server_->stop();
}

void HttpEndpoint::configure(const std::optional<HostPort>& listen, const std::string& token) {
    if (server_ && listen == listen_ && token == token_)
        return;
    if (server_) {
        server_->stop();
        server_.reset();
        log::info("http: stopped serving " + format_host_port(*listen_));
    }
    listen_ = listen;
    token_ = token;
    if (!listen)
        return;
    auto server = std::make_unique<HttpServer>(HttpServerOptions{*listen, token},
                                               HttpServerHandlers{[this] { return health_body(); },
                                                                  [this] {
                                                                      return metrics_body();
                                                                  }});
    try {
        server->start();
    } catch (const std::exception& e) {
        log::error("http: " + std::string(e.what()) + "; /health and /metrics are not served");
        return;
    }
    server_ = std::move(server);
    log::info("http: serving /health and /metrics on " +
              format_host_port(HostPort{listen->host, server_->port()}) +
              (token.empty() ? "" : " (bearer token required)"));
}

void HttpEndpoint::publish(NodeHealthReport health, MetricsSnapshot metrics) {
    std::lock_guard lock(mutex_);
    health_ = std::move(health);
    metrics_ = std::move(metrics);
}

std::string HttpEndpoint::health_body() const {
    NodeHealthReport copy;
    {
        std::lock_guard lock(mutex_);
        copy = health_;
    }
    return encode_health_report(copy);
}

std::string HttpEndpoint::metrics_body() const {
    MetricsSnapshot copy;
    {
        std::lock_guard lock(mutex_);
        copy = metrics_;
    }
    return format_metrics(copy);
}

std::optional<std::uint16_t> HttpEndpoint::port() const {
    if (!server_)
        return std::nullopt;
    return server_->port();
}

} // namespace tandem::daemon
