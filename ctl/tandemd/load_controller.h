// The class scheduler's weights and limits of one device, from its load.
// Every load interval (load.interval_ms) the controller measures, from
// the status now and at the previous evaluation,
//
//   iops      bios classified into any class, per second
//   mean      the bios-weighted mean of the classes' p50 (the status has
//             no mean; a class's p50 stands for it)
//   p99       the highest p99 of the classes that had bios
//   queue     in_flight and the bios queued in every class, against
//             queue_depth
//   cpu       this node's CPU utilisation (the caller's, from /proc/stat)
//
// scores the load (load_score.h), turns it into class settings
// (load_weights.h) and asks for `class <c> weight N` and `class <c> limit
// iops N bw N` only where the kernel has other values (a weight only when
// it is 5% or more away, so a load wobbling around a value sends nothing).  Limits are sent
// only for classes whose policy has limits (a class without them keeps
// whatever limits an operator set), and never for a class whose limits
// are held by another decision (the shadow's throttle).  Classes the
// device does not have are left out.  A device without the scheduler
// (status before version 5, or queue_depth 0) is not controlled.  Pure:
// the caller sends the messages and logs.
#pragma once

#include "tandem/load_score.h"
#include "tandem/load_weights.h"
#include "tandem/status.h"

#include <optional>
#include <string>
#include <vector>

namespace tandem::daemon {

struct LoadStep {
    bool evaluated = false; // a load was scored at this poll
    LoadMetrics metrics;
    LoadScore score;
    std::vector<ClassSetting> settings; // for the classes the device has
    std::vector<std::string> messages;  // what to send, in class order
};

class LoadController {
public:
    // Raises UsageError for invalid options (load_options_problem(),
    // weight_options_problem()).
    LoadController(LoadOptions options, WeightOptions classes, double interval_s);

    // One poll of the device at now_s.  `cpu` is the node's CPU
    // utilisation over its last window (nullopt: unknown, counted as 0);
    // `held` names classes whose limits are not the load's to set.
    LoadStep poll(double now_s, const Status& status, std::optional<double> cpu,
                  const std::vector<std::string>& held = {});

private:
    LoadOptions options_;
    WeightOptions classes_;
    double interval_s_;
    std::optional<Status> previous_;
    double previous_time_ = 0;
};

// The metrics between two statuses `elapsed_s` apart (pure).  Counters
// that went back (`stats reset`) count from 0.
LoadMetrics load_metrics(const SchedulerStatus& before, const SchedulerStatus& after,
                         double elapsed_s, double cpu);

// "load 0.63 (iops 0.20, latency 0.50, p99 0.30, queue 0.80, cpu 0.10)".
std::string describe_load(const LoadScore& score);

} // namespace tandem::daemon
