#include "node_health.h"

#include "tandem/log.h"

#include <algorithm>
#include <cstdio>

namespace tandem::daemon {

namespace {

std::string points(double value) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", value);
    return buf;
}

} // namespace

std::chrono::milliseconds peer_timeout_for(unsigned health_interval_ms) {
    return std::chrono::milliseconds(std::clamp(health_interval_ms, 100u, 2000u));
}

NodeHealthTracker::NodeHealthTracker(LocalMetrics* local, NodeNetwork* network)
    : local_(local)
    , network_(network) {}

void NodeHealthTracker::configure(const Config& config, const std::string& token,
                                  SteadyClock::time_point now) {
    const bool smoothing_changed = config.health.smoothing != policy_.smoothing;
    policy_ = config.health;
    interval_ = std::chrono::milliseconds(config.health_interval_ms);
    probe_window_ = std::chrono::milliseconds(
        std::max(3 * config.probe_interval_ms, 2 * config.health_interval_ms));

    std::vector<Node> nodes;
    for (const NodeConfig& nc : config.nodes) {
        auto old = std::find_if(nodes_.begin(), nodes_.end(),
                                [&](const Node& n) { return n.config.name == nc.name; });
        Node node = old != nodes_.end() && !smoothing_changed
                        ? std::move(*old)
                        : Node{nc, HealthSmoother(policy_.smoothing), {}, {}, 0, false, {}};
        const bool probes_changed = node.config.probes != nc.probes;
        const bool became_peer = node.config.health != nc.health;
        node.config = nc;
        if (nc.probes.empty())
            node.probes.reset();
        else if (!node.probes || probes_changed || node.probes->window() != probe_window_)
            node.probes.emplace(probe_window_);
        if (became_peer || !nc.health) {
            node.peer_score.reset();
            node.peer_failures = 0;
            node.peer_down = false;
        }
        nodes.push_back(std::move(node));
    }
    nodes_ = std::move(nodes);
    due_ = now;
    std::vector<std::string> interfaces;
    for (const NodeConfig& nc : config.nodes) {
        if (!nc.health)
            interfaces = nc.interfaces;
    }
    watch(std::move(interfaces), disks_);

    if (network_) {
        NetworkPlan plan;
        plan.nodes = config.nodes;
        plan.probe_interval = std::chrono::milliseconds(config.probe_interval_ms);
        plan.peer_interval = interval_;
        plan.peer_timeout = peer_timeout_for(config.health_interval_ms);
        plan.token = token;
        network_->set_plan(plan);
    }
}

void NodeHealthTracker::set_disks(std::vector<DeviceNumber> disks) {
    watch(interfaces_, std::move(disks));
}

void NodeHealthTracker::watch(std::vector<std::string> interfaces,
                              std::vector<DeviceNumber> disks) {
    if (!local_ || (watching_ && interfaces == interfaces_ && disks == disks_))
        return;
    interfaces_ = std::move(interfaces);
    disks_ = std::move(disks);
    watching_ = true;
    local_->watch(interfaces_, disks_);
    window_.reset();
}

NodeHealthTracker::Node* NodeHealthTracker::find(const std::string& name) {
    for (Node& n : nodes_) {
        if (n.config.name == name)
            return &n;
    }
    return nullptr;
}

void NodeHealthTracker::collect_probes() {
    if (!network_)
        return;
    for (const ProbeOutcome& p : network_->take_probes()) {
        Node* node = find(p.node);
        if (!node || !node->probes)
            continue;
        node->probes->add(p.at, p.result);
        if (!p.result.ok)
            log::debug("node " + p.node + ": probe failed: " + p.result.error);
    }
}

void NodeHealthTracker::collect_peers() {
    if (!network_)
        return;
    for (const PeerOutcome& p : network_->take_peers()) {
        Node* node = find(p.node);
        if (!node || !node->config.health)
            continue;
        if (p.result.ok()) {
            node->peer_score = p.result.health->score;
            node->peer_failures = 0;
            if (node->peer_down)
                log::info("node " + p.node + ": its peer answers again, health " +
                          points(*node->peer_score));
            node->peer_down = false;
            continue;
        }
        node->peer_failures++;
        if (node->peer_failures >= peer_failures_to_zero && !node->peer_down) {
            node->peer_down = true;
            log::warning("node " + p.node + ": no health from its peer " +
                         std::to_string(node->peer_failures) + " times in a row (" +
                         p.result.error + "); counting its health as 0");
        } else if (!node->peer_down) {
            log::debug("node " + p.node + ": " + p.result.error);
        }
    }
}

void NodeHealthTracker::score(Node& node, SteadyClock::time_point now) {
    const bool local = !node.config.health.has_value();
    HealthInputs inputs;
    if (local && window_)
        inputs = window_->health_inputs();
    if (node.probes)
        set_probe_inputs(inputs, node.probes->summary(now));
    HealthScore measured = score_health(inputs, policy_);

    if (local) {
        if (!window_ && measured.components.empty())
            return; // nothing measured yet
        node.smoother.update(measured.score);
        node.last = std::move(measured);
        return;
    }
    if (node.peer_down) {
        node.smoother.reset();
        node.smoother.update(0);
        node.last = HealthScore{0, {{"peer", 0}}};
        return;
    }
    if (!node.peer_score && measured.components.empty())
        return; // nothing known of it yet
    double raw = measured.score;
    std::vector<std::pair<std::string, double>> components;
    if (node.peer_score) {
        raw = std::min(raw, *node.peer_score);
        components.emplace_back("peer", *node.peer_score);
    }
    for (auto& c : measured.components)
        components.push_back(std::move(c));
    node.smoother.update(raw);
    node.last = HealthScore{raw, std::move(components)};
}

bool NodeHealthTracker::update(SteadyClock::time_point now) {
    if (now < due_)
        return false;
    // One interval after the last due time; a tracker that fell behind
    // does not catch up.
    due_ = due_ + interval_ > now ? due_ + interval_ : now + interval_;
    collect_probes();
    collect_peers();
    if (local_) {
        if (std::optional<NodeWindow> w = local_->sample(now))
            window_ = std::move(w);
    }
    for (Node& node : nodes_)
        score(node, now);
    return true;
}

std::optional<double> NodeHealthTracker::health(const std::string& node) const {
    for (const Node& n : nodes_) {
        if (n.config.name == node)
            return n.smoother.has_value() ? std::optional<double>(n.smoother.value())
                                          : std::nullopt;
    }
    return std::nullopt;
}

std::string NodeHealthTracker::local_node() const {
    for (const Node& n : nodes_) {
        if (!n.config.health)
            return n.config.name;
    }
    return "";
}

const NodeWindow* NodeHealthTracker::local_window() const {
    return window_ ? &*window_ : nullptr;
}

std::vector<NodeHealthView> NodeHealthTracker::views() const {
    std::vector<NodeHealthView> out;
    for (const Node& n : nodes_) {
        NodeHealthView v;
        v.name = n.config.name;
        v.local = !n.config.health;
        if (n.smoother.has_value())
            v.score = n.smoother.value();
        v.components = n.last.components;
        out.push_back(std::move(v));
    }
    return out;
}

} // namespace tandem::daemon
