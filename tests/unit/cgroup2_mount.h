// Where this machine mounts cgroup2, for tests that resolve a real cgroup
// and skip where there is none.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

namespace tandem::testing {

// The first cgroup2 mount point in /proc/self/mounts, or "" if none.
inline std::string cgroup2_mount() {
    std::ifstream mounts("/proc/self/mounts");
    std::string line;
    while (std::getline(mounts, line)) {
        std::istringstream fields(line);
        std::string source, target, type;
        fields >> source >> target >> type;
        if (type == "cgroup2")
            return target;
    }
    return {};
}

} // namespace tandem::testing
