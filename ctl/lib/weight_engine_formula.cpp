// The pure arithmetic of the weighting engine: leg factors, largest
// remainder rounding and the least-squares trend.
#include "tandem/weight_engine.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace tandem {

double leg_factor(const WeightPolicy& policy, std::size_t leg) {
    if (policy.leg_factors.empty())
        return 1;
    return policy.leg_factors[std::min(leg, policy.leg_factors.size() - 1)];
}

std::vector<unsigned> apportion(const std::vector<double>& shares, unsigned total) {
    const std::size_t n = shares.size();
    if (n == 0)
        return {};
    std::vector<double> clean(n);
    for (std::size_t i = 0; i < n; i++)
        clean[i] = std::isfinite(shares[i]) && shares[i] > 0 ? shares[i] : 0;
    double sum = std::accumulate(clean.begin(), clean.end(), 0.0);
    if (sum <= 0) {
        std::fill(clean.begin(), clean.end(), 1.0);
        sum = static_cast<double>(n);
    }

    std::vector<unsigned> out(n);
    std::vector<double> remainder(n);
    unsigned given = 0;
    for (std::size_t i = 0; i < n; i++) {
        const double exact = clean[i] * total / sum;
        out[i] = static_cast<unsigned>(std::floor(exact));
        remainder[i] = exact - out[i];
        given += out[i];
    }
    // The floors fall short of the total by less than one per share: the
    // largest remainders get one more each (stable sort: ties to the lower leg).
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
    for (std::size_t k = 0; given < total; k = (k + 1) % n, given++)
        out[order[k]]++;
    return out;
}

std::optional<TrendFit> fit_trend(const std::vector<double>& times,
                                  const std::vector<double>& values) {
    const std::size_t n = std::min(times.size(), values.size());
    if (n < 3)
        return std::nullopt;
    double mean_t = 0, mean_v = 0;
    for (std::size_t i = 0; i < n; i++) {
        mean_t += times[i];
        mean_v += values[i];
    }
    mean_t /= static_cast<double>(n);
    mean_v /= static_cast<double>(n);
    double covariance = 0, variance = 0;
    for (std::size_t i = 0; i < n; i++) {
        covariance += (times[i] - mean_t) * (values[i] - mean_v);
        variance += (times[i] - mean_t) * (times[i] - mean_t);
    }
    if (variance <= 0)
        return std::nullopt;

    TrendFit fit;
    fit.slope = covariance / variance;
    double squared_residuals = 0;
    for (std::size_t i = 0; i < n; i++) {
        const double residual = values[i] - (mean_v + fit.slope * (times[i] - mean_t));
        squared_residuals += residual * residual;
    }
    fit.slope_error = std::sqrt(squared_residuals / static_cast<double>(n - 2) / variance);
    fit.span = times[n - 1] - times[0];
    return fit;
}

std::optional<double> projected_health(double current, const TrendFit& fit, double horizon) {
    if (!(fit.slope < -2 * fit.slope_error))
        return std::nullopt;
    const double ahead = std::min(horizon, fit.span);
    return std::clamp(current + fit.slope * ahead, 0.0, std::max(current, 0.0));
}

} // namespace tandem
