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

namespace {

// The text from `at`, without trailing blanks; nullopt when that is empty.
std::optional<std::string> rest_of(std::string_view text, std::size_t at) {
    std::string_view rest = text.substr(at);
    while (!rest.empty() && (rest.back() == '\n' || rest.back() == ' '))
        rest.remove_suffix(1);
    if (rest.empty())
        return std::nullopt;
    return std::string(rest);
}

} // namespace

std::optional<std::string> table_error_reason(std::string_view text, std::string_view device) {
    constexpr std::string_view prefix = "device-mapper: table: ";
    std::size_t at = text.find(prefix);
    if (at == std::string_view::npos)
        return std::nullopt;
    at += prefix.size();
    const std::size_t colon = text.find(": ", at);
    if (colon == std::string_view::npos)
        return std::nullopt;
    if (!device.empty() && text.substr(at, colon - at) != device)
        return std::nullopt;
    return rest_of(text, colon + 2);
}

std::optional<std::string> rejection_reason(std::string_view text, std::string_view device,
                                            std::string_view verb) {
    const std::string needle = std::string(TANDEM_TARGET_NAME) + ": " + std::string(device) +
                               ": message '" + std::string(verb) + "' rejected: ";
    const std::size_t at = text.find(needle);
    if (at == std::string_view::npos)
        return std::nullopt;
    return rest_of(text, at + needle.size());
}

} // namespace tandem
