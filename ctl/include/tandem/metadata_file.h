// A metadata device or an image of one, opened read-only, as a BlockSource
// for metadata::inspect().  A block device is read with O_DIRECT, so what
// the target wrote beneath the page cache is what is seen.
#pragma once

#include "tandem/metadata_inspect.h"

#include <string>
#include <vector>

namespace tandem::metadata {

class MetadataFile final : public BlockSource {
public:
    // Raises std::system_error naming the path if it cannot be opened or
    // sized.
    explicit MetadataFile(std::string path);
    ~MetadataFile() override;
    MetadataFile(const MetadataFile&) = delete;
    MetadataFile& operator=(const MetadataFile&) = delete;

    std::uint64_t size() const override { return size_; }
    void read(std::uint64_t index, std::span<std::byte, block_size> out) override;

    bool is_block_device() const { return block_device_; }
    // The kernel devices stacked on this block device (its holders in
    // sysfs, e.g. "dm-3"): a live table using it as metadata device.
    std::vector<std::string> holders() const;

private:
    std::string path_;
    int fd_ = -1;
    bool block_device_ = false;
    bool direct_ = false;
    unsigned major_ = 0;
    unsigned minor_ = 0;
    std::uint64_t size_ = 0;
};

} // namespace tandem::metadata
