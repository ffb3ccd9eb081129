// The real Waiter: the steady clock, and SIGTERM, SIGINT and SIGHUP taken
// synchronously with sigtimedwait() (blocked for the lifetime of the
// object, so no handler runs and no signal is lost between waits).  wake()
// ends a wait from another thread (with SIGUSR2, taken the same way): the
// dm event waiters call it.  Create it before any other thread, so every
// thread inherits the blocked signals.
#pragma once

#include "daemon.h"

#include <csignal>
#include <pthread.h>

namespace tandem::daemon {

class SignalWaiter final : public Waiter {
public:
    SignalWaiter();
    ~SignalWaiter() override;
    SignalWaiter(const SignalWaiter&) = delete;
    SignalWaiter& operator=(const SignalWaiter&) = delete;

    Clock::time_point now() override;
    int wait_until(Clock::time_point deadline) override;

    // End the current (or the next) wait_until() early, returning 0.
    // Thread-safe.
    void wake();

private:
    sigset_t signals_;
    sigset_t old_mask_;
    pthread_t owner_; // the thread that waits
};

} // namespace tandem::daemon
