// EventWaiters: real threads against DeviceMappers whose wait_event blocks
// until the test raises an event, or until the waiter is interrupted.
#include "event_waiters.h"

#include "tandem/errors.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <unistd.h>

using namespace tandem;
using namespace tandem::daemon;
using namespace std::chrono_literals;

namespace {

// The device-mapper calls the event waiters never make.
class WaitOnlyDm : public DeviceMapper {
public:
    std::optional<std::string> find_by_uuid(const std::string&) override {
        throw std::logic_error("not used");
    }
    std::vector<DeviceEntry> list_devices() override { throw std::logic_error("not used"); }
    std::string status(const std::string&) override { throw std::logic_error("not used"); }
    std::string table(const std::string&) override { throw std::logic_error("not used"); }
    std::vector<TableLine> table_lines(const std::string&) override {
        throw std::logic_error("not used");
    }
    void create(const std::string&, const std::string&, const TableLine&) override {
        throw std::logic_error("not used");
    }
    void load(const std::string&, const TableLine&) override { throw std::logic_error("not used"); }
    void clear(const std::string&) override { throw std::logic_error("not used"); }
    void suspend(const std::string&) override { throw std::logic_error("not used"); }
    void resume(const std::string&) override { throw std::logic_error("not used"); }
    void remove(const std::string&) override { throw std::logic_error("not used"); }
    void rename(const std::string&, const std::string&) override {
        throw std::logic_error("not used");
    }
    std::string message(const std::string&, const std::string&) override {
        throw std::logic_error("not used");
    }
};

// Devices with event counters; wait_event blocks on a condition variable.
// interrupt() makes every blocked wait_event fail with EINTR.
class BlockingDm : public WaitOnlyDm {
public:
    void add(const std::string& name) {
        std::lock_guard lock(mutex_);
        events_[name] = 0;
        changed_.notify_all();
    }
    void raise(const std::string& name) {
        std::lock_guard lock(mutex_);
        events_.at(name)++;
        changed_.notify_all();
    }
    void interrupt() {
        std::lock_guard lock(mutex_);
        generation_++;
        interrupts_++;
        changed_.notify_all();
    }
    int waiting(const std::string& name) {
        std::lock_guard lock(mutex_);
        return waiting_[name];
    }
    int interrupts() {
        std::lock_guard lock(mutex_);
        return interrupts_;
    }

    DeviceInfo info(const std::string& name) override {
        std::lock_guard lock(mutex_);
        DeviceInfo out;
        if (auto it = events_.find(name); it != events_.end()) {
            out.exists = true;
            out.event_nr = it->second;
        }
        return out;
    }
    std::uint32_t wait_event(const std::string& name, std::uint32_t event_nr) override {
        std::unique_lock lock(mutex_);
        const int generation = generation_;
        waiting_[name]++;
        changed_.wait(lock, [&] {
            auto it = events_.find(name);
            return it == events_.end() || it->second != event_nr || generation_ != generation;
        });
        waiting_[name]--;
        if (generation_ != generation)
            throw DmError("wait " + name + ": interrupted", EINTR);
        auto it = events_.find(name);
        if (it == events_.end())
            throw DmError("wait " + name + ": no such device", ENXIO);
        return it->second;
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::map<std::string, std::uint32_t> events_;
    std::map<std::string, int> waiting_;
    int generation_ = 0;
    int interrupts_ = 0;
};

// Poll `done` for up to five seconds.
template <class Pred>
bool eventually(Pred done) {
    for (auto end = std::chrono::steady_clock::now() + 5s; std::chrono::steady_clock::now() < end;
         std::this_thread::sleep_for(1ms)) {
        if (done())
            return true;
    }
    return done();
}

struct Waiters : ::testing::Test {
    BlockingDm dm;
    std::atomic<int> wakes{0};
};

} // namespace

TEST_F(Waiters, AnEventWakesAndIsTakenOnce) {
    dm.add("a");
    EventWaiters events(
        dm, [this] { wakes++; }, [this](std::thread&) { dm.interrupt(); }, 10ms);
    events.watch({"a"});
    ASSERT_TRUE(eventually([&] { return dm.waiting("a") == 1; }));
    EXPECT_TRUE(events.take().empty());

    dm.raise("a");
    ASSERT_TRUE(eventually([&] { return wakes == 1; }));
    EXPECT_EQ(events.take(), (std::vector<std::string>{"a"}));
    EXPECT_TRUE(events.take().empty());

    // The thread waits again, from the new counter.
    ASSERT_TRUE(eventually([&] { return dm.waiting("a") == 1; }));
    dm.raise("a");
    ASSERT_TRUE(eventually([&] { return wakes == 2; }));
    EXPECT_EQ(events.take(), (std::vector<std::string>{"a"}));
}

TEST_F(Waiters, ADeviceNoLongerWatchedIsNotWaitedOn) {
    dm.add("a");
    dm.add("b");
    EventWaiters events(
        dm, [this] { wakes++; }, [this](std::thread&) { dm.interrupt(); }, 10ms);
    events.watch({"a", "b"});
    ASSERT_TRUE(eventually([&] { return dm.waiting("a") == 1 && dm.waiting("b") == 1; }));

    events.watch({"b"}); // returns once a's thread has ended
    EXPECT_EQ(dm.waiting("a"), 0);
    EXPECT_GE(dm.interrupts(), 1);

    ASSERT_TRUE(eventually([&] { return dm.waiting("b") == 1; }));
    dm.raise("a");
    dm.raise("b");
    ASSERT_TRUE(eventually([&] { return wakes >= 1; }));
    std::this_thread::sleep_for(20ms);
    EXPECT_EQ(events.take(), (std::vector<std::string>{"b"}));
}

TEST_F(Waiters, AMissingDeviceIsRetriedAndItsArrivalCounts) {
    EventWaiters events(
        dm, [this] { wakes++; }, [this](std::thread&) { dm.interrupt(); }, 10ms);
    events.watch({"late"});
    std::this_thread::sleep_for(50ms);
    EXPECT_EQ(wakes, 0);

    dm.add("late");
    ASSERT_TRUE(eventually([&] { return wakes == 1; }));
    EXPECT_EQ(events.take(), (std::vector<std::string>{"late"}));

    ASSERT_TRUE(eventually([&] { return dm.waiting("late") == 1; }));
    dm.raise("late");
    ASSERT_TRUE(eventually([&] { return wakes == 2; }));
}

TEST_F(Waiters, DestructionStopsBlockedThreads) {
    dm.add("a");
    dm.add("b");
    {
        EventWaiters events(
            dm, [this] { wakes++; }, [this](std::thread&) { dm.interrupt(); }, 10ms);
        events.watch({"a", "b", "missing"});
        ASSERT_TRUE(eventually([&] { return dm.waiting("a") == 1 && dm.waiting("b") == 1; }));
    }
    EXPECT_EQ(dm.waiting("a"), 0);
    EXPECT_EQ(dm.waiting("b"), 0);
    EXPECT_EQ(wakes, 0);
}

namespace {

// wait_event blocks in read() on a pipe, as the real one blocks in an
// ioctl: only a signal gets it out before the test writes to the pipe.
class PipeDm : public WaitOnlyDm {
public:
    PipeDm() {
        if (::pipe(fds_) != 0)
            throw std::runtime_error("pipe");
    }
    ~PipeDm() override {
        ::close(fds_[0]);
        ::close(fds_[1]);
    }
    void raise() { (void)!::write(fds_[1], "x", 1); }
    std::atomic<int> eintr{0};

    DeviceInfo info(const std::string&) override { return DeviceInfo{true, false, true, 0}; }
    std::uint32_t wait_event(const std::string& name, std::uint32_t event_nr) override {
        char c;
        if (::read(fds_[0], &c, 1) == 1)
            return event_nr + 1;
        if (errno == EINTR) {
            eintr++;
            throw DmError("wait " + name + ": interrupted", EINTR);
        }
        throw DmError("wait " + name + ": read failed", errno);
    }

private:
    int fds_[2];
};

} // namespace

TEST(WaitersSignal, TheDefaultInterruptBreaksABlockingSystemCall) {
    PipeDm dm;
    std::atomic<int> wakes{0};
    {
        EventWaiters events(dm, [&] { wakes++; });
        events.watch({"a"});
        dm.raise();
        ASSERT_TRUE(eventually([&] { return wakes == 1; }));
        EXPECT_EQ(events.take(), (std::vector<std::string>{"a"}));
        std::this_thread::sleep_for(20ms); // let it block in read() again
    }                                      // SIGUSR1 must get the thread out of read()
    EXPECT_GE(dm.eintr, 1);
}
