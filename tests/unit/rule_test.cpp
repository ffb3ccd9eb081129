// Classification rules (kernel/tandem-rule.c), compiled for userspace.
#include <gtest/gtest.h>

#include "kernel_words.h"

extern "C" {
#include "tandem-rule.h"
}

namespace {

using tandem_test::Words;

int parse(const std::string& line, tandem_rule& rule, std::string* error = nullptr) {
    Words w(line);
    const char* err = nullptr;
    int r = tandem_rule_parse(w.argc(), w.data(), &rule, &err);
    if (error)
        *error = err ? err : "";
    return r;
}

std::string format(const tandem_rule& rule) {
    char buf[256];
    int len = tandem_rule_format(&rule, buf, sizeof(buf));
    EXPECT_EQ(len, static_cast<int>(std::string(buf).size()));
    return buf;
}

tandem_bio_facts facts(tandem_rule_op op, u32 bytes, u8 prio_class = TANDEM_IOPRIO_BE, u8 level = 4,
                       std::vector<u64> cgroups = {}) {
    tandem_bio_facts f{};
    f.op = op;
    f.bytes = bytes;
    f.ioprio_class = prio_class;
    f.ioprio_level = level;
    f.nr_cgroups = cgroups.size();
    for (size_t i = 0; i < cgroups.size(); i++)
        f.cgroups[i] = cgroups[i];
    return f;
}

bool matches(const tandem_rule& r, const tandem_bio_facts& f) {
    return tandem_rule_matches(&r, &f);
}

TEST(ClassName, AcceptsLowercaseWordsUpTo15) {
    EXPECT_TRUE(tandem_class_name_valid("critical"));
    EXPECT_TRUE(tandem_class_name_valid("a"));
    EXPECT_TRUE(tandem_class_name_valid("batch-2_x"));
    EXPECT_TRUE(tandem_class_name_valid("abcdefghijklmno"));
}

TEST(ClassName, RefusesBadForms) {
    for (const char* bad :
         {"", "abcdefghijklmnop", "Critical", "1st", "-x", "_x", "a b", "a.b", "add", "remove"})
        EXPECT_FALSE(tandem_class_name_valid(bad)) << bad;
}

TEST(RuleParse, ClassAloneMatchesEverything) {
    tandem_rule r;
    ASSERT_EQ(parse("test", r), 0);
    EXPECT_STREQ(r.class_name, "test");
    EXPECT_EQ(r.has, 0);
    EXPECT_TRUE(matches(r, facts(TANDEM_OP_READ, 4096)));
    EXPECT_TRUE(matches(r, facts(TANDEM_OP_FLUSH, 0)));
    EXPECT_EQ(tandem_rule_words(&r), 1u);
}

TEST(RuleParse, EveryMatchRoundTripsInCanonicalOrder) {
    tandem_rule r;
    ASSERT_EQ(parse("critical size=0-65536 op=write,read ioprio=rt:2 cgroup=1234", r), 0);
    EXPECT_EQ(format(r), "critical cgroup=1234 ioprio=rt:2 op=read,write size=0-65536");
    EXPECT_EQ(tandem_rule_words(&r), 5u);

    tandem_rule again;
    Words w(format(r));
    const char* err = nullptr;
    ASSERT_EQ(tandem_rule_parse(w.argc(), w.data(), &again, &err), 0);
    EXPECT_EQ(format(again), format(r));
}

TEST(RuleParse, RouteIsAnActionNotAMatch) {
    tandem_rule r;
    ASSERT_EQ(parse("test route=shadow ioprio=idle", r), 0);
    EXPECT_TRUE(r.to_shadow);
    EXPECT_EQ(format(r), "test ioprio=idle route=shadow");
    EXPECT_EQ(tandem_rule_words(&r), 3u);
    EXPECT_TRUE(matches(r, facts(TANDEM_OP_WRITE, 4096, TANDEM_IOPRIO_IDLE, 0)));

    ASSERT_EQ(parse("test route=legs", r), 0);
    EXPECT_FALSE(r.to_shadow);
    EXPECT_EQ(format(r), "test route=legs");

    std::string error;
    EXPECT_EQ(parse("test route=nowhere", r, &error), -EINVAL);
    EXPECT_EQ(error, "Invalid route: must be legs or shadow");
    EXPECT_EQ(parse("test route=shadow route=legs", r, &error), -EINVAL);
    EXPECT_EQ(error, "Rule repeats a match");
}

TEST(RuleParse, IoprioWithoutLevelMatchesAnyLevel) {
    tandem_rule r;
    ASSERT_EQ(parse("test ioprio=idle", r), 0);
    EXPECT_EQ(format(r), "test ioprio=idle");
    EXPECT_TRUE(matches(r, facts(TANDEM_OP_READ, 4096, TANDEM_IOPRIO_IDLE, 7)));
    EXPECT_TRUE(matches(r, facts(TANDEM_OP_READ, 4096, TANDEM_IOPRIO_IDLE, 0)));
    EXPECT_FALSE(matches(r, facts(TANDEM_OP_READ, 4096, TANDEM_IOPRIO_BE, 7)));
}

TEST(RuleParse, IoprioLevelMustMatchWhenGiven) {
    tandem_rule r;
    ASSERT_EQ(parse("test ioprio=be:7", r), 0);
    EXPECT_TRUE(matches(r, facts(TANDEM_OP_READ, 4096, TANDEM_IOPRIO_BE, 7)));
    EXPECT_FALSE(matches(r, facts(TANDEM_OP_READ, 4096, TANDEM_IOPRIO_BE, 6)));
}

TEST(RuleMatch, OpsAreASet) {
    tandem_rule r;
    ASSERT_EQ(parse("test op=flush,discard", r), 0);
    EXPECT_TRUE(matches(r, facts(TANDEM_OP_FLUSH, 0)));
    EXPECT_TRUE(matches(r, facts(TANDEM_OP_DISCARD, 1 << 20)));
    EXPECT_FALSE(matches(r, facts(TANDEM_OP_READ, 4096)));
    EXPECT_FALSE(matches(r, facts(TANDEM_OP_WRITE, 4096)));
}

TEST(RuleMatch, SizeRangeIsInclusive) {
    tandem_rule r;
    ASSERT_EQ(parse("test size=4096-8192", r), 0);
    EXPECT_FALSE(matches(r, facts(TANDEM_OP_READ, 4095)));
    EXPECT_TRUE(matches(r, facts(TANDEM_OP_READ, 4096)));
    EXPECT_TRUE(matches(r, facts(TANDEM_OP_READ, 8192)));
    EXPECT_FALSE(matches(r, facts(TANDEM_OP_READ, 8193)));
}

TEST(RuleMatch, CgroupMatchesTheCgroupOrADescendant) {
    tandem_rule r;
    ASSERT_EQ(parse("critical cgroup=50", r), 0);
    // The bio's cgroup first, then its ancestors up to the root.
    EXPECT_TRUE(matches(r, facts(TANDEM_OP_READ, 4096, 2, 4, {50, 1})));
    EXPECT_TRUE(matches(r, facts(TANDEM_OP_READ, 4096, 2, 4, {77, 50, 1})));
    EXPECT_FALSE(matches(r, facts(TANDEM_OP_READ, 4096, 2, 4, {77, 1})));
    EXPECT_FALSE(matches(r, facts(TANDEM_OP_READ, 4096)));
}

TEST(RuleMatch, AllMatchesMustHold) {
    tandem_rule r;
    ASSERT_EQ(parse("critical cgroup=50 op=read size=0-4096", r), 0);
    EXPECT_TRUE(matches(r, facts(TANDEM_OP_READ, 4096, 2, 4, {50})));
    EXPECT_FALSE(matches(r, facts(TANDEM_OP_WRITE, 4096, 2, 4, {50})));
    EXPECT_FALSE(matches(r, facts(TANDEM_OP_READ, 8192, 2, 4, {50})));
    EXPECT_FALSE(matches(r, facts(TANDEM_OP_READ, 4096, 2, 4, {51})));
}

TEST(RuleParse, RefusesMalformedRulesWithAReason) {
    struct Case {
        const char* line;
        const char* error;
    };
    const Case cases[] = {
        {"Bad op=read", "Invalid class name in rule"},
        {"test colour=red", "Unknown rule match: expected cgroup=, ioprio=, op=, size= or route="},
        {"test op", "Unknown rule match: expected cgroup=, ioprio=, op=, size= or route="},
        {"test op=read op=write", "Rule repeats a match"},
        {"test op=read,read", "Invalid op match: operation listed twice"},
        {"test op=", "Invalid op match: each must be read, write, flush or discard"},
        {"test op=read,", "Invalid op match: each must be read, write, flush or discard"},
        {"test op=trim", "Invalid op match: each must be read, write, flush or discard"},
        {"test ioprio=low", "Invalid ioprio match: class must be none, rt, be or idle"},
        {"test ioprio=be:8", "Invalid ioprio match: level must be 0..7"},
        {"test ioprio=be:", "Invalid ioprio match: level must be 0..7"},
        {"test size=10", "Invalid size match: must be <min>-<max> in bytes"},
        {"test size=-10", "Invalid size match: must be <min>-<max> in bytes"},
        {"test size=10-", "Invalid size match: must be <min>-<max> in bytes"},
        {"test size=0-4294967296", "Invalid size match: must be <min>-<max> in bytes"},
        {"test size=9-8", "Invalid size match: min is above max"},
        {"test cgroup=abc", "Invalid cgroup match: must be a cgroup id"},
        {"test cgroup=-1", "Invalid cgroup match: must be a cgroup id"},
        {"test cgroup=18446744073709551616", "Invalid cgroup match: must be a cgroup id"},
    };
    for (const auto& c : cases) {
        tandem_rule r;
        std::string error;
        EXPECT_EQ(parse(c.line, r, &error), -EINVAL) << c.line;
        EXPECT_EQ(error, c.error) << c.line;
    }
}

TEST(RuleFormat, ReportsTheLengthNeededWhenTruncated) {
    tandem_rule r;
    ASSERT_EQ(parse("critical cgroup=1234 op=read", r), 0);
    char buf[8];
    int len = tandem_rule_format(&r, buf, sizeof(buf));
    EXPECT_EQ(len, static_cast<int>(std::string("critical cgroup=1234 op=read").size()));
    EXPECT_STREQ(buf, "critica");
}

} // namespace
