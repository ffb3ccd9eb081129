// Where a shadow's copy-on-write data lives: a sparse file attached to a
// loop device.  HostCowStore does it on this machine; tests use a fake.
#pragma once

#include "tandem/device_number.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace tandem {

class CowStore {
public:
    // A loop device attached to a COW file.  The kernel detaches it once
    // its last user closes it (autoclear), so keep this until a
    // device-mapper device has opened the loop; destroying it then leaves
    // the loop to that device.
    class Loop {
    public:
        virtual ~Loop() = default;
        virtual std::string path() const = 0; // /dev/loopN
        virtual DeviceNumber number() const = 0;
    };

    virtual ~CowStore() = default;

    // Create a sparse file of `bytes` at `path`, and its directory if
    // needed; an existing file is refused.
    virtual void create_file(const std::string& path, std::uint64_t bytes) = 0;
    // Delete the file; one that is already gone is no error.
    virtual void remove_file(const std::string& path) = 0;
    // The file's size in bytes, nullopt when there is no such file.
    virtual std::optional<std::uint64_t> file_size(const std::string& path) = 0;
    // Attach the file to a free loop device.
    virtual std::unique_ptr<Loop> attach(const std::string& path) = 0;
    // The file behind a loop device, nullopt when it is no loop device or
    // its file is gone.
    virtual std::optional<std::string> backing_file(DeviceNumber device) = 0;
};

// Failures raise std::system_error naming the file or device.
class HostCowStore final : public CowStore {
public:
    void create_file(const std::string& path, std::uint64_t bytes) override;
    void remove_file(const std::string& path) override;
    std::optional<std::uint64_t> file_size(const std::string& path) override;
    std::unique_ptr<Loop> attach(const std::string& path) override;
    std::optional<std::string> backing_file(DeviceNumber device) override;
};

} // namespace tandem
