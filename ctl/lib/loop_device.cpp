#include "tandem/loop_device.h"
#include "tandem/unique_fd.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <linux/loop.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <system_error>
#include <unistd.h>
#include <utility>

namespace tandem {

namespace {

// How often attach() tries again when another process takes the free loop
// device between LOOP_CTL_GET_FREE and the attach.
constexpr int attach_attempts = 16;

[[noreturn]] void fail(int err, const std::string& what) {
    throw std::system_error(err, std::generic_category(), what);
}

void set_name(__u8 (&name)[LO_NAME_SIZE], const std::string& file) {
    std::strncpy(reinterpret_cast<char*>(name), file.c_str(), LO_NAME_SIZE - 1);
}

// Bind `file_fd` to the loop device with autoclear; 0 or an errno value.
int configure(int loop_fd, int file_fd, const std::string& file) {
    loop_config config{};
    config.fd = static_cast<__u32>(file_fd);
    config.info.lo_flags = LO_FLAGS_AUTOCLEAR;
    set_name(config.info.lo_file_name, file);
    if (::ioctl(loop_fd, LOOP_CONFIGURE, &config) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOTTY)
        return errno;
    // Before Linux 5.8: bind, then set the flags.
    if (::ioctl(loop_fd, LOOP_SET_FD, file_fd) != 0)
        return errno;
    loop_info64 info{};
    info.lo_flags = LO_FLAGS_AUTOCLEAR;
    set_name(info.lo_file_name, file);
    if (::ioctl(loop_fd, LOOP_SET_STATUS64, &info) != 0) {
        const int err = errno;
        ::ioctl(loop_fd, LOOP_CLR_FD, 0);
        return err;
    }
    return 0;
}

} // namespace

LoopDevice LoopDevice::attach(const std::string& file) {
    UniqueFd backing(::open(file.c_str(), O_RDWR | O_CLOEXEC));
    if (backing.get() < 0)
        fail(errno, "open " + file);
    UniqueFd control(::open("/dev/loop-control", O_RDWR | O_CLOEXEC));
    if (control.get() < 0)
        fail(errno, "open /dev/loop-control");
    for (int attempt = 0; attempt < attach_attempts; attempt++) {
        const int n = ::ioctl(control.get(), LOOP_CTL_GET_FREE);
        if (n < 0)
            fail(errno, "find a free loop device");
        const std::string path = "/dev/loop" + std::to_string(n);
        UniqueFd loop(::open(path.c_str(), O_RDWR | O_CLOEXEC));
        if (loop.get() < 0)
            fail(errno, "open " + path);
        const int err = configure(loop.get(), backing.get(), file);
        if (err == EBUSY)
            continue; // taken by another process meanwhile
        if (err)
            fail(err, "attach " + file + " to " + path);
        struct stat st {};
        if (::fstat(loop.get(), &st) != 0)
            fail(errno, "stat " + path);
        return LoopDevice(loop.release(), path, DeviceNumber{major(st.st_rdev), minor(st.st_rdev)});
    }
    fail(EBUSY, "attach " + file + ": other processes took every free loop device first");
}

LoopDevice::LoopDevice(int fd, std::string path, DeviceNumber number)
    : fd_(fd)
    , path_(std::move(path))
    , number_(number) {}

LoopDevice::LoopDevice(LoopDevice&& other) noexcept
    : fd_(std::exchange(other.fd_, -1))
    , path_(std::move(other.path_))
    , number_(other.number_) {}

LoopDevice& LoopDevice::operator=(LoopDevice&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0)
            ::close(fd_);
        fd_ = std::exchange(other.fd_, -1);
        path_ = std::move(other.path_);
        number_ = other.number_;
    }
    return *this;
}

LoopDevice::~LoopDevice() {
    if (fd_ >= 0)
        ::close(fd_);
}

std::optional<std::string> loop_backing_file(DeviceNumber device, const std::string& sysfs) {
    std::ifstream in(sysfs + "/dev/block/" + to_string(device) + "/loop/backing_file");
    std::string file;
    if (!std::getline(in, file) || file.empty())
        return std::nullopt;
    constexpr std::string_view deleted = " (deleted)";
    if (file.size() > deleted.size() && file.ends_with(deleted))
        return std::nullopt;
    return file;
}

} // namespace tandem
