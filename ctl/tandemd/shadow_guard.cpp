#include "shadow_guard.h"

namespace tandem::daemon {

ShadowGuard::ShadowGuard(std::string device, AnomalyPolicy anomaly, MitigationPolicy mitigation)
    : detector_(anomaly)
    , mitigator_(std::move(device), std::move(mitigation)) {}

GuardStep ShadowGuard::poll(const Status& status, const std::optional<ShadowStats>& stats) {
    GuardStep step;
    if (!status.shadow || !status.shadow->has_device()) {
        // Nothing left to judge, nor to hold back for: a throttle in force
        // is undone.
        previous_.reset();
        step.actions = mitigator_.release();
        return step;
    }
    Reading now = stats ? Reading(*stats) : Reading(*status.shadow);
    if (!previous_ || previous_->index() != now.index()) {
        previous_ = std::move(now);
        return step;
    }
    const ShadowWindow window =
        stats ? shadow_window(std::get<ShadowStats>(*previous_), *stats)
              : shadow_window(std::get<ShadowStatus>(*previous_), *status.shadow);
    previous_ = std::move(now);

    step.observed = true;
    step.verdict = detector_.observe(window);
    step.window = detector_.describe(window);
    std::optional<ClassLimits> limits;
    if (status.scheduler) {
        if (const ClassStatus* c = status.scheduler->find_class(mitigator_.policy().throttle_class))
            limits = ClassLimits{c->iops_limit, c->bw_limit};
    }
    step.actions = mitigator_.decide(step.verdict, limits);
    return step;
}

void ShadowGuard::report(const MitigationAction& action, bool succeeded) {
    mitigator_.report(action, succeeded);
}

std::string ShadowGuard::held_class() const {
    return mitigator_.saved_limits() ? mitigator_.policy().throttle_class : "";
}

} // namespace tandem::daemon
