#include "tandem/proc_readers.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

namespace tandem {

BlockDevice sysfs_block_device(DeviceNumber number, const std::filesystem::path& sys_root) {
    const std::filesystem::path link = sys_root / "dev" / "block" / to_string(number);
    std::error_code ec;
    const std::filesystem::path dir = std::filesystem::canonical(link, ec);
    if (ec)
        throw std::runtime_error("no block device " + to_string(number) + " in sysfs (" +
                                 link.string() + ": " + ec.message() + ")");
    return BlockDevice{number, dir.filename().string(), dir};
}

BlockDevice resolve_block_device(const std::filesystem::path& device,
                                 const std::filesystem::path& sys_root) {
    struct stat st {};
    if (::stat(device.c_str(), &st) != 0)
        throw std::runtime_error("cannot stat " + device.string() + ": " + std::strerror(errno));
    if (!S_ISBLK(st.st_mode))
        throw std::runtime_error(device.string() + " is not a block device");
    return sysfs_block_device(DeviceNumber{major(st.st_rdev), minor(st.st_rdev)}, sys_root);
}

} // namespace tandem
