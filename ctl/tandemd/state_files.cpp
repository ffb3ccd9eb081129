#include "state_files.h"

#include "tandem/unique_fd.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace tandem::daemon {

namespace {

[[noreturn]] void fail(const std::string& path, const char* what, int err) {
    throw std::runtime_error(path + ": cannot " + what + ": " + std::strerror(err));
}

} // namespace

std::optional<std::string> DiskStateFiles::read(const std::string& path) {
    const UniqueFd fd{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
    if (fd.get() < 0) {
        if (errno == ENOENT)
            return std::nullopt;
        fail(path, "open", errno);
    }
    std::string text;
    char buf[4096];
    while (true) {
        const ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            fail(path, "read", errno);
        if (n == 0)
            return text;
        text.append(buf, static_cast<std::size_t>(n));
    }
}

void DiskStateFiles::write(const std::string& path, const std::string& text) {
    const std::filesystem::path dir = std::filesystem::path(path).parent_path();
    if (!dir.empty() && ::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
        fail(dir.string(), "create", errno);
    // Written beside it, then renamed over it: whole or not at all.
    const std::string temporary = path + ".new";
    {
        const UniqueFd fd{
            ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)};
        if (fd.get() < 0)
            fail(temporary, "create", errno);
        std::size_t done = 0;
        while (done < text.size()) {
            const ssize_t n = ::write(fd.get(), text.data() + done, text.size() - done);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                fail(temporary, "write", errno);
            done += static_cast<std::size_t>(n);
        }
        if (::fsync(fd.get()) != 0)
            fail(temporary, "sync", errno);
    }
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(temporary.c_str());
        fail(path, "replace", err);
    }
}

void DiskStateFiles::remove(const std::string& path) {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT)
        fail(path, "remove", errno);
}

} // namespace tandem::daemon
