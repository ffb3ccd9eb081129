// NodeNetwork on a live system: one thread sends the probes every
// probe_interval and reads each peer's /health every peer_interval, each
// call bounded by its timeout, and queues the outcomes for the daemon's
// loop, which never waits on the network.
#pragma once

#include "node_health.h"

#include <condition_variable>
#include <mutex>
#include <thread>

namespace tandem::daemon {

class BackgroundNetwork final : public NodeNetwork {
public:
    BackgroundNetwork();
    ~BackgroundNetwork() override; // stops the thread (after the call under way)
    BackgroundNetwork(const BackgroundNetwork&) = delete;
    BackgroundNetwork& operator=(const BackgroundNetwork&) = delete;

    void set_plan(const NetworkPlan& plan) override;
    std::vector<ProbeOutcome> take_probes() override;
    std::vector<PeerOutcome> take_peers() override;

private:
    void run();

    std::mutex mutex_; // guards everything below but thread_
    std::condition_variable changed_;
    NetworkPlan plan_;
    bool plan_changed_ = false;
    bool stopping_ = false;
    std::vector<ProbeOutcome> probes_;
    std::vector<PeerOutcome> peers_;
    std::thread thread_;
};

} // namespace tandem::daemon
