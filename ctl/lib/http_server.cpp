#include "tandem/http_server.h"

#include "tandem/errors.h"
#include "tandem/prometheus_text.h"

#include <httplib.h>
#include <netdb.h>
#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace tandem {

namespace {

constexpr const char* json_content_type = "application/json";

// Equal strings, in a time that does not depend on where they differ.
bool same_secret(const std::string& given, const std::string& expected) {
    if (expected.empty())
        return given.empty();
    unsigned char differ = given.size() != expected.size();
    for (std::size_t i = 0; i < given.size(); i++)
        differ |= static_cast<unsigned char>(given[i] ^ expected[i % expected.size()]);
    return differ == 0;
}

// SO_REUSEADDR lets a restarted daemon bind while old connections linger;
// httplib's default SO_REUSEPORT would also let a second daemon bind the
// same port and take half the requests.
void listen_socket_options(socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
}

// A reply from a callback; its exception becomes a 500.
void serve(httplib::Response& response, const std::function<std::string()>& body,
           std::string_view content_type) {
    try {
        response.set_content(body(), std::string(content_type));
    } catch (const std::exception& e) {
        response.status = 500;
        response.set_content(std::string(e.what()) + "\n", "text/plain");
    }
}

} // namespace

struct HttpServer::Impl {
    HttpServerOptions options;
    HttpServerHandlers handlers;
    httplib::Server server;
    std::thread thread;
    std::uint16_t port = 0;
    bool started = false; // once: httplib's routes cannot be set twice
    bool serving = false;
    std::atomic<bool> listen_returned = false;
};

HttpServer::HttpServer(HttpServerOptions options, HttpServerHandlers handlers)
    : impl_(std::make_unique<Impl>()) {
    impl_->options = std::move(options);
    impl_->handlers = std::move(handlers);
}

HttpServer::~HttpServer() {
    stop();
}

void HttpServer::start() {
    Impl& impl = *impl_;
    if (impl.started)
        throw std::logic_error("HTTP server " + format_host_port(impl.options.listen) +
                               " already started");
    const std::string address = format_host_port(impl.options.listen);
    if (impl.options.bearer_token.empty() && !is_loopback_host(impl.options.listen.host))
        throw UsageError("HTTP endpoint " + address +
                         " is reachable from other machines: it needs a bearer token");

    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    addrinfo* found = nullptr;
    const int gai = getaddrinfo(impl.options.listen.host.c_str(), nullptr, &hints, &found);
    if (gai != 0)
        throw std::runtime_error("cannot listen on " + address + ": " + gai_strerror(gai));
    freeaddrinfo(found);

    httplib::Server& server = impl.server;
    server.new_task_queue = [] {
        return new httplib::ThreadPool(1);
    };
    server.set_socket_options(listen_socket_options);
    server.set_keep_alive_max_count(1);
    if (!impl.options.bearer_token.empty()) {
        server.set_pre_routing_handler(
            [token = impl.options.bearer_token](const httplib::Request& request,
                                                httplib::Response& response) {
                const std::string given = request.get_header_value("Authorization");
                constexpr std::string_view scheme = "Bearer ";
                if (given.starts_with(scheme) && same_secret(given.substr(scheme.size()), token))
                    return httplib::Server::HandlerResponse::Unhandled;
                response.status = 401;
                response.set_header("WWW-Authenticate", "Bearer realm=\"tandemd\"");
                response.set_content("missing or wrong bearer token\n", "text/plain");
                return httplib::Server::HandlerResponse::Handled;
            });
    }
    server.Get("/health", [this](const httplib::Request&, httplib::Response& response) {
        serve(response, impl_->handlers.health, json_content_type);
    });
    server.Get("/metrics", [this](const httplib::Request&, httplib::Response& response) {
        serve(response, impl_->handlers.metrics, prometheus_content_type);
    });

    errno = 0;
    int port = impl.options.listen.port;
    bool bound;
    if (port == 0) {
        port = server.bind_to_any_port(impl.options.listen.host);
        bound = port > 0;
    } else {
        bound = server.bind_to_port(impl.options.listen.host, port);
    }
    if (!bound)
        throw std::runtime_error("cannot listen on " + address + ": " +
                                 (errno != 0 ? std::strerror(errno) : "bind failed"));
    impl.port = static_cast<std::uint16_t>(port);
    impl.started = true;
    impl.serving = true;
    impl.thread = std::thread([&impl] {
        impl.server.listen_after_bind();
        impl.listen_returned = true;
    });
    // stop() is lost on a server that has not begun to listen: wait for it.
    while (!server.is_running() && !impl.listen_returned)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

void HttpServer::stop() {
    Impl& impl = *impl_;
    if (!impl.serving)
        return;
    impl.server.stop();
    if (impl.thread.joinable())
        impl.thread.join();
    impl.serving = false;
}

bool HttpServer::running() const {
    return impl_->serving;
}

std::uint16_t HttpServer::port() const {
    return impl_->port;
}

} // namespace tandem
