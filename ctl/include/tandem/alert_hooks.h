// Where the daemon's alerts go (mitigation.h decides when): an HTTP
// webhook receiving a JSON body, and a program run with fixed arguments.
// Both are adapters behind one seam, AlertHook, so the daemon's tests use a
// fake; each call is bounded by a timeout, so a stuck receiver never holds
// the daemon's loop longer than that.
//
// The JSON body:
//
//   {"device":"tandem0","state":"anomalous",
//    "reasons":["write shadow p99 ..."],"time":"2024-05-01T12:00:00Z"}
//
// The program is run as  <exec...> <device> <state>  through fork and
// execv: no shell, no PATH search, stdin from /dev/null; a program still
// running at the timeout is killed (SIGKILL) and reaped.
#pragma once

#include "tandem/http_url.h"
#include "tandem/mitigation.h"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace tandem {

// One alert, as the hooks send it.
struct Alert {
    std::string device;
    std::string state; // "anomalous", "recovered", ...
    std::vector<std::string> reasons;
    std::chrono::system_clock::time_point time;

    bool operator==(const Alert&) const = default;
};

// The alert of an action: its device, "anomalous" when it enters that
// state and "recovered" otherwise, its reasons (or, without any, its alert
// text), stamped with `time`.
Alert make_alert(const MitigationAction& action, std::chrono::system_clock::time_point time);

// The JSON body above (strings escaped as JSON requires; time in UTC,
// ISO 8601, to the second).
std::string alert_json(const Alert& alert);

// How a hook call went.
struct HookResult {
    bool ok = false;
    std::string detail; // "HTTP 200", "exit status 1", "timed out after 5000 ms", ...

    bool operator==(const HookResult&) const = default;
};

class AlertHook {
public:
    virtual ~AlertHook() = default;
    virtual HookResult send(const Alert& alert) = 0;
};

// POST alert_json() to the URL; ok for a 2xx answer.  A connection that
// cannot be made, or no answer within the timeout, is a failure naming it.
class WebhookHook : public AlertHook {
public:
    // Raises UsageError for a URL parse_http_url() (http_url.h) refuses.
    WebhookHook(const std::string& url, std::chrono::milliseconds timeout);
    HookResult send(const Alert& alert) override;

private:
    HttpUrl url_;
    std::chrono::milliseconds timeout_;
};

// How a program run ended.
struct ExecResult {
    enum class Outcome {
        exited,      // `code` is its exit status
        signalled,   // `code` is the signal that ended it
        timed_out,   // killed at the timeout
        not_started, // could not be run (`detail` says why)
    };
    Outcome outcome = Outcome::not_started;
    int code = 0;
    std::string detail; // "exit status 0", "killed by signal 9", ...

    bool ok() const { return outcome == Outcome::exited && code == 0; }
};

// Run argv[0] (an absolute path) with argv as its arguments, wait for it at
// most `timeout`.  Raises UsageError for an empty argv or a relative
// program path.
ExecResult run_program(const std::vector<std::string>& argv, std::chrono::milliseconds timeout);

// Run the program with the fixed arguments plus the alert's device and
// state; ok when it exits with status 0.
class ExecHook : public AlertHook {
public:
    // Raises UsageError for an empty argv or a relative program path.
    ExecHook(std::vector<std::string> argv, std::chrono::milliseconds timeout);
    HookResult send(const Alert& alert) override;

private:
    std::vector<std::string> argv_;
    std::chrono::milliseconds timeout_;
};

// The hooks a policy asks for (webhook first, then exec), none when it
// sends no alerts.  Raises UsageError as the constructors do.
std::vector<std::unique_ptr<AlertHook>> make_alert_hooks(const MitigationPolicy& policy,
                                                         std::chrono::milliseconds timeout);

} // namespace tandem
