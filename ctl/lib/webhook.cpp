// The webhook hook: POST the alert's JSON body with cpp-httplib, every
// stage (connect, send, answer) bounded by the timeout.
#include "tandem/alert_hooks.h"

#include <httplib.h>

namespace tandem {

WebhookHook::WebhookHook(const std::string& url, std::chrono::milliseconds timeout)
    : url_(parse_http_url(url))
    , timeout_(timeout) {}

HookResult WebhookHook::send(const Alert& alert) {
    httplib::Client client(url_.server.host, url_.server.port);
    const auto sec = static_cast<time_t>(timeout_.count() / 1000);
    const auto usec = static_cast<time_t>(timeout_.count() % 1000 * 1000);
    client.set_connection_timeout(sec, usec);
    client.set_read_timeout(sec, usec);
    client.set_write_timeout(sec, usec);
    const std::string where = "POST " + format_http_url(url_);
    httplib::Result answer = client.Post(url_.path, alert_json(alert), "application/json");
    if (!answer)
        return {false, where + ": " + httplib::to_string(answer.error())};
    const int status = answer->status;
    return {status >= 200 && status < 300, "HTTP " + std::to_string(status)};
}

} // namespace tandem
