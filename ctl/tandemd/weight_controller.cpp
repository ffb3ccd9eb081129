#include "weight_controller.h"

#include <algorithm>
#include <stdexcept>

namespace tandem::daemon {

namespace {

std::vector<unsigned> weights_of(const Status& status) {
    std::vector<unsigned> w;
    for (const LegStatus& leg : status.legs)
        w.push_back(leg.weight);
    return w;
}

// The kernel keeps weights summing to 100; anything else (a status the
// daemon cannot trust) starts the engine from an equal split.
std::vector<unsigned> initial_weights(const Status& status) {
    std::vector<unsigned> w = weights_of(status);
    unsigned sum = 0;
    for (unsigned x : w)
        sum += x;
    if (sum == 100)
        return w;
    return apportion(std::vector<double>(w.size(), 1.0));
}

bool readability_changed(const Status& before, const Status& after) {
    if (before.legs.size() != after.legs.size())
        return true;
    for (std::size_t i = 0; i < after.legs.size(); i++) {
        if ((before.legs[i].state == LegState::alive) != (after.legs[i].state == LegState::alive))
            return true;
    }
    return false;
}

} // namespace

WeightController::WeightController(WeightPolicy policy, HealthPolicy health, double interval_s,
                                   const Status& first)
    : engine_(std::move(policy), first.legs.size(), initial_weights(first))
    , health_policy_(std::move(health))
    , interval_s_(interval_s)
    , previous_(first)
    , leg_smoothers_(first.legs.size(), HealthSmoother(health_policy_.smoothing)) {}

WeightStep WeightController::poll(double now_s, const Status& status,
                                  const std::vector<LegContext>& legs, bool force) {
    if (status.legs.size() != leg_smoothers_.size())
        throw std::invalid_argument("status has " + std::to_string(status.legs.size()) +
                                    " legs, the controller " +
                                    std::to_string(leg_smoothers_.size()));
    // The leg's own health, from this poll's counters and its disk.
    for (std::size_t i = 0; i < status.legs.size(); i++) {
        HealthInputs in;
        in.leg_error_rate = leg_error_rate(previous_.legs[i], status.legs[i]);
        if (i < legs.size() && legs[i].disk) {
            in.disk_busy = legs[i].disk->busy;
            in.disk_latency_ms = legs[i].disk->latency_ms;
        }
        leg_smoothers_[i].update(score_health(in, health_policy_).score);
    }
    force = force || readability_changed(previous_, status);
    previous_ = status;

    WeightStep step;
    if (!force && last_decision_ && now_s - *last_decision_ < interval_s_)
        return step;
    if (last_decision_ && now_s < *last_decision_)
        now_s = *last_decision_; // the engine refuses time going back
    last_decision_ = now_s;

    std::vector<LegView> views;
    leg_health_.clear();
    for (std::size_t i = 0; i < status.legs.size(); i++) {
        double health = leg_smoothers_[i].value();
        if (i < legs.size() && legs[i].node_health)
            health = std::min(health, *legs[i].node_health);
        leg_health_.push_back(health);
        views.push_back(LegView{status.legs[i].state == LegState::alive, health});
    }
    step.decided = true;
    step.decision = engine_.update(now_s, views);
    if (step.decision.weights != weights_of(status))
        step.send = step.decision.weights;
    return step;
}

} // namespace tandem::daemon
