// The scheduler lines of the stats reply.
#include "tandem/errors.h"
#include "tandem/stats_reply.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace tandem;
using ::testing::HasSubstr;

namespace {

constexpr const char* zeros = "0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0";

// A whole reply as the target writes it: two legs, the scheduler at queue
// depth 64, test limited with its latencies mostly in [1, 2) ms.
const std::string golden_reply =
    "leg 0 state A weight 100 reads 10 writes 20 read_errors 0 write_errors 0\n"
    "leg 1 state A weight 0 reads 0 writes 20 read_errors 0 write_errors 0\n"
    "read_retries 0\n"
    "queue_depth 64 in_flight 12\n"
    "class critical weight 200 iops_limit 0 bw_limit 0 bios 1000 kib 4000 queued 0 waited 7 "
    "throttled 0 p50_us 256 p99_us 1024 lat_us 0,0,0,0,0,0,0,600,380,20,0,0,0,0,0,0,0,0,0,0,0,0,0,"
    "0\n"
    "class production weight 100 iops_limit 0 bw_limit 0 bios 0 kib 0 queued 0 waited 0 "
    "throttled 0 p50_us 0 p99_us 0 lat_us " +
    std::string(zeros) +
    "\n"
    "class test weight 50 iops_limit 500 bw_limit 10240 bios 800 kib 3200 queued 9 waited 120 "
    "throttled 77 p50_us 2048 p99_us 65536 lat_us 0,0,0,0,0,0,0,0,0,0,700,90,0,0,0,9,1,0,0,0,0,0,0,"
    "0\n";

std::string parse_error(std::string_view reply) {
    try {
        parse_scheduler_stats(reply);
    } catch (const ParseError& e) {
        return e.what();
    }
    return "(accepted)";
}

std::string class_line(const std::string& rest) {
    return "queue_depth 0 in_flight 0\nclass test " + rest + "\n";
}

constexpr const char* good_fields = "weight 50 iops_limit 0 bw_limit 0 bios 0 kib 0 queued 0 "
                                    "waited 0 throttled 0 p50_us 0 p99_us 0 lat_us ";

} // namespace

TEST(StatsReply, GoldenReply) {
    auto stats = parse_scheduler_stats(golden_reply);
    ASSERT_TRUE(stats.has_value());
    EXPECT_EQ(stats->queue_depth, 64u);
    EXPECT_EQ(stats->in_flight, 12u);
    ASSERT_EQ(stats->classes.size(), 3u);

    const ClassStats& critical = stats->classes[0];
    EXPECT_EQ(critical.status,
              (ClassStatus{"critical", 200, 0, 0, 1000, 4000, 0, 7, 0, 256, 1024}));
    EXPECT_EQ(critical.latency.buckets[7], 600u);
    EXPECT_EQ(critical.latency.total(), 1000u);
    // The percentiles of the histogram are those the target reported.
    EXPECT_EQ(percentile_us(critical.latency, 50), critical.status.p50_us);
    EXPECT_EQ(percentile_us(critical.latency, 99), critical.status.p99_us);

    EXPECT_EQ(stats->classes[1].status.name, "production");
    EXPECT_EQ(stats->classes[1].latency.total(), 0u);

    const ClassStats& test = stats->classes[2];
    EXPECT_EQ(test.status.iops_limit, 500u);
    EXPECT_EQ(test.status.bw_limit, 10240u);
    EXPECT_EQ(test.status.queued, 9u);
    EXPECT_EQ(test.status.throttled, 77u);
    EXPECT_EQ(percentile_us(test.latency, 50), test.status.p50_us);
    EXPECT_EQ(percentile_us(test.latency, 99), test.status.p99_us);
}

TEST(StatsReply, ModuleWithoutTheScheduler) {
    EXPECT_FALSE(parse_scheduler_stats("leg 0 state A weight 100 reads 1 writes 2 read_errors 0 "
                                       "write_errors 0\nread_retries 0\n")
                     .has_value());
    EXPECT_FALSE(parse_scheduler_stats("").has_value());
}

TEST(StatsReply, SchedulerWithNoClassLinesAndNewerFields) {
    auto stats = parse_scheduler_stats("queue_depth 0 in_flight 0 burst 3\n");
    ASSERT_TRUE(stats.has_value());
    EXPECT_EQ(stats->queue_depth, 0u);
    EXPECT_TRUE(stats->classes.empty());
    auto newer = parse_scheduler_stats(class_line(std::string(good_fields) + zeros + " ewma_us 5"));
    ASSERT_TRUE(newer.has_value());
    EXPECT_EQ(newer->classes.at(0).status.weight, 50u);
}

TEST(StatsReply, RejectsMalformedLines) {
    EXPECT_EQ(parse_error("queue_depth 4097 in_flight 0"),
              "stats line 1 field 2 (queue_depth): expected an integer 0..4096, got '4097'");
    EXPECT_EQ(parse_error("queue_depth 64 inflight 0"),
              "stats line 1 field 3 (in_flight): expected 'in_flight', got 'inflight'");
    EXPECT_EQ(parse_error("queue_depth 64"), "stats line 1: line ends before field 3 (in_flight)");
    EXPECT_EQ(parse_error("queue_depth 1 in_flight 0\nqueue_depth 1 in_flight 0"),
              "stats line 2: a second queue_depth line");
    EXPECT_EQ(parse_error("class test " + std::string(good_fields) + zeros),
              "stats: class lines but no 'queue_depth <n> in_flight <n>' line");
    EXPECT_EQ(parse_error(class_line("weight 1001")),
              "stats line 2 field 4 (weight): expected an integer 0..1000, got '1001'");
    EXPECT_EQ(parse_error(class_line("weight 50 iops_limit 0 bw_limit 0 bios 0 kib 0 queued 0")),
              "stats line 2: line ends before field 15 (waited)");
    EXPECT_EQ(parse_error(class_line("weight 50 bw_limit 0")),
              "stats line 2 field 5 (iops_limit): expected 'iops_limit', got 'bw_limit'");
    EXPECT_EQ(parse_error(class_line("weight 50 iops_limit 10000001")),
              "stats line 2 field 6 (iops_limit): expected an integer 0..10000000, got "
              "'10000001'");
    EXPECT_EQ(parse_error(class_line(std::string(good_fields) + "1,2,3")),
              "stats line 2 field 24 (lat_us): expected 24 buckets, got 3 in '1,2,3'");
    EXPECT_EQ(parse_error(class_line(std::string(good_fields))),
              "stats line 2: line ends before field 24 (lat_us)");
    EXPECT_EQ(parse_error("queue_depth 0 in_flight 0\nclass Test weight 1"),
              "stats line 2 field 2 (name): class name 'Test' must start with a lowercase letter "
              "a-z");
    const std::string line = "class test " + std::string(good_fields) + zeros + "\n";
    EXPECT_EQ(parse_error("queue_depth 0 in_flight 0\n" + line + line),
              "stats line 3 field 2 (name): class 'test' appears twice");
}

// --- the shadow ------------------------------------------------------------------

namespace {

// The shadow lines of a reply as the target writes them: a gate shadow,
// read latencies in [256, 512) us on production and [64, 128) us on the
// shadow, three mismatching reads.
std::string shadow_op_line(const std::string& op, const std::string& side,
                           const std::string& figures, const std::string& histogram = zeros) {
    return "shadow_op " + op + " side " + side + " " + figures + " lat_us " + histogram + "\n";
}

const std::string shadow_line =
    "shadow dev 253:2 mode gate sample 1 pool_kib 8192 pool_used_kib 64 "
    "dropped 5 gate_failures 2 compared 100 mismatches 3 confined 1 "
    "confined_errors 0\n";

std::string quiet_ops(const std::vector<std::string>& ops) {
    std::string out;
    for (const std::string& op : ops)
        out += shadow_op_line(op, "production", "count 0 errors 0 p50_us 0 p99_us 0") +
               shadow_op_line(op, "shadow", "count 0 errors 0 p50_us 0 p99_us 0");
    return out;
}

const std::string golden_shadow_reply =
    golden_reply + shadow_line +
    shadow_op_line("read", "production", "count 100 errors 0 p50_us 512 p99_us 512",
                   "0,0,0,0,0,0,0,0,100,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0") +
    shadow_op_line("read", "shadow", "count 100 errors 1 p50_us 128 p99_us 128",
                   "0,0,0,0,0,0,100,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0") +
    quiet_ops({"write", "flush", "discard"}) + "shadow_mismatch_sectors 80,88,96\n";

std::string shadow_error(std::string_view reply) {
    try {
        parse_shadow_stats(reply);
    } catch (const ParseError& e) {
        return e.what();
    }
    return "(accepted)";
}

} // namespace

TEST(ShadowStatsReply, GoldenReply) {
    auto stats = parse_shadow_stats(golden_shadow_reply);
    ASSERT_TRUE(stats.has_value());
    const ShadowStatus& sh = stats->status;
    EXPECT_EQ(sh.device, "253:2");
    EXPECT_EQ(sh.mode, ShadowMode::gate);
    EXPECT_EQ(sh.mode_word, "gate");
    EXPECT_EQ(sh.sample, 1u);
    EXPECT_EQ(sh.pool_kib, 8192u);
    EXPECT_EQ(sh.pool_used_kib, 64u);
    EXPECT_EQ(sh.dropped, 5u);
    EXPECT_EQ(sh.gate_failures, 2u);
    EXPECT_EQ(sh.compared, 100u);
    EXPECT_EQ(sh.mismatches, 3u);
    EXPECT_EQ(sh.confined, 1u);
    EXPECT_EQ(sh.confined_errors, 0u);

    ASSERT_EQ(stats->ops.size(), 4u);
    const ShadowOpStats& read = stats->ops[0];
    EXPECT_EQ(read.op, "read");
    EXPECT_EQ(read.production.count, 100u);
    EXPECT_EQ(read.production.p50_us, 512u);
    EXPECT_EQ(read.shadow.errors, 1u);
    EXPECT_EQ(read.shadow.latency.buckets[6], 100u);
    // The percentiles of the histograms are those the target reported.
    EXPECT_EQ(percentile_us(read.production.latency, 99), read.production.p99_us);
    EXPECT_EQ(percentile_us(read.shadow.latency, 50), read.shadow.p50_us);
    EXPECT_EQ(stats->find_op("discard"), &stats->ops[3]);
    EXPECT_EQ(stats->find_op("zone"), nullptr);

    // The figures the status line has.
    ASSERT_EQ(sh.ops.size(), 4u);
    EXPECT_EQ(sh.ops[0], (ShadowOpStatus{"read", {100, 0, 512}, {100, 1, 128}}));
    EXPECT_EQ(sh.ops[3], (ShadowOpStatus{"discard", {}, {}}));
    EXPECT_EQ(stats->mismatch_sectors, (std::vector<std::uint64_t>{80, 88, 96}));

    // The scheduler's part of the same reply still parses.
    EXPECT_EQ(parse_scheduler_stats(golden_shadow_reply)->classes.size(), 3u);
}

TEST(ShadowStatsReply, NoShadowLines) {
    EXPECT_FALSE(parse_shadow_stats(golden_reply).has_value());
    EXPECT_FALSE(parse_shadow_stats("").has_value());
}

TEST(ShadowStatsReply, NoMismatchesAndNewerFields) {
    auto stats = parse_shadow_stats(
        "shadow dev 8:16 mode mirror sample 0 pool_kib 0 pool_used_kib 0 dropped 0 "
        "gate_failures 0 compared 0 mismatches 0 confined 0 confined_errors 0 burst 4\n" +
        quiet_ops({"read", "write", "flush", "discard", "zone"}) + "shadow_mismatch_sectors\n");
    ASSERT_TRUE(stats.has_value());
    EXPECT_EQ(stats->status.mode, ShadowMode::unknown);
    EXPECT_EQ(stats->status.mode_word, "mirror");
    EXPECT_EQ(stats->ops.size(), 5u);
    EXPECT_TRUE(stats->mismatch_sectors.empty());
    // Without a shadow_mismatch_sectors line at all, too.
    EXPECT_TRUE(parse_shadow_stats(shadow_line + quiet_ops({"read", "write", "flush", "discard"}))
                    ->mismatch_sectors.empty());
}

TEST(ShadowStatsReply, RejectsMalformedLines) {
    const std::string ops = quiet_ops({"read", "write", "flush", "discard"});
    EXPECT_EQ(shadow_error(shadow_line + shadow_line + ops), "stats line 2: a second shadow line");
    EXPECT_EQ(shadow_error(ops), "stats: shadow_op or shadow_mismatch_sectors lines but no shadow "
                                 "line");
    EXPECT_EQ(shadow_error("shadow_mismatch_sectors 8\n"),
              "stats: shadow_op or shadow_mismatch_sectors lines but no shadow line");
    EXPECT_EQ(shadow_error("shadow dev - mode async"),
              "stats line 1 field 3 (dev): a shadow line names its device, got '-'");
    EXPECT_EQ(shadow_error("shadow device 253:2"),
              "stats line 1 field 2 (dev): expected 'dev', got 'device'");
    EXPECT_EQ(shadow_error("shadow dev 253:2 mode async sample 1000001"),
              "stats line 1 field 7 (sample): expected an integer 0..1000000, got '1000001'");
    EXPECT_EQ(shadow_error("shadow dev 253:2 mode async sample 1 pool_kib 4194305"),
              "stats line 1 field 9 (pool_kib): expected an integer 0..4194304, got '4194305'");
    EXPECT_EQ(shadow_error("shadow dev 253:2 mode async sample 1 pool_kib 8 pool_used_kib 0"),
              "stats line 1: line ends before field 12 (dropped)");
    EXPECT_EQ(shadow_error(shadow_line), "stats: no shadow_op line for read");
    EXPECT_EQ(shadow_error(shadow_line + quiet_ops({"read", "write", "flush"})),
              "stats: no shadow_op line for discard");
    EXPECT_EQ(shadow_error(shadow_line + ops +
                           shadow_op_line("read", "shadow", "count 0 errors 0 p50_us 0 p99_us 0")),
              "stats line 10 field 4 (side): read side shadow appears twice");
    EXPECT_EQ(
        shadow_error(shadow_line + quiet_ops({"read", "write", "flush"}) +
                     shadow_op_line("discard", "production", "count 0 errors 0 p50_us 0 p99_us 0")),
        "stats: no shadow_op line for discard side shadow");
    EXPECT_EQ(shadow_error(shadow_line +
                           shadow_op_line("read", "prod", "count 0 errors 0 p50_us 0 p99_us 0")),
              "stats line 2 field 4 (side): expected production or shadow, got 'prod'");
    EXPECT_EQ(shadow_error(shadow_line +
                           shadow_op_line("Read", "shadow", "count 0 errors 0 p50_us 0 p99_us 0")),
              "stats line 2 field 2 (op): expected an operation such as read, got 'Read'");
    EXPECT_EQ(shadow_error(shadow_line + shadow_op_line("read", "shadow", "count 0 errors x")),
              "stats line 2 field 8 (errors): expected an integer 0..18446744073709551615, got "
              "'x'");
    EXPECT_EQ(
        shadow_error(shadow_line + shadow_op_line("read", "shadow",
                                                  "count 0 errors 0 p50_us 0 p99_us 0", "1,2,3")),
        "stats line 2 field 14 (lat_us): expected 24 buckets, got 3 in '1,2,3'");
    EXPECT_EQ(shadow_error(shadow_line + ops + "shadow_mismatch_sectors 80,,96\n"),
              "stats line 10 field 2 (sectors): expected sectors separated by commas, got "
              "'80,,96'");
    EXPECT_EQ(
        shadow_error(shadow_line + ops + "shadow_mismatch_sectors 8\nshadow_mismatch_sectors\n"),
        "stats line 11: a second shadow_mismatch_sectors line");
}
