#include "tandem/http_probe.h"

#include <httplib.h>

#include <cerrno>
#include <cstring>

namespace tandem {

namespace {

std::string failure_text(httplib::Error error, int system_errno, std::chrono::milliseconds timeout,
                         double elapsed_ms) {
    const std::string timed_out = "timed out after " + std::to_string(timeout.count()) + " ms";
    switch (error) {
    case httplib::Error::ConnectionTimeout:
        return "connect " + timed_out;
    case httplib::Error::Read:
        // httplib reports a read that waited out its timeout like any
        // other short read; the time spent tells them apart.
        if (elapsed_ms >= static_cast<double>(timeout.count()))
            return timed_out;
        return "no complete response";
    case httplib::Error::Write:
        return "request could not be sent";
    case httplib::Error::Connection:
        // The connect is non-blocking: EINPROGRESS says nothing, and a
        // refusal read from the socket leaves no errno behind.
        if (elapsed_ms >= static_cast<double>(timeout.count()))
            return "connect " + timed_out;
        if (system_errno != 0 && system_errno != EINPROGRESS && system_errno != EAGAIN)
            return "connection failed (" + std::string(std::strerror(system_errno)) + ")";
        return "connection failed";
    default:
        return httplib::to_string(error);
    }
}

} // namespace

HttpGetResult http_get(const HttpUrl& url, std::chrono::milliseconds timeout,
                       const std::string& bearer_token) {
    using Clock = std::chrono::steady_clock;
    httplib::Client client(url.server.host, url.server.port);
    client.set_connection_timeout(timeout);
    client.set_read_timeout(timeout);
    client.set_write_timeout(timeout);
    client.set_keep_alive(false);
    if (!bearer_token.empty())
        client.set_bearer_token_auth(bearer_token);

    HttpGetResult result;
    const Clock::time_point start = Clock::now();
    errno = 0;
    httplib::Result response = client.Get(url.path);
    const int system_errno = errno;
    result.latency_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    if (!response) {
        result.error = format_http_url(url) + ": " +
                       failure_text(response.error(), system_errno, timeout, result.latency_ms);
        return result;
    }
    result.status = response->status;
    result.body = std::move(response->body);
    return result;
}

ProbeResult probe_result(const HttpGetResult& get, int expect_status) {
    ProbeResult probe;
    probe.status = get.status;
    probe.latency_ms = get.latency_ms;
    if (!get.responded())
        probe.error = get.error;
    else if (get.status != expect_status)
        probe.error =
            "status " + std::to_string(get.status) + ", expected " + std::to_string(expect_status);
    probe.ok = probe.error.empty();
    return probe;
}

ProbeResult probe_http(const HttpUrl& url, std::chrono::milliseconds timeout, int expect_status) {
    return probe_result(http_get(url, timeout), expect_status);
}

} // namespace tandem
