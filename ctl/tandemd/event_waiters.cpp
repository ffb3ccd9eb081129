#include "event_waiters.h"

#include "tandem/errors.h"
#include "tandem/log.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <mutex>
#include <optional>
#include <pthread.h>
#include <utility>

namespace tandem::daemon {

namespace {

constexpr int interrupt_signal = SIGUSR1;

void ignore_signal(int) {}

// A handler that does nothing, without SA_RESTART: a blocking ioctl in the
// thread that receives the signal returns EINTR.
void install_interrupt_handler() {
    static std::once_flag once;
    std::call_once(once, [] {
        struct sigaction sa {};
        sa.sa_handler = ignore_signal;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = 0;
        sigaction(interrupt_signal, &sa, nullptr);
    });
}

// Waiter threads take the interrupt signal and no other.
void accept_only_interrupt_signal() {
    sigset_t mask;
    sigfillset(&mask);
    sigdelset(&mask, interrupt_signal);
    pthread_sigmask(SIG_SETMASK, &mask, nullptr);
}

} // namespace

struct EventWaiters::Watch {
    explicit Watch(std::string name)
        : device(std::move(name)) {}
    const std::string device;
    bool stop = false; // guarded by mutex_
    bool done = false; // guarded by mutex_
    std::thread thread;
};

EventWaiters::EventWaiters(DeviceMapper& dm, Wake wake, Interrupt interrupt,
                           std::chrono::milliseconds retry)
    : dm_(dm)
    , wake_(std::move(wake))
    , interrupt_(std::move(interrupt))
    , retry_(retry) {
    install_interrupt_handler();
}

EventWaiters::~EventWaiters() {
    for (auto& w : watches_)
        stop(*w);
}

void EventWaiters::signal_thread(std::thread& thread) {
    pthread_kill(thread.native_handle(), interrupt_signal);
}

void EventWaiters::watch(const std::vector<std::string>& devices) {
    std::vector<std::unique_ptr<Watch>> next;
    for (auto& w : watches_) {
        if (std::find(devices.begin(), devices.end(), w->device) != devices.end())
            next.push_back(std::move(w));
        else
            stop(*w);
    }
    for (const std::string& name : devices) {
        const bool watched =
            std::any_of(next.begin(), next.end(), [&](const auto& w) { return w->device == name; });
        if (watched)
            continue;
        auto w = std::make_unique<Watch>(name);
        w->thread = std::thread([this, &watch = *w] { run(watch); });
        next.push_back(std::move(w));
    }
    watches_ = std::move(next);
}

std::vector<std::string> EventWaiters::take() {
    std::lock_guard lock(mutex_);
    return std::exchange(pending_, {});
}

void EventWaiters::raised(const std::string& device) {
    {
        std::lock_guard lock(mutex_);
        if (std::find(pending_.begin(), pending_.end(), device) == pending_.end())
            pending_.push_back(device);
    }
    wake_();
}

bool EventWaiters::stopping(const Watch& w) {
    std::lock_guard lock(mutex_);
    return w.stop;
}

void EventWaiters::run(Watch& w) {
    accept_only_interrupt_signal();
    std::optional<std::uint32_t> event_nr; // unknown until the device is found
    bool lost = false;                     // the last attempt failed
    while (!stopping(w)) {
        try {
            if (!event_nr) {
                const DeviceInfo info = dm_.info(w.device);
                if (!info.exists)
                    throw DmError("no such device", ENXIO);
                event_nr = info.event_nr;
                if (lost) {
                    log::debug(w.device + ": waiting for dm events again");
                    lost = false;
                    raised(w.device); // it may have changed while it was away
                }
            }
            const std::uint32_t now = dm_.wait_event(w.device, *event_nr);
            if (now != *event_nr) {
                event_nr = now;
                raised(w.device);
            }
        } catch (const std::exception& e) {
            if (const auto* dm_error = dynamic_cast<const DmError*>(&e);
                dm_error && dm_error->errno_value() == EINTR)
                continue; // interrupted: stopping, or a stray signal
            if (!lost)
                log::debug(w.device + ": cannot wait for dm events (" + e.what() +
                           "); trying again every " + std::to_string(retry_.count()) + " ms");
            lost = true;
            event_nr.reset();
            std::unique_lock lock(mutex_);
            changed_.wait_for(lock, retry_, [&] { return w.stop; });
        }
    }
    std::lock_guard lock(mutex_);
    w.done = true;
    changed_.notify_all();
}

void EventWaiters::stop(Watch& w) {
    using namespace std::chrono_literals;
    std::unique_lock lock(mutex_);
    w.stop = true;
    changed_.notify_all();
    // The thread may be about to enter its wait: interrupt until it is out.
    while (!w.done) {
        lock.unlock();
        interrupt_(w.thread);
        lock.lock();
        changed_.wait_for(lock, 10ms, [&] { return w.done; });
    }
    lock.unlock();
    w.thread.join();
}

} // namespace tandem::daemon
