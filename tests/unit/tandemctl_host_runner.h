// Runs tandemctl's main_entry() with a whole Environment of fakes the test
// keeps: a FakeDeviceMapper whose timed waits take simulated time and whose
// removals can find the device busy, a FakeCowStore, block devices of
// given numbers and sizes, and a clock that only the waits and sleeps
// move.
#pragma once

#include "fake_cow_store.h"
#include "fake_device_mapper.h"
#include "forwarding_fakes.h"

#include "block_devices.h"
#include "cli.h"

#include <cerrno>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

namespace tandem::testing {

// Simulated time: seconds since the test began.
struct FakeClock {
    std::chrono::steady_clock::time_point now{};
    double seconds() const { return std::chrono::duration<double>(now.time_since_epoch()).count(); }
};

class TimedFakeDeviceMapper : public FakeDeviceMapper {
public:
    explicit TimedFakeDeviceMapper(FakeClock& clock)
        : clock_(clock) {}

    // The status line a device created by create() reports.
    std::string status_after_create;
    // remove() finds the device open this many times (EBUSY), then works.
    int busy_removes = 0;
    std::vector<std::chrono::milliseconds> wait_timeouts; // of wait_event_for, in call order
    std::function<void()> after_wait;                     // runs after each timed wait
    // An accepted message with this text sets the device's status line.
    std::map<std::string, std::string> status_after_message;

    // Every timed wait lasts its whole timeout, event or not.
    std::uint32_t wait_event_for(const std::string& name, std::uint32_t event_nr,
                                 std::chrono::milliseconds timeout) override {
        clock_.now += timeout;
        wait_timeouts.push_back(timeout);
        const std::uint32_t event = FakeDeviceMapper::wait_event_for(name, event_nr, timeout);
        if (after_wait)
            after_wait();
        return event;
    }

    std::string message(const std::string& name, const std::string& text) override {
        std::string reply = FakeDeviceMapper::message(name, text);
        if (auto it = status_after_message.find(text); it != status_after_message.end())
            devices[name].status = it->second;
        return reply;
    }

    void create(const std::string& name, const std::string& uuid, const TableLine& line) override {
        FakeDeviceMapper::create(name, uuid, line);
        devices[name].status = status_after_create;
    }

    void remove(const std::string& name) override {
        if (busy_removes > 0 && devices.count(name)) {
            busy_removes--;
            calls.push_back("remove " + name);
            throw DmError("remove " + name + ": Device or resource busy", EBUSY);
        }
        FakeDeviceMapper::remove(name);
    }

private:
    FakeClock& clock_;
};

class FakeBlockDevices : public cli::BlockDevices {
public:
    std::map<std::string, cli::BlockDevice> devices; // by path or major:minor
    std::map<std::string, int> errors;               // paths that fail with this errno

    void add(const std::string& path, DeviceNumber number, std::uint64_t bytes) {
        devices[path] = cli::BlockDevice{number, bytes};
    }

    cli::BlockDevice inspect(const std::string& device) override {
        if (auto it = errors.find(device); it != errors.end())
            throw std::system_error(it->second, std::generic_category(), device);
        auto it = devices.find(device);
        if (it == devices.end())
            throw std::system_error(ENOENT, std::generic_category(), device);
        return it->second;
    }
};

struct HostRunner {
    FakeClock clock;
    TimedFakeDeviceMapper dm{clock};
    FakeCowStore store;
    FakeBlockDevices block_devices;
    std::vector<std::chrono::milliseconds> sleeps;
    bool terminal = false;
    std::ostringstream out, err;
    int factory_calls = 0;

    int run(const std::vector<std::string>& args) {
        out.str("");
        err.str("");
        cli::Environment env;
        env.make_dm = [this] {
            ++factory_calls;
            return std::make_unique<ForwardingDeviceMapper>(dm);
        };
        env.make_store = [this] {
            return std::make_unique<ForwardingCowStore>(store);
        };
        env.make_block_devices = [this] {
            return std::make_unique<ForwardDevices>(block_devices);
        };
        env.now = [this] {
            return clock.now;
        };
        env.sleep = [this](std::chrono::milliseconds d) {
            sleeps.push_back(d);
            clock.now += d;
        };
        env.terminal = terminal;
        return cli::main_entry(args, env, out, err);
    }

private:
    // Hands main_entry() an owner of its own while the fake stays here.
    struct ForwardDevices : cli::BlockDevices {
        FakeBlockDevices& f;
        explicit ForwardDevices(FakeBlockDevices& fake)
            : f(fake) {}
        cli::BlockDevice inspect(const std::string& d) override { return f.inspect(d); }
    };
};

} // namespace tandem::testing
