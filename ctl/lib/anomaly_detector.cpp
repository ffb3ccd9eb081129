#include "tandem/anomaly_detector.h"

#include "tandem/errors.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace tandem {

namespace {

std::string fixed(double value, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
    return buf;
}

std::string us(double value) {
    return fixed(value, 0) + " us";
}

std::string percent(double rate) {
    return fixed(rate * 100, 2) + "%";
}

// Where a finding sorts: the operations in the target's order, then the
// device-wide signals.
std::size_t op_rank(std::string_view op) {
    const auto* it = std::find(std::begin(shadow_ops), std::end(shadow_ops), op);
    return static_cast<std::size_t>(it - std::begin(shadow_ops));
}

std::size_t signal_rank(AnomalySignal signal) {
    return static_cast<std::size_t>(
        std::find(anomaly_signals.begin(), anomaly_signals.end(), signal) -
        anomaly_signals.begin());
}

// "p50" or "p99": the percentile a latency signal judges.
std::string percentile_name(AnomalySignal signal) {
    return signal == AnomalySignal::shadow_p50 ? "p50" : "p99";
}

bool finite_at_least(double value, double min) {
    return std::isfinite(value) && value >= min;
}

} // namespace

std::string anomaly_policy_problem(const AnomalyPolicy& p) {
    if (p.warmup_windows == 0)
        return "warmup_windows must be at least 1";
    if (!(p.ewma_alpha > 0 && p.ewma_alpha <= 1))
        return "ewma_alpha must be in (0, 1], got " + fixed(p.ewma_alpha, 3);
    if (!finite_at_least(p.deviations, 0))
        return "deviations must be a number of at least 0";
    if (p.consecutive == 0)
        return "consecutive must be at least 1";
    if (!finite_at_least(p.latency_floor_us, 0))
        return "latency_floor_us must be a number of at least 0";
    if (!finite_at_least(p.min_latency_factor, 1))
        return "min_latency_factor must be a number of at least 1";
    if (!(p.max_error_rate >= 0 && p.max_error_rate <= 1))
        return "max_error_rate must be in [0, 1]";
    if (!(p.max_drop_rate >= 0 && p.max_drop_rate <= 1))
        return "max_drop_rate must be in [0, 1]";
    if (!(p.max_latency_ratio == 0 || finite_at_least(p.max_latency_ratio, 1)))
        return "max_latency_ratio must be 0 (off) or a number of at least 1";
    if (p.min_bios == 0)
        return "min_bios must be at least 1";
    return {};
}

std::string_view to_string(AnomalyState state) {
    switch (state) {
    case AnomalyState::learning:
        return "learning";
    case AnomalyState::normal:
        return "normal";
    case AnomalyState::anomalous:
        return "anomalous";
    }
    return "unknown";
}

std::string_view to_string(AnomalySignal signal) {
    switch (signal) {
    case AnomalySignal::shadow_p99:
        return "shadow_p99";
    case AnomalySignal::shadow_p50:
        return "shadow_p50";
    case AnomalySignal::latency_ratio:
        return "latency_ratio";
    case AnomalySignal::error_rate:
        return "error_rate";
    case AnomalySignal::drop_rate:
        return "drop_rate";
    case AnomalySignal::mismatches:
        return "mismatches";
    }
    return "unknown";
}

std::optional<AnomalySignal> anomaly_signal_from(std::string_view name) {
    for (AnomalySignal s : anomaly_signals) {
        if (to_string(s) == name)
            return s;
    }
    return std::nullopt;
}

std::vector<std::string> AnomalyVerdict::reasons() const {
    std::vector<std::string> out;
    for (const AnomalyFinding& f : findings)
        out.push_back(f.reason);
    return out;
}

AnomalyDetector::AnomalyDetector(AnomalyPolicy policy)
    : policy_(std::move(policy)) {
    if (std::string problem = anomaly_policy_problem(policy_); !problem.empty())
        throw UsageError("anomaly policy: " + problem);
}

std::vector<SavedBaseline> AnomalyDetector::baselines() const {
    std::vector<SavedBaseline> out;
    for (const OpBaseline& b : baselines_)
        out.push_back({b.op, b.signal, b.baseline});
    return out;
}

void AnomalyDetector::resume(const std::vector<SavedBaseline>& baselines, bool anomalous) {
    baselines_.clear();
    for (const SavedBaseline& b : baselines) {
        OpBaseline ob{b.op, b.signal, b.baseline};
        // Judged at once: the warm-up happened in the earlier run.
        ob.baseline.windows = std::max(ob.baseline.windows, policy_.warmup_windows);
        baselines_.push_back(std::move(ob));
    }
    counters_.windows = std::max<std::uint64_t>(counters_.windows, policy_.warmup_windows);
    resumed_hold_ = anomalous ? policy_.consecutive : 0;
    state_ = anomalous ? AnomalyState::anomalous : AnomalyState::normal;
}

const LatencyBaseline* AnomalyDetector::baseline(std::string_view op, AnomalySignal signal) const {
    for (const OpBaseline& b : baselines_) {
        if (b.op == op && b.signal == signal)
            return &b.baseline;
    }
    return nullptr;
}

LatencyBaseline& AnomalyDetector::baseline_of(const std::string& op, AnomalySignal signal) {
    for (OpBaseline& b : baselines_) {
        if (b.op == op && b.signal == signal)
            return b.baseline;
    }
    baselines_.push_back({op, signal, {}});
    return baselines_.back().baseline;
}

std::string AnomalyDetector::describe(const ShadowWindow& window) const {
    std::string out;
    const auto latency = [&](const ShadowOpWindow& op, AnomalySignal signal,
                             std::uint64_t value_us) {
        std::string text = percentile_name(signal) + " " + us(static_cast<double>(value_us));
        if (const LatencyBaseline* b = baseline(op.op, signal); b && b->windows)
            text += " (baseline " + fixed(b->value, 0) + " +- " + fixed(b->deviation, 0) + ")";
        return text;
    };
    for (const ShadowOpWindow& op : window.ops) {
        if (op.shadow.count == 0)
            continue;
        out += op.op + " ";
        if (op.shadow.p50_us)
            out += latency(op, AnomalySignal::shadow_p50, op.shadow.p50_us) + ", ";
        out += latency(op, AnomalySignal::shadow_p99, op.shadow.p99_us) + " of " +
               std::to_string(op.shadow.count) + " bios; ";
    }
    return out + "dropped " + std::to_string(window.dropped);
}

AnomalyDetector::Track& AnomalyDetector::track(std::string_view op, AnomalySignal signal) {
    for (Track& t : tracks_) {
        if (t.op == op && t.signal == signal)
            return t;
    }
    Track t;
    t.op = std::string(op);
    t.signal = signal;
    tracks_.push_back(std::move(t));
    return tracks_.back();
}

AnomalyDetector::Reading AnomalyDetector::read_latency(const std::string& op, AnomalySignal signal,
                                                       std::uint64_t value_us, std::uint64_t bios,
                                                       bool verdicts) {
    Reading r;
    if (bios < policy_.min_bios || value_us == 0)
        return r;
    const double x = static_cast<double>(value_us);
    LatencyBaseline& b = baseline_of(op, signal);
    if (verdicts && b.windows >= policy_.warmup_windows) {
        const double spread = std::max(b.deviation, policy_.latency_floor_us);
        const double by_deviation = b.value + policy_.deviations * spread;
        const double by_factor = policy_.min_latency_factor * b.value;
        r.present = true;
        r.value = x;
        r.bound = std::max(by_deviation, by_factor);
        r.out_of_bounds = x > r.bound;
        if (r.out_of_bounds) {
            r.detail = op + " shadow " + percentile_name(signal) + " " + us(x) + " > ";
            if (by_deviation >= by_factor)
                r.detail += "baseline " + us(b.value) + " + " + fixed(policy_.deviations, 0) +
                            " x " + us(spread);
            else
                r.detail += fixed(policy_.min_latency_factor, 1) + " x baseline " + us(b.value);
            return r; // an out-of-bounds window teaches the baseline nothing
        }
    }
    // Learn: a plain average until 1/alpha windows, an EWMA after.
    b.windows++;
    const double alpha = std::max(policy_.ewma_alpha, 1.0 / b.windows);
    if (b.windows == 1) {
        b.value = x;
        b.deviation = 0;
    } else {
        b.deviation += alpha * (std::abs(x - b.value) - b.deviation);
        b.value += alpha * (x - b.value);
    }
    return r;
}

AnomalyDetector::Reading AnomalyDetector::read_ratio(const std::string& op,
                                                     const ShadowOpWindow& w) const {
    Reading r;
    if (policy_.max_latency_ratio == 0 || w.shadow.count < policy_.min_bios ||
        w.production.count < policy_.min_bios || w.shadow.p99_us == 0 || w.production.p99_us == 0)
        return r;
    const double prod = static_cast<double>(w.production.p99_us);
    r.present = true;
    r.value = static_cast<double>(w.shadow.p99_us) / prod;
    r.bound = policy_.max_latency_ratio;
    r.out_of_bounds = r.value > r.bound;
    if (r.out_of_bounds)
        r.detail = op + " shadow p99 " + us(static_cast<double>(w.shadow.p99_us)) + " > " +
                   fixed(r.bound, 1) + " x production p99 " + us(prod) + " (ratio " +
                   fixed(r.value, 1) + ")";
    return r;
}

AnomalyDetector::Reading AnomalyDetector::read_error_rate(const std::string& op,
                                                          const ShadowSideWindow& shadow) const {
    Reading r;
    if (shadow.count == 0 && shadow.errors == 0)
        return r;
    const double over =
        static_cast<double>(std::max<std::uint64_t>(shadow.count, policy_.min_bios));
    r.present = true;
    r.value = static_cast<double>(shadow.errors) / over;
    r.bound = policy_.max_error_rate;
    r.out_of_bounds = r.value > r.bound;
    if (r.out_of_bounds)
        r.detail = op + " shadow error rate " + percent(r.value) + " (" +
                   std::to_string(shadow.errors) + " of " + std::to_string(shadow.count) +
                   " bios) > " + percent(r.bound);
    return r;
}

AnomalyDetector::Reading AnomalyDetector::read_drop_rate(const ShadowWindow& w) const {
    Reading r;
    std::uint64_t clones = w.dropped;
    for (const ShadowOpWindow& op : w.ops)
        clones += op.shadow.count;
    if (clones == 0)
        return r;
    const double over = static_cast<double>(std::max<std::uint64_t>(clones, policy_.min_bios));
    r.present = true;
    r.value = static_cast<double>(w.dropped) / over;
    r.bound = policy_.max_drop_rate;
    r.out_of_bounds = r.value > r.bound;
    if (r.out_of_bounds)
        r.detail = "shadow drop rate " + percent(r.value) + " (" + std::to_string(w.dropped) +
                   " of " + std::to_string(clones) + " clones) > " + percent(r.bound);
    return r;
}

AnomalyDetector::Reading AnomalyDetector::read_mismatches(const ShadowWindow& w) const {
    Reading r;
    if (w.compared == 0 && w.mismatches == 0)
        return r;
    r.present = true;
    r.value = static_cast<double>(w.mismatches);
    r.bound = static_cast<double>(policy_.max_mismatches);
    r.out_of_bounds = w.mismatches > policy_.max_mismatches;
    if (r.out_of_bounds)
        r.detail = "shadow read mismatches " + std::to_string(w.mismatches) + " (of " +
                   std::to_string(w.compared) + " compared) > " +
                   std::to_string(policy_.max_mismatches);
    return r;
}

void AnomalyDetector::judge(Track& t, const Reading& r, bool verdicts) {
    if (!verdicts || !r.present)
        return;
    window_seen_ = true;
    window_bad_ = window_bad_ || r.out_of_bounds;
    if (r.out_of_bounds) {
        t.bad_streak++;
        t.good_streak = 0;
        t.last_bad = {t.op,
                      t.signal,
                      r.value,
                      r.bound,
                      t.bad_streak,
                      r.detail + " for " + std::to_string(t.bad_streak) +
                          (t.bad_streak == 1 ? " window" : " windows")};
        if (!t.anomalous && t.bad_streak >= policy_.consecutive) {
            t.anomalous = true;
            counters_.signal_detections++;
        }
    } else {
        t.good_streak++;
        t.bad_streak = 0;
        if (t.anomalous && t.good_streak >= policy_.consecutive)
            t.anomalous = false;
    }
}

AnomalyVerdict AnomalyDetector::observe(const ShadowWindow& window) {
    counters_.windows++;
    const bool verdicts = counters_.windows > policy_.warmup_windows;
    window_seen_ = window_bad_ = false;

    for (const ShadowOpWindow& op : window.ops) {
        for (const auto& [signal, value_us] :
             {std::pair(AnomalySignal::shadow_p99, op.shadow.p99_us),
              std::pair(AnomalySignal::shadow_p50, op.shadow.p50_us)})
            judge(track(op.op, signal),
                  read_latency(op.op, signal, value_us, op.shadow.count, verdicts), verdicts);
        judge(track(op.op, AnomalySignal::latency_ratio), read_ratio(op.op, op), verdicts);
        judge(track(op.op, AnomalySignal::error_rate), read_error_rate(op.op, op.shadow), verdicts);
    }
    judge(track("", AnomalySignal::drop_rate), read_drop_rate(window), verdicts);
    judge(track("", AnomalySignal::mismatches), read_mismatches(window), verdicts);

    AnomalyVerdict v;
    for (const Track& t : tracks_) {
        if (t.anomalous)
            v.findings.push_back(t.last_bad);
    }
    std::sort(v.findings.begin(), v.findings.end(),
              [](const AnomalyFinding& a, const AnomalyFinding& b) {
                  return std::pair(op_rank(a.op), signal_rank(a.signal)) <
                         std::pair(op_rank(b.op), signal_rank(b.signal));
              });
    if (resumed_hold_ && window_bad_)
        resumed_hold_ = policy_.consecutive;
    else if (resumed_hold_ && window_seen_)
        resumed_hold_--;
    if (!verdicts)
        v.state = AnomalyState::learning;
    else if (resumed_hold_)
        v.state = AnomalyState::anomalous;
    else
        v.state = v.findings.empty() ? AnomalyState::normal : AnomalyState::anomalous;

    v.changed = v.state != state_;
    if (v.changed && v.state == AnomalyState::anomalous)
        counters_.detections++;
    if (v.changed && state_ == AnomalyState::anomalous)
        counters_.recoveries++;
    state_ = v.state;
    return v;
}

} // namespace tandem
