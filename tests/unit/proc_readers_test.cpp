// The node's counters: /proc/meminfo, /proc/net/dev, block device stat
// files, resolving a device path to sysfs, and two samples of them made
// into the health score's inputs (fixture trees in data/proc/before and
// data/proc/after).
#include "error_of.h"

#include "tandem/errors.h"
#include "tandem/node_metrics.h"
#include "tandem/proc_readers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <filesystem>

using namespace tandem;
using tandem::testing::error_of;
using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

namespace {

namespace fs = std::filesystem;

const fs::path fixtures = fs::path(__FILE__).parent_path() / "data" / "proc";
const fs::path before_root = fixtures / "before";
const fs::path after_root = fixtures / "after";

constexpr DeviceNumber dm3{253, 3};
constexpr DeviceNumber nbd0{43, 0};

// A fresh directory under the temporary directory, removed at the end.
class TempDir {
public:
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "tandem-proc-XXXXXX").string();
        path_ = mkdtemp(pattern.data());
    }
    ~TempDir() { fs::remove_all(path_); }
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

} // namespace

// --- /proc/meminfo ----------------------------------------------------------------

TEST(ProcReaders, MeminfoUsedFraction) {
    struct Case {
        const char* text;
        MemInfo expected;
        double used;
    };
    const Case cases[] = {
        {"MemTotal: 8000000 kB\nMemFree: 1000000 kB\nMemAvailable: 2000000 kB\n",
         {8000000, 2000000},
         0.75},
        // Kernels before 3.14: MemFree + Buffers + Cached.
        {"MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 250 kB\n", {1000, 400}, 0.6},
        {"MemTotal: 1000 kB\nMemFree: 100 kB\n", {1000, 100}, 0.9},
        // Lines without a unit and unknown keys are skipped.
        {"MemTotal: 1000 kB\nHugePages_Total: 0\nMemAvailable: 1000 kB\n", {1000, 1000}, 0.0},
        {"MemTotal: 0 kB\nMemAvailable: 0 kB\n", {0, 0}, 0.0},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.text);
        const MemInfo info = parse_meminfo(c.text);
        EXPECT_EQ(info, c.expected);
        EXPECT_DOUBLE_EQ(info.used_fraction(), c.used);
    }
}

TEST(ProcReaders, MeminfoErrors) {
    EXPECT_EQ(error_of([] { parse_meminfo("MemFree: 10 kB\n"); }),
              "/proc/meminfo: no MemTotal line");
    EXPECT_EQ(error_of([] { parse_meminfo("MemTotal: 10 kB\nCached: 5 kB\n"); }),
              "/proc/meminfo: neither MemAvailable nor MemFree");
    EXPECT_EQ(error_of([] { parse_meminfo("MemTotal: 10 MB\nMemFree: 1 kB\n"); }),
              "/proc/meminfo: MemTotal is not '<number> kB': ' 10 MB'");
    EXPECT_EQ(error_of([] { parse_meminfo("MemTotal: 10 kB\nMemAvailable: x kB\n"); }),
              "/proc/meminfo: MemAvailable is not '<number> kB': ' x kB'");
}

TEST(ProcReaders, ReadsMeminfoUnderARoot) {
    EXPECT_EQ(read_meminfo(before_root), (MemInfo{8000000, 2000000}));
    EXPECT_THAT(error_of([] { read_meminfo(fixtures / "missing"); }),
                HasSubstr("cannot read " + (fixtures / "missing/proc/meminfo").string() +
                          ": No such file or directory"));
}

// --- /proc/net/dev ----------------------------------------------------------------

TEST(ProcReaders, NetDevCountersPerInterface) {
    const auto interfaces = read_net_dev(before_root);
    ASSERT_EQ(interfaces.size(), 3u);
    EXPECT_EQ(interfaces[0].name, "lo");
    EXPECT_EQ(interfaces[1],
              (NetInterfaceCounters{"eth0", {90000000, 100000, 5, 1}, {80000000, 90000, 0, 2}}));
    EXPECT_EQ(interfaces[2].name, "eth1");
    // No blank between the name and the counters (long counters do that).
    EXPECT_EQ(parse_net_dev("eth0:1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"),
              (std::vector<NetInterfaceCounters>{{"eth0", {1, 2, 3, 4}, {9, 10, 11, 12}}}));
}

TEST(ProcReaders, NetDevErrors) {
    EXPECT_EQ(error_of([] { parse_net_dev("eth0 1 2 3\n"); }),
              "/proc/net/dev line 1: expected '<interface>: <counters>', got 'eth0 1 2 3'");
    EXPECT_EQ(error_of([] { parse_net_dev("eth0: 1 2 3\n"); }),
              "/proc/net/dev: interface eth0 has 3 counters, expected 16");
    EXPECT_EQ(error_of([] { parse_net_dev("eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 -1\n"); }),
              "/proc/net/dev: interface eth0 counter 16 is not a number: '-1'");
}

TEST(ProcReaders, NetTotalsOfTheWatchedInterfaces) {
    const auto interfaces = read_net_dev(before_root);
    // Every interface but lo.
    EXPECT_EQ(net_totals(interfaces, {}), (NetTotals{100000 + 90000 + 1000 + 700, 5 + 1 + 2}));
    EXPECT_EQ(net_totals(interfaces, {"lo"}), (NetTotals{100000, 0}));
    EXPECT_EQ(net_totals(interfaces, {"eth1", "eth9"}), (NetTotals{1700, 0}));
    EXPECT_EQ(net_totals(interfaces, {"eth9"}), std::nullopt);
}

// --- block device stat --------------------------------------------------------------

TEST(ProcReaders, BlockStatOfEachKernelVintage) {
    struct Case {
        const char* line;
        DiskCounters expected;
    };
    const Case cases[] = {
        // 11 fields: reads and writes only.
        {"10 0 80 20 30 0 240 60 2 100 80", {40, 80, 2, 100}},
        // 15 fields (4.18): discards count.
        {"10 0 80 20 30 0 240 60 2 100 80 5 0 40 7", {45, 87, 2, 100}},
        // 17 fields (5.5): flushes count.
        {"10 0 80 20 30 0 240 60 2 100 80 5 0 40 7 3 9", {48, 96, 2, 100}},
        // Padded as sysfs prints it.
        {"     100        0      800      400       50        0      400      600        2     "
         "1000     1000        0        0        0        0        0        0\n",
         {150, 1000, 2, 1000}},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.line);
        EXPECT_EQ(parse_block_stat(c.line), c.expected);
    }
    EXPECT_EQ(read_disk_counters(before_root / "sys/dev/block/43:0"),
              (DiskCounters{20, 40, 0, 100}));
}

TEST(ProcReaders, BlockStatErrors) {
    EXPECT_EQ(error_of([] { parse_block_stat("1 2 3 4 5 6 7 8 9 10", "/sys/block/sda/stat"); }),
              "/sys/block/sda/stat: 10 fields, expected at least 11");
    EXPECT_EQ(error_of([] { parse_block_stat("1 2 3 4 5 6 7 8 9 x 11"); }),
              "block stat: field 10 is not a number: 'x'");
}

TEST(ProcReaders, DiskstatsLineOfOneDevice) {
    const std::string text = read_text_file(before_root, "/proc/diskstats");
    EXPECT_EQ(parse_diskstats(text, "dm-3"), (DiskCounters{150, 1000, 2, 1000}));
    EXPECT_EQ(parse_diskstats(text, "nbd0"), (DiskCounters{20, 40, 0, 100}));
    // vda and vda1 are told apart; 17 fields.
    EXPECT_EQ(parse_diskstats(text, "vda"), (DiskCounters{12305, 13021, 0, 7000}));
    EXPECT_EQ(error_of([&] { parse_diskstats(text, "sdz"); }),
              "/proc/diskstats: no line for device sdz");
    EXPECT_EQ(error_of([] { parse_diskstats(" 8 0 sda 1 2 3\n", "sda"); }),
              "/proc/diskstats sda: 3 fields, expected at least 11");
}

// --- resolving devices --------------------------------------------------------------

TEST(ProcReaders, SysfsDeviceByNumber) {
    const BlockDevice dev = sysfs_block_device(dm3, before_root / "sys");
    EXPECT_EQ(dev.number, dm3);
    EXPECT_EQ(dev.name, "dm-3");
    EXPECT_EQ(dev.sysfs_dir, fs::canonical(before_root / "sys/devices/virtual/block/dm-3"));
    EXPECT_EQ(read_disk_counters(dev.sysfs_dir), (DiskCounters{150, 1000, 2, 1000}));

    EXPECT_THAT(error_of([] {
                    sysfs_block_device({8, 16}, before_root / "sys");
                }),
                HasSubstr("no block device 8:16 in sysfs ("));
}

TEST(ProcReaders, ResolveRefusesWhatIsNotABlockDevice) {
    const fs::path file = before_root / "proc/meminfo";
    EXPECT_EQ(error_of([&] { resolve_block_device(file); }),
              file.string() + " is not a block device");
    EXPECT_EQ(error_of([] { resolve_block_device("/dev/no-such-device"); }),
              "cannot stat /dev/no-such-device: No such file or directory");
}

TEST(ProcReaders, ResolveFollowsLinksToTheDeviceNumber) {
    // A loop device node, reached through a symlink as /dev/mapper names are.
    const fs::path loop = "/dev/loop0";
    if (!fs::is_block_file(loop) || !fs::exists("/sys/dev/block/7:0"))
        GTEST_SKIP() << "no /dev/loop0 here";
    TempDir dir;
    fs::create_symlink(loop, dir.path() / "leg0");
    const BlockDevice dev = resolve_block_device(dir.path() / "leg0");
    EXPECT_EQ(dev.number, (DeviceNumber{7, 0}));
    EXPECT_EQ(dev.name, "loop0");
    EXPECT_TRUE(fs::exists(dev.sysfs_dir / "stat"));
}

// --- windows ----------------------------------------------------------------------

TEST(NodeMetrics, WindowBetweenTheFixtureSamples) {
    const auto t0 = std::chrono::steady_clock::time_point{} + 100s;
    const NodeSources sources_before{before_root, {}, {dm3, nbd0}};
    const NodeSources sources_after{after_root, {}, {dm3, nbd0}};
    const NodeSample before = read_node_sample(sources_before, t0);
    const NodeSample after = read_node_sample(sources_after, t0 + 2s);
    EXPECT_THAT(before.problems, ElementsAre());
    EXPECT_THAT(after.problems, ElementsAre());

    const NodeWindow w = node_window(before, after);
    // 100 ticks: 30 user, 10 system, 60 idle.
    EXPECT_DOUBLE_EQ(w.cpu_busy.value(), 0.40);
    // 3000000 of 8000000 kB available at the later sample.
    EXPECT_DOUBLE_EQ(w.memory_used.value(), 0.625);
    // eth0: 1900 packets, 10 receive errors and 90 transmit drops; lo's
    // errors do not count.
    EXPECT_DOUBLE_EQ(w.network_errors.value(), 100.0 / 2000.0);
    // dm-3: 400 I/Os in 2000 ms of ticks, busy 1000 of 2000 ms.
    EXPECT_EQ(*w.disk(dm3), (DiskWindow{0.5, 5.0}));
    // nbd0 (an 11-field stat): 100 I/Os in 200 ms, busy 1800 of 2000 ms.
    EXPECT_EQ(*w.disk(nbd0), (DiskWindow{0.9, 2.0}));
    EXPECT_EQ(w.disk({8, 0}), nullptr);

    const HealthInputs in = w.health_inputs(nbd0);
    EXPECT_EQ(in.cpu_busy, w.cpu_busy);
    EXPECT_EQ(in.memory_used, w.memory_used);
    EXPECT_EQ(in.network_errors, w.network_errors);
    EXPECT_EQ(in.disk_busy, 0.9);
    EXPECT_EQ(in.disk_latency_ms, 2.0);
    EXPECT_FALSE(in.leg_error_rate || in.probe_success || in.probe_latency_ms);
    const HealthInputs node_only = w.health_inputs();
    EXPECT_FALSE(node_only.disk_busy || node_only.disk_latency_ms);
    EXPECT_EQ(node_only.cpu_busy, w.cpu_busy);
}

TEST(NodeMetrics, WatchedInterfacesOnly) {
    const auto t0 = std::chrono::steady_clock::time_point{};
    const NodeSample before = read_node_sample({before_root, {"eth1"}, {}}, t0);
    const NodeSample after = read_node_sample({after_root, {"eth1"}, {}}, t0 + 1s);
    // eth1 carried no packet in the window: no evidence of errors.
    EXPECT_EQ(node_window(before, after).network_errors, 0.0);
    const NodeSample lo_before = read_node_sample({before_root, {"lo"}, {}}, t0);
    const NodeSample lo_after = read_node_sample({after_root, {"lo"}, {}}, t0 + 1s);
    // lo: 2000 packets, 1000 errors.
    EXPECT_DOUBLE_EQ(node_window(lo_before, lo_after).network_errors.value(), 1000.0 / 3000.0);
}

TEST(NodeMetrics, WhatCannotBeReadIsAProblemNotAValue) {
    const auto t0 = std::chrono::steady_clock::time_point{};
    const fs::path missing = fixtures / "missing";
    const NodeSample s = read_node_sample({missing, {"eth0"}, {dm3}}, t0);
    EXPECT_FALSE(s.cpu || s.memory || s.network);
    ASSERT_EQ(s.disks.size(), 1u);
    EXPECT_EQ(s.disks[0].second, std::nullopt);
    ASSERT_EQ(s.problems.size(), 4u);
    EXPECT_THAT(s.problems[0], HasSubstr("cannot read " + (missing / "proc/stat").string()));
    EXPECT_THAT(s.problems[3], HasSubstr("sys/dev/block/253:3/stat"));

    const NodeSample named = read_node_sample({before_root, {"eth0", "wlan0"}, {}}, t0);
    EXPECT_THAT(named.problems, ElementsAre("network interface wlan0 is not in /proc/net/dev"));
    EXPECT_EQ(named.network, (NetTotals{190000, 8}));

    const NodeWindow w = node_window(s, s);
    EXPECT_FALSE(w.cpu_busy || w.memory_used || w.network_errors);
    EXPECT_EQ(*w.disk(dm3), DiskWindow{});
}

TEST(NodeMetrics, DiskWindowCases) {
    struct Case {
        const char* what;
        DiskCounters before;
        DiskCounters after;
        double elapsed_s;
        DiskWindow expected;
    };
    const Case cases[] = {
        {"busy a quarter of the time", {100, 500, 0, 1000}, {150, 750, 1, 1500}, 2.0, {0.25, 5.0}},
        {"no I/O completed: latency unknown",
         {100, 500, 0, 1000},
         {100, 500, 0, 1000},
         1.0,
         {0.0, {}}},
        {"io_ticks over the window (rounding)", {0, 0, 0, 0}, {10, 10, 0, 1010}, 1.0, {1.0, 1.0}},
        {"counters went back: device re-created", {100, 500, 0, 1000}, {5, 20, 0, 10}, 1.0, {}},
        {"no time passed", {0, 0, 0, 0}, {10, 20, 0, 5}, 0.0, {{}, 2.0}},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.what);
        EXPECT_EQ(disk_window(c.before, c.after, c.elapsed_s), c.expected);
    }
}

TEST(NodeMetrics, CountersGoingBackMakeTheValueUnknown) {
    const auto t0 = std::chrono::steady_clock::time_point{};
    NodeSample before, after;
    before.at = t0;
    after.at = t0 + 1s;
    before.network = NetTotals{1000, 10};
    after.network = NetTotals{50, 0}; // interface reset
    before.cpu = CpuSample{100, 0, 0, 100};
    after.cpu = CpuSample{10, 0, 0, 10}; // not in order
    EXPECT_EQ(node_window(before, after).network_errors, std::nullopt);
    EXPECT_EQ(node_window(before, after).cpu_busy, std::nullopt);
    // A disk only in the later sample has no window yet.
    after.disks.emplace_back(dm3, DiskCounters{10, 10, 0, 10});
    EXPECT_EQ(*node_window(before, after).disk(dm3), DiskWindow{});
}

TEST(NodeMetrics, SamplerKeepsThePreviousSample) {
    TempDir root;
    fs::copy(before_root, root.path(),
             fs::copy_options::recursive | fs::copy_options::copy_symlinks);
    NodeSampler sampler({root.path(), {}, {dm3}});
    const auto t0 = std::chrono::steady_clock::time_point{} + 10s;
    EXPECT_EQ(sampler.sample(t0), std::nullopt);
    EXPECT_THAT(sampler.problems(), ElementsAre());

    // The counters move on: the later files over the earlier ones.
    for (const fs::directory_entry& e : fs::recursive_directory_iterator(after_root))
        if (e.is_regular_file() && !e.is_symlink())
            fs::copy_file(e.path(), root.path() / fs::relative(e.path(), after_root),
                          fs::copy_options::overwrite_existing);
    fs::remove(root.path() / "proc/meminfo");
    const auto w = sampler.sample(t0 + 4s);
    ASSERT_TRUE(w);
    EXPECT_DOUBLE_EQ(w->cpu_busy.value(), 0.40);
    EXPECT_EQ(w->memory_used, std::nullopt);
    EXPECT_EQ(*w->disk(dm3), (DiskWindow{0.25, 5.0})); // 1000 ms busy in 4 s
    ASSERT_EQ(sampler.problems().size(), 1u);
    EXPECT_THAT(sampler.problems()[0], HasSubstr("proc/meminfo"));

    // New sources start over.
    sampler.set_sources({root.path(), {}, {}});
    EXPECT_EQ(sampler.sample(t0 + 5s), std::nullopt);
    const auto again = sampler.sample(t0 + 6s);
    ASSERT_TRUE(again);
    EXPECT_TRUE(again->disks.empty());
    EXPECT_EQ(again->cpu_busy, 0.0); // no tick between the last two samples
}

TEST(NodeMetrics, LegErrorRateFromTwoPolls) {
    struct Case {
        const char* what;
        LegStatus before;
        LegStatus after;
        std::optional<double> expected;
    };
    auto leg = [](std::uint64_t reads, std::uint64_t writes, std::uint64_t read_errors,
                  std::uint64_t write_errors) {
        LegStatus s;
        s.reads = reads;
        s.writes = writes;
        s.read_errors = read_errors;
        s.write_errors = write_errors;
        return s;
    };
    const Case cases[] = {
        {"2 of 200 bios failed", leg(100, 100, 1, 0), leg(200, 200, 2, 1), 0.01},
        {"no error", leg(0, 0, 0, 0), leg(50, 50, 0, 0), 0.0},
        {"idle leg", leg(10, 10, 1, 1), leg(10, 10, 1, 1), std::nullopt},
        {"stats reset", leg(1000, 1000, 5, 5), leg(10, 10, 0, 0), std::nullopt},
        {"errors without new bios counted", leg(10, 0, 0, 0), leg(11, 0, 3, 0), 1.0},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.what);
        EXPECT_EQ(leg_error_rate(c.before, c.after), c.expected);
    }
}

TEST(NodeMetrics, ProbeSummaryIntoInputs) {
    HealthInputs in;
    set_probe_inputs(in, ProbeSummary{4, 3, 0.75, 42.0});
    EXPECT_EQ(in.probe_success, 0.75);
    EXPECT_EQ(in.probe_latency_ms, 42.0);
    set_probe_inputs(in, ProbeSummary{});
    EXPECT_FALSE(in.probe_success || in.probe_latency_ms);
}
