// The two kinds of HTTP address tandemd's configuration names: where its
// own endpoint listens ("127.0.0.1:9470", "[::1]:9470") and the plain
// http:// URLs of peers' /health and of probes.  Pure text handling, so
// the configuration is validated without any network access; TLS is not
// spoken, so https:// is refused rather than silently sent in clear.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tandem {

// A host (a name, an IPv4 address, or an IPv6 address without brackets)
// and a port.
struct HostPort {
    std::string host;
    std::uint16_t port = 0;

    bool operator==(const HostPort&) const = default;
};

// "<host>:<port>" or "[<ipv6>]:<port>", port 1..65535.  Raises UsageError
// saying what is wrong.
HostPort parse_host_port(std::string_view text);

// The inverse: brackets around an IPv6 address.
std::string format_host_port(const HostPort& address);

// localhost, 127.0.0.0/8 or ::1: reachable only from this machine.
bool is_loopback_host(std::string_view host);

struct HttpUrl {
    HostPort server{"", 80};
    std::string path = "/"; // from the first '/', query included

    bool operator==(const HttpUrl&) const = default;
};

// "http://<host>[:<port>][/<path>]" (port 80 and path "/" by default).
// Raises UsageError for another scheme (https:// included), user info,
// a missing or malformed host, a bad port, blanks or a fragment.
HttpUrl parse_http_url(std::string_view text);

// The inverse; the port is written only when it is not 80.
std::string format_http_url(const HttpUrl& url);

} // namespace tandem
