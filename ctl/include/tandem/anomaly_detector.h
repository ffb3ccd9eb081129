// Anomaly detection on the shadow's figures: is the shadow device behaving
// unlike it used to (or beyond a hard limit)?  Pure: the caller polls the
// status (or the `stats` reply), turns two consecutive readings into a
// window of deltas with shadow_window(), and hands each window to the
// detector of that device.
//
// Signals, per operation (read, write, flush, discard) unless noted:
//
//   shadow p99       the shadow's p99 latency against a baseline learned
//                    from the device's own history: an EWMA of the value
//                    and an EWMA of its absolute deviation from it (robust
//                    like a median absolute deviation, cheap like a mean).
//                    Out of bounds when
//                      value > baseline + deviations * max(deviation, floor)
//                    and value > min_latency_factor * baseline.
//   shadow p50       the shadow's median latency, against its own baseline
//                    the same way.  A shadow that turned slow moves it as
//                    much as the p99, while a busy host's stalls, which
//                    catch a few bios of a window, move only the tail.
//                    Only the `stats` reply's histograms give it.
//   latency ratio    shadow p99 / production p99 of the same operation,
//                    over max_latency_ratio.
//   error rate       shadow errors / shadow bios, over max_error_rate.
//   drop rate        (device) dropped clones / (shadow bios + dropped),
//                    over max_drop_rate.
//   mismatches       (device) reads whose shadow payload differed, over
//                    max_mismatches in one window.
//
// Rates and mismatches are held to absolute limits: their healthy value is
// zero, and a baseline would learn a failing shadow as normal.  A window
// with fewer than min_bios bios gives no latency verdict, and its rates
// are taken over min_bios bios, so one failed bio of two is not a 50%
// error rate.
//
// Hysteresis: a signal becomes anomalous after `consecutive` windows in a
// row out of bounds and is cleared after `consecutive` windows in a row
// within them; a window without figures for a signal (no bios of that
// operation) leaves it as it is.  The device is anomalous while any signal
// is.  A baseline learns only from windows where its signal is within
// bounds, so a sustained spike never becomes the new normal.  For the
// first warmup_windows windows the detector only learns (state learning).
#pragma once

#include "tandem/stats_reply.h"
#include "tandem/status.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tandem {

struct AnomalyPolicy {
    // Windows learned before any verdict.
    unsigned warmup_windows = 10;
    // Weight of the newest window in the latency baseline (0 < alpha <= 1);
    // while a baseline has fewer than 1/alpha windows it is their plain
    // average.
    double ewma_alpha = 0.2;
    // How many deviations above its baseline the shadow p99 (or p50) may go.
    double deviations = 4;
    // Windows in a row out of bounds to detect, and within bounds to clear.
    unsigned consecutive = 3;
    // The smallest deviation a latency bound uses, in microseconds: on a very
    // steady device the bound stays at least deviations * this above the
    // baseline.
    double latency_floor_us = 200;
    // And the latency must also exceed this multiple of its baseline.  The
    // target reports latency as log2 buckets, so one bucket up (2x) is noise.
    double min_latency_factor = 2;
    // Shadow errors / shadow bios above which a window is out of bounds.
    double max_error_rate = 0.01;
    // Dropped clones / (shadow bios + dropped clones).
    double max_drop_rate = 0.05;
    // Differing compared reads allowed in one window.
    std::uint64_t max_mismatches = 0;
    // Shadow p99 / production p99 of the same operation; 0 turns it off.
    double max_latency_ratio = 3;
    // Bios of a side in a window below which it gives no latency verdict
    // and its rates are taken over this many bios.
    unsigned min_bios = 20;

    bool operator==(const AnomalyPolicy&) const = default;
};

// What is wrong with the policy (warmup_windows or consecutive of 0, an
// alpha outside (0, 1], a negative or non-finite factor, a rate outside
// [0, 1], a min_latency_factor or max_latency_ratio under 1 (ratio: unless
// 0), min_bios of 0); empty when it is valid.
std::string anomaly_policy_problem(const AnomalyPolicy& policy);

// One side of one operation over a window.
struct ShadowSideWindow {
    std::uint64_t count = 0;
    std::uint64_t errors = 0;
    std::uint64_t p99_us = 0; // 0: no completion
    std::uint64_t p50_us = 0; // 0: no completion, or unknown (status line)

    bool operator==(const ShadowSideWindow&) const = default;
};

struct ShadowOpWindow {
    std::string op; // "read", "write", "flush" or "discard"
    ShadowSideWindow production;
    ShadowSideWindow shadow;

    bool operator==(const ShadowOpWindow&) const = default;
};

// The shadow's figures over one poll interval.
struct ShadowWindow {
    std::uint64_t dropped = 0;
    std::uint64_t gate_failures = 0;
    std::uint64_t compared = 0;
    std::uint64_t mismatches = 0;
    std::uint64_t confined = 0;
    std::uint64_t confined_errors = 0;
    std::vector<ShadowOpWindow> ops;

    bool operator==(const ShadowWindow&) const = default;
};

// The window between two readings of the status line.  Counters are the
// differences; a counter that went down (`stats reset` in between) counts
// from zero, i.e. its new value is the window's.  The status line carries
// only the cumulative p99, so the window's p99 is `after`'s: a coarse
// figure that a short spike barely moves.
ShadowWindow shadow_window(const ShadowStatus& before, const ShadowStatus& after);

// The window between two `stats` replies: counters as above, and each p99
// taken from the difference of the latency histograms, i.e. the p99 of
// the window's bios alone.
ShadowWindow shadow_window(const ShadowStats& before, const ShadowStats& after);

enum class AnomalyState {
    learning,  // fewer than warmup_windows windows seen
    normal,    // no signal anomalous
    anomalous, // at least one signal anomalous
};

std::string_view to_string(AnomalyState state);

enum class AnomalySignal {
    shadow_p99,
    shadow_p50,
    latency_ratio,
    error_rate,
    drop_rate,
    mismatches
};

inline constexpr std::array<AnomalySignal, 6> anomaly_signals = {
    AnomalySignal::shadow_p99, AnomalySignal::shadow_p50, AnomalySignal::latency_ratio,
    AnomalySignal::error_rate, AnomalySignal::drop_rate,  AnomalySignal::mismatches};

// "shadow_p99", "shadow_p50", "latency_ratio", "error_rate", "drop_rate",
// "mismatches".
std::string_view to_string(AnomalySignal signal);
// The signal of that name; nullopt for another text.
std::optional<AnomalySignal> anomaly_signal_from(std::string_view name);

// An anomalous signal and why, e.g. "write shadow p99 48000 us > baseline
// 900 us + 4 x 120 us for 3 windows".
struct AnomalyFinding {
    std::string op; // the operation; empty for the device-wide signals
    AnomalySignal signal = AnomalySignal::shadow_p99;
    double value = 0;     // the last out-of-bounds window's value
    double bound = 0;     // and the bound it exceeded
    unsigned windows = 0; // out of bounds in a row, when last out of bounds
    std::string reason;

    bool operator==(const AnomalyFinding&) const = default;
};

// The detector's answer to one window.
struct AnomalyVerdict {
    AnomalyState state = AnomalyState::learning;
    bool changed = false; // state differs from the previous window's
    // Every anomalous signal (empty unless state is anomalous), in the
    // order of the operations, then anomaly_signals.
    std::vector<AnomalyFinding> findings;

    // The findings' reasons.
    std::vector<std::string> reasons() const;

    bool operator==(const AnomalyVerdict&) const = default;
};

// A learned latency baseline.
struct LatencyBaseline {
    unsigned windows = 0; // windows it learned from
    double value = 0;     // EWMA of the p99, us
    double deviation = 0; // EWMA of |p99 - value|, us

    bool operator==(const LatencyBaseline&) const = default;
};

// A baseline with what it is of, to carry over a restart.
struct SavedBaseline {
    std::string op;
    AnomalySignal signal = AnomalySignal::shadow_p99;
    LatencyBaseline baseline;

    bool operator==(const SavedBaseline&) const = default;
};

// Totals since the detector was made.
struct AnomalyCounters {
    std::uint64_t windows = 0;
    std::uint64_t detections = 0;        // transitions into anomalous
    std::uint64_t recoveries = 0;        // transitions out of anomalous
    std::uint64_t signal_detections = 0; // signals that became anomalous

    bool operator==(const AnomalyCounters&) const = default;
};

// The detector of one device.
class AnomalyDetector {
public:
    // Raises UsageError naming the problem for an invalid policy.
    explicit AnomalyDetector(AnomalyPolicy policy = {});

    AnomalyVerdict observe(const ShadowWindow& window);

    AnomalyState state() const { return state_; }
    const AnomalyCounters& counters() const { return counters_; }
    const AnomalyPolicy& policy() const { return policy_; }

    // Every baseline learnt so far.
    std::vector<SavedBaseline> baselines() const;

    // Go on from what a detector of an earlier run learnt: its baselines,
    // past the warm-up.  When `anomalous`, the detector starts anomalous
    // and stays so until `consecutive` windows in a row have figures and
    // none out of bounds: what was anomalous before a restart is not
    // normal until seen to be.
    void resume(const std::vector<SavedBaseline>& baselines, bool anomalous);

    // The shadow latency baseline of an operation (signal shadow_p99 or
    // shadow_p50); nullptr for one never learnt.
    const LatencyBaseline* baseline(std::string_view op,
                                    AnomalySignal signal = AnomalySignal::shadow_p99) const;

    // One line on a window and what the detector has learnt, for a debug
    // log: "write p50 2048 us (baseline 1900 +- 150), p99 16384 us
    // (baseline 15000 +- 3000) of 200 bios; dropped 0", an operation
    // without shadow bios left out.
    std::string describe(const ShadowWindow& window) const;

private:
    // One signal of one operation (or of the device, op empty).
    struct Track {
        std::string op;
        AnomalySignal signal = AnomalySignal::shadow_p99;
        unsigned bad_streak = 0;
        unsigned good_streak = 0;
        bool anomalous = false;
        AnomalyFinding last_bad; // the last out-of-bounds window
    };
    // A value, or no verdict for this window.
    struct Reading {
        bool present = false;
        bool out_of_bounds = false;
        double value = 0;
        double bound = 0;
        std::string detail; // the reason without "for N windows"
    };

    Track& track(std::string_view op, AnomalySignal signal);
    // Judge one reading, noting in window_seen_ and window_bad_ whether it
    // had figures and whether they were out of bounds.
    void judge(Track& track, const Reading& reading, bool verdicts);
    Reading read_latency(const std::string& op, AnomalySignal signal, std::uint64_t value_us,
                         std::uint64_t bios, bool verdicts);
    Reading read_ratio(const std::string& op, const ShadowOpWindow& window) const;
    Reading read_error_rate(const std::string& op, const ShadowSideWindow& shadow) const;
    Reading read_drop_rate(const ShadowWindow& window) const;
    Reading read_mismatches(const ShadowWindow& window) const;

    struct OpBaseline {
        std::string op;
        AnomalySignal signal = AnomalySignal::shadow_p99;
        LatencyBaseline baseline;
    };
    LatencyBaseline& baseline_of(const std::string& op, AnomalySignal signal);

    AnomalyPolicy policy_;
    AnomalyState state_ = AnomalyState::learning;
    // Clean windows still needed after resume(.., true); 0: not held.
    unsigned resumed_hold_ = 0;
    bool window_seen_ = false; // a reading with figures in this window
    bool window_bad_ = false;  // a reading out of bounds in this window
    AnomalyCounters counters_;
    std::vector<Track> tracks_;
    std::vector<OpBaseline> baselines_;
};

} // namespace tandem
