#include "alert_dispatch.h"

#include "tandem/log.h"

namespace tandem::daemon {

namespace {

// Alerts waiting past this many are dropped (and said so): a receiver
// that hangs must not make the daemon grow.
constexpr std::size_t max_queued = 64;

} // namespace

BackgroundAlerts::BackgroundAlerts(HookFactory make)
    : make_(make
                ? std::move(make)
                : [](const MitigationPolicy& p) { return make_alert_hooks(p, alert_hook_timeout); })
    , hooks_(std::make_shared<std::vector<std::unique_ptr<AlertHook>>>())
    , thread_([this] { run(); }) {}

BackgroundAlerts::~BackgroundAlerts() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
}

void BackgroundAlerts::configure(const MitigationPolicy& policy) {
    auto hooks = std::make_shared<std::vector<std::unique_ptr<AlertHook>>>(make_(policy));
    std::lock_guard lock(mutex_);
    hooks_ = std::move(hooks);
}

void BackgroundAlerts::send(const Alert& alert) {
    {
        std::lock_guard lock(mutex_);
        if (hooks_->empty())
            return;
        if (queue_.size() >= max_queued) {
            log::warning(alert.device + ": alert '" + alert.state + "' dropped: " +
                         std::to_string(queue_.size()) + " alerts are still waiting to be sent");
            return;
        }
        queue_.emplace_back(alert, hooks_);
    }
    changed_.notify_all();
}

void BackgroundAlerts::run() {
    std::unique_lock lock(mutex_);
    while (true) {
        changed_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty())
            return; // stopping, nothing left to send
        auto [alert, hooks] = std::move(queue_.front());
        queue_.pop_front();
        lock.unlock();
        for (const auto& hook : *hooks) {
            const HookResult r = hook->send(alert);
            log::write(r.ok ? LogLevel::debug : LogLevel::warning,
                       alert.device + ": alert '" + alert.state + "' " +
                           (r.ok ? "delivered: " : "not delivered: ") + r.detail);
        }
        lock.lock();
    }
}

} // namespace tandem::daemon
