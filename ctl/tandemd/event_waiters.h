// DeviceEvents over DeviceMapper::wait_event (DM_DEVICE_WAITEVENT): one
// thread per watched device, blocked in the kernel until the device raises
// a dm event (a leg failed or came back, a read error, a new table, the
// device going away).  The thread then records the device and calls
// `wake`, which ends the daemon's wait so it reads the status at once.
//
// A device that cannot be waited on (missing, or the call failed) is tried
// again every `retry` until it can; when it comes back that counts as an
// event.  Stopping a thread interrupts its blocking wait with `interrupt`,
// repeated until the thread has noticed: by default SIGUSR1 to the thread,
// which has a no-op handler installed without SA_RESTART so the ioctl
// fails with EINTR (the way dmeventd stops its waiters).
#pragma once

#include "daemon.h"

#include "tandem/device_mapper.h"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tandem::daemon {

class EventWaiters final : public DeviceEvents {
public:
    using Wake = std::function<void()>;
    using Interrupt = std::function<void(std::thread&)>;

    // `dm` must be safe to call from several threads (DmClient is).
    EventWaiters(DeviceMapper& dm, Wake wake, Interrupt interrupt = signal_thread,
                 std::chrono::milliseconds retry = std::chrono::seconds(1));
    // Stops every thread.
    ~EventWaiters() override;
    EventWaiters(const EventWaiters&) = delete;
    EventWaiters& operator=(const EventWaiters&) = delete;

    // Starts a thread for each new device and stops those of devices no
    // longer listed.  Not thread-safe: call it from one thread.
    void watch(const std::vector<std::string>& devices) override;
    std::vector<std::string> take() override;

    // The default Interrupt: SIGUSR1 to the thread.
    static void signal_thread(std::thread& thread);

private:
    struct Watch;

    void run(Watch& w);
    void stop(Watch& w);
    void raised(const std::string& device);
    bool stopping(const Watch& w);

    DeviceMapper& dm_;
    Wake wake_;
    Interrupt interrupt_;
    std::chrono::milliseconds retry_;

    std::mutex mutex_; // guards pending_ and each Watch's flags
    std::condition_variable changed_;
    std::vector<std::string> pending_;
    std::vector<std::unique_ptr<Watch>> watches_;
};

} // namespace tandem::daemon
