// How far a resync is and when it will end, as `status` and `wait-sync`
// show it:
//
//   [########################------]  80.0%  51/256 regions left  ETA 1m05s
//
// The fraction comes from one status line: of the regions the syncing legs
// can lack, those they no longer lack.  The time to go comes from samples
// of what is left taken over a while (the rate the resync really keeps,
// slowed as it is while the application is busy), or, before there are
// two, from the sync rate (the fastest the resync may go).  Pure: every
// sample carries its time, in seconds.
#pragma once

#include "tandem/status.h"

#include <cstdint>
#include <deque>
#include <optional>
#include <string>

namespace tandem::cli {

struct SyncProgress {
    // Summed over the healthy legs that lack regions (failed legs are not
    // copied to).
    std::uint64_t regions_left = 0;
    std::uint64_t regions_total = 0; // the device's regions times those legs
    // The most regions one leg lacks: each region copied goes to every leg
    // that lacks it, so this is the number of copies still to make.
    std::uint64_t copies_left = 0;

    // The part in sync, 0..1.
    double fraction() const;
};

// nullopt when no healthy leg lacks a region, or the status has no resync
// fields (version 1).
std::optional<SyncProgress> sync_progress(const Status& status);

// Seconds to copy `copies_left` regions of `region_sectors` at `rate_kib`
// KiB/s; nullopt at rate 0 (paused).
std::optional<double> eta_at_rate(std::uint64_t copies_left, std::uint32_t region_sectors,
                                  std::uint32_t rate_kib);

// Time to go from the regions left seen over the last `window` seconds.
class EtaEstimator {
public:
    explicit EtaEstimator(double window_seconds = 30.0);

    // A sample at `seconds` (any fixed origin, never going back).  When
    // more is left than before (a leg reinstated, writes to a failed leg
    // in between), the earlier samples are dropped: the rate starts anew.
    void add(double seconds, std::uint64_t regions_left);

    // Seconds until nothing is left at the rate of the window; nullopt
    // until the regions left went down between two samples.
    std::optional<double> eta() const;

private:
    struct Sample {
        double seconds;
        std::uint64_t regions_left;
    };
    double window_;
    std::deque<Sample> samples_;
};

// "0s", "45s", "3m07s", "2h05m", "3d04h"; rounded up to the second, at
// most max_duration_seconds.
std::string format_duration(double seconds);
inline constexpr double max_duration_seconds = 999.0 * 86400; // "999d00h"

// "[######----]": `width` cells, each '#' when that much is done.
std::string progress_bar(double fraction, unsigned width);

// The percentage done with one decimal, rounded down so that 100.0 means
// done: 80.0 for 0.8, 99.9 for 0.9999.
double percent_done(double fraction);

// " 80.0%": percent_done(), right-aligned in six characters.
std::string format_percent(double fraction);

// "[###...---]  80.0%  51/256 regions left  ETA 1m05s"; "ETA -" without
// an estimate.
std::string format_progress(const SyncProgress& progress, std::optional<double> eta_seconds,
                            unsigned bar_width = 30);

} // namespace tandem::cli
