// What a device's shadow guard must not forget when tandemd restarts: a
// throttle it put in force (the class's own limits, to restore when the
// shadow recovers) and the latency baselines its detector had learnt, to
// judge the shadow's recovery against.  Kept as a small text file while a
// throttle is in force:
//
//   tandemd-guard 1
//   throttle <class> saved <iops> <bw_kib> pushed <iops> <bw_kib>
//   baseline <op> <signal> <windows> <value_us> <deviation_us>
//   ...
#pragma once

#include "tandem/anomaly_detector.h"
#include "tandem/mitigation.h"

#include <string>
#include <string_view>
#include <vector>

namespace tandem {

struct GuardMemory {
    std::string throttle_class;
    ClassLimits saved;  // the class's own limits, restored on recovery
    ClassLimits pushed; // the throttle's limits, in force
    std::vector<SavedBaseline> baselines;

    bool operator==(const GuardMemory&) const = default;
};

std::string format_guard_memory(const GuardMemory& memory);

// Raises ParseError naming the line and what is wrong with it, e.g.
// "line 2: expected 'throttle <class> saved <iops> <bw_kib> pushed <iops>
// <bw_kib>', got 'throttle test'".
GuardMemory parse_guard_memory(std::string_view text);

} // namespace tandem
