// The anomaly detection and mitigation of one device's shadow.  Each poll
// the caller hands in the shadow's figures (the `stats` reply, whose
// latency histograms give each window its own p99, or, failing that, the
// status line); the guard turns two successive readings into a window
// (shadow_window()), asks the detector (anomaly_detector.h) for a verdict
// and the Mitigator (mitigation.h) for the actions it implies, which the
// caller carries out and reports back: an alert, a throttle of a class
// (its limits remembered and restored when the shadow recovers), a
// rollback reported unavailable.  Each fires once per state change.
// While a throttle is in force the guard's memory() is what a later run
// needs to take it over (resume()): the limits to restore and the
// baselines to judge the recovery against.  Pure: no I/O, no clock.
#pragma once

#include "tandem/anomaly_detector.h"
#include "tandem/guard_memory.h"
#include "tandem/mitigation.h"
#include "tandem/stats_reply.h"
#include "tandem/status.h"

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace tandem::daemon {

struct GuardStep {
    bool observed = false; // a window went to the detector
    std::string window;    // the window and the baselines, described
    AnomalyVerdict verdict;
    std::vector<MitigationAction> actions;
};

class ShadowGuard {
public:
    // Raises UsageError for an invalid policy.
    ShadowGuard(std::string device, AnomalyPolicy anomaly, MitigationPolicy mitigation);

    // One reading of the shadow's figures (stats reply preferred), with the
    // status it came with (for the throttle class's limits).  A reading of
    // another kind than the previous one starts over: their p99s differ.
    // A status without a shadow device observes nothing, and undoes a
    // throttle in force.
    GuardStep poll(const Status& status, const std::optional<ShadowStats>& stats);

    // How an action went.
    void report(const MitigationAction& action, bool succeeded);

    // What to keep over a restart: while a throttle is in force, the
    // limits it pushed and those to restore, with the learnt baselines;
    // nullopt otherwise.
    std::optional<GuardMemory> memory() const;

    // Take over the throttle of an earlier run, kept as `memory`, when the
    // status shows it still in force (the same class, with the limits it
    // pushed): anomalous until the shadow is seen within bounds (the
    // memory's baselines) for `consecutive` windows, then the class's own
    // limits restored.  Returns false, taking nothing, otherwise.
    bool resume(const GuardMemory& memory, const Status& status);

    // The class whose limits are held while a throttle is in force; "" when none.
    std::string held_class() const;
    AnomalyState state() const { return detector_.state(); }
    const MitigationCounters& counters() const { return mitigator_.counters(); }

private:
    using Reading = std::variant<ShadowStatus, ShadowStats>;

    std::optional<ClassLimits> throttle_class_limits(const Status& status) const;

    AnomalyDetector detector_;
    Mitigator mitigator_;
    std::optional<Reading> previous_;
    std::optional<ClassLimits> pushed_; // the throttle in force
};

} // namespace tandem::daemon
