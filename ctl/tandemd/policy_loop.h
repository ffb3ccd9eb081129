// The daemon's policy: what it decides after each round of status polls.
// It wires the pure controllers to their inputs and sends what they
// decide:
//
//   devices          at every (re)configuration, set_up_devices(): the
//                    missing ones created, the others adopted as they are
//   node health      NodeHealthTracker, every health_interval_ms
//   read weights     one WeightController per device with 2..4 legs
//   class settings   one LoadController per device with the scheduler on
//   shadow           one ShadowGuard per device with a shadow: alerts (to
//                    the log and the AlertSink), class throttles and their
//                    undoing, rollback requests (reported unavailable);
//                    while a throttle is in force, the guard's memory is
//                    kept in <state_dir>/<device>.guard, so that a restarted
//                    daemon takes the throttle over
//   publishing       after each round, what /health and /metrics serve
//                    (HttpEndpoint) and a line per polled device in the
//                    timeline file
//
// Every decision is logged once, with its reason, when it changes.  Time
// is passed in and every I/O goes through a seam (device-mapper, the
// local counters, the network), so tests run it on simulated time.
#pragma once

#include "alert_dispatch.h"
#include "device_setup.h"
#include "http_endpoint.h"
#include "load_controller.h"
#include "node_health.h"
#include "shadow_guard.h"
#include "state_files.h"
#include "timeline.h"
#include "weight_controller.h"

#include "tandem/config.h"
#include "tandem/device_mapper.h"
#include "tandem/metrics_text.h"
#include "tandem/monitor.h"

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tandem::daemon {

// What the policy loop reaches besides device-mapper; a null one is not
// there (no local counters, no network).
struct Adapters {
    LocalMetrics* local_metrics = nullptr;
    NodeNetwork* network = nullptr;
    AlertSink* alerts = nullptr;
    BlockDevices* block_devices = nullptr; // for creating devices
    CgroupResolver resolve_cgroup = {};    // resolve_cgroup() when empty
    bool serve_http = false;               // start the endpoint of http.listen
    std::ostream* timeline = nullptr;      // where timeline lines go
    StateFiles* state_files = nullptr;     // what is kept over a restart
    // The time alerts are stamped with; the system clock when empty.
    std::function<std::chrono::system_clock::time_point()> wall_clock = {};
};

class PolicyLoop {
public:
    PolicyLoop(DeviceMapper& dm, Adapters adapters);

    // Take a (new) configuration: create or adopt its devices; devices that
    // remain keep their state.
    void configure(const Config& config, SteadyClock::time_point now);

    // After the monitor read the status of `polled` at `now`, with these
    // events: score the nodes when due and decide for each polled device.
    void after_polls(const Monitor& monitor, const std::vector<std::string>& polled,
                     const std::vector<DeviceEvent>& events, SteadyClock::time_point now);

    // When the node health is next due; nullopt without nodes (it is then
    // only updated along with the polls).
    std::optional<SteadyClock::time_point> next_due() const;

    // The device's decision counters; nullptr for a device not controlled.
    const DecisionCounters* counters(const std::string& device) const;
    // The health each leg of the device was last weighed at.
    std::vector<double> leg_health(const std::string& device) const;
    const NodeHealthTracker& nodes() const { return nodes_; }
    const HttpEndpoint& http() const { return http_; }

private:
    struct Device {
        std::string name;
        std::vector<std::string> leg_nodes; // from the configuration; "" when not given
        std::vector<std::optional<DeviceNumber>> leg_disks;
        std::optional<WeightController> weights;
        std::optional<LoadController> load;
        std::optional<ShadowGuard> guard;
        bool guard_outdated = false; // the policy changed while it was anomalous
        bool left_alone = false;     // not the configured device: sent nothing
        DecisionCounters counters;   // totals across controllers
        std::string last_error;      // of the last message that failed, said once
    };

    void control(Device& dev, const Status& status, bool force, SteadyClock::time_point now);
    void control_weights(Device& dev, const Status& status, bool force, double now_s);
    void control_load(Device& dev, const Status& status, double now_s);
    void guard_shadow(Device& dev, const Status& status);
    void carry_out(Device& dev, const MitigationAction& action);
    void take_over_throttle(Device& dev, const Status& status);
    void keep_guard_memory(Device& dev);
    std::string guard_memory_path(const Device& dev) const;
    void learn_leg_disks(Device& dev, std::size_t legs);
    void update_disks();
    bool send(Device& dev, const std::string& text);
    std::vector<LegContext> leg_contexts(const Device& dev) const;
    void publish(const Monitor& monitor, const std::vector<std::string>& polled,
                 SteadyClock::time_point now);
    NodeHealthReport health_report(const Monitor& monitor) const;
    MetricsSnapshot metrics_snapshot(const Monitor& monitor) const;

    DeviceMapper& dm_;
    Adapters adapters_;
    std::optional<Config> config_;
    NodeHealthTracker nodes_;
    std::map<std::string, Device> devices_;
    std::vector<std::string> device_order_; // as configured
    HttpEndpoint http_;
    std::optional<Timeline> timeline_;
};

} // namespace tandem::daemon
