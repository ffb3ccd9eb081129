// tandemd run on simulated time against the fakes: the configuration its
// tests start from (logging at debug, serving no HTTP), the two-node
// layout most of them steer, and a rig that holds the fakes, runs the
// daemon until SIGTERM and prints the log of a test that failed.
#pragma once

#include "daemon_fakes.h"

#include "daemon.h"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <functional>
#include <iostream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tandem::testing {

using daemon::Adapters;
using daemon::Daemon;
using Duration = std::chrono::steady_clock::duration;

// No device and no node yet: the test adds what it steers.
inline Config daemon_config() {
    Config cfg;
    cfg.source = "test";
    cfg.log_level = {LogLevel::debug, "test"};
    cfg.http.listen.reset();
    return cfg;
}

// Device tandem0, polled every second.
inline DeviceConfig tandem0_config() {
    return DeviceConfig{{"tandem0", "test"}, {1000, "test"}};
}

// Node a is this machine (leg 0, the source), node b a peer (leg 1).
inline Config two_nodes() {
    Config cfg = daemon_config();
    cfg.nodes = {NodeConfig{"a"}, NodeConfig{"b", parse_http_url("http://10.0.0.2:9470/health")}};
    DeviceConfig dev = tandem0_config();
    dev.legs = {LegConfig{"/dev/vdb", "a"}, LegConfig{"/dev/vdc", "b"}};
    cfg.devices.push_back(dev);
    return cfg;
}

// Every fake the daemon can be handed; `adapters` says which it gets. The
// daemon is declared last, so it is destroyed before the fakes it points to.
struct DaemonRig {
    LogCapture logs;
    WeighingDeviceMapper dm;
    FakeWaiter waiter;
    FakeEvents events;
    FakeMetrics metrics;
    FakeNetwork network;
    FakeAlerts alerts;
    FakeDisks disks;
    Config config;
    Adapters adapters;
    std::optional<Daemon> daemon;

    explicit DaemonRig(Config c)
        : config(std::move(c)) {}
    DaemonRig(const DaemonRig&) = delete;
    DaemonRig& operator=(const DaemonRig&) = delete;
    ~DaemonRig() {
        if (::testing::Test::HasFailure())
            for (const std::string& l : logs.lines)
                std::cerr << "  log: " << l << "\n";
    }

    // Run until SIGTERM at `end`; `at` is called at every wakeup
    // without a signal.
    int run(Duration end, std::function<void(Duration)> at = {}) {
        waiter.script.push_back({end, SIGTERM});
        waiter.on_wakeup = std::move(at);
        daemon.emplace([this] { return config; }, dm, waiter, events, [](auto) {}, false, adapters);
        return daemon->run();
    }

    // The messages sent to tandem0 that start with `prefix`.
    std::vector<std::string> sent(const std::string& prefix) const {
        std::vector<std::string> out;
        for (const std::string& m : dm.sent("tandem0")) {
            if (m.rfind(prefix, 0) == 0)
                out.push_back(m);
        }
        return out;
    }
};

// Both nodes at health 90: this one's cpu 10% busy, the peer reporting 90.
struct TwoNodeRig : DaemonRig {
    TwoNodeRig()
        : DaemonRig(two_nodes()) {
        metrics.window.cpu_busy = 0.1;
        network.peer_scores["b"] = 90;
        adapters.local_metrics = &metrics;
        adapters.network = &network;
    }
};

} // namespace tandem::testing
