// What makes a weighting policy unusable, named by its config key.
#include "tandem/weight_engine.h"

#include "tandem/limits.h"

#include <cmath>
#include <sstream>

namespace tandem {

namespace {

std::string number(double x) {
    std::ostringstream out;
    out << x;
    return out.str();
}

bool finite_non_negative(double x) {
    return x >= 0 && std::isfinite(x);
}

bool health_range(double x) {
    return x >= 0 && x <= 100;
}

} // namespace

std::string validate(const WeightPolicy& p) {
    if (p.leg_factors.empty())
        return "weighting.leg_factors: empty; give one factor per leg, the source first";
    if (p.leg_factors.size() > max_legs)
        return "weighting.leg_factors: " + std::to_string(p.leg_factors.size()) +
               " factors for at most " + std::to_string(max_legs) + " legs";
    bool any_positive = false;
    for (std::size_t i = 0; i < p.leg_factors.size(); i++) {
        if (!finite_non_negative(p.leg_factors[i]))
            return "weighting.leg_factors: factor " + std::to_string(i) + " (" +
                   number(p.leg_factors[i]) + ") must be a finite number of 0 or more";
        any_positive = any_positive || p.leg_factors[i] > 0;
    }
    if (!any_positive)
        return "weighting.leg_factors: every factor is 0, so no leg would get reads by health";

    if (!health_range(p.critical_health))
        return "weighting.critical_health: " + number(p.critical_health) + " must be 0..100";
    if (!health_range(p.recover_health))
        return "weighting.recover_health: " + number(p.recover_health) + " must be 0..100";
    if (!(p.recover_health > p.critical_health))
        return "weighting.recover_health: " + number(p.recover_health) +
               " must be above critical_health (" + number(p.critical_health) +
               "), or a leg could fail back at a health that fails it over";

    const std::pair<const char*, double> durations[] = {
        {"recover_seconds", p.recover_seconds},
        {"failback_seconds", p.failback_seconds},
        {"trend_horizon_seconds", p.trend_horizon_seconds},
    };
    for (auto [key, value] : durations) {
        if (!finite_non_negative(value))
            return std::string("weighting.") + key + ": " + number(value) +
                   " must be a finite number of seconds, 0 or more";
    }
    if (!(p.trend_window_seconds > 0 && std::isfinite(p.trend_window_seconds)))
        return "weighting.trend_window_seconds: " + number(p.trend_window_seconds) +
               " must be a finite number of seconds above 0";
    if (!(p.deadband >= 0 && p.deadband < 100))
        return "weighting.deadband: " + number(p.deadband) + " must be 0 or more, below 100";
    if (!(p.max_step_per_second > 0))
        return "weighting.max_step_per_second: " + number(p.max_step_per_second) +
               " must be above 0 (weight points per second)";
    return {};
}

} // namespace tandem
