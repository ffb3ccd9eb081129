#include "background_network.h"

#include <utility>

namespace tandem::daemon {

namespace {

// Outcomes the loop has not taken are dropped past this many (a loop
// that stalled must not make the daemon grow).
constexpr std::size_t max_queued = 1024;

} // namespace

BackgroundNetwork::BackgroundNetwork()
    : thread_([this] { run(); }) {}

BackgroundNetwork::~BackgroundNetwork() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
}

void BackgroundNetwork::set_plan(const NetworkPlan& plan) {
    {
        std::lock_guard lock(mutex_);
        if (plan == plan_)
            return;
        plan_ = plan;
        plan_changed_ = true;
    }
    changed_.notify_all();
}

std::vector<ProbeOutcome> BackgroundNetwork::take_probes() {
    std::lock_guard lock(mutex_);
    return std::exchange(probes_, {});
}

std::vector<PeerOutcome> BackgroundNetwork::take_peers() {
    std::lock_guard lock(mutex_);
    return std::exchange(peers_, {});
}

void BackgroundNetwork::run() {
    using Clock = SteadyClock;
    Clock::time_point next_probes = Clock::now();
    Clock::time_point next_peers = Clock::now();
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        if (plan_changed_) {
            plan_changed_ = false;
            next_probes = next_peers = Clock::now();
        }
        const Clock::time_point due = std::min(next_probes, next_peers);
        if (Clock::now() < due) {
            changed_.wait_until(lock, due);
            continue;
        }
        const NetworkPlan plan = plan_;
        const bool probes_due = Clock::now() >= next_probes;
        const bool peers_due = Clock::now() >= next_peers;
        if (probes_due)
            next_probes = Clock::now() + plan.probe_interval;
        if (peers_due)
            next_peers = Clock::now() + plan.peer_interval;
        lock.unlock();

        std::vector<ProbeOutcome> probes;
        std::vector<PeerOutcome> peers;
        for (const NodeConfig& node : plan.nodes) {
            if (probes_due) {
                for (const ProbeConfig& p : node.probes) {
                    ProbeResult r = probe_http(p.url, std::chrono::milliseconds(p.timeout_ms),
                                               static_cast<int>(p.expect_status));
                    probes.push_back(ProbeOutcome{node.name, Clock::now(), std::move(r)});
                }
            }
            if (peers_due && node.health)
                peers.push_back(PeerOutcome{
                    node.name, fetch_peer_health(*node.health, plan.peer_timeout, plan.token)});
        }

        lock.lock();
        for (auto& p : probes) {
            if (probes_.size() < max_queued)
                probes_.push_back(std::move(p));
        }
        for (auto& p : peers) {
            if (peers_.size() < max_queued)
                peers_.push_back(std::move(p));
        }
    }
}

} // namespace tandem::daemon
