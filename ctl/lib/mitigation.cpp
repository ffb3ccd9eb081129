#include "tandem/mitigation.h"

#include "tandem/errors.h"
#include "tandem/http_url.h"
#include "tandem/limits.h"
#include "tandem/message.h"

#include <algorithm>
#include <utility>

namespace tandem {

namespace {

// The stricter of two limits where 0 means none.
std::uint32_t stricter(std::uint32_t a, std::uint32_t b) {
    if (a == 0)
        return b;
    if (b == 0)
        return a;
    return std::min(a, b);
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& item : items)
        out += (out.empty() ? "" : "; ") + item;
    return out;
}

} // namespace

std::string to_string(ClassLimits l) {
    return "iops " + std::to_string(l.iops) + " bw " + std::to_string(l.bw_kib) + " KiB/s";
}

std::string mitigation_policy_problem(const MitigationPolicy& p) {
    if (!p.webhook_url.empty()) {
        try {
            parse_http_url(p.webhook_url);
        } catch (const UsageError& e) {
            return std::string("webhook_url: ") + e.what();
        }
    }
    if (!p.exec.empty() && (p.exec[0].empty() || p.exec[0][0] != '/'))
        return "exec: the program must be an absolute path, got '" + p.exec[0] + "'";
    if (std::string problem = class_name_problem(p.throttle_class); !problem.empty())
        return "throttle_class: " + problem;
    if (std::string problem = iops_limit_problem(p.throttle_iops); !problem.empty())
        return "throttle_iops: " + problem;
    if (std::string problem = bw_limit_problem(p.throttle_bw_kib); !problem.empty())
        return "throttle_bw_kib: " + problem;
    if (p.throttle && p.throttle_iops == 0 && p.throttle_bw_kib == 0)
        return "throttle needs throttle_iops or throttle_bw_kib above 0";
    return {};
}

std::string_view to_string(ActionKind kind) {
    switch (kind) {
    case ActionKind::alert:
        return "alert";
    case ActionKind::throttle:
        return "throttle";
    case ActionKind::unthrottle:
        return "unthrottle";
    case ActionKind::rollback:
        return "rollback";
    }
    return "unknown";
}

Mitigator::Mitigator(std::string device, MitigationPolicy policy)
    : device_(std::move(device))
    , policy_(std::move(policy)) {
    if (std::string problem = mitigation_policy_problem(policy_); !problem.empty())
        throw UsageError("mitigation policy: " + problem);
}

std::vector<MitigationAction> Mitigator::decide(const AnomalyVerdict& verdict,
                                                std::optional<ClassLimits> class_limits) {
    const bool anomalous = verdict.state == AnomalyState::anomalous;
    std::vector<MitigationAction> actions;
    if (anomalous && !anomalous_)
        actions = enter(verdict, class_limits);
    else if (!anomalous && anomalous_)
        actions = leave(verdict.state);
    else if (!anomalous && saved_)
        actions.push_back(restore(verdict.state)); // the last restore failed: again
    counters_.actions += actions.size();
    return actions;
}

std::vector<MitigationAction> Mitigator::enter(const AnomalyVerdict& verdict,
                                               std::optional<ClassLimits> class_limits) {
    anomalous_ = true;
    counters_.detected++;
    const std::vector<std::string> reasons = verdict.reasons();
    std::vector<MitigationAction> out;
    if (policy_.alert) {
        MitigationAction a{ActionKind::alert, device_, AnomalyState::anomalous, "", "", reasons};
        a.alert = device_ + ": shadow anomalous: " + joined(reasons);
        out.push_back(std::move(a));
    }
    if (policy_.throttle) {
        MitigationAction a{ActionKind::throttle, device_, AnomalyState::anomalous, "", "", {}};
        if (class_limits) {
            // Limits still saved from a restore that failed are the
            // class's own; the status shows the throttle's.
            if (!saved_)
                saved_ = class_limits;
            const ClassLimits pushed{stricter(policy_.throttle_iops, saved_->iops),
                                     stricter(policy_.throttle_bw_kib, saved_->bw_kib)};
            a.message = message::class_limit(policy_.throttle_class, pushed.iops, pushed.bw_kib);
            a.limits = pushed;
            a.alert = device_ + ": class " + policy_.throttle_class + " limited to " +
                      to_string(pushed) + " (was " + to_string(*saved_) + ")";
        } else {
            a.available = false;
            a.alert =
                device_ + ": not throttled: the device has no class " + policy_.throttle_class;
        }
        out.push_back(std::move(a));
    }
    if (policy_.rollback) {
        MitigationAction a{ActionKind::rollback, device_, AnomalyState::anomalous, "", "", {}};
        a.available = false;
        a.alert = device_ + ": rollback unavailable: the target keeps no journal of the "
                            "shadow's writes";
        out.push_back(std::move(a));
    }
    return out;
}

std::vector<MitigationAction> Mitigator::leave(AnomalyState state) {
    anomalous_ = false;
    counters_.recovered++;
    std::vector<MitigationAction> out;
    if (policy_.alert) {
        MitigationAction a{ActionKind::alert, device_, state, "", "", {}};
        a.alert = device_ + ": shadow recovered";
        out.push_back(std::move(a));
    }
    if (saved_)
        out.push_back(restore(state));
    return out;
}

std::vector<MitigationAction> Mitigator::release() {
    anomalous_ = false;
    if (!saved_)
        return {};
    MitigationAction a = restore(AnomalyState::normal);
    a.alert += " (the shadow device is gone)";
    counters_.actions++;
    return {a};
}

void Mitigator::resume(ClassLimits saved) {
    anomalous_ = true;
    saved_ = saved;
}

MitigationAction Mitigator::restore(AnomalyState state) {
    MitigationAction a{ActionKind::unthrottle, device_, state, "", "", {}};
    a.message = message::class_limit(policy_.throttle_class, saved_->iops, saved_->bw_kib);
    a.limits = saved_;
    a.alert =
        device_ + ": class " + policy_.throttle_class + " limits restored to " + to_string(*saved_);
    restoring_ = std::exchange(saved_, std::nullopt);
    return a;
}

void Mitigator::report(const MitigationAction& action, bool succeeded) {
    if (succeeded && action.available)
        counters_.enforced++;
    else
        counters_.failed++;
    // A restore the kernel refused leaves the throttle in force: keep the
    // limits, so that the next decision tries again.
    if (action.kind == ActionKind::unthrottle && !succeeded && restoring_ && !saved_)
        saved_ = restoring_;
    if (action.kind == ActionKind::unthrottle)
        restoring_.reset();
}

} // namespace tandem
