// The class scheduler's table features and messages (kernel/tandem-parse.c).
#include <gtest/gtest.h>

#include "kernel_words.h"

using tandem_test::expect_features_refused;
using tandem_test::expect_messages_refused;
using tandem_test::parse_features;
using tandem_test::parse_two_leg_msg;

namespace {

TEST(ClassTable, QueueDepthClassesAndRules) {
    tandem_table_args a;
    ASSERT_EQ(parse_features("16 queue_depth 32 class batch 10 300 2048 rule 2 critical cgroup=99 "
                             "rule 3 batch op=write size=0-4096",
                             a),
              0);
    EXPECT_TRUE(a.has_queue_depth);
    EXPECT_EQ(a.queue_depth, 32u);
    ASSERT_EQ(a.nr_classes, 1u);
    EXPECT_STREQ(a.classes[0].name, "batch");
    EXPECT_EQ(a.classes[0].weight, 10u);
    EXPECT_EQ(a.classes[0].iops_limit, 300u);
    EXPECT_EQ(a.classes[0].bw_limit, 2048u);
    ASSERT_EQ(a.nr_rules, 2u);
    EXPECT_STREQ(a.rules[0].class_name, "critical");
    EXPECT_EQ(a.rules[0].cgroup, 99u);
    EXPECT_STREQ(a.rules[1].class_name, "batch");
    EXPECT_EQ(a.rules[1].size_max, 4096u);
}

TEST(ClassTable, RuleWithoutMatches) {
    tandem_table_args a;
    ASSERT_EQ(parse_features("3 rule 1 test", a), 0);
    ASSERT_EQ(a.nr_rules, 1u);
    EXPECT_EQ(a.rules[0].has, 0);
}

TEST(ClassTable, RefusesBadFeatures) {
    expect_features_refused({
        {"2 queue_depth 4097", "Invalid queue depth: must be 0..4096"},
        {"1 queue_depth", "Invalid queue depth: must be 0..4096"},
        {"4 queue_depth 1 queue_depth 2", "Duplicate feature: queue_depth"},
        {"4 class batch 10 0", "class needs a name, a weight, an iops and a bw limit"},
        {"5 class Batch 10 0 0",
         "Invalid class name: [a-z][a-z0-9_-]*, at most 15 characters, not add or remove"},
        {"5 class batch 1001 0 0", "Invalid class weight: must be 0..1000"},
        {"5 class batch 1 10000001 0", "Invalid iops limit: must be 0..10000000"},
        {"5 class batch 1 0 4294967296", "Invalid bw limit: must be 0..4294967295 KiB/s"},
        {"10 class batch 1 0 0 class batch 2 0 0", "Duplicate class"},
        {"2 rule 0", "rule needs a word count of 1..6"},
        {"2 rule 7", "rule needs a word count of 1..6"},
        {"4 rule 3 test op=read", "rule has fewer words than its count"},
        {"4 rule 2 test op=nope", "Invalid op match: each must be read, write, flush or discard"},
        {"4 rule 1 test bogus", "Unknown feature"},
    });
}

TEST(ClassTable, AtMost8ClassesAnd32Rules) {
    std::string classes;
    for (int i = 0; i < 9; i++)
        classes += " class c" + std::to_string(i) + " 1 0 0";
    tandem_table_args a;
    std::string error;
    EXPECT_EQ(parse_features(std::to_string(9 * 5) + classes, a, &error), -EINVAL);
    EXPECT_EQ(error, "Too many classes");

    std::string rules;
    for (int i = 0; i < 33; i++)
        rules += " rule 1 test";
    EXPECT_EQ(parse_features(std::to_string(33 * 3) + rules, a, &error), -EINVAL);
    EXPECT_EQ(error, "Too many rules");
    EXPECT_EQ(parse_features(std::to_string(32 * 3) + rules.substr(0, 32 * 12), a), 0);
    EXPECT_EQ(a.nr_rules, 32u);
}

TEST(ClassMessage, QueueDepth) {
    tandem_msg m;
    ASSERT_EQ(parse_two_leg_msg("queue_depth 8", m), 0);
    EXPECT_EQ(m.verb, TANDEM_VERB_QUEUE_DEPTH);
    EXPECT_EQ(m.queue_depth, 8u);
}

TEST(ClassMessage, AddRemoveWeightLimit) {
    tandem_msg m;
    ASSERT_EQ(parse_two_leg_msg("class add batch", m), 0);
    EXPECT_EQ(m.verb, TANDEM_VERB_CLASS_ADD);
    EXPECT_STREQ(m.cls.name, "batch");

    ASSERT_EQ(parse_two_leg_msg("class remove batch", m), 0);
    EXPECT_EQ(m.verb, TANDEM_VERB_CLASS_REMOVE);

    ASSERT_EQ(parse_two_leg_msg("class test weight 0", m), 0);
    EXPECT_EQ(m.verb, TANDEM_VERB_CLASS_WEIGHT);
    EXPECT_STREQ(m.cls.name, "test");
    EXPECT_EQ(m.cls.weight, 0u);

    ASSERT_EQ(parse_two_leg_msg("class test limit bw 2048", m), 0);
    EXPECT_EQ(m.verb, TANDEM_VERB_CLASS_LIMIT);
    EXPECT_FALSE(m.has_iops_limit);
    EXPECT_TRUE(m.has_bw_limit);
    EXPECT_EQ(m.cls.bw_limit, 2048u);

    ASSERT_EQ(parse_two_leg_msg("class test limit iops 300 bw 0", m), 0);
    EXPECT_TRUE(m.has_iops_limit);
    EXPECT_EQ(m.cls.iops_limit, 300u);
    EXPECT_TRUE(m.has_bw_limit);
    EXPECT_EQ(m.cls.bw_limit, 0u);
}

TEST(ClassMessage, Rules) {
    tandem_msg m;
    ASSERT_EQ(parse_two_leg_msg("rule add test ioprio=idle", m), 0);
    EXPECT_EQ(m.verb, TANDEM_VERB_RULE_ADD);
    EXPECT_STREQ(m.rule.class_name, "test");
    ASSERT_EQ(parse_two_leg_msg("rule del 3", m), 0);
    EXPECT_EQ(m.verb, TANDEM_VERB_RULE_DEL);
    EXPECT_EQ(m.rule_index, 3u);
    ASSERT_EQ(parse_two_leg_msg("rule clear", m), 0);
    EXPECT_EQ(m.verb, TANDEM_VERB_RULE_CLEAR);
    ASSERT_EQ(parse_two_leg_msg("rule list", m), 0);
    EXPECT_EQ(m.verb, TANDEM_VERB_RULE_LIST);
}

TEST(ClassMessage, RefusesBadMessages) {
    const char* class_usage =
        "class expects add <name>, remove <name>, <name> weight <n> or <name> limit ...";
    const char* limit_usage = "class limit expects iops <n>, bw <KiB/s> or both";
    const char* rule_usage = "rule expects add <class> [<match>...], del <index>, clear or list";
    expect_messages_refused({
        {"queue_depth", "queue_depth expects one depth"},
        {"queue_depth -1", "Invalid queue depth: must be 0..4096"},
        {"queue_depth 4097", "Invalid queue depth: must be 0..4096"},
        {"class", class_usage},
        {"class test", class_usage},
        {"class test colour red", class_usage},
        {"class add", class_usage},
        {"class add Batch",
         "Invalid class name: [a-z][a-z0-9_-]*, at most 15 characters, not add or remove"},
        {"class add abcdefghijklmnop",
         "Invalid class name: [a-z][a-z0-9_-]*, at most 15 characters, not add or remove"},
        {"class test weight", "class weight expects one weight"},
        {"class test weight 1001", "Invalid class weight: must be 0..1000"},
        {"class test weight -1", "Invalid class weight: must be 0..1000"},
        {"class test limit", limit_usage},
        {"class test limit iops", limit_usage},
        {"class test limit iops 1 iops 2",
         "class limit expects iops <n>, bw <KiB/s> or both, once each"},
        {"class test limit speed 1", "class limit expects iops <n>, bw <KiB/s> or both, once each"},
        {"class test limit iops 10000001", "Invalid iops limit: must be 0..10000000"},
        {"rule", rule_usage},
        {"rule add", rule_usage},
        {"rule del", rule_usage},
        {"rule del x", "Invalid rule index"},
        {"rule clear now", rule_usage},
        {"rule add test size=5-4", "Invalid size match: min is above max"},
    });
}

} // namespace
