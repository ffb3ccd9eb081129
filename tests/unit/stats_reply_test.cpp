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
