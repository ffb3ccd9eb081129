#include "tandem/load_score.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace tandem {

namespace {

// Clamped to [0, 1]; NaN (e.g. a metric that could not be measured) is 0.
double unit(double x) {
    if (std::isnan(x))
        return 0;
    return std::clamp(x, 0.0, 1.0);
}

// value / saturation, or 0 when the metric is left out.
double against(double value, double saturation) {
    return saturation > 0 ? unit(value / saturation) : 0;
}

// 0 at the baseline, 1 at ratio_saturation times it.
double latency_component(double latency_us, double baseline_us, double ratio_saturation) {
    if (baseline_us <= 0 || ratio_saturation <= 1)
        return 0;
    return unit((latency_us / baseline_us - 1) / (ratio_saturation - 1));
}

} // namespace

std::string load_options_problem(const LoadOptions& o) {
    const std::pair<const char*, double> non_negative[] = {
        {"iops_saturation", o.iops_saturation}, {"baseline_mean_us", o.baseline_mean_us},
        {"baseline_p99_us", o.baseline_p99_us}, {"queue_saturation", o.queue_saturation},
        {"cpu_saturation", o.cpu_saturation},   {"iops_weight", o.iops_weight},
        {"latency_weight", o.latency_weight},   {"p99_weight", o.p99_weight},
        {"queue_weight", o.queue_weight},       {"cpu_weight", o.cpu_weight},
    };
    for (auto [name, value] : non_negative) {
        if (!(value >= 0) || std::isinf(value))
            return std::string(name) + " must be a finite number of 0 or more";
    }
    if ((o.baseline_mean_us > 0 || o.baseline_p99_us > 0) && !(o.latency_ratio_saturation > 1))
        return "latency_ratio_saturation must be above 1 (the baseline itself is no load)";
    return {};
}

LoadScore score_load(const LoadMetrics& m, const LoadOptions& o) {
    LoadScore s;
    s.iops = against(m.iops, o.iops_saturation);
    s.latency =
        latency_component(m.mean_latency_us, o.baseline_mean_us, o.latency_ratio_saturation);
    s.p99 = latency_component(m.p99_latency_us, o.baseline_p99_us, o.latency_ratio_saturation);
    if (m.queue_depth > 0)
        s.queue = against(static_cast<double>(m.in_flight + m.queued),
                          static_cast<double>(m.queue_depth) * o.queue_saturation);
    s.cpu = against(m.cpu, o.cpu_saturation);

    const double sum = o.iops_weight * s.iops + o.latency_weight * s.latency +
                       o.p99_weight * s.p99 + o.queue_weight * s.queue + o.cpu_weight * s.cpu;
    s.load = unit(sum);
    return s;
}

double load_factor(const LoadMetrics& metrics, const LoadOptions& options) {
    return score_load(metrics, options).load;
}

} // namespace tandem
