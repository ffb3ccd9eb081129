#include "tandem/http_url.h"

#include "tandem/errors.h"
#include "tandem/fields.h"

#include <arpa/inet.h>

#include <algorithm>

namespace tandem {

namespace {

std::string quoted(std::string_view text) {
    return "'" + std::string(text) + "'";
}

bool is_ipv4(std::string_view text) {
    in_addr addr{};
    return inet_pton(AF_INET, std::string(text).c_str(), &addr) == 1;
}

bool is_ipv6(std::string_view text) {
    in6_addr addr{};
    return inet_pton(AF_INET6, std::string(text).c_str(), &addr) == 1;
}

bool letter_or_digit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// RFC 1123 host names: dot-separated labels of letters, digits and inner
// hyphens, 1..63 characters each, 253 in all.
bool is_host_name(std::string_view text) {
    if (text.empty() || text.size() > 253)
        return false;
    std::size_t pos = 0;
    while (true) {
        const std::size_t dot = text.find('.', pos);
        const std::string_view label = text.substr(pos, dot - pos);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
            return false;
        if (!std::all_of(label.begin(), label.end(),
                         [](char c) { return letter_or_digit(c) || c == '-'; }))
            return false;
        if (dot == std::string_view::npos)
            return true;
        pos = dot + 1;
    }
}

bool all_digits_and_dots(std::string_view text) {
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
}

// A host as it appears between "//" (or the start) and ":<port>".
std::string checked_host(std::string_view host, std::string_view whole) {
    if (host.empty())
        throw UsageError("no host in " + quoted(whole));
    if (host.front() == '[') {
        if (host.back() != ']' || !is_ipv6(host.substr(1, host.size() - 2)))
            throw UsageError("bad IPv6 address " + quoted(host) + " in " + quoted(whole));
        return std::string(host.substr(1, host.size() - 2));
    }
    if (host.find(':') != std::string_view::npos)
        throw UsageError("an IPv6 address needs brackets, e.g. [::1]:9470, got " + quoted(whole));
    if (all_digits_and_dots(host) ? !is_ipv4(host) : !is_host_name(host))
        throw UsageError("bad host " + quoted(host) + " in " + quoted(whole) +
                         "; expected a host name, an IPv4 address or a bracketed IPv6 address");
    return std::string(host);
}

std::uint16_t checked_port(std::string_view port, std::string_view whole) {
    auto number = parse_uint(port, 65535);
    if (!number || *number == 0)
        throw UsageError("bad port " + quoted(port) + " in " + quoted(whole) +
                         "; expected 1..65535");
    return static_cast<std::uint16_t>(*number);
}

// Split "<host>[:<port>]" where the host may be bracketed; the port part
// is npos when there is none.
std::size_t port_colon(std::string_view authority) {
    const std::size_t close = authority.rfind(']');
    const std::size_t colon = authority.rfind(':');
    if (colon == std::string_view::npos || (close != std::string_view::npos && colon < close))
        return std::string_view::npos;
    if (close == std::string_view::npos && authority.find(':') != colon)
        return std::string_view::npos; // an unbracketed IPv6 address: refused by checked_host
    return colon;
}

// An IPv6 address in brackets, as it is written before ":<port>".
std::string bracketed(const std::string& host) {
    return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

} // namespace

HostPort parse_host_port(std::string_view text) {
    const std::size_t colon = port_colon(text);
    if (colon == std::string_view::npos) {
        checked_host(text, text); // a malformed or unbracketed IPv6 host says so first
        throw UsageError("expected <host>:<port>, e.g. 127.0.0.1:9470, got " + quoted(text));
    }
    HostPort address;
    address.host = checked_host(text.substr(0, colon), text);
    address.port = checked_port(text.substr(colon + 1), text);
    return address;
}

std::string format_host_port(const HostPort& address) {
    return bracketed(address.host) + ":" + std::to_string(address.port);
}

bool is_loopback_host(std::string_view host) {
    if (host == "localhost" || host == "::1")
        return true;
    return is_ipv4(host) && host.substr(0, 4) == "127.";
}

HttpUrl parse_http_url(std::string_view text) {
    constexpr std::string_view scheme = "http://";
    if (text.substr(0, 8) == "https://")
        throw UsageError("https is not supported (tandemd speaks plain HTTP); expected http://, "
                         "got " +
                         quoted(text));
    if (text.substr(0, scheme.size()) != scheme)
        throw UsageError("expected a URL starting with http://, got " + quoted(text));
    for (char c : text) {
        if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f)
            throw UsageError("blank or control character in " + quoted(text));
    }
    if (text.find('#') != std::string_view::npos)
        throw UsageError("a URL sent to a server has no fragment ('#'), got " + quoted(text));

    const std::string_view rest = text.substr(scheme.size());
    const std::size_t slash = rest.find('/');
    const std::string_view authority = rest.substr(0, slash);
    if (authority.find('@') != std::string_view::npos)
        throw UsageError("user information ('@') is not supported in " + quoted(text));

    HttpUrl url;
    const std::size_t colon = port_colon(authority);
    url.server.host = checked_host(authority.substr(0, colon), text);
    if (colon != std::string_view::npos)
        url.server.port = checked_port(authority.substr(colon + 1), text);
    if (slash != std::string_view::npos)
        url.path = std::string(rest.substr(slash));
    return url;
}

std::string format_http_url(const HttpUrl& url) {
    const std::string authority =
        url.server.port == 80 ? bracketed(url.server.host) : format_host_port(url.server);
    return "http://" + authority + url.path;
}

} // namespace tandem
