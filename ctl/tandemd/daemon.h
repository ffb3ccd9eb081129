// tandemd's life as an explicit state machine:
//
//   init -> configure -> running -> shutdown
//              ^            |
//              +-- SIGHUP --+
//
// configure loads and validates the configuration (a failure is fatal the
// first time; on reload the previous configuration stays in force), running
// polls each device when it is due, and at once when it raised a dm event,
// logs what changed and hands the statuses to the policy loop
// (policy_loop.h), which decides and sends, and SIGTERM or SIGINT leads to
// shutdown.  Time,
// signals, dm events, device-mapper and systemd notification are all
// injected, so tests run the machine on a simulated clock.
#pragma once

#include "policy_loop.h"
#include "poll_recorder.h"

#include "tandem/config.h"
#include "tandem/device_mapper.h"
#include "tandem/monitor.h"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::daemon {

enum class State { init, configure, running, shutdown };
std::string_view to_string(State state);

// The daemon's view of time and signals.
class Waiter {
public:
    using Clock = std::chrono::steady_clock;
    virtual ~Waiter() = default;
    virtual Clock::time_point now() = 0;
    // Sleep until `deadline`, until a signal arrives or until a device
    // raised a dm event (see DeviceEvents); returns the signal number, or 0
    // when the deadline passed or a dm event woke it.
    virtual int wait_until(Clock::time_point deadline) = 0;
};

// The daemon's view of dm events (DM_DEVICE_WAITEVENT): which watched
// devices raised one.  A device raising an event also ends the Waiter's
// wait, so the daemon reads its status at once instead of at its next poll.
class DeviceEvents {
public:
    virtual ~DeviceEvents() = default;
    // Watch exactly these devices from now on.
    virtual void watch(const std::vector<std::string>& devices) = 0;
    // The devices that raised an event since the previous call, each once.
    virtual std::vector<std::string> take() = 0;
};

class Daemon {
public:
    using ConfigLoader = std::function<Config()>;
    using Notifier = std::function<void(std::string_view)>;

    // `once`: poll every device a single time, log what was found, then
    // shut down: nothing is created, decided or sent, and no device is
    // watched for events.
    Daemon(ConfigLoader load, DeviceMapper& dm, Waiter& waiter, DeviceEvents& events,
           Notifier notify, bool once, Adapters adapters = {});

    // Run to shutdown; returns the exit status (0, or 1 after a fatal
    // configuration error or, with `once`, an unreadable device).
    int run();

    State state() const { return state_; }
    // The configuration in force (after the first successful configure).
    const std::optional<Config>& config() const { return config_; }
    const PolicyLoop& policy() const { return policy_; }

private:
    void enter(State next);
    void configure();
    void running();
    Waiter::Clock::time_point next_wakeup() const;

    ConfigLoader load_;
    PollRecorder dm_; // the monitor reads through it, so the policy sees what was polled
    Waiter& waiter_;
    DeviceEvents& events_;
    Notifier notify_;
    bool once_;

    State state_ = State::init;
    std::optional<Config> config_;
    std::optional<Monitor> monitor_;
    PolicyLoop policy_;
    int exit_status_ = 0;
};

} // namespace tandem::daemon
