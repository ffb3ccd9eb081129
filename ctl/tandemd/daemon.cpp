#include "daemon.h"

#include "tandem/errors.h"
#include "tandem/log.h"

#include <algorithm>
#include <csignal>
#include <cstring>

namespace tandem::daemon {

std::string_view to_string(State state) {
    switch (state) {
    case State::init:
        return "init";
    case State::configure:
        return "configure";
    case State::running:
        return "running";
    case State::shutdown:
        break;
    }
    return "shutdown";
}

Daemon::Daemon(ConfigLoader load, DeviceMapper& dm, Waiter& waiter, DeviceEvents& events,
               Notifier notify, bool once, Adapters adapters)
    : load_(std::move(load))
    , dm_(dm)
    , waiter_(waiter)
    , events_(events)
    , notify_(std::move(notify))
    , once_(once)
    , policy_(dm_, adapters) {}

void Daemon::enter(State next) {
    log::debug("state " + std::string(to_string(state_)) + " -> " + std::string(to_string(next)));
    state_ = next;
}

int Daemon::run() {
    while (true) {
        switch (state_) {
        case State::init:
            enter(State::configure);
            break;
        case State::configure:
            configure();
            break;
        case State::running:
            running();
            break;
        case State::shutdown:
            if (config_ && !once_)
                events_.watch({});
            notify_("STOPPING=1");
            return exit_status_;
        }
    }
}

void Daemon::configure() {
    const bool reload = config_.has_value();
    Config cfg;
    try {
        cfg = load_();
    } catch (const ConfigError& e) {
        if (!reload) {
            log::error(e.what());
            exit_status_ = 1;
            enter(State::shutdown);
            return;
        }
        log::error(std::string(e.what()) + "; keeping the previous configuration");
        notify_("READY=1");
        enter(State::running);
        return;
    }

    log::set_level(cfg.log_level.value);
    const auto now = waiter_.now();
    if (!once_)
        policy_.configure(cfg, now);
    if (monitor_)
        monitor_->reconfigure(cfg.devices, now);
    else
        monitor_.emplace(dm_, cfg.devices, now);

    std::string watching;
    for (const DeviceConfig& dev : cfg.devices)
        watching += (watching.empty() ? "" : ", ") + dev.name.value + " (every " +
                    std::to_string(dev.poll_interval_ms.value) + " ms)";
    if (!once_)
        events_.watch(monitor_->device_names());
    log::info(std::string(reload ? "configuration reloaded from " : "configuration read from ") +
              cfg.source + "; watching " + watching);

    config_ = std::move(cfg);
    notify_("READY=1\nSTATUS=watching " + std::to_string(config_->devices.size()) + " device(s)");
    enter(State::running);
}

Waiter::Clock::time_point Daemon::next_wakeup() const {
    const auto polls = monitor_->next_due();
    const auto policy = policy_.next_due();
    return policy ? std::min(polls, *policy) : polls;
}

void Daemon::running() {
    const auto now = waiter_.now();
    std::vector<DeviceEvent> events;
    if (once_) {
        events = monitor_->poll_all(now);
    } else {
        // Devices that raised a dm event are read at once, the others when due.
        const std::vector<std::string> raised = events_.take();
        for (const std::string& name : raised)
            log::debug(name + ": dm event");
        events = monitor_->poll_now(raised, now);
        for (DeviceEvent& ev : monitor_->poll_due(now))
            events.push_back(std::move(ev));
    }
    for (const DeviceEvent& ev : events)
        log::write(severity(ev.event), ev.device + ": " + describe(ev.event));
    if (!once_)
        policy_.after_polls(*monitor_, dm_.take(), events, now);

    if (once_) {
        exit_status_ = monitor_->all_available() ? 0 : 1;
        enter(State::shutdown);
        return;
    }

    const int sig = waiter_.wait_until(next_wakeup());
    if (sig == SIGTERM || sig == SIGINT) {
        log::info(std::string("received SIG") + sigabbrev_np(sig) + ", shutting down");
        enter(State::shutdown);
    } else if (sig == SIGHUP) {
        log::info("received SIGHUP, reloading the configuration");
        notify_("RELOADING=1");
        enter(State::configure);
    }
}

} // namespace tandem::daemon
