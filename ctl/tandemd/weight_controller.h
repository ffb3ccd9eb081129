// The read weights of one device, from the health of its legs.  Each poll
// of the device's status gives every leg a view for the weighting engine
// (weight_engine.h):
//
//   readable   the leg's state is 'A' (healthy and in sync)
//   health     the lower of its node's smoothed health and the leg's own:
//              its error rate between the last two polls (the kernel's
//              counters) and its disk's busy time and latency (the
//              block device's stats), scored by score_health and smoothed
//
// The engine decides at most every weights_interval_ms, and at once when a
// leg's state changed (a failover never waits).  When its weights differ
// from the kernel's, the controller asks for `weights ...` to be sent.  An
// adopted device's weights are the engine's start, so a restarted daemon
// changes nothing until the health says so.  Pure: time and every input
// are passed in, the caller sends the message and logs.
#pragma once

#include "tandem/health_score.h"
#include "tandem/node_metrics.h"
#include "tandem/status.h"
#include "tandem/weight_engine.h"

#include <optional>
#include <string>
#include <vector>

namespace tandem::daemon {

// What the daemon knows of a leg besides the kernel's status.
struct LegContext {
    std::optional<double> node_health; // its node's, smoothed; nullopt: not known
    std::optional<DiskWindow> disk;    // its block device's last window
};

struct WeightStep {
    bool decided = false; // the engine ran
    WeightDecision decision;
    // The weights to send: the decision's when the kernel has others.
    std::optional<std::vector<unsigned>> send;
};

class WeightController {
public:
    // `first` is the device's status when it was first seen; its weights
    // are the engine's initial weights.  Throws std::invalid_argument for a
    // status with fewer than 2 or more than 4 legs, or an invalid policy.
    WeightController(WeightPolicy policy, HealthPolicy health, double interval_s,
                     const Status& first);

    // One poll of the device at now_s.  `legs` holds one context per leg
    // (missing ones count as unknown).  `force` decides even before the
    // interval is up (a dm event).
    WeightStep poll(double now_s, const Status& status, const std::vector<LegContext>& legs,
                    bool force = false);

    // Each leg's health as last given to the engine; empty before the first.
    const std::vector<double>& leg_health() const { return leg_health_; }
    std::size_t legs() const { return leg_smoothers_.size(); }
    const WeightEngine& engine() const { return engine_; }

private:
    WeightEngine engine_;
    HealthPolicy health_policy_;
    double interval_s_;
    std::optional<double> last_decision_;
    Status previous_;
    std::vector<HealthSmoother> leg_smoothers_;
    std::vector<double> leg_health_;
};

} // namespace tandem::daemon
