// This node's load over a window, from two successive samples of its
// counters (/proc/stat, /proc/meminfo, /proc/net/dev, the legs' disks'
// stat files), as the health score's inputs (health_score.h):
//
//   cpu_busy          busy ticks / all ticks between the samples
//   memory_used       1 - MemAvailable / MemTotal at the later sample
//   network_errors    (errs + drop) / (packets + errs + drop), both
//                     directions of the watched interfaces; 0 without traffic
//   disk_busy         io_ticks delta / elapsed time, at most 1
//   disk_latency_ms   ticks delta / I/Os delta; unknown when no I/O completed
//
// and, from the target's status and the HTTP probes, a leg's error rate
// and the probe fields.
// A counter that went backwards (a device re-created, an interface
// reset) makes that value unknown for the window rather than wrong.
// Reading takes the time as a parameter, so tests use simulated time.
#pragma once

#include "tandem/cpu_stat.h"
#include "tandem/device_number.h"
#include "tandem/health_score.h"
#include "tandem/http_probe.h"
#include "tandem/proc_readers.h"
#include "tandem/status.h"

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tandem {

// Where the counters come from.
struct NodeSources {
    std::filesystem::path root = "/";    // <root>/proc/..., <root>/sys/dev/block/...
    std::vector<std::string> interfaces; // whose counters count; empty: every one but "lo"
    std::vector<DeviceNumber> disks;     // the legs' disks (resolve_block_device())
};

// The watched interfaces' counters, summed over both directions.
struct NetTotals {
    std::uint64_t packets = 0;
    std::uint64_t errors = 0; // errs and drops

    bool operator==(const NetTotals&) const = default;
};

struct NodeSample {
    std::chrono::steady_clock::time_point at;
    std::optional<CpuSample> cpu;
    std::optional<MemInfo> memory;
    std::optional<NetTotals> network;
    std::vector<std::pair<DeviceNumber, std::optional<DiskCounters>>> disks; // as NodeSources
    // What could not be read, one line each (the value is then absent).
    std::vector<std::string> problems;
};

// Read every source once.  Never throws for a missing or malformed file:
// it is a problem, and its value absent.
NodeSample read_node_sample(const NodeSources& sources, std::chrono::steady_clock::time_point at);

// The sum over `names` (every interface but "lo" when empty); nullopt when
// none of them is there.
std::optional<NetTotals> net_totals(const std::vector<NetInterfaceCounters>& interfaces,
                                    const std::vector<std::string>& names);

struct DiskWindow {
    std::optional<double> busy;       // 0..1
    std::optional<double> latency_ms; // mean per completed I/O

    bool operator==(const DiskWindow&) const = default;
};

struct NodeWindow {
    std::optional<double> cpu_busy;
    std::optional<double> memory_used;
    std::optional<double> network_errors;
    std::vector<std::pair<DeviceNumber, DiskWindow>> disks;

    // The window of one disk; nullptr when it was not sampled.
    const DiskWindow* disk(DeviceNumber number) const;

    // The node's inputs, with the disk fields of `leg_disk` (none without
    // it).  The leg and probe fields are not the node's to know: they stay
    // absent for the caller to fill.
    HealthInputs health_inputs(std::optional<DeviceNumber> leg_disk = std::nullopt) const;

    bool operator==(const NodeWindow&) const = default;
};

// The window between two samples (pure).  A disk is in the window when
// the later sample has it.
NodeWindow node_window(const NodeSample& before, const NodeSample& after);

// The disk figures of one disk's window of `elapsed` seconds (pure).
DiskWindow disk_window(const DiskCounters& before, const DiskCounters& after, double elapsed_s);

// The share of a leg's bios that failed between two status polls (pure):
// (read_errors + write_errors) delta / (reads + writes) delta, at most 1;
// nullopt when no bio was sent to it or a counter went back (`stats
// reset`), so an idle or failed leg is not scored on errors.
std::optional<double> leg_error_rate(const LegStatus& before, const LegStatus& after);

// The probe fields of `inputs` from a probe window's summary.
void set_probe_inputs(HealthInputs& inputs, const ProbeSummary& probes);

// Samples the node each time it is asked and keeps the previous sample.
class NodeSampler {
public:
    explicit NodeSampler(NodeSources sources);

    // Read a sample at `now` and return the window since the previous one
    // (nullopt on the first call).
    std::optional<NodeWindow> sample(std::chrono::steady_clock::time_point now);

    // Replace the sources (the legs changed); the next sample starts over.
    void set_sources(NodeSources sources);

    // What the last sample could not read.
    const std::vector<std::string>& problems() const;

private:
    NodeSources sources_;
    std::optional<NodeSample> previous_;
    std::vector<std::string> problems_;
};

} // namespace tandem
