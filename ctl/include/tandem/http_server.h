// tandemd's HTTP endpoint: GET /health (health_json.h, for peers) and
// GET /metrics (metrics_text.h, for Prometheus), served on its own thread
// from callbacks that build each reply.  Any other path is 404.
//
// An endpoint reachable from other machines (a listen address that is not
// loopback) must have a bearer token: every request then carries
// "Authorization: Bearer <token>" or gets 401.  A token configured on a
// loopback address is required just the same.
//
// One worker thread answers requests, so the callbacks never run at the
// same time as each other, but they do run at the same time as the
// caller's own threads: they must only read state the caller guards.  A
// callback that throws makes a 500 reply with the exception's message.
#pragma once

#include "tandem/http_url.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace tandem {

struct HttpServerOptions {
    HostPort listen;          // port 0: any free port (port() tells which)
    std::string bearer_token; // "" for none
};

struct HttpServerHandlers {
    std::function<std::string()> health;  // the JSON body of GET /health
    std::function<std::string()> metrics; // the text of GET /metrics
};

class HttpServer {
public:
    HttpServer(HttpServerOptions options, HttpServerHandlers handlers);
    ~HttpServer(); // stop()
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Bind the address and start serving.  Raises UsageError for a
    // non-loopback address without a token, std::runtime_error naming the
    // address and the reason when it cannot be bound ("cannot listen on
    // 127.0.0.1:9470: Address already in use"), std::logic_error when
    // started before (a server starts once; make a new one to listen again).
    void start();

    // Stop serving and join the thread (requests being answered finish).
    // Does nothing when not started.
    void stop();

    bool running() const;
    // The bound port, once started.
    std::uint16_t port() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace tandem
