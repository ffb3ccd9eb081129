// The text a shadow guard keeps over a restart, written and read back.
#include "error_of.h"
#include "tandem/guard_memory.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace tandem;
using ::testing::HasSubstr;

namespace {

GuardMemory sample() {
    GuardMemory m;
    m.throttle_class = "test";
    m.saved = {500, 0};
    m.pushed = {100, 0};
    m.baselines = {{"write", AnomalySignal::shadow_p99, {16, 15000.123456789, 3000.5}},
                   {"write", AnomalySignal::shadow_p50, {16, 2048, 0}}};
    return m;
}

std::string parse_error(std::string_view text) {
    return tandem::testing::error_of([&] { parse_guard_memory(text); });
}

} // namespace

TEST(GuardMemory, Format) {
    EXPECT_EQ(format_guard_memory(sample()), "tandemd-guard 1\n"
                                             "throttle test saved 500 0 pushed 100 0\n"
                                             "baseline write shadow_p99 16 15000.123456789 3000.5\n"
                                             "baseline write shadow_p50 16 2048 0\n");
}

TEST(GuardMemory, ReadsBackWhatItWrote) {
    EXPECT_EQ(parse_guard_memory(format_guard_memory(sample())), sample());
    GuardMemory bare = sample();
    bare.baselines.clear();
    EXPECT_EQ(parse_guard_memory(format_guard_memory(bare)), bare);
}

TEST(GuardMemory, RefusesWhatItDidNotWrite) {
    const std::string head = "tandemd-guard 1\n";
    const std::string throttle = "throttle test saved 500 0 pushed 100 0\n";
    EXPECT_EQ(parse_error(""), "line 1: expected 'tandemd-guard 1'");
    EXPECT_EQ(parse_error("tandemd-guard 2\n" + throttle), "line 1: expected 'tandemd-guard 1'");
    EXPECT_EQ(parse_error(head), "line 1: no throttle line");
    EXPECT_EQ(parse_error(head + "throttle test\n"),
              "line 2: expected 'throttle <class> saved <iops> <bw_kib> pushed <iops> <bw_kib>', "
              "got 'throttle test'");
    EXPECT_THAT(parse_error(head + "throttle test saved 500 0 pushed -1 0\n"),
                HasSubstr("line 2: limits are whole numbers 0..4294967295"));
    EXPECT_EQ(parse_error(head + throttle + throttle), "line 3: a second throttle line");
    EXPECT_EQ(parse_error(head + throttle + "baseline write shadow_p99 16 1\n"),
              "line 3: expected 'baseline <op> <signal> <windows> <value_us> <deviation_us>', "
              "got 'baseline write shadow_p99 16 1'");
    EXPECT_EQ(parse_error(head + throttle + "baseline write error_rate 16 1 1\n"),
              "line 3: expected shadow_p99 or shadow_p50, got 'error_rate'");
    EXPECT_EQ(parse_error(head + throttle + "baseline write shadow_p99 0 1 1\n"),
              "line 3: windows: expected a whole number from 1, got '0'");
    EXPECT_EQ(parse_error(head + throttle + "baseline write shadow_p99 4 nan 1\n"),
              "line 3: latencies are numbers of microseconds from 0, got 'nan 1'");
    EXPECT_EQ(parse_error(head + throttle + "baseline write shadow_p99 4 100 -1\n"),
              "line 3: latencies are numbers of microseconds from 0, got '100 -1'");
    EXPECT_EQ(parse_error(head + throttle + "weights 60 40\n"),
              "line 3: expected a throttle or baseline line, got 'weights 60 40'");
}
