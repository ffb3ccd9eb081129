// The anomaly detection and mitigation of one device's shadow.  Each poll
// the caller hands in the shadow's figures (the `stats` reply, whose
// latency histograms give each window its own p99, or, failing that, the
// status line); the guard turns two successive readings into a window
// (shadow_window()), asks the detector (anomaly_detector.h) for a verdict
// and the Mitigator (mitigation.h) for the actions it implies, which the
// caller carries out and reports back: an alert, a throttle of a class
// (its limits remembered and restored when the shadow recovers), a
// rollback reported unavailable.  Each fires once per state change.
// Pure: no I/O, no clock.
#pragma once

#include "tandem/anomaly_detector.h"
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

    // The class whose limits are held while a throttle is in force; "" when none.
    std::string held_class() const;
    AnomalyState state() const { return detector_.state(); }
    const MitigationCounters& counters() const { return mitigator_.counters(); }

private:
    using Reading = std::variant<ShadowStatus, ShadowStats>;

    AnomalyDetector detector_;
    Mitigator mitigator_;
    std::optional<Reading> previous_;
};

} // namespace tandem::daemon
