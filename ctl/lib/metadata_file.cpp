#include "tandem/metadata_file.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <system_error>

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace tandem::metadata {

namespace {

[[noreturn]] void fail(const std::string& what, int err) {
    throw std::system_error(err, std::generic_category(), what);
}

struct FreeDeleter {
    void operator()(void* p) const { std::free(p); }
};

} // namespace

MetadataFile::MetadataFile(std::string path)
    : path_(std::move(path)) {
    struct stat st {};
    if (::stat(path_.c_str(), &st) != 0)
        fail(path_, errno);
    block_device_ = S_ISBLK(st.st_mode);
    if (!block_device_ && !S_ISREG(st.st_mode))
        fail(path_ + ": neither a block device nor a regular file", EINVAL);

    // O_DIRECT where the file system allows it (not tmpfs, say).
    if (block_device_) {
        fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC | O_DIRECT);
        direct_ = fd_ >= 0;
    }
    if (fd_ < 0)
        fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0)
        fail(path_, errno);

    if (block_device_) {
        major_ = ::major(st.st_rdev);
        minor_ = ::minor(st.st_rdev);
        std::uint64_t bytes = 0;
        if (::ioctl(fd_, BLKGETSIZE64, &bytes) != 0) {
            const int err = errno;
            ::close(fd_);
            fail(path_ + ": cannot read the device's size", err);
        }
        size_ = bytes;
    } else {
        size_ = static_cast<std::uint64_t>(st.st_size);
    }
}

MetadataFile::~MetadataFile() {
    if (fd_ >= 0)
        ::close(fd_);
}

void MetadataFile::read(std::uint64_t index, std::span<std::byte, block_size> out) {
    // O_DIRECT wants an aligned buffer.
    std::unique_ptr<void, FreeDeleter> buf(std::aligned_alloc(block_size, block_size));
    if (!buf)
        throw std::bad_alloc();
    const auto offset = static_cast<off_t>(index * block_size);
    std::size_t done = 0;
    while (done < block_size) {
        const ssize_t n = ::pread(fd_, static_cast<char*>(buf.get()) + done, block_size - done,
                                  offset + static_cast<off_t>(done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            fail(path_ + ": block " + std::to_string(index), errno);
        if (n == 0)
            fail(path_ + ": block " + std::to_string(index) + ": unexpected end of file", EIO);
        done += static_cast<std::size_t>(n);
    }
    std::memcpy(out.data(), buf.get(), block_size);
}

std::vector<std::string> MetadataFile::holders() const {
    std::vector<std::string> out;
    if (!block_device_)
        return out;
    const std::filesystem::path dir =
        "/sys/dev/block/" + std::to_string(major_) + ":" + std::to_string(minor_) + "/holders";
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
        out.push_back(entry.path().filename().string());
    return out;
}

} // namespace tandem::metadata
