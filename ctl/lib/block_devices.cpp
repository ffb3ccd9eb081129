#include "tandem/block_devices.h"
#include "tandem/unique_fd.h"

#include <cerrno>
#include <system_error>

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace tandem {

namespace {

[[noreturn]] void fail(const std::string& what, int err) {
    throw std::system_error(err, std::generic_category(), what);
}

} // namespace

BlockDeviceSize HostBlockDevices::inspect(const std::string& device) {
    const std::string path = parse_device_number(device) ? "/dev/block/" + device : device;
    // Opening a block device read-only takes no claim on it; the kernel
    // opens it exclusively when the table is loaded.
    const UniqueFd f{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
    if (f.get() < 0)
        fail(device, errno);
    struct stat st {};
    if (::fstat(f.get(), &st) != 0)
        fail(device, errno);
    if (!S_ISBLK(st.st_mode))
        fail(device + ": not a block device", ENOTBLK);
    BlockDeviceSize out;
    out.number = DeviceNumber{::major(st.st_rdev), ::minor(st.st_rdev)};
    if (::ioctl(f.get(), BLKGETSIZE64, &out.bytes) != 0)
        fail(device + ": cannot read the device's size", errno);
    return out;
}

} // namespace tandem
