#include "tandem/health_score.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

namespace tandem {

namespace {

// 100 at `good`, 0 at `bad`, linear between and clamped beyond; `good` may
// be above or below `bad`.
double linear_score(double value, double good, double bad) {
    if (good == bad)
        return value == good ? 100 : (good < bad) == (value < good) ? 100 : 0;
    return std::clamp(100 * (bad - value) / (bad - good), 0.0, 100.0);
}

// A known input: present and not NaN.
std::optional<double> known(const std::optional<double>& input) {
    if (!input || std::isnan(*input))
        return std::nullopt;
    return input;
}

struct Component {
    const char* name;
    std::optional<double> input;
    double weight;
    double good;
    double bad;
};

std::string number(double x) {
    std::ostringstream out;
    out << x;
    return out.str();
}

} // namespace

HealthScore score_health(const HealthInputs& in, const HealthPolicy& p) {
    const Component components[] = {
        {"cpu", in.cpu_busy, p.cpu, 0, 1},
        {"memory", in.memory_used, p.memory, 0, 1},
        {"network", in.network_errors, p.network, 0, p.network_errors_bad},
        {"disk_busy", in.disk_busy, p.disk / 2, 0, 1},
        {"disk_latency", in.disk_latency_ms, p.disk / 2, p.disk_latency_good_ms,
         p.disk_latency_bad_ms},
        {"errors", in.leg_error_rate, p.errors, 0, p.leg_errors_bad},
        {"probe_success", in.probe_success, p.probes / 2, 1, p.probe_success_bad},
        {"probe_latency", in.probe_latency_ms, p.probes / 2, p.probe_latency_good_ms,
         p.probe_latency_bad_ms},
    };

    HealthScore out;
    double weighted = 0;
    double total_weight = 0;
    for (const Component& c : components) {
        const std::optional<double> value = known(c.input);
        if (!value)
            continue;
        const double score = linear_score(*value, c.good, c.bad);
        out.components.emplace_back(c.name, score);
        weighted += c.weight * score;
        total_weight += c.weight;
    }
    out.score = total_weight > 0 ? std::clamp(weighted / total_weight, 0.0, 100.0) : 100;
    return out;
}

HealthSmoother::HealthSmoother(double alpha)
    : alpha_(alpha) {
    if (!(alpha > 0 && alpha <= 1))
        throw std::invalid_argument("health.smoothing: " + number(alpha) +
                                    " must be above 0, at most 1 (1: no smoothing)");
}

double HealthSmoother::update(double raw) {
    if (std::isnan(raw))
        return value();
    raw = std::clamp(raw, 0.0, 100.0);
    smoothed_ = smoothed_ ? *smoothed_ + alpha_ * (raw - *smoothed_) : raw;
    return *smoothed_;
}

std::string validate(const HealthPolicy& p) {
    const std::pair<const char*, double> weights[] = {
        {"cpu", p.cpu},   {"memory", p.memory}, {"network", p.network},
        {"disk", p.disk}, {"errors", p.errors}, {"probes", p.probes},
    };
    double sum = 0;
    for (auto [key, value] : weights) {
        if (!(value >= 0) || std::isinf(value))
            return std::string("health.") + key + ": weight " + number(value) +
                   " must be a finite number of 0 or more";
        sum += value;
    }
    if (sum == 0)
        return "health.cpu: every component weight is 0, so no input would count";

    const std::pair<const char*, double> latencies[] = {
        {"disk_latency_good_ms", p.disk_latency_good_ms},
        {"disk_latency_bad_ms", p.disk_latency_bad_ms},
        {"probe_latency_good_ms", p.probe_latency_good_ms},
        {"probe_latency_bad_ms", p.probe_latency_bad_ms},
    };
    for (auto [key, value] : latencies) {
        if (!(value >= 0) || std::isinf(value))
            return std::string("health.") + key + ": " + number(value) +
                   " must be a finite number of milliseconds, 0 or more";
    }
    if (!(p.disk_latency_bad_ms > p.disk_latency_good_ms))
        return "health.disk_latency_bad_ms: " + number(p.disk_latency_bad_ms) +
               " must be above disk_latency_good_ms (" + number(p.disk_latency_good_ms) + ")";
    if (!(p.probe_latency_bad_ms > p.probe_latency_good_ms))
        return "health.probe_latency_bad_ms: " + number(p.probe_latency_bad_ms) +
               " must be above probe_latency_good_ms (" + number(p.probe_latency_good_ms) + ")";

    if (!(p.network_errors_bad > 0 && p.network_errors_bad <= 1))
        return "health.network_errors_bad: " + number(p.network_errors_bad) +
               " must be a fraction above 0, at most 1";
    if (!(p.leg_errors_bad > 0 && p.leg_errors_bad <= 1))
        return "health.leg_errors_bad: " + number(p.leg_errors_bad) +
               " must be a fraction above 0, at most 1";
    if (!(p.probe_success_bad >= 0 && p.probe_success_bad < 1))
        return "health.probe_success_bad: " + number(p.probe_success_bad) +
               " must be a fraction of 0 or more, below 1";
    if (!(p.smoothing > 0 && p.smoothing <= 1))
        return "health.smoothing: " + number(p.smoothing) +
               " must be above 0, at most 1 (1: no smoothing)";
    return {};
}

} // namespace tandem
