// The weighting engine's state machine: failover, recovery, failback ramp,
// the formula with its trend, then the deadband and the rate cap.
#include "tandem/weight_engine.h"

#include "tandem/limits.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>
#include <stdexcept>

namespace tandem {

namespace {

// Health and slopes as a person reads them: one decimal at most.
std::string number(double x) {
    std::ostringstream out;
    out << std::round(x * 10) / 10;
    return out.str();
}

std::string list(const std::vector<unsigned>& weights) {
    std::string out;
    for (unsigned w : weights)
        out += (out.empty() ? "" : " ") + std::to_string(w);
    return out;
}

std::string leg_name(std::size_t leg) {
    return "leg " + std::to_string(leg);
}

double clean_health(double health) {
    return std::isnan(health) ? 0 : std::clamp(health, 0.0, 100.0);
}

bool weighted_out(LegPhase phase) {
    return phase == LegPhase::failed_over || phase == LegPhase::recovering;
}

// Shares proportional to factor x health over the legs in `in`, falling
// back to the factors alone, then to an equal split, so that the legs in
// `in` never all get 0.  Normalised to sum 100.
std::vector<double> formula_shares(const WeightPolicy& policy, const std::vector<double>& health,
                                   const std::vector<bool>& in) {
    const std::size_t n = health.size();
    std::vector<double> shares(n, 0);
    for (std::size_t i = 0; i < n; i++)
        shares[i] = in[i] ? leg_factor(policy, i) * health[i] : 0;
    for (int fallback = 0; fallback < 2; fallback++) {
        if (std::accumulate(shares.begin(), shares.end(), 0.0) > 0)
            break;
        for (std::size_t i = 0; i < n; i++)
            shares[i] = in[i] ? (fallback == 0 ? leg_factor(policy, i) : 1) : 0;
    }
    const double sum = std::accumulate(shares.begin(), shares.end(), 0.0);
    for (double& s : shares)
        s = s * 100 / sum;
    return shares;
}

} // namespace

const char* to_string(LegPhase phase) {
    switch (phase) {
    case LegPhase::serving:
        return "serving";
    case LegPhase::failed_over:
        return "failed over";
    case LegPhase::recovering:
        return "recovering";
    case LegPhase::failing_back:
        return "failing back";
    }
    return "unknown";
}

WeightEngine::WeightEngine(WeightPolicy policy, std::size_t nr_legs,
                           std::vector<unsigned> initial_weights)
    : policy_(std::move(policy))
    , legs_(nr_legs)
    , weights_(std::move(initial_weights)) {
    if (std::string problem = validate(policy_); !problem.empty())
        throw std::invalid_argument(problem);
    if (nr_legs < min_legs || nr_legs > max_legs)
        throw std::invalid_argument("weighting: " + std::to_string(nr_legs) + " legs, expected " +
                                    std::to_string(min_legs) + ".." + std::to_string(max_legs));
    if (weights_.size() != nr_legs)
        throw std::invalid_argument("weighting: " + std::to_string(weights_.size()) +
                                    " initial weights for " + std::to_string(nr_legs) + " legs");
    if (std::string problem = weights_problem(weights_); !problem.empty())
        throw std::invalid_argument("weighting: initial weights: " + problem);
    position_.assign(weights_.begin(), weights_.end());
    for (std::size_t i = 0; i < nr_legs; i++) {
        if (weights_[i] == 0)
            legs_[i].phase = LegPhase::failed_over;
    }
}

LegPhase WeightEngine::phase(std::size_t leg) const {
    if (leg >= legs_.size())
        throw std::out_of_range("weighting: no leg " + std::to_string(leg) + " among " +
                                std::to_string(legs_.size()));
    return legs_[leg].phase;
}

WeightDecision WeightEngine::update(double now, const std::vector<LegView>& views) {
    const std::size_t n = legs_.size();
    if (views.size() != n)
        throw std::invalid_argument("weighting: " + std::to_string(views.size()) +
                                    " leg views for " + std::to_string(n) + " legs");
    if (std::isnan(now) || (last_update_ && now < *last_update_))
        throw std::invalid_argument("weighting: time " + number(now) + " s is before the last " +
                                    number(last_update_.value_or(0)) + " s");
    const double elapsed = last_update_ ? now - *last_update_ : 0;
    last_update_ = now;

    WeightDecision d;
    std::vector<std::string> reasons;
    std::vector<double> health(n);
    for (std::size_t i = 0; i < n; i++) {
        health[i] = clean_health(views[i].health);
        std::deque<Sample>& history = legs_[i].history;
        history.push_back({now, health[i]});
        while (history.front().time < now - policy_.trend_window_seconds)
            history.pop_front();
    }

    // Phases.  Failover looks at the current health, never the projection.
    std::vector<double> ramp(n, 1.0);
    for (std::size_t i = 0; i < n; i++) {
        Leg& leg = legs_[i];
        const bool failing = !views[i].readable || health[i] < policy_.critical_health;
        const std::string why = !views[i].readable ? "not readable"
                                                   : "health " + number(health[i]) + " < " +
                                                         number(policy_.critical_health);
        if (!weighted_out(leg.phase) && failing) {
            leg.phase = LegPhase::failed_over;
            d.failed_over.push_back(i);
            reasons.push_back(leg_name(i) + " failed over: " + why);
        } else if (weighted_out(leg.phase)) {
            const bool recovered = views[i].readable && health[i] >= policy_.recover_health;
            if (!recovered) {
                if (leg.phase == LegPhase::recovering)
                    reasons.push_back(leg_name(i) + " recovery reset: " +
                                      (!views[i].readable ? std::string("not readable")
                                                          : "health " + number(health[i]) + " < " +
                                                                number(policy_.recover_health)));
                leg.phase = LegPhase::failed_over;
            } else {
                if (leg.phase == LegPhase::failed_over) {
                    leg.phase = LegPhase::recovering;
                    leg.since = now;
                }
                if (now - leg.since >= policy_.recover_seconds) {
                    leg.phase = LegPhase::failing_back;
                    leg.since += policy_.recover_seconds;
                } else {
                    reasons.push_back(leg_name(i) + " recovering: health " + number(health[i]) +
                                      " >= " + number(policy_.recover_health) + " for " +
                                      number(now - leg.since) + " of " +
                                      number(policy_.recover_seconds) + " s");
                }
            }
        }
        if (leg.phase == LegPhase::failing_back) {
            const double progress =
                policy_.failback_seconds > 0 ? (now - leg.since) / policy_.failback_seconds : 1.0;
            if (progress >= 1) {
                leg.phase = LegPhase::serving;
                d.failed_back.push_back(i);
                reasons.push_back(leg_name(i) + " failed back");
            } else {
                ramp[i] = progress;
                reasons.push_back(
                    leg_name(i) + " failing back: ramp " +
                    std::to_string(static_cast<int>(std::floor(progress * 100 + 1e-9))) + "%");
            }
        }
    }

    // The health the formula uses: the window's lowest, lower still when
    // a significant fall projects it lower.
    std::vector<double> used(n);
    for (std::size_t i = 0; i < n; i++) {
        const std::deque<Sample>& history = legs_[i].history;
        std::vector<double> times, values;
        for (const Sample& s : history) {
            times.push_back(s.time);
            values.push_back(s.health);
        }
        used[i] = *std::min_element(values.begin(), values.end());
        const std::optional<TrendFit> fit = fit_trend(times, values);
        if (!fit || fit->span < policy_.trend_window_seconds / 2)
            continue; // a trend needs half a window of history
        const std::optional<double> projected =
            projected_health(health[i], *fit, policy_.trend_horizon_seconds);
        if (projected && *projected < used[i]) {
            used[i] = *projected;
            if (!weighted_out(legs_[i].phase))
                reasons.push_back("predictive: " + leg_name(i) + " health " + number(health[i]) +
                                  " falling " + number(-fit->slope) + "/s");
        }
    }

    std::vector<bool> eligible(n), readable(n);
    for (std::size_t i = 0; i < n; i++) {
        eligible[i] = !weighted_out(legs_[i].phase);
        readable[i] = views[i].readable;
    }

    auto finish = [&](std::vector<unsigned> weights, std::string movement) {
        if (!movement.empty())
            reasons.push_back(std::move(movement));
        d.changed = weights != weights_;
        weights_ = std::move(weights);
        d.weights = weights_;
        for (const std::string& r : reasons)
            d.reason += (d.reason.empty() ? "" : "; ") + r;
        return d;
    };

    if (std::none_of(eligible.begin(), eligible.end(), [](bool b) { return b; })) {
        if (std::none_of(readable.begin(), readable.end(), [](bool b) { return b; })) {
            d.target = weights_;
            return finish(weights_, "no leg readable: keeping weights " + list(weights_));
        }
        const std::vector<double> shares = formula_shares(policy_, health, readable);
        d.target = apportion(shares);
        moving_ = false;
        position_.assign(d.target.begin(), d.target.end());
        std::string which;
        for (std::size_t i = 0; i < n; i++) {
            if (readable[i])
                which += (which.empty() ? "" : ",") + std::to_string(i);
        }
        return finish(d.target, "no leg eligible: readable legs " + which +
                                    " weighted by the formula: " + list(d.target));
    }

    // The formula over the eligible legs; a ramping leg gets its fraction
    // of its share and the legs at full weight the rest, in proportion.
    std::vector<double> shares = formula_shares(policy_, used, eligible);
    double deficit = 0, full_sum = 0;
    for (std::size_t i = 0; i < n; i++) {
        if (!eligible[i])
            continue;
        if (ramp[i] < 1) {
            deficit += shares[i] * (1 - ramp[i]);
            shares[i] *= ramp[i];
        } else {
            full_sum += shares[i];
        }
    }
    if (full_sum > 0) {
        for (std::size_t i = 0; i < n; i++) {
            if (eligible[i] && ramp[i] >= 1)
                shares[i] += deficit * shares[i] / full_sum;
        }
    } else if (deficit > 0) {
        shares = formula_shares(policy_, used,
                                eligible); // every eligible leg ramping: no one to defer to
    }
    d.target = apportion(shares);

    // A failover in effect moves everything at once.  A capped move may
    // have left a leg a fraction of a point that rounded to 0: it would
    // round up later, so it counts as weight too.
    bool at_once = false;
    for (std::size_t i = 0; i < n; i++)
        at_once =
            at_once || (weighted_out(legs_[i].phase) && (weights_[i] > 0 || position_[i] > 0));
    if (at_once) {
        moving_ = false;
        position_.assign(d.target.begin(), d.target.end());
        return finish(d.target, "weights " + list(d.target) + " at once");
    }

    double distance = 0;
    for (std::size_t i = 0; i < n; i++)
        distance = std::max(distance, std::abs(d.target[i] - position_[i]));
    const bool ramping =
        std::any_of(legs_.begin(), legs_.end(),
                    [](const Leg& l) { return l.phase == LegPhase::failing_back; }) ||
        !d.failed_back.empty();
    if (distance == 0) {
        moving_ = false;
        return finish(weights_, reasons.empty() ? "steady at " + list(weights_) : "");
    }
    if (distance < policy_.deadband && !ramping && !moving_)
        return finish(weights_,
                      "within the deadband of " + list(d.target) + ": keeping " + list(weights_));

    const double cap = policy_.max_step_per_second * elapsed;
    if (distance <= cap) {
        moving_ = false;
        position_.assign(d.target.begin(), d.target.end());
        return finish(d.target, d.target == weights_ ? "" : "formula: " + list(d.target));
    }
    moving_ = true;
    const double fraction = cap / distance;
    for (std::size_t i = 0; i < n; i++)
        position_[i] += fraction * (d.target[i] - position_[i]);
    std::vector<unsigned> moved = apportion(position_);
    return finish(moved, "rate cap " + number(policy_.max_step_per_second) + "/s: " + list(moved) +
                             " on the way to " + list(d.target));
}

} // namespace tandem
