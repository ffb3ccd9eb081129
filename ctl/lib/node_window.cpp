#include "tandem/node_metrics.h"

#include <algorithm>

namespace tandem {

namespace {

std::optional<double> network_error_fraction(const NetTotals& before, const NetTotals& after) {
    if (after.packets < before.packets || after.errors < before.errors)
        return std::nullopt;
    const std::uint64_t errors = after.errors - before.errors;
    const std::uint64_t attempts = after.packets - before.packets + errors;
    if (attempts == 0)
        return 0.0;
    return static_cast<double>(errors) / static_cast<double>(attempts);
}

const std::optional<DiskCounters>* find_disk(const NodeSample& sample, DeviceNumber number) {
    for (const auto& [disk, counters] : sample.disks)
        if (disk == number)
            return &counters;
    return nullptr;
}

} // namespace

DiskWindow disk_window(const DiskCounters& before, const DiskCounters& after, double elapsed_s) {
    DiskWindow w;
    if (elapsed_s > 0 && after.io_ticks_ms >= before.io_ticks_ms) {
        const double busy_ms = static_cast<double>(after.io_ticks_ms - before.io_ticks_ms);
        w.busy = std::min(1.0, busy_ms / (elapsed_s * 1000.0));
    }
    if (after.ios > before.ios && after.ticks_ms >= before.ticks_ms)
        w.latency_ms = static_cast<double>(after.ticks_ms - before.ticks_ms) /
                       static_cast<double>(after.ios - before.ios);
    return w;
}

NodeWindow node_window(const NodeSample& before, const NodeSample& after) {
    NodeWindow w;
    if (before.cpu && after.cpu && after.cpu->total() >= before.cpu->total())
        w.cpu_busy = cpu_utilisation(*before.cpu, *after.cpu);
    if (after.memory)
        w.memory_used = after.memory->used_fraction();
    if (before.network && after.network)
        w.network_errors = network_error_fraction(*before.network, *after.network);

    const double elapsed_s = std::chrono::duration<double>(after.at - before.at).count();
    for (const auto& [disk, counters] : after.disks) {
        DiskWindow dw;
        const std::optional<DiskCounters>* earlier = find_disk(before, disk);
        if (counters && earlier && *earlier)
            dw = disk_window(**earlier, *counters, elapsed_s);
        w.disks.emplace_back(disk, dw);
    }
    return w;
}

const DiskWindow* NodeWindow::disk(DeviceNumber number) const {
    for (const auto& [d, window] : disks)
        if (d == number)
            return &window;
    return nullptr;
}

HealthInputs NodeWindow::health_inputs(std::optional<DeviceNumber> leg_disk) const {
    HealthInputs in;
    in.cpu_busy = cpu_busy;
    in.memory_used = memory_used;
    in.network_errors = network_errors;
    if (leg_disk) {
        if (const DiskWindow* d = disk(*leg_disk)) {
            in.disk_busy = d->busy;
            in.disk_latency_ms = d->latency_ms;
        }
    }
    return in;
}

} // namespace tandem
