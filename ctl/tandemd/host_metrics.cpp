#include "host_metrics.h"

#include "tandem/log.h"

#include <algorithm>

namespace tandem::daemon {

HostMetrics::HostMetrics(std::filesystem::path root)
    : root_(std::move(root))
    , sampler_(NodeSources{root_, {}, {}}) {}

void HostMetrics::watch(std::vector<std::string> interfaces, std::vector<DeviceNumber> disks) {
    sampler_.set_sources(NodeSources{root_, std::move(interfaces), std::move(disks)});
}

std::optional<NodeWindow> HostMetrics::sample(SteadyClock::time_point now) {
    std::optional<NodeWindow> window = sampler_.sample(now);
    // Each problem is logged once, when it first appears.
    for (const std::string& p : sampler_.problems()) {
        if (std::find(reported_.begin(), reported_.end(), p) == reported_.end())
            log::warning("node metrics: " + p);
    }
    reported_ = sampler_.problems();
    return window;
}

} // namespace tandem::daemon
