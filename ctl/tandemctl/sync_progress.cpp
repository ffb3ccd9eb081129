#include "sync_progress.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace tandem::cli {

double SyncProgress::fraction() const {
    if (regions_total == 0)
        return 1.0;
    return 1.0 - static_cast<double>(regions_left) / static_cast<double>(regions_total);
}

std::optional<SyncProgress> sync_progress(const Status& st) {
    if (!st.sync)
        return std::nullopt;
    SyncProgress p;
    for (const LegStatus& leg : st.legs) {
        if (leg.state == LegState::dead || leg.out_of_sync_regions == 0)
            continue;
        p.regions_left += leg.out_of_sync_regions;
        p.regions_total += st.sync->regions;
        p.copies_left = std::max(p.copies_left, leg.out_of_sync_regions);
    }
    if (p.regions_left == 0)
        return std::nullopt;
    return p;
}

std::optional<double> eta_at_rate(std::uint64_t copies_left, std::uint32_t region_sectors,
                                  std::uint32_t rate_kib) {
    if (rate_kib == 0)
        return std::nullopt;
    const double kib = static_cast<double>(copies_left) * region_sectors / 2.0;
    return kib / rate_kib;
}

EtaEstimator::EtaEstimator(double window_seconds)
    : window_(window_seconds) {}

void EtaEstimator::add(double seconds, std::uint64_t regions_left) {
    if (!samples_.empty() && regions_left > samples_.back().regions_left)
        samples_.clear();
    samples_.push_back(Sample{seconds, regions_left});
    // Keep one sample at or before the window's start, so the rate spans
    // the whole window.
    while (samples_.size() > 2 && samples_[1].seconds <= seconds - window_)
        samples_.pop_front();
}

std::optional<double> EtaEstimator::eta() const {
    if (samples_.size() < 2)
        return std::nullopt;
    const Sample& first = samples_.front();
    const Sample& last = samples_.back();
    const double elapsed = last.seconds - first.seconds;
    if (elapsed <= 0 || last.regions_left >= first.regions_left)
        return std::nullopt;
    const double per_second = static_cast<double>(first.regions_left - last.regions_left) / elapsed;
    return static_cast<double>(last.regions_left) / per_second;
}

std::string format_duration(double seconds) {
    // Bounded first (NaN taken for 0): converting a double beyond the
    // integer's range is undefined, and an estimate can be anything.
    const auto s = static_cast<std::uint64_t>(
        std::ceil(std::fmin(std::fmax(seconds, 0.0), max_duration_seconds)));
    char text[32];
    if (s < 60)
        std::snprintf(text, sizeof text, "%llus", static_cast<unsigned long long>(s));
    else if (s < 3600)
        std::snprintf(text, sizeof text, "%llum%02llus", static_cast<unsigned long long>(s / 60),
                      static_cast<unsigned long long>(s % 60));
    else if (s < 86400)
        std::snprintf(text, sizeof text, "%lluh%02llum", static_cast<unsigned long long>(s / 3600),
                      static_cast<unsigned long long>(s % 3600 / 60));
    else
        std::snprintf(text, sizeof text, "%llud%02lluh", static_cast<unsigned long long>(s / 86400),
                      static_cast<unsigned long long>(s % 86400 / 3600));
    return text;
}

std::string progress_bar(double fraction, unsigned width) {
    const double f = std::clamp(fraction, 0.0, 1.0);
    const auto done = static_cast<unsigned>(std::floor(f * width));
    return "[" + std::string(done, '#') + std::string(width - done, '-') + "]";
}

double percent_done(double fraction) {
    // The epsilon keeps 0.7 from showing as 69.9%.
    return std::floor(std::clamp(fraction, 0.0, 1.0) * 1000.0 + 1e-9) / 10.0;
}

std::string format_percent(double fraction) {
    char text[16];
    std::snprintf(text, sizeof text, "%5.1f%%", percent_done(fraction));
    return text;
}

std::string format_progress(const SyncProgress& p, std::optional<double> eta_seconds,
                            unsigned bar_width) {
    return progress_bar(p.fraction(), bar_width) + " " + format_percent(p.fraction()) + "  " +
           std::to_string(p.regions_left) + "/" + std::to_string(p.regions_total) +
           " regions left  ETA " + (eta_seconds ? format_duration(*eta_seconds) : "-");
}

} // namespace tandem::cli
