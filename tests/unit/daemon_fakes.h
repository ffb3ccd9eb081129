// Fakes for running tandemd's state machine on simulated time: a Waiter
// whose clock jumps to each deadline and delivers scripted signals, dm
// events on demand, a log captured for the test, this node's counters and
// the network (probes, peers) as the test sets them, and a device mapper
// whose devices take the weights they are sent.
#pragma once

#include "fake_device_mapper.h"

#include "alert_dispatch.h"
#include "daemon.h"
#include "node_health.h"

#include "tandem/block_devices.h"
#include "tandem/log.h"
#include "tandem/message.h"
#include "tandem/status.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace tandem::testing {

using daemon::DeviceEvents;
using daemon::LocalMetrics;
using daemon::NodeNetwork;
using daemon::Waiter;

// Simulated time; signals arrive at scripted instants.
class FakeWaiter : public Waiter {
public:
    struct Signal {
        Clock::duration at;
        int signo;
        std::function<void()> before = {}; // runs when the signal is delivered
    };

    std::deque<Signal> script;
    std::vector<Clock::duration> wakeups; // when each wait ended
    std::function<void(Clock::duration)> on_wakeup;

    Clock::time_point now() override { return now_; }

    int wait_until(Clock::time_point deadline) override {
        if (!script.empty() && Clock::time_point(script.front().at) <= deadline) {
            Signal s = script.front();
            script.pop_front();
            now_ = std::max(now_, Clock::time_point(s.at));
            wakeups.push_back(now_.time_since_epoch());
            if (s.before)
                s.before();
            return s.signo;
        }
        if (script.empty())
            throw std::logic_error("script ran out: the daemon would sleep forever");
        now_ = deadline;
        wakeups.push_back(now_.time_since_epoch());
        if (on_wakeup)
            on_wakeup(now_.time_since_epoch());
        return 0;
    }

private:
    Clock::time_point now_{};
};

// dm events on demand: a script step queues device names; every watch()
// is recorded.
class FakeEvents : public DeviceEvents {
public:
    std::vector<std::vector<std::string>> watched;
    std::vector<std::string> pending;

    void watch(const std::vector<std::string>& devices) override { watched.push_back(devices); }
    std::vector<std::string> take() override { return std::exchange(pending, {}); }
};

// Captures the log for one test, restoring stderr afterwards.
class LogCapture {
public:
    LogCapture() {
        log::set_level(LogLevel::debug);
        log::set_sink([this](LogLevel, std::string_view line) { lines.emplace_back(line); });
    }
    ~LogCapture() {
        log::set_sink(nullptr);
        log::set_level(LogLevel::info);
    }
    std::vector<std::string> lines;

    bool has(const std::string& text) const { return count(text) > 0; }

    // How many lines hold `text`.
    int count(const std::string& text) const {
        int n = 0;
        for (const std::string& l : lines)
            n += l.find(text) != std::string::npos;
        return n;
    }
};

// This node's counters: every sample is `window` (after the first, which
// has nothing to compare with).
class FakeMetrics : public LocalMetrics {
public:
    NodeWindow window;
    std::vector<std::string> interfaces;
    std::vector<DeviceNumber> disks;
    int samples = 0;

    void watch(std::vector<std::string> i, std::vector<DeviceNumber> d) override {
        interfaces = std::move(i);
        disks = std::move(d);
        samples = 0;
    }
    std::optional<NodeWindow> sample(std::chrono::steady_clock::time_point) override {
        return samples++ ? std::optional<NodeWindow>(window) : std::nullopt;
    }
};

// The network: each take_peers() answers for every peer node with the
// score the test set (or the error, for one set unreachable); probes are
// queued by the test.
class FakeNetwork : public NodeNetwork {
public:
    daemon::NetworkPlan plan;
    int plans = 0;
    std::map<std::string, double> peer_scores;      // node -> score it reports
    std::map<std::string, std::string> unreachable; // node -> error
    std::vector<daemon::ProbeOutcome> probes;

    void set_plan(const daemon::NetworkPlan& p) override {
        plan = p;
        plans++;
    }
    std::vector<daemon::ProbeOutcome> take_probes() override { return std::exchange(probes, {}); }
    std::vector<daemon::PeerOutcome> take_peers() override {
        std::vector<daemon::PeerOutcome> out;
        for (const NodeConfig& n : plan.nodes) {
            if (!n.health)
                continue;
            PeerHealthResult r;
            if (auto u = unreachable.find(n.name); u != unreachable.end()) {
                r.error = u->second;
            } else if (auto s = peer_scores.find(n.name); s != peer_scores.end()) {
                r.health = PeerHealth{n.name, s->second, {}, 0};
            } else {
                continue;
            }
            out.push_back(daemon::PeerOutcome{n.name, r});
        }
        return out;
    }
};

// A FakeDeviceMapper whose devices take the read weights, class weights
// and class limits they are sent, as the kernel does: the status line
// shows them afterwards.
class WeighingDeviceMapper : public FakeDeviceMapper {
public:
    std::string message(const std::string& name, const std::string& text) override {
        std::string reply = FakeDeviceMapper::message(name, text);
        std::istringstream words(text);
        std::string verb;
        words >> verb;
        if (verb != "weights" && verb != "class")
            return reply;
        Status st = parse_status(devices.at(name).status);
        if (verb == "weights") {
            for (LegStatus& leg : st.legs)
                words >> leg.weight;
        } else {
            std::string cls, what, key;
            words >> cls >> what;
            for (ClassStatus& c : st.scheduler->classes) {
                if (c.name != cls)
                    continue;
                if (what == "weight")
                    words >> c.weight;
                while (what == "limit" && words >> key)
                    words >> (key == "iops" ? c.iops_limit : c.bw_limit);
            }
        }
        set_status(name, format_status(st));
        return reply;
    }

    // The texts sent to `device`, in order.
    std::vector<std::string> sent(const std::string& device) const {
        std::vector<std::string> out;
        for (const auto& [dev, text] : messages) {
            if (dev == device)
                out.push_back(text);
        }
        return out;
    }
};

// Block devices of given numbers and sizes, by path.
class FakeDisks : public BlockDevices {
public:
    std::map<std::string, BlockDeviceSize> disks;

    BlockDeviceSize inspect(const std::string& device) override {
        auto it = disks.find(device);
        if (it == disks.end())
            throw std::system_error(ENOENT, std::generic_category(), device);
        return it->second;
    }
};

// The alerts the daemon queued.
class FakeAlerts : public daemon::AlertSink {
public:
    std::vector<Alert> sent;
    int configured = 0;
    void configure(const MitigationPolicy&) override { configured++; }
    void send(const Alert& alert) override { sent.push_back(alert); }
};

// One window of `op` on production and on the shadow: `bios` more on each,
// production's p99 at 400 us, the shadow's at `shadow_p99_us` with
// `shadow_errors` more of its bios failed.
inline void advance(ShadowOpStatus& op, std::uint64_t bios, std::uint64_t shadow_errors,
                    std::uint64_t shadow_p99_us) {
    op.production.count += bios;
    op.production.p99_us = 400;
    op.shadow.count += bios;
    op.shadow.errors += shadow_errors;
    op.shadow.p99_us = shadow_p99_us;
}

// A version 6 status: two legs in sync at 60/40, the three built-in
// classes with the scheduler off, no shadow.
inline Status v6_status() {
    Status st;
    st.version = 6;
    st.legs = {LegStatus{'A', LegState::alive, 60}, LegStatus{'A', LegState::alive, 40}};
    st.sync = SyncStatus{256, "idle", SyncAction::idle, 65536, 0, 0};
    st.metadata = MetadataStatus{};
    st.compare = CompareStatus{};
    st.scheduler = SchedulerStatus{
        0,
        0,
        {ClassStatus{"critical", 200}, ClassStatus{"production", 100}, ClassStatus{"test", 50}},
        0};
    st.shadow = ShadowStatus{};
    for (std::string_view op : shadow_ops)
        st.shadow->ops.push_back(ShadowOpStatus{std::string(op), {}, {}});
    return st;
}

} // namespace tandem::testing
