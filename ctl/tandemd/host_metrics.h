// LocalMetrics on a live system: NodeSampler over /proc and /sys.
#pragma once

#include "node_health.h"

#include "tandem/node_metrics.h"

#include <filesystem>

namespace tandem::daemon {

class HostMetrics final : public LocalMetrics {
public:
    explicit HostMetrics(std::filesystem::path root = "/");

    void watch(std::vector<std::string> interfaces, std::vector<DeviceNumber> disks) override;
    std::optional<NodeWindow> sample(SteadyClock::time_point now) override;

private:
    std::filesystem::path root_;
    NodeSampler sampler_;
    std::vector<std::string> reported_; // problems already logged
};

} // namespace tandem::daemon
