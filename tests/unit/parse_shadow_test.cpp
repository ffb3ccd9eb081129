// The shadow's table features and messages (kernel/tandem-parse.c).
#include <gtest/gtest.h>

#include "kernel_words.h"

using tandem_test::expect_features_refused;
using tandem_test::expect_messages_refused;
using tandem_test::parse_features;
using tandem_test::parse_two_leg_msg;

namespace {

TEST(ShadowTable, DeviceModeSampleAndPool) {
    tandem_table_args a;
    ASSERT_EQ(
        parse_features("8 shadow /dev/snap shadow_mode gate shadow_sample 10 shadow_pool 1024", a),
        0);
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
    ASSERT_EQ(parse_features("2 shadow /dev/snap", a), 0);
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
    expect_features_refused({
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
    });
}

TEST(ShadowMessage, OnOffSamplePoolMode) {
    tandem_msg m;
    ASSERT_EQ(parse_two_leg_msg("shadow on", m), 0);
    EXPECT_EQ(m.verb, TANDEM_VERB_SHADOW_ON);
    ASSERT_EQ(parse_two_leg_msg("shadow off", m), 0);
    EXPECT_EQ(m.verb, TANDEM_VERB_SHADOW_OFF);
    ASSERT_EQ(parse_two_leg_msg("shadow sample 100", m), 0);
    EXPECT_EQ(m.verb, TANDEM_VERB_SHADOW_SAMPLE);
    EXPECT_EQ(m.shadow_sample, 100u);
    ASSERT_EQ(parse_two_leg_msg("shadow pool 64", m), 0);
    EXPECT_EQ(m.verb, TANDEM_VERB_SHADOW_POOL);
    EXPECT_EQ(m.shadow_pool, 64u);
    ASSERT_EQ(parse_two_leg_msg("shadow_mode sync", m), 0);
    EXPECT_EQ(m.verb, TANDEM_VERB_SHADOW_MODE);
    EXPECT_EQ(m.shadow_mode, static_cast<u32>(TANDEM_SHADOW_MODE_SYNC));
}

TEST(ShadowMessage, RefusesBadMessages) {
    const char* usage = "shadow expects on, off, sample <n> or pool <KiB>";
    expect_messages_refused({
        {"shadow", usage},
        {"shadow maybe", usage},
        {"shadow on now", usage},
        {"shadow sample", usage},
        {"shadow sample x", "Invalid shadow sample: must be 0..1000000 (1 in n bios; 0 off)"},
        {"shadow pool -1", "Invalid shadow pool: must be 0..4194304 KiB"},
        {"shadow_mode", "shadow_mode expects async, sync or gate"},
        {"shadow_mode async sync", "shadow_mode expects async, sync or gate"},
        {"shadow_mode later", "Invalid shadow mode: must be async, sync or gate"},
    });
}

} // namespace
