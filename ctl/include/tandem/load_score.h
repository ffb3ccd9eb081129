// How loaded a tandem device is, as one number in [0, 1], from live
// metrics.  Pure: the caller measures, this only scores.
//
// Each metric is normalised to [0, 1] against its saturation point, the
// value at which it alone says "fully loaded":
//
//   iops     iops / iops_saturation
//   latency  (mean / baseline_mean - 1) / (latency_ratio_saturation - 1):
//            0 at (or under) the idle device's latency, 1 at
//            latency_ratio_saturation times it
//   p99      the same for the p99 latency against baseline_p99
//   queue    (in_flight + queued) / (queue_depth * queue_saturation):
//            the bios outstanding against the scheduler's limit; 0 while
//            the scheduler is off (queue_depth 0: there is no queue)
//   cpu      cpu / cpu_saturation
//
// and the load factor is their weighted sum, clamped to [0, 1]:
//
//   load = min(1, sum(weight_i * component_i))
//
// With the default weights (latency 0.4, queue 0.4, p99 0.2, iops 0.2,
// cpu 0.2; 1.4 in all) no single metric reaches full load by itself, any
// two of latency, queue and p99 come close, and all of them saturated
// give 1.  A metric whose saturation point or baseline is 0 is left out.
#pragma once

#include <cstdint>
#include <string>

namespace tandem {

// What the caller measured over its last interval.
struct LoadMetrics {
    double iops = 0;            // bios per second the device completed
    double mean_latency_us = 0; // mean completion latency
    double p99_latency_us = 0;
    std::uint32_t queue_depth = 0; // the scheduler's in-flight limit, 0: off
    std::uint64_t in_flight = 0;   // bios dispatched under the limit
    std::uint64_t queued = 0;      // bios waiting in the class queues, all classes
    double cpu = 0;                // utilisation, 0..1 (cpu_utilisation())
};

struct LoadOptions {
    // Saturation points (0: leave the metric out).
    double iops_saturation = 0;          // IO/s; device-specific, so off by default
    double baseline_mean_us = 1000;      // the idle device's mean latency
    double baseline_p99_us = 5000;       // and its p99
    double latency_ratio_saturation = 4; // latency this many times the baseline is full load
    double queue_saturation = 2;         // outstanding bios per queue depth slot
    double cpu_saturation = 0.9;         // utilisation

    // Weights of the components in the sum.
    double iops_weight = 0.2;
    double latency_weight = 0.4;
    double p99_weight = 0.2;
    double queue_weight = 0.4;
    double cpu_weight = 0.2;
};

// Each component in [0, 1] and the load factor, for logging why.
struct LoadScore {
    double iops = 0;
    double latency = 0;
    double p99 = 0;
    double queue = 0;
    double cpu = 0;
    double load = 0; // the clamped weighted sum

    bool operator==(const LoadScore&) const = default;
};

// What is wrong with the options (a negative weight or saturation point,
// a latency ratio saturation of 1 or less while a baseline is set); empty
// when they are valid.
std::string load_options_problem(const LoadOptions& options);

LoadScore score_load(const LoadMetrics& metrics, const LoadOptions& options = {});

// score_load(...).load.
double load_factor(const LoadMetrics& metrics, const LoadOptions& options = {});

} // namespace tandem
