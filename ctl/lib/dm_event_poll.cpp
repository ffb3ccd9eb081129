#include "tandem/dm_event_poll.h"

#include "tandem/errors.h"

#include <cerrno>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <linux/dm-ioctl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace tandem {

namespace {

constexpr const char* control_path = "/dev/mapper/control";
// The ioctl interface version that brought DM_DEV_ARM_POLL: the kernel
// accepts any older minor than its own.
constexpr std::uint32_t arm_poll_version[3] = {4, 37, 0};

[[noreturn]] void fail(const std::string& what, int err) {
    throw DmError(std::string(control_path) + ": " + what + ": " + std::strerror(err), err);
}

} // namespace

DmEventPoll::DmEventPoll() {
    fd_ = ::open(control_path, O_RDWR | O_CLOEXEC);
    if (fd_ < 0)
        fail("cannot open", errno);
    try {
        arm();
    } catch (...) {
        ::close(fd_);
        throw;
    }
}

DmEventPoll::~DmEventPoll() {
    if (fd_ >= 0)
        ::close(fd_);
}

void DmEventPoll::arm() {
    struct dm_ioctl io {};
    io.version[0] = arm_poll_version[0];
    io.version[1] = arm_poll_version[1];
    io.version[2] = arm_poll_version[2];
    io.data_size = sizeof(io);
    io.data_start = sizeof(io);
    if (::ioctl(fd_, DM_DEV_ARM_POLL, &io) != 0)
        fail("cannot arm the event poll (DM_DEV_ARM_POLL)", errno);
}

bool DmEventPoll::wait(std::chrono::milliseconds timeout) {
    struct pollfd pfd {
        fd_, POLLIN, 0
    };
    const int ms = static_cast<int>(timeout.count());
    while (true) {
        const int n = ::poll(&pfd, 1, ms);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            fail("poll failed", errno);
        return n > 0 && (pfd.revents & POLLIN);
    }
}

} // namespace tandem
