// What planning a device's table (table_plan.h) needs to know of the
// devices given for legs, metadata and shadow: which device each one is
// (so the same disk named twice, by path and by number, is caught) and how
// large it is.  HostBlockDevices asks the kernel; tests use a fake.
#pragma once

#include "tandem/device_number.h"

#include <cstdint>
#include <memory>
#include <string>

namespace tandem {

// A block device's number and size.
struct BlockDeviceSize {
    DeviceNumber number;
    std::uint64_t bytes = 0;
};

class BlockDevices {
public:
    virtual ~BlockDevices() = default;

    // `device` is a path or "major:minor".  Raises std::system_error naming
    // it when it cannot be opened or is no block device.
    virtual BlockDeviceSize inspect(const std::string& device) = 0;
};

// Opens the device read-only (a "major:minor" as /dev/block/<major:minor>)
// and reads its size with BLKGETSIZE64.
class HostBlockDevices final : public BlockDevices {
public:
    BlockDeviceSize inspect(const std::string& device) override;
};

} // namespace tandem
