// parse_status / format_status against golden status lines.
#include "tandem/errors.h"
#include "tandem/status.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace tandem;
using ::testing::HasSubstr;

namespace {

// What the version 1 target prints for two legs, leg 1 failed.
constexpr const char* golden_v1 = "1 2 AD 70 30 120 40 0 0 80 40 3 1 2";

} // namespace

TEST(StatusCodec, GoldenVersion1TwoLegs) {
    Status st = parse_status(golden_v1);
    EXPECT_EQ(st.version, 1u);
    ASSERT_EQ(st.legs.size(), 2u);

    EXPECT_EQ(st.legs[0].state, LegState::alive);
    EXPECT_EQ(st.legs[0].state_letter, 'A');
    EXPECT_EQ(st.legs[0].weight, 70u);
    EXPECT_EQ(st.legs[0].reads, 120u);
    EXPECT_EQ(st.legs[0].writes, 40u);
    EXPECT_EQ(st.legs[0].read_errors, 0u);
    EXPECT_EQ(st.legs[0].write_errors, 0u);

    EXPECT_EQ(st.legs[1].state, LegState::dead);
    EXPECT_EQ(st.legs[1].state_letter, 'D');
    EXPECT_EQ(st.legs[1].weight, 30u);
    EXPECT_EQ(st.legs[1].reads, 80u);
    EXPECT_EQ(st.legs[1].writes, 40u);
    EXPECT_EQ(st.legs[1].read_errors, 3u);
    EXPECT_EQ(st.legs[1].write_errors, 1u);

    EXPECT_EQ(st.read_retries, 2u);
    EXPECT_TRUE(st.extra_fields.empty());
}

TEST(StatusCodec, DocsExampleFreshDevice) {
    // docs/target.md, "Examples": a new device with reads split 70/30.
    Status st = parse_status("1 2 AA 70 30 0 0 0 0 0 0 0 0 0");
    ASSERT_EQ(st.legs.size(), 2u);
    EXPECT_EQ(st.legs[0].state, LegState::alive);
    EXPECT_EQ(st.legs[1].state, LegState::alive);
    EXPECT_EQ(st.legs[0].weight, 70u);
    EXPECT_EQ(st.legs[1].weight, 30u);
    EXPECT_EQ(st.legs[1].reads, 0u);
    EXPECT_EQ(st.read_retries, 0u);
}

TEST(StatusCodec, GoldenVersion1FourLegs) {
    Status st = parse_status("1 4 AADA 40 30 0 30 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17");
    ASSERT_EQ(st.legs.size(), 4u);
    EXPECT_EQ(st.legs[2].state, LegState::dead);
    EXPECT_EQ(st.legs[2].weight, 0u);
    EXPECT_EQ(st.legs[3].weight, 30u);
    EXPECT_EQ(st.legs[3].reads, 13u);
    EXPECT_EQ(st.legs[3].write_errors, 16u);
    EXPECT_EQ(st.read_retries, 17u);
}

TEST(StatusCodec, FreshDeviceAllZero) {
    Status st = parse_status("1 2 AA 100 0 0 0 0 0 0 0 0 0 0");
    EXPECT_EQ(st.legs[0].weight, 100u);
    EXPECT_EQ(st.legs[1].weight, 0u);
    EXPECT_EQ(st.read_retries, 0u);
}

TEST(StatusCodec, ToleratesSurroundingAndRepeatedBlanks) {
    EXPECT_EQ(parse_status("  1  2\tAD 70 30 120 40 0 0 80 40 3 1 2\n"), parse_status(golden_v1));
}

TEST(StatusCodec, LargestCountersAreExact) {
    Status st = parse_status("1 2 AA 50 50 18446744073709551615 0 0 0 0 0 0 0 0");
    EXPECT_EQ(st.legs[0].reads, UINT64_MAX);
}

TEST(StatusCodec, NewerVersionKeepsExtraFieldsAndUnknownStates) {
    // A hypothetical version 3: a new state letter ('s': syncing) and more
    // fields (sync progress, per-class figures) after the version 1 layout.
    Status st = parse_status("3 2 As 50 50 10 20 0 0 30 40 0 0 5 1024 2048 critical:7 test:0");
    EXPECT_EQ(st.version, 3u);
    ASSERT_EQ(st.legs.size(), 2u);
    EXPECT_EQ(st.legs[0].state, LegState::alive);
    EXPECT_EQ(st.legs[1].state, LegState::unknown);
    EXPECT_EQ(st.legs[1].state_letter, 's');
    EXPECT_EQ(st.legs[1].reads, 30u);
    EXPECT_EQ(st.read_retries, 5u);
    EXPECT_EQ(st.extra_fields, (std::vector<std::string>{"1024", "2048", "critical:7", "test:0"}));
}

TEST(StatusCodec, NewerVersionWithoutExtraFieldsIsAccepted) {
    EXPECT_EQ(parse_status("2 2 AA 50 50 0 0 0 0 0 0 0 0 0").version, 2u);
}

TEST(StatusCodecFormat, RoundTrips) {
    EXPECT_EQ(format_status(parse_status(golden_v1)), golden_v1);
    const std::string newer = "3 2 As 50 50 10 20 0 0 30 40 0 0 5 1024 x";
    EXPECT_EQ(format_status(parse_status(newer)), newer);
}

TEST(LegStateNames, AreReadable) {
    EXPECT_EQ(to_string(LegState::alive), "alive");
    EXPECT_EQ(to_string(LegState::dead), "dead");
    EXPECT_EQ(to_string(LegState::unknown), "unknown");
    EXPECT_EQ(leg_state_from_letter('A'), LegState::alive);
    EXPECT_EQ(leg_state_from_letter('D'), LegState::dead);
    EXPECT_EQ(leg_state_from_letter('a'), LegState::unknown);
}

namespace {

struct Malformed {
    const char* line;
    const char* message; // a substring the error must contain
};

// Names each case in test output by its line.
void PrintTo(const Malformed& m, std::ostream* os) {
    *os << '"' << m.line << '"';
}

class StatusCodecRejects : public ::testing::TestWithParam<Malformed> {};

} // namespace

TEST_P(StatusCodecRejects, NamingTheField) {
    const Malformed& m = GetParam();
    try {
        parse_status(m.line);
        FAIL() << "accepted '" << m.line << "'";
    } catch (const ParseError& e) {
        EXPECT_THAT(e.what(), HasSubstr(m.message)) << "for '" << m.line << "'";
    }
}

INSTANTIATE_TEST_SUITE_P(
    Lines, StatusCodecRejects,
    ::testing::Values(
        Malformed{"", "status: line ends before field 1 (version)"},
        Malformed{"   \n", "line ends before field 1 (version)"},
        Malformed{"0 2 AA 50 50 0 0 0 0 0 0 0 0 0", "status field 1 (version)"},
        Malformed{"v1 2 AA 50 50 0 0 0 0 0 0 0 0 0", "status field 1 (version)"},
        Malformed{"1", "line ends before field 2 (#legs)"},
        Malformed{"1 1 A 100 0 0 0 0 0", "status field 2 (#legs): expected an integer 2..4"},
        Malformed{"1 5 AAAAA 20 20 20 20 20", "status field 2 (#legs)"},
        Malformed{"1 2", "line ends before field 3 (states)"},
        Malformed{"1 2 A 100 0 0 0 0 0 0 0 0 0 0", "status field 3 (states): expected 2 state"},
        Malformed{"1 2 AAA 100 0 0 0 0 0 0 0 0 0 0", "status field 3 (states)"},
        Malformed{"1 2 AX 50 50 0 0 0 0 0 0 0 0 0", "leg 1 has unknown state 'X'"},
        Malformed{"1 2 AA 70", "line ends before field 5 (weight of leg 1)"},
        Malformed{"1 2 AA 101 0 0 0 0 0 0 0 0 0 0", "status field 4 (weight of leg 0)"},
        Malformed{"1 2 AA 70 -30 0 0 0 0 0 0 0 0 0", "status field 5 (weight of leg 1)"},
        Malformed{"1 2 AA 70 30 1 2 3", "line ends before field 9 (write_errors of leg 0)"},
        Malformed{"1 2 AA 70 30 1 2 x 4 5 6 7 8 9", "status field 8 (read_errors of leg 0)"},
        Malformed{"1 2 AA 70 30 1 2 3 4 5 +6 7 8 9", "status field 11 (writes of leg 1)"},
        Malformed{"1 2 AA 70 30 1 2 3 4 5 6 7 8", "line ends before field 14 (read_retries)"},
        Malformed{"1 2 AA 70 30 18446744073709551616 0 0 0 0 0 0 0 0",
                  "status field 6 (reads of leg 0)"},
        Malformed{"1 2 AA 70 30 1 2 3 4 5 6 7 8 9 10",
                  "version 1 ends after field 14 (read_retries), but 1 more field(s) follow"}));
