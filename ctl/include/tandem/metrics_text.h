// tandemd's /metrics: what the daemon knows, as Prometheus text
// (prometheus_text.h).  The daemon fills a MetricsSnapshot from the
// devices' last parsed status lines, the nodes' health and its own
// decision counters; format_metrics() only formats it.
//
// The metrics, labelled by node, device, leg, class, op and side:
//
//   tandem_node_health_score{node}                     gauge 0..100 (health_score.h)
//   tandem_node_health_component{node,component}       gauge 0..100
//   tandem_device_up{device}                           gauge: 1 when the last poll read the status
//   tandem_device_regions{device}                      gauge                      (status v2)
//   tandem_device_read_retries_total{device}           counter
//   tandem_leg_read_weight_percent{device,leg}         gauge 0..100
//   tandem_leg_state{device,leg,state}                 gauge: 1 for the leg's state
//                                                      (alive, syncing, dead), 0 for the others
//   tandem_leg_{reads,writes,read_errors,write_errors}_total{device,leg}   counters
//   tandem_leg_out_of_sync_regions{device,leg}         gauge                      (v2)
//   tandem_leg_sync_progress_ratio{device,leg}         gauge 0..1: regions in sync (v2)
//   tandem_class_weight{device,class}                  gauge                      (v5)
//   tandem_class_bios_total, tandem_class_bytes_total, tandem_class_throttled_bios_total
//   tandem_class_queued_bios{device,class}             gauge
//   tandem_class_p99_latency_seconds{device,class}     gauge
//   tandem_shadow_{dropped,compared,mismatches}_total{device}   counters (v6, with a shadow)
//   tandem_shadow_requests_total{device,op,side}       counter; side production or shadow
//   tandem_shadow_errors_total{device,op,side}         counter
//   tandem_shadow_p99_latency_seconds{device,op,side}  gauge
//   tandem_{weight_changes,failovers,failbacks}_total{device}            the daemon's decisions
//   tandem_anomalies_{detected,enforced}_total{device}
//
// Units are Prometheus's base units: the status's KiB become bytes and
// its microseconds seconds.  The target's counters restart from 0 on
// `stats reset`, which Prometheus reads as a counter reset.  A metric
// the status version lacks is left out for that device.
#pragma once

#include "tandem/status.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tandem {

// What the daemon decided about one device, counted since it started.
struct DecisionCounters {
    std::uint64_t weight_changes = 0;     // read weights sent to the target
    std::uint64_t failovers = 0;          // legs it failed (fail_leg)
    std::uint64_t failbacks = 0;          // legs it brought back (reinstate_leg)
    std::uint64_t anomalies_detected = 0; // shadow anomalies seen
    std::uint64_t anomalies_enforced = 0; // and acted upon (throttle, rollback)
};

struct DeviceMetrics {
    std::string name;
    std::optional<Status> status; // nullopt: the last poll could not read it
    DecisionCounters decisions;
};

struct NodeMetrics {
    std::string name;
    std::optional<double> score; // 0..100; nullopt: not known (a peer that did not answer)
    std::vector<std::pair<std::string, double>> components; // each 0..100
};

struct MetricsSnapshot {
    std::vector<NodeMetrics> nodes; // this node and the peers it watches
    std::vector<DeviceMetrics> devices;
};

// The exposition text (prometheus_text.h's content type).
std::string format_metrics(const MetricsSnapshot& snapshot);

} // namespace tandem
