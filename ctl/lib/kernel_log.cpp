#include "tandem/kernel_log.h"

#include <dm-tandem/tandem.h>

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace tandem {

KernelLog::KernelLog(const std::string& path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd_ >= 0 && ::lseek(fd_, 0, SEEK_END) < 0) {
        ::close(fd_);
        fd_ = -1;
    }
}

KernelLog::~KernelLog() {
    if (fd_ >= 0)
        ::close(fd_);
}

std::vector<std::string> KernelLog::read_new() {
    std::vector<std::string> out;
    if (fd_ < 0)
        return out;
    // /dev/kmsg hands out one whole record per read(), and refuses a
    // buffer too small for it; a plain file may split lines anywhere.
    char buf[8192];
    while (true) {
        const ssize_t n = ::read(fd_, buf, sizeof(buf));
        if (n < 0 && (errno == EINTR || errno == EPIPE))
            continue; // EPIPE: records were overwritten; go on with the next
        if (n <= 0)
            break; // EAGAIN: nothing more for now
        partial_.append(buf, static_cast<std::size_t>(n));
        std::size_t start = 0;
        for (std::size_t nl; (nl = partial_.find('\n', start)) != std::string::npos;
             start = nl + 1) {
            if (auto text = kmsg_text(std::string_view(partial_).substr(start, nl - start)))
                out.push_back(std::move(*text));
        }
        partial_.erase(0, start);
    }
    return out;
}

std::optional<std::string> kmsg_text(std::string_view line) {
    if (line.empty() || line.front() == ' ')
        return std::nullopt;
    const std::size_t semi = line.find(';');
    if (semi == std::string_view::npos)
        return std::nullopt;
    return std::string(line.substr(semi + 1));
}

std::optional<std::string> rejection_reason(std::string_view text, std::string_view device,
                                            std::string_view verb) {
    const std::string needle = std::string(TANDEM_TARGET_NAME) + ": " + std::string(device) +
                               ": message '" + std::string(verb) + "' rejected: ";
    const std::size_t at = text.find(needle);
    if (at == std::string_view::npos)
        return std::nullopt;
    std::string_view reason = text.substr(at + needle.size());
    while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' '))
        reason.remove_suffix(1);
    if (reason.empty())
        return std::nullopt;
    return std::string(reason);
}

} // namespace tandem
