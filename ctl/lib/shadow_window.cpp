// The shadow's figures over one poll interval, from two cumulative
// readings (anomaly_detector.h).
#include "tandem/anomaly_detector.h"

#include "tandem/latency_histogram.h"

#include <type_traits>

namespace tandem {

namespace {

// A counter's growth; one that went down was reset in between and counted
// up again from zero.
std::uint64_t grown(std::uint64_t before, std::uint64_t after) {
    return after >= before ? after - before : after;
}

// The histogram of the bios between the two readings; the whole of
// `after` when any bucket went down (a reset in between).
LatencyHistogram grown(const LatencyHistogram& before, const LatencyHistogram& after) {
    LatencyHistogram out;
    for (std::size_t i = 0; i < after.buckets.size(); i++) {
        if (after.buckets[i] < before.buckets[i])
            return after;
        out.buckets[i] = after.buckets[i] - before.buckets[i];
    }
    return out;
}

template <typename Shadow>
void fill_device_counters(ShadowWindow& w, const Shadow& before, const Shadow& after) {
    w.dropped = grown(before.dropped, after.dropped);
    w.gate_failures = grown(before.gate_failures, after.gate_failures);
    w.compared = grown(before.compared, after.compared);
    w.mismatches = grown(before.mismatches, after.mismatches);
    w.confined = grown(before.confined, after.confined);
    w.confined_errors = grown(before.confined_errors, after.confined_errors);
}

ShadowSideWindow side_window(const ShadowSideStatus& before, const ShadowSideStatus& after) {
    ShadowSideWindow w{grown(before.count, after.count), grown(before.errors, after.errors), 0, 0};
    // Only the cumulative p99 is known; it says nothing of a window
    // without completions.
    if (w.count)
        w.p99_us = after.p99_us;
    return w;
}

ShadowSideWindow side_window(const ShadowSideStats& before, const ShadowSideStats& after) {
    const bool reset = after.count < before.count;
    const LatencyHistogram window = reset ? after.latency : grown(before.latency, after.latency);
    return {grown(before.count, after.count), grown(before.errors, after.errors),
            percentile_us(window, 99), percentile_us(window, 50)};
}

// A window for each operation of `after`; one `before` lacks (it came
// with a reload in between) counts from zero.
template <typename Reading>
void fill_op_windows(ShadowWindow& w, const Reading& before, const Reading& after) {
    using Op = std::decay_t<decltype(after.ops.front())>;
    const Op zero{};
    for (const Op& op : after.ops) {
        const Op* prev = before.find_op(op.op);
        if (!prev)
            prev = &zero;
        w.ops.push_back({op.op, side_window(prev->production, op.production),
                         side_window(prev->shadow, op.shadow)});
    }
}

} // namespace

ShadowWindow shadow_window(const ShadowStatus& before, const ShadowStatus& after) {
    ShadowWindow w;
    fill_device_counters(w, before, after);
    fill_op_windows(w, before, after);
    return w;
}

ShadowWindow shadow_window(const ShadowStats& before, const ShadowStats& after) {
    ShadowWindow w;
    fill_device_counters(w, before.status, after.status);
    fill_op_windows(w, before, after);
    return w;
}

} // namespace tandem
