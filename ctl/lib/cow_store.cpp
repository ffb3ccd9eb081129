#include "tandem/cow_store.h"

#include "tandem/loop_device.h"

#include <cerrno>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace tandem {

namespace {

[[noreturn]] void fail(int err, const std::string& what) {
    throw std::system_error(err, std::generic_category(), what);
}

class HostLoop final : public CowStore::Loop {
public:
    explicit HostLoop(LoopDevice loop)
        : loop_(std::move(loop)) {}
    std::string path() const override { return loop_.path(); }
    DeviceNumber number() const override { return loop_.number(); }

private:
    LoopDevice loop_;
};

} // namespace

void HostCowStore::create_file(const std::string& path, std::uint64_t bytes) {
    const std::filesystem::path dir = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!dir.empty())
        std::filesystem::create_directories(dir, ec);
    if (ec)
        fail(ec.value(), "create directory " + dir.string());
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        fail(errno, "create " + path);
    // Sparse: only the blocks the snapshot writes take space.
    if (::ftruncate(fd, static_cast<off_t>(bytes)) != 0) {
        const int err = errno;
        ::close(fd);
        ::unlink(path.c_str());
        fail(err, "size " + path + " to " + std::to_string(bytes) + " bytes");
    }
    ::close(fd);
}

void HostCowStore::remove_file(const std::string& path) {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT)
        fail(errno, "delete " + path);
}

std::optional<std::uint64_t> HostCowStore::file_size(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        if (errno == ENOENT)
            return std::nullopt;
        fail(errno, "stat " + path);
    }
    return static_cast<std::uint64_t>(st.st_size);
}

std::unique_ptr<CowStore::Loop> HostCowStore::attach(const std::string& path) {
    return std::make_unique<HostLoop>(LoopDevice::attach(path));
}

std::optional<std::string> HostCowStore::backing_file(DeviceNumber device) {
    return loop_backing_file(device);
}

} // namespace tandem
