#include "tandem/proc_readers.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>

namespace tandem {

std::string read_text_file(const std::filesystem::path& root, std::string_view relative) {
    const std::filesystem::path path = root / std::filesystem::path(relative).relative_path();
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "re"),
                                                         &std::fclose);
    if (!file)
        throw std::runtime_error("cannot read " + path.string() + ": " + std::strerror(errno));
    std::string text;
    char buffer[4096];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, file.get())) > 0)
        text.append(buffer, n);
    if (std::ferror(file.get()))
        throw std::runtime_error("cannot read " + path.string() + ": " + std::strerror(errno));
    return text;
}

MemInfo read_meminfo(const std::filesystem::path& root) {
    return parse_meminfo(read_text_file(root, "proc/meminfo"));
}

std::vector<NetInterfaceCounters> read_net_dev(const std::filesystem::path& root) {
    return parse_net_dev(read_text_file(root, "proc/net/dev"));
}

DiskCounters read_disk_counters(const std::filesystem::path& sysfs_dir) {
    return parse_block_stat(read_text_file(sysfs_dir, "stat"), (sysfs_dir / "stat").string());
}

} // namespace tandem
