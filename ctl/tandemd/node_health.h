// The health of each configured node, 0..100, as the weighting engine
// takes it.  Every health_interval_ms:
//
//   local node   this machine's counters over the last window (cpu,
//                memory, network) and the node's probes -> score_health
//   peer node    the score the peer's tandemd reports on its /health,
//                lowered to what the node's probes (sent from here) say
//                when that is worse
//
// and the result is smoothed (HealthSmoother).  A peer that cannot be
// read keeps its last score until `peer_failures_to_zero` reads in a row
// failed; then its health is 0 at once (no smoothing: an unreachable node
// must not keep reads for seconds), and that is logged once, as is its
// return.
//
// The network (probes, peers' /health) is reached through NodeNetwork,
// which runs off the daemon's loop: the tracker only collects what came
// back.  The local counters come through LocalMetrics.  Both are seams, so
// tests run the tracker on simulated time with fakes.
#pragma once

#include "tandem/config.h"
#include "tandem/health_score.h"
#include "tandem/http_probe.h"
#include "tandem/node_metrics.h"
#include "tandem/peer_health.h"

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tandem::daemon {

using SteadyClock = std::chrono::steady_clock;

// This machine's counters (NodeSampler over /proc and /sys on a live system).
class LocalMetrics {
public:
    virtual ~LocalMetrics() = default;
    // What to read from now on: the network interfaces whose counters
    // count (empty: all but lo) and the block devices whose stats are read
    // (every leg's).
    virtual void watch(std::vector<std::string> interfaces, std::vector<DeviceNumber> disks) = 0;
    // The window since the previous call; nullopt on the first call and
    // after watch() changed what is read.
    virtual std::optional<NodeWindow> sample(SteadyClock::time_point now) = 0;
};

// When the network is asked, and with which token.
struct NetworkPlan {
    std::vector<NodeConfig> nodes;
    std::chrono::milliseconds probe_interval{default_probe_interval_ms};
    std::chrono::milliseconds peer_interval{default_health_interval_ms};
    std::chrono::milliseconds peer_timeout{1000};
    std::string token; // sent to peers; "" for none

    bool operator==(const NetworkPlan&) const = default;
};

struct ProbeOutcome {
    std::string node;
    SteadyClock::time_point at; // when it ended
    ProbeResult result;
};

struct PeerOutcome {
    std::string node;
    PeerHealthResult result;
};

// HTTP probes and peers' /health, asked in the background; the loop takes
// what came back since it last looked.
class NodeNetwork {
public:
    virtual ~NodeNetwork() = default;
    virtual void set_plan(const NetworkPlan& plan) = 0;
    virtual std::vector<ProbeOutcome> take_probes() = 0;
    virtual std::vector<PeerOutcome> take_peers() = 0;
};

// Reads of a peer's /health that fail in a row before its health is 0.
inline constexpr unsigned peer_failures_to_zero = 3;

// The peer timeout a health interval allows: the interval, 100 ms to 2 s.
std::chrono::milliseconds peer_timeout_for(unsigned health_interval_ms);

// One node as the daemon sees it now.
struct NodeHealthView {
    std::string name;
    bool local = false;
    std::optional<double> score;                            // smoothed; nullopt: nothing known yet
    std::vector<std::pair<std::string, double>> components; // of the last score
};

class NodeHealthTracker {
public:
    // Either seam may be null: no local counters, or no network (peers
    // then stay unknown and probes count for nothing).
    NodeHealthTracker(LocalMetrics* local, NodeNetwork* network);

    // Take the nodes and policy of `config` (at start and on reload); a
    // node that remains keeps its history.  The first update is due at `now`.
    void configure(const Config& config, const std::string& token, SteadyClock::time_point now);

    // The disks of every leg, for the local counters.
    void set_disks(std::vector<DeviceNumber> disks);

    // Sample and score the nodes if due; returns whether it did.
    bool update(SteadyClock::time_point now);
    SteadyClock::time_point next_due() const { return due_; }
    bool has_nodes() const { return !nodes_.empty(); }

    // The smoothed health of a node; nullopt for an unknown name or a node
    // not scored yet.
    std::optional<double> health(const std::string& node) const;
    // The name of the local node; "" when none is configured.
    std::string local_node() const;
    // The last window of this machine's counters (for the legs' disks and
    // the load's cpu); nullptr before the second sample.
    const NodeWindow* local_window() const;

    std::vector<NodeHealthView> views() const;

private:
    struct Node {
        NodeConfig config;
        HealthSmoother smoother;
        std::optional<ProbeWindow> probes;
        std::optional<double> peer_score;
        unsigned peer_failures = 0;
        bool peer_down = false; // said so in the log
        HealthScore last;
    };

    void collect_probes();
    void collect_peers();
    void score(Node& node, SteadyClock::time_point now);
    void watch(std::vector<std::string> interfaces, std::vector<DeviceNumber> disks);
    Node* find(const std::string& name);

    LocalMetrics* local_;
    NodeNetwork* network_;
    HealthPolicy policy_;
    std::vector<Node> nodes_;
    std::chrono::milliseconds interval_{default_health_interval_ms};
    std::chrono::milliseconds probe_window_{3 * default_probe_interval_ms};
    SteadyClock::time_point due_{};
    std::optional<NodeWindow> window_;
    std::vector<std::string> interfaces_;
    std::vector<DeviceNumber> disks_;
    bool watching_ = false; // local_ was told what to read
};

} // namespace tandem::daemon
