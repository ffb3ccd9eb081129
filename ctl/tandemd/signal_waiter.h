// The real Waiter: the steady clock, and SIGTERM, SIGINT and SIGHUP taken
// synchronously with sigtimedwait() (blocked for the lifetime of the
// object, so no handler runs and no signal is lost between waits).
#pragma once

#include "daemon.h"

#include <csignal>

namespace tandem::daemon {

class SignalWaiter final : public Waiter {
public:
    SignalWaiter();
    ~SignalWaiter() override;
    SignalWaiter(const SignalWaiter&) = delete;
    SignalWaiter& operator=(const SignalWaiter&) = delete;

    Clock::time_point now() override;
    int wait_until(Clock::time_point deadline) override;

private:
    sigset_t signals_;
    sigset_t old_mask_;
};

} // namespace tandem::daemon
