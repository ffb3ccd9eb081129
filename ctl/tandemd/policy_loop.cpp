#include "policy_loop.h"

#include "tandem/cgroup.h"
#include "tandem/errors.h"
#include "tandem/log.h"
#include "tandem/message.h"
#include "tandem/stats_reply.h"
#include "tandem/table.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace tandem::daemon {

namespace {

double seconds(SteadyClock::time_point t) {
    return std::chrono::duration<double>(t.time_since_epoch()).count();
}

std::string list(const std::vector<unsigned>& values) {
    std::string out;
    for (unsigned v : values)
        out += (out.empty() ? "" : " ") + std::to_string(v);
    return out;
}

std::vector<unsigned> weights_of(const Status& status) {
    std::vector<unsigned> w;
    for (const LegStatus& leg : status.legs)
        w.push_back(leg.weight);
    return w;
}

// The bearer token in `path`, without surrounding blanks: "" for no file,
// nullopt for a file that cannot be read or holds no token (the endpoint
// it guards must then not be served: without it, anyone could read it).
std::optional<std::string> read_token(const std::string& path) {
    if (path.empty())
        return "";
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    std::string token = text.str();
    const auto first = token.find_first_not_of(" \t\r\n");
    if (!in || first == std::string::npos) {
        log::error("http.token_file " + path + (in ? " is empty" : " cannot be read") +
                   "; /health and /metrics are not served, peers are asked without a token");
        return std::nullopt;
    }
    const auto last = token.find_last_not_of(" \t\r\n");
    return token.substr(first, last - first + 1);
}

} // namespace

PolicyLoop::PolicyLoop(DeviceMapper& dm, Adapters adapters)
    : dm_(dm)
    , adapters_(adapters)
    , nodes_(adapters.local_metrics, adapters.network) {}

void PolicyLoop::configure(const Config& config, SteadyClock::time_point now) {
    const CgroupResolver resolve =
        adapters_.resolve_cgroup ? adapters_.resolve_cgroup : [](std::string_view path) {
            return resolve_cgroup(path);
        };
    const SetupReport setup = set_up_devices(config, dm_, adapters_.block_devices, resolve);
    const std::optional<std::string> token = read_token(config.http.token_file);
    nodes_.configure(config, token.value_or(""), now);

    std::map<std::string, Device> devices;
    for (const DeviceConfig& dc : config.devices) {
        auto old = devices_.find(dc.name.value);
        Device dev;
        if (old != devices_.end())
            dev = std::move(old->second);
        dev.name = dc.name.value;
        dev.left_alone = std::find(setup.left_alone.begin(), setup.left_alone.end(), dev.name) !=
                         setup.left_alone.end();
        if (dev.left_alone)
            log::warning(dev.name + ": not steered: the device of this name is not the "
                                    "configured one (see above)");
        dev.leg_nodes.clear();
        for (const LegConfig& leg : dc.legs)
            dev.leg_nodes.push_back(leg.node);
        // A changed policy starts a new engine from the kernel's weights.
        if (config_ &&
            (config.weighting != config_->weighting || config.health != config_->health ||
             config.weights_interval_ms != config_->weights_interval_ms))
            dev.weights.reset();
        // The load controller only remembers the last status: a new one
        // costs one interval.
        dev.load.reset();
        if (config_ && dev.guard &&
            (config.anomaly != config_->anomaly || config.mitigation != config_->mitigation)) {
            // A guard that throttles keeps going until it has restored the
            // class's limits.
            if (dev.guard->held_class().empty())
                dev.guard.reset();
            else
                dev.guard_outdated = true;
        }
        devices.emplace(dev.name, std::move(dev));
    }
    devices_ = std::move(devices);
    device_order_.clear();
    for (const DeviceConfig& dc : config.devices)
        device_order_.push_back(dc.name.value);
    config_ = config;
    if (adapters_.serve_http)
        http_.configure(token ? config.http.listen : std::nullopt, token.value_or(""));
    if (adapters_.timeline && !timeline_)
        timeline_.emplace(*adapters_.timeline);
    if (adapters_.alerts)
        adapters_.alerts->configure(config.mitigation);
    update_disks();
}

std::optional<SteadyClock::time_point> PolicyLoop::next_due() const {
    if (!nodes_.has_nodes())
        return std::nullopt;
    return nodes_.next_due();
}

void PolicyLoop::after_polls(const Monitor& monitor, const std::vector<std::string>& polled,
                             const std::vector<DeviceEvent>& events, SteadyClock::time_point now) {
    std::vector<std::pair<Device*, const Status*>> fresh;
    for (const std::string& name : polled) {
        auto it = devices_.find(name);
        const StateTracker* tracker = monitor.tracker(name);
        if (it == devices_.end() || it->second.left_alone || !tracker || !tracker->available() ||
            !tracker->last())
            continue;
        Device& dev = it->second;
        const Status& status = *tracker->last();
        // The legs' disks first, so the node's next sample has them.
        if (dev.leg_disks.size() != status.legs.size())
            learn_leg_disks(dev, status.legs.size());
        fresh.emplace_back(&dev, &status);
    }
    nodes_.update(now);
    for (auto [dev, status] : fresh) {
        bool force = false;
        for (const DeviceEvent& ev : events) {
            if (ev.device != dev->name)
                continue;
            force = force || std::holds_alternative<event::LegStateChanged>(ev.event) ||
                    std::holds_alternative<event::LegErrors>(ev.event) ||
                    std::holds_alternative<event::LegCountChanged>(ev.event);
        }
        control(*dev, *status, force, now);
    }
    publish(monitor, polled, now);
}

void PolicyLoop::control(Device& dev, const Status& status, bool force,
                         SteadyClock::time_point now) {
    control_weights(dev, status, force, seconds(now));
    guard_shadow(dev, status);
    control_load(dev, status, seconds(now));
}

void PolicyLoop::learn_leg_disks(Device& dev, std::size_t legs) {
    dev.leg_disks.assign(legs, std::nullopt);
    try {
        const TableConfig table = parse_table(dm_.table(dev.name));
        for (std::size_t i = 0; i < legs && i < table.legs.size(); i++)
            dev.leg_disks[i] = parse_device_number(table.legs[i]);
    } catch (const std::exception& e) {
        log::debug(dev.name + ": the legs' block devices are unknown (" + e.what() +
                   "); their disk stats do not count");
    }
    update_disks();
}

void PolicyLoop::update_disks() {
    std::vector<DeviceNumber> disks;
    for (const auto& [name, dev] : devices_) {
        for (const auto& d : dev.leg_disks) {
            if (d && std::find(disks.begin(), disks.end(), *d) == disks.end())
                disks.push_back(*d);
        }
    }
    nodes_.set_disks(std::move(disks));
}

std::vector<LegContext> PolicyLoop::leg_contexts(const Device& dev) const {
    std::vector<LegContext> out(dev.leg_disks.size());
    const NodeWindow* window = nodes_.local_window();
    for (std::size_t i = 0; i < out.size(); i++) {
        if (i < dev.leg_nodes.size() && !dev.leg_nodes[i].empty())
            out[i].node_health = nodes_.health(dev.leg_nodes[i]);
        if (window && dev.leg_disks[i]) {
            if (const DiskWindow* d = window->disk(*dev.leg_disks[i]))
                out[i].disk = *d;
        }
    }
    return out;
}

bool PolicyLoop::send(Device& dev, const std::string& text) {
    try {
        dm_.message(dev.name, text);
        dev.last_error.clear();
        return true;
    } catch (const std::exception& e) {
        if (dev.last_error != e.what())
            log::warning(dev.name + ": '" + text + "' failed: " + e.what());
        dev.last_error = e.what();
        return false;
    }
}

void PolicyLoop::control_weights(Device& dev, const Status& status, bool force, double now_s) {
    if (status.legs.size() < 2 || status.legs.size() > 4) {
        dev.weights.reset();
        return;
    }
    if (!dev.weights || dev.weights->legs() != status.legs.size()) {
        dev.weights.emplace(config_->weighting, config_->health,
                            config_->weights_interval_ms / 1000.0, status);
        log::info(dev.name + ": weighing reads from weights " + list(weights_of(status)));
    }
    const WeightStep step = dev.weights->poll(now_s, status, leg_contexts(dev), force);
    if (!step.decided)
        return;
    const WeightDecision& d = step.decision;
    dev.counters.failovers += d.failed_over.size();
    dev.counters.failbacks += d.failed_back.size();
    if (d.changed || !d.failed_over.empty() || !d.failed_back.empty()) {
        const LogLevel level = d.failed_over.empty() ? LogLevel::info : LogLevel::warning;
        log::write(level, dev.name + ": read weights " + list(weights_of(status)) + " -> " +
                              list(d.weights) + ": " + d.reason);
    } else if (step.send) {
        log::info(dev.name + ": the kernel's read weights " + list(weights_of(status)) +
                  " differ from the decided " + list(d.weights) + "; sending them again");
    }
    if (step.send) {
        if (send(dev, message::weights(*step.send)))
            dev.counters.weight_changes++;
    }
}

const DecisionCounters* PolicyLoop::counters(const std::string& device) const {
    auto it = devices_.find(device);
    return it == devices_.end() ? nullptr : &it->second.counters;
}

std::vector<double> PolicyLoop::leg_health(const std::string& device) const {
    auto it = devices_.find(device);
    if (it == devices_.end() || !it->second.weights)
        return {};
    return it->second.weights->leg_health();
}

} // namespace tandem::daemon

namespace tandem::daemon {

void PolicyLoop::control_load(Device& dev, const Status& status, double now_s) {
    if (!status.scheduler || status.scheduler->queue_depth == 0 ||
        config_->class_weights.classes.empty()) {
        dev.load.reset();
        return;
    }
    if (!dev.load) {
        try {
            dev.load.emplace(config_->load.score, config_->class_weights,
                             config_->load.interval_ms / 1000.0);
        } catch (const std::exception& e) {
            log::error(dev.name + ": no load control: " + e.what());
            return;
        }
    }
    std::optional<double> cpu;
    if (const NodeWindow* w = nodes_.local_window())
        cpu = w->cpu_busy;
    std::vector<std::string> held;
    if (dev.guard && !dev.guard->held_class().empty())
        held.push_back(dev.guard->held_class());
    const LoadStep step = dev.load->poll(now_s, status, cpu, held);
    if (!step.evaluated)
        return;
    log::debug(dev.name + ": " + describe_load(step.score));
    for (const std::string& text : step.messages) {
        log::info(dev.name + ": " + describe_load(step.score) + ": " + text);
        send(dev, text);
    }
}

void PolicyLoop::guard_shadow(Device& dev, const Status& status) {
    if (!status.shadow || !status.shadow->has_device()) {
        // The guard goes with the shadow, once it has undone its throttle.
        if (dev.guard) {
            for (const MitigationAction& action : dev.guard->poll(status, std::nullopt).actions)
                carry_out(dev, action);
            if (dev.guard->held_class().empty())
                dev.guard.reset();
        }
        return;
    }
    if (!dev.guard || (dev.guard_outdated && dev.guard->held_class().empty())) {
        const bool first = !dev.guard;
        try {
            dev.guard.emplace(dev.name, config_->anomaly, config_->mitigation);
            dev.guard_outdated = false;
        } catch (const std::exception& e) {
            log::error(dev.name + ": no shadow anomaly detection: " + e.what());
            return;
        }
        if (first)
            take_over_throttle(dev, status);
    }
    // The stats reply's histograms give each window its own p99; the
    // status line only the p99 since the counters were reset.
    std::optional<ShadowStats> stats;
    try {
        stats = parse_shadow_stats(dm_.message(dev.name, message::stats()));
    } catch (const std::exception& e) {
        log::debug(dev.name + ": shadow figures from the status line: " + e.what());
    }
    const GuardStep step = dev.guard->poll(status, stats);
    if (!step.observed)
        return;
    log::debug(dev.name + ": shadow window: " + step.window);
    if (step.verdict.changed) {
        std::string why;
        for (const std::string& r : step.verdict.reasons())
            why += (why.empty() ? ": " : "; ") + r;
        // With alerts on, the alert is the line that says so.
        const bool anomalous = step.verdict.state == AnomalyState::anomalous;
        const LogLevel level = config_->mitigation.alert ? LogLevel::debug
                               : anomalous               ? LogLevel::warning
                                                         : LogLevel::info;
        log::write(level, dev.name + ": shadow detector now " +
                              std::string(to_string(step.verdict.state)) + why);
        if (anomalous)
            dev.counters.anomalies_detected++;
    }
    for (const MitigationAction& action : step.actions)
        carry_out(dev, action);
}

void PolicyLoop::carry_out(Device& dev, const MitigationAction& action) {
    bool ok = false;
    switch (action.kind) {
    case ActionKind::alert: {
        log::write(action.state == AnomalyState::anomalous ? LogLevel::warning : LogLevel::info,
                   action.alert);
        const auto now =
            adapters_.wall_clock ? adapters_.wall_clock() : std::chrono::system_clock::now();
        if (adapters_.alerts)
            adapters_.alerts->send(make_alert(action, now));
        ok = true;
        break;
    }
    case ActionKind::throttle:
    case ActionKind::unthrottle:
        if (!action.available) {
            log::warning(dev.name + ": " + std::string(to_string(action.kind)) +
                         " unavailable: " + action.alert);
            break;
        }
        log::write(action.kind == ActionKind::throttle ? LogLevel::warning : LogLevel::info,
                   action.alert + " ('" + action.message + "')");
        ok = send(dev, action.message);
        if (ok && action.kind == ActionKind::throttle)
            dev.counters.anomalies_enforced++;
        break;
    case ActionKind::rollback:
        log::warning(action.alert);
        break;
    }
    dev.guard->report(action, ok);
    if (ok && (action.kind == ActionKind::throttle || action.kind == ActionKind::unthrottle))
        keep_guard_memory(dev);
}

std::string PolicyLoop::guard_memory_path(const Device& dev) const {
    return config_->state_dir + "/" + dev.name + ".guard";
}

void PolicyLoop::take_over_throttle(Device& dev, const Status& status) {
    if (!adapters_.state_files)
        return;
    const std::string path = guard_memory_path(dev);
    std::optional<GuardMemory> memory;
    try {
        const std::optional<std::string> text = adapters_.state_files->read(path);
        if (!text)
            return;
        memory = parse_guard_memory(*text);
    } catch (const std::exception& e) {
        log::warning(dev.name + ": the throttle kept in " + path +
                     " is not taken over: " + e.what());
    }
    if (memory && dev.guard->resume(*memory, status)) {
        log::warning(dev.name + ": class " + memory->throttle_class +
                     " is still throttled from before the restart; its limits " +
                     to_string(memory->saved) + " come back once the shadow is within bounds");
        return;
    }
    if (memory)
        log::info(dev.name + ": the throttle kept in " + path + " (class " +
                  memory->throttle_class + " at " + to_string(memory->pushed) +
                  ") is no longer in force: forgotten");
    keep_guard_memory(dev);
}

void PolicyLoop::keep_guard_memory(Device& dev) {
    if (!adapters_.state_files)
        return;
    const std::string path = guard_memory_path(dev);
    try {
        if (const std::optional<GuardMemory> memory = dev.guard->memory())
            adapters_.state_files->write(path, format_guard_memory(*memory));
        else
            adapters_.state_files->remove(path);
    } catch (const std::exception& e) {
        log::warning(dev.name + ": " + e.what() + " (a restart would not take the throttle over)");
    }
}

} // namespace tandem::daemon

namespace tandem::daemon {

void PolicyLoop::publish(const Monitor& monitor, const std::vector<std::string>& polled,
                         SteadyClock::time_point now) {
    if (http_.port())
        http_.publish(health_report(monitor), metrics_snapshot(monitor));
    if (!timeline_)
        return;
    std::vector<TimelineRow> rows;
    for (const std::string& name : polled) {
        const StateTracker* t = monitor.tracker(name);
        if (!t || !t->available() || !t->last())
            continue;
        rows.push_back(TimelineRow{name, *t->last(), leg_health(name)});
    }
    timeline_->record(seconds(now), rows);
}

NodeHealthReport PolicyLoop::health_report(const Monitor& monitor) const {
    NodeHealthReport r;
    r.node = nodes_.local_node();
    if (r.node.empty())
        r.node = "local";
    const auto wall =
        adapters_.wall_clock ? adapters_.wall_clock() : std::chrono::system_clock::now();
    r.time = std::max(0.0, std::chrono::duration<double>(wall.time_since_epoch()).count());
    r.score = 100; // nothing measured: no evidence of trouble
    for (const NodeHealthView& v : nodes_.views()) {
        if (v.local && v.score) {
            r.score = std::clamp(*v.score, 0.0, 100.0);
            r.components = v.components;
        }
    }
    for (const std::string& name : device_order_) {
        DeviceHealthReport d;
        d.name = name;
        const StateTracker* t = monitor.tracker(name);
        d.available = t && t->available() && t->last();
        if (d.available) {
            const Device& dev = devices_.at(name);
            const Status& st = *t->last();
            for (std::size_t i = 0; i < st.legs.size(); i++) {
                const std::string node = i < dev.leg_nodes.size() ? dev.leg_nodes[i] : "";
                d.legs.push_back(LegHealthReport{static_cast<unsigned>(i), node, st.legs[i].state,
                                                 std::min(st.legs[i].weight, 100u)});
            }
        }
        r.devices.push_back(std::move(d));
    }
    return r;
}

MetricsSnapshot PolicyLoop::metrics_snapshot(const Monitor& monitor) const {
    MetricsSnapshot m;
    for (const NodeHealthView& v : nodes_.views())
        m.nodes.push_back(NodeMetrics{v.name, v.score, v.components});
    for (const std::string& name : device_order_) {
        DeviceMetrics d;
        d.name = name;
        const StateTracker* t = monitor.tracker(name);
        if (t && t->available())
            d.status = t->last();
        d.decisions = devices_.at(name).counters;
        m.devices.push_back(std::move(d));
    }
    return m;
}

} // namespace tandem::daemon
