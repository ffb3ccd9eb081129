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
    step.actions = mitigator_.decide(step.verdict, throttle_class_limits(status));
    return step;
}

void ShadowGuard::report(const MitigationAction& action, bool succeeded) {
    mitigator_.report(action, succeeded);
    if (succeeded && action.kind == ActionKind::throttle)
        pushed_ = action.limits;
    if (succeeded && action.kind == ActionKind::unthrottle)
        pushed_.reset();
}

std::optional<GuardMemory> ShadowGuard::memory() const {
    if (!pushed_ || !mitigator_.saved_limits())
        return std::nullopt;
    return GuardMemory{mitigator_.policy().throttle_class, *mitigator_.saved_limits(), *pushed_,
                       detector_.baselines()};
}

bool ShadowGuard::resume(const GuardMemory& memory, const Status& status) {
    if (memory.throttle_class != mitigator_.policy().throttle_class ||
        throttle_class_limits(status) != memory.pushed)
        return false;
    detector_.resume(memory.baselines, true);
    mitigator_.resume(memory.saved);
    pushed_ = memory.pushed;
    return true;
}

std::optional<ClassLimits> ShadowGuard::throttle_class_limits(const Status& status) const {
    if (!status.scheduler)
        return std::nullopt;
    const ClassStatus* c = status.scheduler->find_class(mitigator_.policy().throttle_class);
    if (!c)
        return std::nullopt;
    return ClassLimits{c->iops_limit, c->bw_limit};
}

std::string ShadowGuard::held_class() const {
    return mitigator_.saved_limits() ? mitigator_.policy().throttle_class : "";
}

} // namespace tandem::daemon
