// The rule codec of the control plane: matches parsed with clear errors,
// formatted in the kernel's order, and the `rule list` reply.
#include "tandem/errors.h"
#include "tandem/rule.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

using namespace tandem;
using ::testing::HasSubstr;

namespace {

std::string usage_error(const std::function<void()>& f) {
    try {
        f();
    } catch (const UsageError& e) {
        return e.what();
    }
    return "(accepted)";
}

Rule rule_of(std::vector<std::string_view> words) {
    return parse_rule(words);
}

} // namespace

TEST(RuleCodec, IoprioClassesAndLevels) {
    EXPECT_EQ(parse_ioprio("none"), (IoprioMatch{IoprioClass::none, std::nullopt}));
    EXPECT_EQ(parse_ioprio("rt"), (IoprioMatch{IoprioClass::rt, std::nullopt}));
    EXPECT_EQ(parse_ioprio("be:4"), (IoprioMatch{IoprioClass::be, 4u}));
    EXPECT_EQ(parse_ioprio("idle:0"), (IoprioMatch{IoprioClass::idle, 0u}));
    EXPECT_EQ(parse_ioprio("rt:7"), (IoprioMatch{IoprioClass::rt, 7u}));
}

TEST(RuleCodec, IoprioErrors) {
    EXPECT_EQ(usage_error([] { parse_ioprio("realtime"); }),
              "ioprio: expected none, rt, be or idle, optionally with a level :0..7 (e.g. be:4), "
              "got 'realtime'");
    EXPECT_THAT(usage_error([] { parse_ioprio(""); }), HasSubstr("got ''"));
    EXPECT_THAT(usage_error([] { parse_ioprio("BE"); }), HasSubstr("got 'BE'"));
    EXPECT_EQ(usage_error([] { parse_ioprio("be:8"); }),
              "ioprio: the level must be 0..7, got 'be:8'");
    EXPECT_THAT(usage_error([] { parse_ioprio("be:"); }), HasSubstr("level must be 0..7"));
    EXPECT_THAT(usage_error([] { parse_ioprio("be:-1"); }), HasSubstr("level must be 0..7"));
    EXPECT_THAT(usage_error([] { parse_ioprio("be:4:1"); }), HasSubstr("level must be 0..7"));
}

TEST(RuleCodec, OpLists) {
    EXPECT_EQ(parse_ops("read"), (std::vector<Op>{Op::read}));
    EXPECT_EQ(parse_ops("write,read"), (std::vector<Op>{Op::write, Op::read}));
    EXPECT_EQ(parse_ops("read,write,flush,discard"),
              (std::vector<Op>{Op::read, Op::write, Op::flush, Op::discard}));
}

TEST(RuleCodec, OpErrors) {
    EXPECT_EQ(usage_error([] { parse_ops("read,read"); }),
              "op: 'read' is listed twice in 'read,read'");
    EXPECT_EQ(usage_error([] { parse_ops("read,trim"); }),
              "op: 'trim' in 'read,trim'; expected read, write, flush or discard, separated by "
              "commas");
    EXPECT_THAT(usage_error([] { parse_ops(""); }), HasSubstr("op: an empty operation in ''"));
    EXPECT_THAT(usage_error([] { parse_ops("read,"); }), HasSubstr("an empty operation"));
    EXPECT_THAT(usage_error([] { parse_ops("Read"); }), HasSubstr("'Read'"));
}

TEST(RuleCodec, SizeRanges) {
    EXPECT_EQ(parse_size("0-4096"), (SizeRange{0, 4096}));
    EXPECT_EQ(parse_size("512-512"), (SizeRange{512, 512}));
    EXPECT_EQ(parse_size("0-4294967295"), (SizeRange{0, 4294967295u}));
}

TEST(RuleCodec, SizeErrors) {
    EXPECT_EQ(usage_error([] { parse_size("4096-512"); }), "size: min 4096 is above max 512");
    EXPECT_EQ(usage_error([] { parse_size("0-4294967296"); }),
              "size: '0-4294967296' is out of range; sizes are 0..4294967295 bytes");
    for (const char* bad : {"4096", "-4096", "4096-", "1k-2k", "1-2-3", " 1-2", ""})
        EXPECT_EQ(usage_error([&] { parse_size(bad); }),
                  std::string("size: expected <min>-<max> in bytes (e.g. 0-65536), got '") + bad +
                      "'");
}

TEST(RuleCodec, CgroupIds) {
    EXPECT_EQ(parse_cgroup_id("1234"), 1234u);
    EXPECT_EQ(parse_cgroup_id("18446744073709551615"), UINT64_MAX);
    EXPECT_EQ(usage_error([] { parse_cgroup_id("/sys/fs/cgroup/app"); }),
              "cgroup: expected a cgroup id (a whole number), got '/sys/fs/cgroup/app'");
    EXPECT_THAT(usage_error([] { parse_cgroup_id("18446744073709551616"); }),
                HasSubstr("expected a cgroup id"));
}

TEST(RuleCodec, ParsesAndFormatsInTheKernelsOrder) {
    Rule r = rule_of({"test", "size=0-65536", "op=write,read", "ioprio=be:4", "cgroup=1234"});
    EXPECT_EQ(r.class_name, "test");
    EXPECT_EQ(r.cgroup, 1234u);
    EXPECT_EQ(r.ioprio, (IoprioMatch{IoprioClass::be, 4u}));
    EXPECT_EQ(r.ops, (std::vector<Op>{Op::write, Op::read}));
    EXPECT_EQ(r.size, (SizeRange{0, 65536}));
    EXPECT_EQ(format_rule(r), "test cgroup=1234 ioprio=be:4 op=read,write size=0-65536");
    EXPECT_EQ(rule_words(r), 5u);

    Rule bare = rule_of({"critical"});
    EXPECT_EQ(format_rule(bare), "critical");
    EXPECT_EQ(rule_words(bare), 1u);
    EXPECT_EQ(format_rule(rule_of({"batch", "op=discard,flush"})), "batch op=flush,discard");
    EXPECT_EQ(format_rule(rule_of({"batch", "ioprio=idle"})), "batch ioprio=idle");

    Rule routed =
        rule_of({"test", "route=shadow", "size=0-4096", "cgroup=7", "op=write", "ioprio=idle:3"});
    EXPECT_EQ(routed.route, Route::shadow);
    EXPECT_EQ(format_rule(routed), "test cgroup=7 ioprio=idle:3 op=write size=0-4096 route=shadow");
    EXPECT_EQ(rule_words(routed), 6u);
    EXPECT_EQ(rule_of({"test", "route=legs"}).route, Route::legs);
    EXPECT_EQ(format_rule(rule_of({"test", "route=legs"})), "test route=legs");
}

TEST(RuleCodec, RuleErrors) {
    EXPECT_EQ(usage_error([] { rule_of({}); }), "a rule needs a class");
    EXPECT_EQ(usage_error([] { rule_of({"Test"}); }),
              "class name 'Test' must start with a lowercase letter a-z");
    EXPECT_EQ(usage_error([] { rule_of({"add"}); }),
              "class name 'add' is reserved: it is a word of the class message");
    EXPECT_EQ(usage_error([] {
                  rule_of({"test", "op=read", "op=write"});
              }),
              "the op match is given twice");
    EXPECT_EQ(usage_error([] {
                  rule_of({"test", "cgroup=1", "cgroup=2"});
              }),
              "the cgroup match is given twice");
    EXPECT_EQ(usage_error([] {
                  rule_of({"test", "uid=0"});
              }),
              "unknown match 'uid=0'; expected cgroup=, ioprio=, op=, size= or route=");
    EXPECT_EQ(usage_error([] {
                  rule_of({"test", "route=snapshot"});
              }),
              "route: expected legs or shadow, got 'snapshot'");
    EXPECT_EQ(usage_error([] {
                  rule_of({"test", "route=legs", "route=shadow"});
              }),
              "the route match is given twice");
    EXPECT_THAT(usage_error([] { rule_of({"test", "cgroup"}); }), HasSubstr("unknown match"));
    EXPECT_THAT(usage_error([] {
                    rule_of({"test", "op="});
                }),
                HasSubstr("op: an empty operation in ''"));
    EXPECT_THAT(usage_error([] { rule_of({"test", "size=9-1"}); }), HasSubstr("min 9 is above"));
}

TEST(RuleCodec, ProblemsOfRulesBuiltInCode) {
    Rule r;
    r.class_name = "test";
    EXPECT_EQ(rule_problem(r), "");
    r.ops = {Op::read, Op::flush, Op::read};
    EXPECT_EQ(rule_problem(r), "op: 'read' is listed twice");
    r.ops = {Op::read};
    r.ioprio = IoprioMatch{IoprioClass::be, 8u};
    EXPECT_EQ(rule_problem(r), "ioprio: the level must be 0..7, got 8");
    r.ioprio = IoprioMatch{IoprioClass::be, 7u};
    r.size = SizeRange{10, 9};
    EXPECT_EQ(rule_problem(r), "size: min 10 is above max 9");
    r.size = SizeRange{0, 4294967296u};
    EXPECT_EQ(rule_problem(r), "size: max 4294967296 is out of range; sizes are 0..4294967295 "
                               "bytes");
    r.size.reset();
    r.class_name = "sixteen-chars-xx";
    EXPECT_EQ(rule_problem(r), "class name 'sixteen-chars-xx' is longer than 15 characters");
}

TEST(RuleListReply, ParsesEachLine) {
    auto rules = parse_rule_list("0 critical cgroup=4242\n"
                                 "1 test ioprio=idle op=read,write\n"
                                 "2 production size=0-4095\n");
    ASSERT_EQ(rules.size(), 3u);
    EXPECT_EQ(rules[0].index, 0u);
    EXPECT_EQ(rules[0].rule.class_name, "critical");
    EXPECT_EQ(rules[0].rule.cgroup, 4242u);
    EXPECT_EQ(rules[1].index, 1u);
    EXPECT_EQ(format_rule(rules[1].rule), "test ioprio=idle op=read,write");
    EXPECT_EQ(rules[2].rule.size, (SizeRange{0, 4095}));
}

TEST(RuleListReply, EmptyAndBlankLines) {
    EXPECT_TRUE(parse_rule_list("").empty());
    EXPECT_TRUE(parse_rule_list("\n").empty());
    EXPECT_EQ(parse_rule_list("0 test\n\n1 critical").size(), 2u);
}

TEST(RuleListReply, RejectsMalformedLines) {
    auto parse_error = [](std::string_view reply) -> std::string {
        try {
            parse_rule_list(reply);
        } catch (const ParseError& e) {
            return e.what();
        }
        return "(accepted)";
    };
    EXPECT_EQ(parse_error("0"), "rule list line 1: line ends before field 2 (class)");
    EXPECT_EQ(parse_error("x test"),
              "rule list line 1 field 1 (index): expected an integer 0..31, got 'x'");
    EXPECT_EQ(parse_error("0 test\n2 critical"),
              "rule list line 2 field 1 (index): expected rule 1 next, got 2");
    EXPECT_EQ(parse_error("0 test op=read,bogus"),
              "rule list line 1: op: 'bogus' in 'read,bogus'; expected read, write, flush or "
              "discard, separated by commas in '0 test op=read,bogus'");
    EXPECT_EQ(parse_error("0 Test"), "rule list line 1: class name 'Test' must start with a "
                                     "lowercase letter a-z in '0 Test'");
}
