// Listen addresses and http:// URLs of tandemd's configuration: what is
// accepted, how it is split, and what each refusal says.
#include "tandem/errors.h"
#include "tandem/http_url.h"

#include <gtest/gtest.h>

using namespace tandem;

namespace {

std::string error_of(std::string (*parse)(std::string_view), std::string_view text) {
    try {
        return "(accepted: " + parse(text) + ")";
    } catch (const UsageError& e) {
        return e.what();
    }
}

std::string host_port(std::string_view text) {
    return format_host_port(parse_host_port(text));
}

std::string url(std::string_view text) {
    return format_http_url(parse_http_url(text));
}

} // namespace

TEST(HttpUrl, HostPortSplitsAndFormatsBack) {
    const struct {
        const char* text;
        HostPort expected;
        const char* formatted;
    } cases[] = {
        {"127.0.0.1:9470", {"127.0.0.1", 9470}, "127.0.0.1:9470"},
        {"0.0.0.0:1", {"0.0.0.0", 1}, "0.0.0.0:1"},
        {"[::1]:9470", {"::1", 9470}, "[::1]:9470"},
        {"[fe80::1]:65535", {"fe80::1", 65535}, "[fe80::1]:65535"},
        {"node-b.example:80", {"node-b.example", 80}, "node-b.example:80"},
        {"localhost:9470", {"localhost", 9470}, "localhost:9470"},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(parse_host_port(c.text), c.expected) << c.text;
        EXPECT_EQ(host_port(c.text), c.formatted) << c.text;
    }
}

TEST(HttpUrl, HostPortRefusals) {
    const std::pair<const char*, const char*> cases[] = {
        {"127.0.0.1", "expected <host>:<port>, e.g. 127.0.0.1:9470, got '127.0.0.1'"},
        {"127.0.0.1:0", "bad port '0' in '127.0.0.1:0'; expected 1..65535"},
        {"127.0.0.1:65536", "bad port '65536' in '127.0.0.1:65536'; expected 1..65535"},
        {"127.0.0.1:x", "bad port 'x' in '127.0.0.1:x'; expected 1..65535"},
        {":9470", "no host in ':9470'"},
        {"::1:9470", "an IPv6 address needs brackets, e.g. [::1]:9470, got '::1:9470'"},
        {"[::g]:9470", "bad IPv6 address '[::g]' in '[::g]:9470'"},
        {"300.1.1.1:80", "bad host '300.1.1.1' in '300.1.1.1:80'; expected a host name, an IPv4 "
                         "address or a bracketed IPv6 address"},
        {"a_b:80", "bad host 'a_b' in 'a_b:80'; expected a host name, an IPv4 address or a "
                   "bracketed IPv6 address"},
        {"-a:80", "bad host '-a' in '-a:80'; expected a host name, an IPv4 address or a "
                  "bracketed IPv6 address"},
    };
    for (auto [text, message] : cases)
        EXPECT_EQ(error_of(host_port, text), message) << text;
}

TEST(HttpUrl, LoopbackHosts) {
    for (const char* host : {"localhost", "127.0.0.1", "127.1.2.3", "::1"})
        EXPECT_TRUE(is_loopback_host(host)) << host;
    for (const char* host : {"0.0.0.0", "::", "10.0.0.1", "127.example", "localhost.example"})
        EXPECT_FALSE(is_loopback_host(host)) << host;
}

TEST(HttpUrl, UrlsSplitAndFormatBack) {
    const struct {
        const char* text;
        HttpUrl expected;
        const char* formatted;
    } cases[] = {
        {"http://10.0.0.2:9470/health",
         {{"10.0.0.2", 9470}, "/health"},
         "http://10.0.0.2:9470/health"},
        {"http://node-b", {{"node-b", 80}, "/"}, "http://node-b/"},
        {"http://node-b:80/", {{"node-b", 80}, "/"}, "http://node-b/"},
        {"http://[::1]:8080/ready?deep=1",
         {{"::1", 8080}, "/ready?deep=1"},
         "http://[::1]:8080/ready?deep=1"},
        {"http://[::1]/x", {{"::1", 80}, "/x"}, "http://[::1]/x"},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(parse_http_url(c.text), c.expected) << c.text;
        EXPECT_EQ(url(c.text), c.formatted) << c.text;
    }
}

TEST(HttpUrl, UrlRefusals) {
    const std::pair<const char*, const char*> cases[] = {
        {"https://b/health", "https is not supported (tandemd speaks plain HTTP); expected "
                             "http://, got 'https://b/health'"},
        {"ftp://b/", "expected a URL starting with http://, got 'ftp://b/'"},
        {"b:9470/health", "expected a URL starting with http://, got 'b:9470/health'"},
        {"http://", "no host in 'http://'"},
        {"http:///health", "no host in 'http:///health'"},
        {"http://b:99999/", "bad port '99999' in 'http://b:99999/'; expected 1..65535"},
        {"http://user@b/", "user information ('@') is not supported in 'http://user@b/'"},
        {"http://b/a b", "blank or control character in 'http://b/a b'"},
        {"http://b/#top", "a URL sent to a server has no fragment ('#'), got 'http://b/#top'"},
        {"http://::1/", "an IPv6 address needs brackets, e.g. [::1]:9470, got 'http://::1/'"},
    };
    for (auto [text, message] : cases)
        EXPECT_EQ(error_of(url, text), message) << text;
}
