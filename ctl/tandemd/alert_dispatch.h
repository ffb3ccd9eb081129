// Where the shadow guard's alerts go.  The hooks (alert_hooks.h: a
// webhook, a program) may take up to their timeout each, so on a live
// system BackgroundAlerts sends them from a thread of their own, in
// order, and logs how each went; the daemon's loop only queues.
#pragma once

#include "tandem/alert_hooks.h"
#include "tandem/mitigation.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace tandem::daemon {

class AlertSink {
public:
    virtual ~AlertSink() = default;
    // The hooks of this policy from now on (alerts already queued go to
    // the hooks they were queued for).
    virtual void configure(const MitigationPolicy& policy) = 0;
    // Queue an alert for every hook.
    virtual void send(const Alert& alert) = 0;
};

// How long one hook call may take.
inline constexpr std::chrono::milliseconds alert_hook_timeout{5000};

class BackgroundAlerts final : public AlertSink {
public:
    using HookFactory =
        std::function<std::vector<std::unique_ptr<AlertHook>>(const MitigationPolicy&)>;

    // `make` builds the hooks of a policy (make_alert_hooks() by default).
    explicit BackgroundAlerts(HookFactory make = {});
    ~BackgroundAlerts() override; // sends what is queued, then stops
    BackgroundAlerts(const BackgroundAlerts&) = delete;
    BackgroundAlerts& operator=(const BackgroundAlerts&) = delete;

    void configure(const MitigationPolicy& policy) override;
    void send(const Alert& alert) override;

private:
    using Hooks = std::shared_ptr<std::vector<std::unique_ptr<AlertHook>>>;
    void run();

    HookFactory make_;
    std::mutex mutex_; // guards everything below but thread_
    std::condition_variable changed_;
    Hooks hooks_;
    std::deque<std::pair<Alert, Hooks>> queue_;
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace tandem::daemon
