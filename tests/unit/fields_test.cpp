// The strict number reader and the field splitter shared by the codecs.
#include "tandem/fields.h"
#include "tandem/limits.h"

#include <gtest/gtest.h>

using namespace tandem;

TEST(UintField, AcceptsPlainDecimal) {
    EXPECT_EQ(parse_uint("0"), 0u);
    EXPECT_EQ(parse_uint("100", 100), 100u);
    EXPECT_EQ(parse_uint("007"), 7u);
    EXPECT_EQ(parse_uint("18446744073709551615"), UINT64_MAX);
}

TEST(UintField, RejectsEverythingElse) {
    for (const char* bad :
         {"", "-1", "+1", " 1", "1 ", "1k", "0x10", "1.0", "18446744073709551616"})
        EXPECT_FALSE(parse_uint(bad).has_value()) << "'" << bad << "'";
    EXPECT_FALSE(parse_uint("101", 100).has_value());
}

TEST(SplitFields, SplitsOnAnyBlankRun) {
    EXPECT_EQ(split_fields(" a\tb  c\n"), (std::vector<std::string_view>{"a", "b", "c"}));
    EXPECT_TRUE(split_fields("").empty());
    EXPECT_TRUE(split_fields(" \t\n").empty());
}

TEST(Limits, RegionSectorsArePowersOfTwoInRange) {
    EXPECT_TRUE(valid_region_sectors(8));
    EXPECT_TRUE(valid_region_sectors(1024));
    EXPECT_TRUE(valid_region_sectors(1u << 21));
    EXPECT_FALSE(valid_region_sectors(0));
    EXPECT_FALSE(valid_region_sectors(4));
    EXPECT_FALSE(valid_region_sectors(1000));
    EXPECT_FALSE(valid_region_sectors(1u << 22));
}

TEST(Limits, DeviceNames) {
    EXPECT_EQ(device_name_problem("tandem0"), "");
    EXPECT_EQ(device_name_problem("vg-lv_1.x"), "");
    EXPECT_NE(device_name_problem(""), "");
    EXPECT_NE(device_name_problem("a/b"), "");
    EXPECT_NE(device_name_problem(".."), "");
    EXPECT_NE(device_name_problem("a b"), "");
    EXPECT_NE(device_name_problem(std::string(128, 'x')), "");
    EXPECT_EQ(device_name_problem(std::string(127, 'x')), "");
}
