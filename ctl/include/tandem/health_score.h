// How healthy one node is for serving one leg, as a score of 0..100, from
// the metrics of one sampling window.  Pure: the metrics readers measure,
// this only scores; the weighting engine (weight_engine.h) turns scores
// into read weights.
//
// Each known input becomes a component of 0..100 (100: perfect), mapped
// linearly and clamped:
//
//   component      input              100 at            0 at
//   cpu            cpu_busy           0                 1
//   memory         memory_used        0                 1
//   network        network_errors     0                 network_errors_bad
//   disk_busy      disk_busy          0                 1
//   disk_latency   disk_latency_ms    disk_latency_good_ms  disk_latency_bad_ms
//   errors         leg_error_rate     0                 leg_errors_bad
//   probe_success  probe_success      1                 probe_success_bad
//   probe_latency  probe_latency_ms   probe_latency_good_ms probe_latency_bad_ms
//
// The composite is the weighted mean of the known components.  `disk` and
// `probes` weigh their two components half each.  An unknown input (absent,
// or NaN) is left out and the weights of the others are renormalised, so a
// node without probes is scored on what is measured rather than punished
// for what is not; with nothing known (or only inputs weighted 0) the score
// is 100: no evidence of trouble.  Error rates count against a small "bad"
// fraction because 1% of failed I/O is already a sick disk, not a 99%
// healthy one.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tandem {

// One node, one sampling window; absent = unknown.
struct HealthInputs {
    std::optional<double> cpu_busy;        // 0..1 fraction of CPU time not idle
    std::optional<double> memory_used;     // 0..1 (1 - MemAvailable/MemTotal)
    std::optional<double> network_errors;  // 0..1 errors+drops / packets on the node's links
    std::optional<double> disk_busy;       // 0..1 fraction of time the leg's disk had I/O in flight
    std::optional<double> disk_latency_ms; // mean completion latency of the leg's disk I/O
    std::optional<double> leg_error_rate;  // 0..1 failed / issued bios of the leg (kernel counters)
    std::optional<double>
        probe_success; // 0..1 HTTP probes of the node's application that succeeded
    std::optional<double> probe_latency_ms; // mean latency of those probes
};

// The weights of each component (any >= 0, renormalised over present
// inputs) and the points of the linear mappings.
struct HealthPolicy {
    double cpu = 0.15, memory = 0.10, network = 0.10, disk = 0.25, errors = 0.15, probes = 0.25;
    double disk_latency_good_ms = 5, disk_latency_bad_ms = 200; // linear between, per component
    double probe_latency_good_ms = 50, probe_latency_bad_ms = 2000;
    double network_errors_bad = 0.05; // this error+drop fraction (or more) scores 0
    double leg_errors_bad = 0.01;     // this failed-bio fraction (or more) scores 0
    double probe_success_bad = 0.5;   // this success fraction (or less) scores 0
    double smoothing = 0.3;           // EWMA alpha of the composite, 0<alpha<=1 (1 = none)

    bool operator==(const HealthPolicy&) const = default;
};

// The composite and each known component, for logs and /health.
struct HealthScore {
    double score = 100;                                     // 0..100
    std::vector<std::pair<std::string, double>> components; // name -> 0..100, known ones only
};

// No inputs at all -> 100.
HealthScore score_health(const HealthInputs& inputs, const HealthPolicy& policy = {});

// The exponentially weighted moving average of successive composites, so
// one bad window moves the score by alpha of the difference, not all of it.
// The first value is taken as it is.
class HealthSmoother {
public:
    // Throws std::invalid_argument unless 0 < alpha <= 1.
    explicit HealthSmoother(double alpha = HealthPolicy{}.smoothing);

    // The smoothed score after `raw`; a NaN raw score is ignored.
    double update(double raw);

    bool has_value() const { return smoothed_.has_value(); }
    double value() const { return smoothed_.value_or(100); } // 100 before the first update
    void reset() { smoothed_.reset(); }

private:
    double alpha_;
    std::optional<double> smoothed_;
};

// "" when valid, else "health.<key>: <reason>".
std::string validate(const HealthPolicy& policy);

} // namespace tandem
