// The timeline file (tandemd --timeline FILE): one CSV line per device per
// poll, for plotting (scripts/plot-timeline.py) what the daemon saw and
// decided.  The header comes first:
//
//   time_s,device,leg0_weight,leg0_health,leg0_state,leg0_reads,leg1_weight,...
//
// time_s is the monotonic clock in seconds (on Linux, seconds since boot,
// as /proc/uptime counts them), weight the leg's read weight in the status,
// health the health the weighting engine last weighed it at (empty before
// its first decision), state its letter (A, a, D) and reads the kernel's
// cumulative read counter.  The header has as many legs as the devices of
// the first lines written (at least 2); a device with fewer legs leaves
// the others' cells empty.  Each line is flushed as it is written, so the
// file can be plotted while the daemon runs.
#pragma once

#include "tandem/status.h"

#include <ostream>
#include <string>
#include <vector>

namespace tandem::daemon {

struct TimelineRow {
    std::string device;
    Status status;
    std::vector<double> health; // per leg; empty or shorter: not known
};

class Timeline {
public:
    explicit Timeline(std::ostream& out);

    // The lines of one round of polls at time_s (the header first, the
    // first time).
    void record(double time_s, const std::vector<TimelineRow>& rows);

private:
    std::ostream& out_;
    std::size_t legs_ = 0; // in the header; 0 before it is written
};

} // namespace tandem::daemon
