// From the health of each leg's node (health_score.h) to the read weights
// of a tandem device (`weights <w0> <w1>...`, summing to 100).  Pure: the
// daemon feeds it the smoothed health and the leg states on its own clock
// and sends the weights it returns.
//
// The formula: each eligible leg's share is leg_factor x health,
// normalised to 100 and rounded by largest remainder (source 90, target
// 90, factors 0.6/0.4 -> 60/40).  The health in the formula is
//
//   - the lowest of the trend window: a rise is believed once it has held,
//     so health flapping up and down is weighed at its low (hysteresis);
//   - when the least-squares line of the window falls (by more than two
//     standard errors of its slope: noise is not a trend), the current
//     health projected along it trend_horizon_seconds ahead (never further
//     ahead than the window's samples go back; not before half a window of
//     history), so
//     weight leaves a leg that is going down before any threshold is hit.
//     A sudden drop reads as a fall until it has left the window.
//
// Each leg moves through
//
//   serving --(not readable, or health < critical_health)--> failed over
//   failed over --(readable and health >= recover_health for
//                  recover_seconds without a dip)--> failing back
//   failing back --(failback_seconds: weight ramps 0 -> formula share)--> serving
//   failing back --(not readable, or health < critical_health)--> failed over
//
// A failover takes effect at once: the leg gets 0 and the others its
// share in the same decision.  Every other change is subject to the
// deadband (no change while every weight is within `deadband` points of
// its target; a ramp in progress and a move under way are exempt, so that
// they end on their target) and to the rate cap (no weight moves faster
// than max_step_per_second).
// A leg whose initial weight is 0 starts failed over, so a restarted
// daemon picks up a failover where the kernel is and fails back slowly.
//
// If no leg is eligible, every readable leg is weighted by the formula
// (never all zeros while a leg is readable); if none is readable, the
// previous weights are kept.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace tandem {

struct WeightPolicy {
    std::vector<double> leg_factors = {
        0.6, 0.4};                // per leg (source first); missing legs share the last factor
    double critical_health = 20;  // below: the leg gets 0 at once (failover)
    double recover_health = 60;   // a failed-over leg must be at or above this ...
    double recover_seconds = 30;  // ... for this long, in sync, before failback starts
    double failback_seconds = 60; // slow-start: its weight ramps from 0 to its share over this
    double trend_window_seconds =
        30; // predictive: health slope from a least-squares fit over this window
    double trend_horizon_seconds = 30; // the health used is projected this far ahead when falling
    double deadband = 5;               // weight changes smaller than this (points) are not made
    double max_step_per_second = 10;   // cap on how fast a weight moves (failover is exempt)

    bool operator==(const WeightPolicy&) const = default;
};

// What the daemon knows of one leg at one moment.
struct LegView {
    bool readable = true; // healthy and in sync: state 'A'
    double health = 100;  // 0..100 smoothed; NaN counts as 0
};

struct WeightDecision {
    std::vector<unsigned> weights;        // sum 100
    bool changed = false;                 // weights differ from the previous decision's
    std::string reason;                   // for the log: why these weights
    std::vector<unsigned> target;         // what the formula asked for (before deadband and cap)
    std::vector<std::size_t> failed_over; // legs failed over by this decision
    std::vector<std::size_t> failed_back; // legs whose failback ended in this decision
};

enum class LegPhase {
    serving,      // weighted by the formula
    failed_over,  // weight 0, waiting for recover_health
    recovering,   // weight 0, at recover_health since recovering_since()
    failing_back, // weight ramping up since ramp_started()
};

const char* to_string(LegPhase phase);

class WeightEngine {
public:
    // Throws std::invalid_argument when the policy is invalid (validate()),
    // nr_legs is outside 2..4 or the initial weights are not nr_legs weights
    // summing to 100.
    WeightEngine(WeightPolicy policy, std::size_t nr_legs, std::vector<unsigned> initial_weights);

    // The weights for the legs as seen at now_seconds (any clock, never
    // going backwards).  Throws std::invalid_argument when `legs` does not
    // hold one view per leg or time goes backwards.
    WeightDecision update(double now_seconds, const std::vector<LegView>& legs);

    const std::vector<unsigned>& weights() const { return weights_; }
    LegPhase phase(std::size_t leg) const;
    const WeightPolicy& policy() const { return policy_; }

private:
    struct Sample {
        double time;
        double health;
    };
    struct Leg {
        LegPhase phase = LegPhase::serving;
        double since = 0; // recovering: since when; failing_back: ramp start
        std::deque<Sample> history;
    };

    WeightPolicy policy_;
    std::vector<Leg> legs_;
    std::vector<unsigned> weights_; // the last decision's
    std::vector<double> position_;  // where the rate cap has brought them, before rounding
    bool moving_ = false;           // a capped move is under way: it ends on its target
    std::optional<double> last_update_;
};

// "" or "weighting.<key>: <reason>".
std::string validate(const WeightPolicy& policy);

// --- The pure pieces of the engine ------------------------------------------------

// The factor of leg `leg`: leg_factors[leg], or the last one for legs past
// the end.
double leg_factor(const WeightPolicy& policy, std::size_t leg);

// Non-negative shares as integers summing to `total`, by largest remainder
// (ties to the lower leg).  All shares 0 (or none finite) -> an equal split.
std::vector<unsigned> apportion(const std::vector<double>& shares, unsigned total = 100);

// The least-squares line through samples, as the trend needs it.
struct TrendFit {
    double slope = 0;       // points per second
    double slope_error = 0; // the standard error of the slope
    double span = 0;        // seconds from the first sample to the last
};

// nullopt with fewer than three samples or fewer than two distinct times
// (two samples always fit a line perfectly, so they tell no trend from noise).
std::optional<TrendFit> fit_trend(const std::vector<double>& times,
                                  const std::vector<double>& values);

// The health a falling leg is weighed at: the current health projected
// along the slope `horizon` seconds ahead, but no further ahead than the
// samples go back, clamped to 0..current.  nullopt unless the fall is significant: a slope
// below -2 standard errors, so health merely noisy is not a trend.
std::optional<double> projected_health(double current, const TrendFit& fit, double horizon);

} // namespace tandem
