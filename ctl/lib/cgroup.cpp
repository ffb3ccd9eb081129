#include "tandem/cgroup.h"

#include "tandem/errors.h"
#include "tandem/fields.h"

#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <sys/statfs.h>

namespace tandem {

std::uint64_t resolve_cgroup(std::string_view arg, std::string_view root) {
    if (auto id = parse_uint(arg))
        return *id;
    if (arg.empty())
        throw UsageError("cgroup: expected a cgroup2 directory or a cgroup id, got ''");

    const std::string path =
        arg.front() == '/' ? std::string(arg) : std::string(root) + "/" + std::string(arg);
    struct stat st {};
    if (stat(path.c_str(), &st) != 0)
        throw UsageError("cgroup: cannot use '" + path + "': " + std::strerror(errno));
    if (!S_ISDIR(st.st_mode))
        throw UsageError("cgroup: '" + path +
                         "' is not a directory; a cgroup is a directory of "
                         "the cgroup2 hierarchy");
    struct statfs fs {};
    if (statfs(path.c_str(), &fs) != 0)
        throw UsageError("cgroup: cannot use '" + path + "': " + std::strerror(errno));
    if (fs.f_type != cgroup2_magic)
        throw UsageError("cgroup: '" + path +
                         "' is not on a cgroup2 file system (rules match "
                         "cgroup2 cgroups only; is cgroup2 mounted at " +
                         std::string(cgroup2_root) + "?)");
    return st.st_ino;
}

} // namespace tandem
