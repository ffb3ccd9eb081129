// The alert as the hooks send it, its JSON body, and the hooks a policy
// asks for (alert_hooks.h).  No I/O here.
#include "tandem/alert_hooks.h"

#include <cstdio>
#include <ctime>

namespace tandem {

namespace {

std::string json_string(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
                out += buf;
            } else {
                out += c;
            }
        }
    }
    return out + "\"";
}

std::string utc_time(std::chrono::system_clock::time_point time) {
    const std::time_t t = std::chrono::system_clock::to_time_t(time);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

} // namespace

Alert make_alert(const MitigationAction& action, std::chrono::system_clock::time_point time) {
    Alert alert{action.device, action.state == AnomalyState::anomalous ? "anomalous" : "recovered",
                action.reasons, time};
    if (alert.reasons.empty() && !action.alert.empty())
        alert.reasons.push_back(action.alert);
    return alert;
}

std::string alert_json(const Alert& alert) {
    std::string out = "{\"device\":" + json_string(alert.device) +
                      ",\"state\":" + json_string(alert.state) + ",\"reasons\":[";
    for (std::size_t i = 0; i < alert.reasons.size(); i++)
        out += (i ? "," : "") + json_string(alert.reasons[i]);
    return out + "],\"time\":" + json_string(utc_time(alert.time)) + "}";
}

std::vector<std::unique_ptr<AlertHook>> make_alert_hooks(const MitigationPolicy& policy,
                                                         std::chrono::milliseconds timeout) {
    std::vector<std::unique_ptr<AlertHook>> hooks;
    if (!policy.alert)
        return hooks;
    if (!policy.webhook_url.empty())
        hooks.push_back(std::make_unique<WebhookHook>(policy.webhook_url, timeout));
    if (!policy.exec.empty())
        hooks.push_back(std::make_unique<ExecHook>(policy.exec, timeout));
    return hooks;
}

} // namespace tandem
