// Loop devices over files (linux/loop.h).  tandemctl attaches them with
// autoclear: the kernel detaches a loop device once its last user closes
// it, so one that a device-mapper device holds goes away with that device.
#pragma once

#include "tandem/device_number.h"

#include <optional>
#include <string>

namespace tandem {

class LoopDevice {
public:
    // Attach `file`, read-write, to a free loop device with autoclear set
    // (LOOP_CONFIGURE, or LOOP_SET_FD and LOOP_SET_STATUS64 before Linux
    // 5.8), trying the next free one when another process takes it first.
    // Raises std::system_error.
    static LoopDevice attach(const std::string& file);

    LoopDevice(LoopDevice&& other) noexcept;
    LoopDevice& operator=(LoopDevice&& other) noexcept;
    LoopDevice(const LoopDevice&) = delete;
    LoopDevice& operator=(const LoopDevice&) = delete;
    // Closes the device: unless another user has it open, the kernel
    // detaches it.
    ~LoopDevice();

    const std::string& path() const { return path_; } // /dev/loopN
    DeviceNumber number() const { return number_; }

private:
    LoopDevice(int fd, std::string path, DeviceNumber number);

    int fd_ = -1;
    std::string path_;
    DeviceNumber number_;
};

// The file behind a block device (<sysfs>/dev/block/<major>:<minor>/loop/
// backing_file); nullopt when it is no loop device, has no file attached,
// or its file has been deleted.
std::optional<std::string> loop_backing_file(DeviceNumber device,
                                             const std::string& sysfs = "/sys");

} // namespace tandem
