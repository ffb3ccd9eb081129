// Waiting, with a timeout, for a dm event on any device: the device-mapper
// control node (/dev/mapper/control) polls readable once any device raised
// an event after the file was opened or last armed (DM_DEV_ARM_POLL, Linux
// 4.13).  DM_DEVICE_WAITEVENT waits for one device but cannot time out;
// this can, at the price of also waking for other devices' events.
#pragma once

#include <chrono>

namespace tandem {

class DmEventPoll {
public:
    // Opens the control node and arms it.  Raises DmError if it cannot.
    DmEventPoll();
    ~DmEventPoll();
    DmEventPoll(const DmEventPoll&) = delete;
    DmEventPoll& operator=(const DmEventPoll&) = delete;

    // Forget the events seen so far: wait() waits for a newer one.
    void arm();
    // True once an event was raised since the last arm() (or the
    // construction), false after `timeout` without one.  Raises DmError
    // if the poll fails.
    bool wait(std::chrono::milliseconds timeout);

private:
    int fd_ = -1;
};

} // namespace tandem
