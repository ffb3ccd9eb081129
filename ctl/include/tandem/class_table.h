// Plain-language views of the class scheduler's status fields (version 5),
// shared by `tandemctl status` and `tandemctl class list`, e.g.
//
//   queue depth 64, 12 in flight; 2 rules
//   class        weight  iops_limit  bw_KiB/s   bios  queued  p50_us  p99_us
//   test             50         500     10240    800       9    2048   65536
#pragma once

#include "tandem/status.h"

#include <string>

namespace tandem {

// "queue depth 64, 12 in flight; 2 rules", or "off (queue depth 0); 1 rule".
std::string describe_scheduler(const SchedulerStatus& scheduler);

enum class ClassColumns {
    brief, // name, weight, limits, bios, queued, p50, p99
    full,  // every field of the status, also kib, waited and throttled
};

// A header line and one line per class, in class order; limits of 0 show
// as "-" (none), latencies of 0 (no completion yet) too.
std::string format_class_table(const SchedulerStatus& scheduler, ClassColumns columns);

} // namespace tandem
