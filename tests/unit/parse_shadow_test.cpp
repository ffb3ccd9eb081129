// The shadow's table features and messages (kernel/tandem-parse.c).
#include <gtest/gtest.h>

#include "kernel_words.h"

namespace {

int table(const std::string& features, tandem_table_args& out, std::string* error = nullptr) {
    return tandem_test::parse_table("- 1024 2 /dev/a /dev/b " + features, out, error);
}

int message(const std::string& line, tandem_msg& out, std::string* error = nullptr) {
    return tandem_test::parse_msg(line, 2, out, error);
}

TEST(ShadowTable, DeviceModeSampleAndPool) {
    tandem_table_args a;
    ASSERT_EQ(table("8 shadow /dev/snap shadow_mode gate shadow_sample 10 shadow_pool 1024", a), 0);
    EXPECT_STREQ(a.shadow_dev, "/dev/snap");
    EXPECT_TRUE(a.has_shadow_mode);
    EXPECT_EQ(a.shadow_mode, static_cast<u32>(TANDEM_SHADOW_MODE_GATE));
    EXPECT_TRUE(a.has_shadow_sample);
    EXPECT_EQ(a.shadow_sample, 10u);
    EXPECT_TRUE(a.has_shadow_pool);
    EXPECT_EQ(a.shadow_pool, 1024u);
}

TEST(ShadowTable, DefaultsWhenOnlyTheDeviceIsGiven) {
    tandem_table_args a;
    ASSERT_EQ(table("2 shadow /dev/snap", a), 0);
    EXPECT_FALSE(a.has_shadow_mode);
    EXPECT_FALSE(a.has_shadow_sample);
    EXPECT_FALSE(a.has_shadow_pool);
}

TEST(ShadowTable, ModeNames) {
    EXPECT_STREQ(tandem_shadow_mode_name(TANDEM_SHADOW_MODE_ASYNC), "async");
    EXPECT_STREQ(tandem_shadow_mode_name(TANDEM_SHADOW_MODE_SYNC), "sync");
    EXPECT_STREQ(tandem_shadow_mode_name(TANDEM_SHADOW_MODE_GATE), "gate");
    EXPECT_STREQ(tandem_shadow_mode_name(TANDEM_SHADOW_MODE_NONE), "?");
}

TEST(ShadowTable, RefusesBadFeatures) {
    struct Case {
        const char* features;
        const char* error;
    };
    const Case cases[] = {
        {"1 shadow", "shadow needs a device"},
        {"2 shadow -", "shadow needs a device"},
        {"4 shadow /dev/x shadow /dev/y", "Duplicate feature: shadow"},
        {"4 shadow /dev/x shadow_mode fast", "Invalid shadow mode: must be async, sync or gate"},
        {"4 shadow /dev/x shadow_sample 1000001",
         "Invalid shadow sample: must be 0..1000000 (1 in n bios; 0 off)"},
        {"4 shadow /dev/x shadow_pool 4194305", "Invalid shadow pool: must be 0..4194304 KiB"},
        {"6 shadow /dev/x shadow_mode sync shadow_mode gate", "Duplicate feature: shadow_mode"},
        {"2 shadow_mode sync", "shadow_mode, shadow_sample and shadow_pool need a shadow device"},
        {"2 shadow_sample 4", "shadow_mode, shadow_sample and shadow_pool need a shadow device"},
    };
    for (const auto& c : cases) {
        tandem_table_args a;
        std::string error;
        EXPECT_EQ(table(c.features, a, &error), -EINVAL) << c.features;
        EXPECT_EQ(error, c.error) << c.features;
    }
}

TEST(ShadowMessage, OnOffSamplePoolMode) {
    tandem_msg m;
    ASSERT_EQ(message("shadow on", m), 0);
    EXPECT_EQ(m.verb, TANDEM_VERB_SHADOW_ON);
    ASSERT_EQ(message("shadow off", m), 0);
    EXPECT_EQ(m.verb, TANDEM_VERB_SHADOW_OFF);
    ASSERT_EQ(message("shadow sample 100", m), 0);
    EXPECT_EQ(m.verb, TANDEM_VERB_SHADOW_SAMPLE);
    EXPECT_EQ(m.shadow_sample, 100u);
    ASSERT_EQ(message("shadow pool 64", m), 0);
    EXPECT_EQ(m.verb, TANDEM_VERB_SHADOW_POOL);
    EXPECT_EQ(m.shadow_pool, 64u);
    ASSERT_EQ(message("shadow_mode sync", m), 0);
    EXPECT_EQ(m.verb, TANDEM_VERB_SHADOW_MODE);
    EXPECT_EQ(m.shadow_mode, static_cast<u32>(TANDEM_SHADOW_MODE_SYNC));
}

TEST(ShadowMessage, RefusesBadMessages) {
    const char* usage = "shadow expects on, off, sample <n> or pool <KiB>";
    struct Case {
        const char* line;
        const char* error;
    };
    const Case cases[] = {
        {"shadow", usage},
        {"shadow maybe", usage},
        {"shadow on now", usage},
        {"shadow sample", usage},
        {"shadow sample x", "Invalid shadow sample: must be 0..1000000 (1 in n bios; 0 off)"},
        {"shadow pool -1", "Invalid shadow pool: must be 0..4194304 KiB"},
        {"shadow_mode", "shadow_mode expects async, sync or gate"},
        {"shadow_mode async sync", "shadow_mode expects async, sync or gate"},
        {"shadow_mode later", "Invalid shadow mode: must be async, sync or gate"},
    };
    for (const auto& c : cases) {
        tandem_msg m;
        std::string error;
        EXPECT_EQ(message(c.line, m, &error), -EINVAL) << c.line;
        EXPECT_EQ(error, c.error) << c.line;
    }
}

} // namespace
