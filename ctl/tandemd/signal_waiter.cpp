#include "signal_waiter.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <stdexcept>

namespace tandem::daemon {

namespace {

constexpr int wake_signal = SIGUSR2;

} // namespace

SignalWaiter::SignalWaiter() {
    sigemptyset(&signals_);
    sigaddset(&signals_, SIGTERM);
    sigaddset(&signals_, SIGINT);
    sigaddset(&signals_, SIGHUP);
    sigaddset(&signals_, wake_signal);
    owner_ = pthread_self();
    if (int err = pthread_sigmask(SIG_BLOCK, &signals_, &old_mask_); err != 0)
        throw std::runtime_error(std::string("cannot block signals: ") + std::strerror(err));
}

SignalWaiter::~SignalWaiter() {
    pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
}

void SignalWaiter::wake() {
    pthread_kill(owner_, wake_signal);
}

Waiter::Clock::time_point SignalWaiter::now() {
    return Clock::now();
}

int SignalWaiter::wait_until(Clock::time_point deadline) {
    using namespace std::chrono;
    // Wake at least hourly, so a far deadline never overflows timespec.
    constexpr auto max_sleep = hours(1);
    while (true) {
        const auto left = std::clamp<Clock::duration>(deadline - Clock::now(), Clock::duration(0),
                                                      duration_cast<Clock::duration>(max_sleep));
        const auto secs = duration_cast<seconds>(left);
        timespec timeout{};
        timeout.tv_sec = static_cast<time_t>(secs.count());
        timeout.tv_nsec = static_cast<long>(duration_cast<nanoseconds>(left - secs).count());

        const int sig = sigtimedwait(&signals_, nullptr, &timeout);
        if (sig == wake_signal)
            return 0;
        if (sig > 0)
            return sig;
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN)
            throw std::runtime_error(std::string("sigtimedwait: ") + std::strerror(errno));
        if (Clock::now() >= deadline)
            return 0;
    }
}

} // namespace tandem::daemon
