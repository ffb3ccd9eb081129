#include "tandem/http_probe.h"

#include <algorithm>
#include <stdexcept>

namespace tandem {

ProbeWindow::ProbeWindow(Clock::duration window)
    : window_(window) {
    if (window <= Clock::duration::zero())
        throw std::invalid_argument("probe window must be positive");
}

void ProbeWindow::add(Clock::time_point at, const ProbeResult& result) {
    entries_.push_back(Entry{at, result.ok, result.latency_ms});
}

void ProbeWindow::forget_before(Clock::time_point oldest_kept) {
    std::erase_if(entries_, [&](const Entry& e) { return e.at < oldest_kept; });
}

ProbeSummary ProbeWindow::summary(Clock::time_point now) {
    // (now - window, now]: a probe exactly one window old has left it.
    forget_before(now - window_ + Clock::duration(1));
    ProbeSummary s;
    double latency_sum = 0;
    for (const Entry& e : entries_) {
        if (e.at > now)
            continue; // recorded ahead of this summary's time
        s.probes++;
        if (e.ok) {
            s.successes++;
            latency_sum += e.latency_ms;
        }
    }
    if (s.probes > 0)
        s.success_fraction = static_cast<double>(s.successes) / static_cast<double>(s.probes);
    if (s.successes > 0)
        s.mean_latency_ms = latency_sum / static_cast<double>(s.successes);
    return s;
}

} // namespace tandem
