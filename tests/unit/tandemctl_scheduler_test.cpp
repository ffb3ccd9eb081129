// tandemctl queue-depth, class and rule: arguments into flags, the exact
// message each sends, the checks against the device's status, and the
// exit codes and errors of bad input (nothing is sent).
#include "cgroup2_mount.h"
#include "cli_runner.h"
#include "tandemctl_usage_error.h"

#include "cli.h"

#include "tandem/errors.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/stat.h>

using namespace tandem;
using namespace tandem::cli;
using tandem::testing::cgroup2_mount;
using tandem::testing::usage_error;
using ::testing::HasSubstr;
using ::testing::StartsWith;

namespace {

constexpr const char* v4_fields =
    "5 2 AA 100 0 10 20 0 0 0 20 0 0 0 256 0 0 idle 65536 0 0 ok copy 0 0 idle 0 0";

const std::vector<std::string> default_classes = {
    "critical 200 0 0 1000 4000 0 7 0 256 1024",
    "production 100 0 0 5000 20000 3 40 0 512 4096",
    "test 50 500 10240 800 3200 9 120 77 2048 65536",
    "batch 0 0 0 0 0 0 0 0 0 0",
};

// A version 5 status line of two legs with these classes and rules.
std::string v5_status(const std::vector<std::string>& classes = default_classes, unsigned rules = 2,
                      unsigned depth = 64) {
    std::string line = std::string(v4_fields) + " " + std::to_string(depth) + " 12 " +
                       std::to_string(classes.size());
    for (const std::string& c : classes)
        line += " " + c;
    return line + " " + std::to_string(rules);
}

struct Scheduler : ::testing::Test, tandem::testing::CliRunner {
    Scheduler() { dm.add("tandem0", v5_status()); }

    // The one message sent, or "" if none was.
    std::string sent() const {
        if (dm.messages.size() != 1)
            return dm.messages.empty() ? "" : "(" + std::to_string(dm.messages.size()) + ")";
        EXPECT_EQ(dm.messages[0].first, "tandem0");
        return dm.messages[0].second;
    }
};

} // namespace

// --- parsing ---------------------------------------------------------------------

TEST(TandemctlSchedulerParse, EachFormIntoItsFlags) {
    auto depth = std::get<QueueDepthFlags>(parse_command_line({"queue-depth", "tandem0", "64"}));
    EXPECT_EQ(depth.device, "tandem0");
    EXPECT_EQ(depth.depth, 64u);

    auto add = std::get<ClassFlags>(parse_command_line({"class", "t", "add", "gold"}));
    EXPECT_EQ(add.action, ClassFlags::Action::add);
    EXPECT_EQ(add.name, "gold");
    auto remove = std::get<ClassFlags>(parse_command_line({"class", "t", "remove", "gold"}));
    EXPECT_EQ(remove.action, ClassFlags::Action::remove);
    auto weight = std::get<ClassFlags>(parse_command_line({"class", "t", "test", "weight", "20"}));
    EXPECT_EQ(weight.action, ClassFlags::Action::weight);
    EXPECT_EQ(weight.name, "test");
    EXPECT_EQ(weight.weight, 20u);
    auto limit = std::get<ClassFlags>(
        parse_command_line({"class", "t", "test", "limit", "--iops", "500", "--bw", "0"}));
    EXPECT_EQ(limit.action, ClassFlags::Action::limit);
    EXPECT_EQ(limit.iops, 500u);
    EXPECT_EQ(limit.bw, 0u);
    auto bw_only =
        std::get<ClassFlags>(parse_command_line({"class", "t", "--bw", "1024", "test", "limit"}));
    EXPECT_EQ(bw_only.iops, std::nullopt);
    EXPECT_EQ(bw_only.bw, 1024u);
    EXPECT_EQ(std::get<ClassFlags>(parse_command_line({"class", "t", "list"})).action,
              ClassFlags::Action::list);
    // A class may be called "list"; with more words it is a name.
    auto named_list =
        std::get<ClassFlags>(parse_command_line({"class", "t", "list", "weight", "1"}));
    EXPECT_EQ(named_list.action, ClassFlags::Action::weight);
    EXPECT_EQ(named_list.name, "list");

    auto rule = std::get<RuleFlags>(
        parse_command_line({"rule", "t", "add", "test", "--cgroup", "1234", "--ioprio", "be:4",
                            "--op", "write,read", "--size", "0-65536"}));
    EXPECT_EQ(rule.action, RuleFlags::Action::add);
    EXPECT_EQ(format_rule(rule.rule), "test cgroup=1234 ioprio=be:4 op=read,write size=0-65536");
    auto routed = std::get<RuleFlags>(
        parse_command_line({"rule", "t", "add", "test", "--route", "shadow", "--op", "write"}));
    EXPECT_EQ(format_rule(routed.rule), "test op=write route=shadow");
    auto bare = std::get<RuleFlags>(parse_command_line({"rule", "t", "add", "critical"}));
    EXPECT_EQ(format_rule(bare.rule), "critical");
    auto del = std::get<RuleFlags>(parse_command_line({"rule", "t", "del", "3"}));
    EXPECT_EQ(del.action, RuleFlags::Action::del);
    EXPECT_EQ(del.index, 3u);
    EXPECT_EQ(std::get<RuleFlags>(parse_command_line({"rule", "t", "clear"})).action,
              RuleFlags::Action::clear);
    EXPECT_EQ(std::get<RuleFlags>(parse_command_line({"rule", "t", "list"})).action,
              RuleFlags::Action::list);
}

TEST(TandemctlSchedulerParse, Help) {
    const std::string help = std::get<Help>(parse_command_line({"--help"})).text;
    EXPECT_THAT(help, HasSubstr("  queue-depth   <dev> <n>\n"));
    EXPECT_THAT(help, HasSubstr("  class         <dev> add|remove <name>\n"
                                "                <dev> <name> weight <n>\n"
                                "                <dev> <name> limit [--iops <n>] [--bw <KiB/s>]\n"
                                "                <dev> list\n"));
    EXPECT_THAT(help, HasSubstr("  rule          <dev> add <class> [--cgroup <cg>] [--ioprio "
                                "<prio>] [--op <ops>] [--size <min>-<max>]\n"
                                "                <dev> add <class> ... [--route legs|shadow]\n"
                                "                <dev> del <index>\n"
                                "                <dev> clear|list\n"));
    const std::string rule = std::get<Help>(parse_command_line({"rule", "--help"})).text;
    EXPECT_THAT(rule, StartsWith("usage: tandemctl rule <dev> add <class> [--cgroup <cg>]"));
    EXPECT_THAT(rule, HasSubstr("\n       tandemctl rule <dev> del <index>\n"));
    EXPECT_THAT(rule, HasSubstr("--cgroup <path>|<id>"));
    EXPECT_THAT(rule, HasSubstr("--ioprio <class>[:<level>]"));
    const std::string cls = std::get<Help>(parse_command_line({"class", "-h"})).text;
    EXPECT_THAT(cls, HasSubstr("--iops <n>"));
    EXPECT_THAT(cls, HasSubstr("--bw <KiB/s>"));
    EXPECT_THAT(std::get<Help>(parse_command_line({"queue-depth", "--help"})).text,
                HasSubstr("0 turns the scheduler off"));
}

struct BadArgs {
    std::vector<std::string> args;
    const char* error; // what the error starts with
};

TEST(TandemctlSchedulerParse, UsageErrors) {
    const BadArgs cases[] = {
        {{"queue-depth", "t"}, "queue-depth: missing <n>"},
        {{"queue-depth", "t", "1", "2"}, "queue-depth: too many arguments"},
        {{"queue-depth", "t", "4097"},
         "queue-depth: queue depth 4097 is out of range; it must be 0..4096 (0 turns the "
         "scheduler off)"},
        {{"queue-depth", "t", "deep"},
         "queue-depth: queue depth: expected a whole number, got "
         "'deep'"},
        {{"queue-depth", "t", "-1"}, "queue-depth: '-1' is negative"},
        {{"class", "t"}, "class: missing add, remove, list or a class name"},
        {{"class", "t", "add"}, "class: missing <name> after add"},
        {{"class", "t", "add", "a", "b"}, "class: too many arguments"},
        {{"class", "t", "add", "Gold"},
         "class: class name 'Gold' must start with a lowercase letter a-z"},
        {{"class", "t", "add", "sixteen-chars-xx"},
         "class: class name 'sixteen-chars-xx' is longer than 15 characters"},
        {{"class", "t", "add", "go.ld"}, "class: class name 'go.ld' may contain only"},
        {{"class", "t", "remove", "add"},
         "class: class name 'add' is reserved: it is a word of the class message"},
        {{"class", "t", "test"}, "class: missing weight <n> or limit after the class name"},
        {{"class", "t", "test", "prio", "3"},
         "class: expected weight or limit after the class name, got 'prio'"},
        {{"class", "t", "test", "weight"}, "class: missing <n> after weight"},
        {{"class", "t", "test", "weight", "1001"},
         "class: class weight 1001 is out of range; it must be 0..1000"},
        {{"class", "t", "test", "weight", "heavy"},
         "class: weight: expected a whole number, got 'heavy'"},
        {{"class", "t", "test", "limit"}, "class: limit needs --iops, --bw or both (0: none)"},
        {{"class", "t", "test", "limit", "5"}, "class: too many arguments"},
        {{"class", "t", "test", "limit", "--iops", "10000001"},
         "class: iops limit 10000001 is out of range; it must be 0..10000000 IO/s (0: none)"},
        {{"class", "t", "test", "limit", "--bw", "4294967296"},
         "class: bw limit 4294967296 KiB/s is out of range; it must be 0..4294967295 KiB/s"},
        {{"class", "t", "test", "limit", "--bw", "10M"},
         "class: --bw: expected a whole number, got '10M'"},
        {{"class", "t", "test", "weight", "5", "--iops", "1"},
         "class: --iops and --bw go with limit"},
        {{"class", "t", "list", "--bw", "1"}, "class: --iops and --bw go with limit"},
        {{"rule", "t"}, "rule: missing add, del, clear or list"},
        {{"rule", "t", "insert", "test"}, "rule: expected add, del, clear or list, got 'insert'"},
        {{"rule", "t", "add"}, "rule: missing <class> after add"},
        {{"rule", "t", "add", "test", "op=read"}, "rule: too many arguments"},
        {{"rule", "t", "add", "Test"}, "rule: class name 'Test' must start with"},
        {{"rule", "t", "add", "test", "--op", "read,read"},
         "rule: op: 'read' is listed twice in 'read,read'"},
        {{"rule", "t", "add", "test", "--op", "trim"}, "rule: op: 'trim' in 'trim'; expected"},
        {{"rule", "t", "add", "test", "--ioprio", "be:8"},
         "rule: ioprio: the level must be 0..7, got 'be:8'"},
        {{"rule", "t", "add", "test", "--ioprio", "high"},
         "rule: ioprio: expected none, rt, be or idle"},
        {{"rule", "t", "add", "test", "--size", "4096-512"},
         "rule: size: min 4096 is above max "
         "512"},
        {{"rule", "t", "add", "test", "--size", "0-4294967296"},
         "rule: size: '0-4294967296' is out of range; sizes are 0..4294967295 bytes"},
        {{"rule", "t", "add", "test", "--size", "4k"}, "rule: size: expected <min>-<max>"},
        {{"rule", "t", "add", "test", "--cgroup", "/tmp"},
         "rule: cgroup: '/tmp' is not on a cgroup2 file system"},
        {{"rule", "t", "add", "test", "--cgroup", "no-such-cgroup-here"},
         "rule: cgroup: cannot use '/sys/fs/cgroup/no-such-cgroup-here': No such file or "
         "directory"},
        {{"rule", "t", "add", "test", "--cgroup", "/proc/version"},
         "rule: cgroup: '/proc/version' is not a directory"},
        {{"rule", "t", "add", "test", "--op", ""}, "rule: op: an empty operation in ''"},
        {{"rule", "t", "add", "test", "--cgroup", ""},
         "rule: cgroup: expected a cgroup2 directory or a cgroup id, got ''"},
        {{"class", "t", "test", "limit", "--iops", ""},
         "class: --iops: expected a whole number, got ''"},
        {{"rule", "t", "add", "test", "--route", "snapshot"},
         "rule: route: expected legs or shadow, got 'snapshot'"},
        {{"rule", "t", "clear", "--route", "legs"},
         "rule: --cgroup, --ioprio, --op, --size and --route go with add"},
        {{"rule", "t", "del"}, "rule: missing <index> after del"},
        {{"rule", "t", "del", "32"}, "rule: rule index must be 0..31, got 32"},
        {{"rule", "t", "del", "first"}, "rule: index: expected a whole number, got 'first'"},
        {{"rule", "t", "clear", "all"}, "rule: too many arguments"},
        {{"rule", "t", "list", "--op", "read"},
         "rule: --cgroup, --ioprio, --op, --size and --route go with add"},
        {{"rule", "t", "del", "1", "--cgroup", "5"},
         "rule: --cgroup, --ioprio, --op, --size and --route go with add"},
    };
    for (const BadArgs& c : cases) {
        const std::string error = usage_error(c.args);
        EXPECT_THAT(error, StartsWith(c.error)) << "for " << ::testing::PrintToString(c.args);
        EXPECT_THAT(error, HasSubstr("\nusage: tandemctl " + c.args[0] + " "));
    }
}

// --- against a device --------------------------------------------------------------

TEST_F(Scheduler, BadArgumentsNeverReachTheDevice) {
    EXPECT_EQ(run({"queue-depth", "tandem0", "5000"}), exit_usage);
    EXPECT_EQ(run({"class", "tandem0", "test", "weight", "2000"}), exit_usage);
    EXPECT_EQ(run({"rule", "tandem0", "add", "test", "--op", "read,read"}), exit_usage);
    EXPECT_EQ(run({"rule", "tandem0", "add", "test", "--cgroup", "/tmp"}), exit_usage);
    EXPECT_THAT(err.str(), StartsWith("tandemctl: rule: cgroup: '/tmp' is not on a cgroup2"));
    EXPECT_EQ(factory_calls, 0);
    EXPECT_TRUE(dm.status_calls.empty());
    EXPECT_TRUE(dm.messages.empty());
}

TEST_F(Scheduler, QueueDepth) {
    EXPECT_EQ(run({"queue-depth", "tandem0", "128"}), exit_ok);
    EXPECT_EQ(sent(), "queue_depth 128");
    EXPECT_EQ(out.str(), "tandem0: queue depth set to 128\n");
    dm.messages.clear();
    EXPECT_EQ(run({"queue-depth", "tandem0", "0"}), exit_ok);
    EXPECT_EQ(sent(), "queue_depth 0");
    EXPECT_EQ(out.str(), "tandem0: queue depth set to 0 (scheduler off; class limits still "
                         "apply)\n");
}

TEST_F(Scheduler, OlderTargetsHaveNoScheduler) {
    dm.set_status("tandem0", "4 2 AA 100 0 0 0 0 0 0 0 0 0 0 256 0 0 idle 65536 0 0 ok copy 0 0 "
                             "idle 0 0");
    EXPECT_EQ(run({"queue-depth", "tandem0", "8"}), exit_usage);
    EXPECT_EQ(err.str(), "tandemctl: queue-depth: tandem0 reports status version 4, a target "
                         "without the class scheduler; its module is older than this tandemctl\n");
    EXPECT_EQ(run({"class", "tandem0", "list"}), exit_usage);
    EXPECT_THAT(err.str(), StartsWith("tandemctl: class: tandem0 reports status version 4"));
    EXPECT_EQ(run({"rule", "tandem0", "list"}), exit_usage);
    EXPECT_THAT(err.str(), StartsWith("tandemctl: rule: tandem0 reports status version 4"));
    EXPECT_TRUE(dm.messages.empty());
}

TEST_F(Scheduler, ClassAdd) {
    EXPECT_EQ(run({"class", "tandem0", "add", "gold"}), exit_ok);
    EXPECT_EQ(sent(), "class add gold");
    EXPECT_EQ(out.str(), "tandem0: class gold added (weight 100, no limits)\n");
}

TEST_F(Scheduler, ClassAddOfATakenNameOrPastTheMost) {
    EXPECT_EQ(run({"class", "tandem0", "add", "batch"}), exit_usage);
    EXPECT_EQ(err.str(), "tandemctl: class: tandem0 already has a class 'batch'\n");
    std::vector<std::string> eight = default_classes;
    for (const char* name : {"c5", "c6", "c7", "c8"})
        eight.push_back(std::string(name) + " 100 0 0 0 0 0 0 0 0 0");
    dm.set_status("tandem0", v5_status(eight));
    EXPECT_EQ(run({"class", "tandem0", "add", "gold"}), exit_usage);
    EXPECT_EQ(err.str(), "tandemctl: class: tandem0 has 8 classes, the most a device can have\n");
    EXPECT_TRUE(dm.messages.empty());
}

TEST_F(Scheduler, ClassRemove) {
    EXPECT_EQ(run({"class", "tandem0", "remove", "batch"}), exit_ok);
    EXPECT_EQ(sent(), "class remove batch");
    EXPECT_EQ(out.str(), "tandem0: class batch removed\n");
}

TEST_F(Scheduler, ClassRemoveOfABuiltInOrUnknownClass) {
    EXPECT_EQ(run({"class", "tandem0", "remove", "production"}), exit_usage);
    EXPECT_EQ(err.str(), "tandemctl: class: 'production' is built in (critical, production, "
                         "test) and cannot be removed\n");
    EXPECT_EQ(run({"class", "tandem0", "remove", "gold"}), exit_usage);
    EXPECT_EQ(err.str(), "tandemctl: class: tandem0 has no class 'gold' (its classes: critical, "
                         "production, test, batch)\n");
    EXPECT_TRUE(dm.messages.empty());
}

TEST_F(Scheduler, ClassWeight) {
    EXPECT_EQ(run({"class", "tandem0", "test", "weight", "20"}), exit_ok);
    EXPECT_EQ(sent(), "class test weight 20");
    EXPECT_EQ(out.str(), "tandem0: class test weight set to 20\n");
    dm.messages.clear();
    EXPECT_EQ(run({"class", "tandem0", "batch", "weight", "0"}), exit_ok);
    EXPECT_EQ(sent(), "class batch weight 0");
    EXPECT_EQ(out.str(), "tandem0: class batch weight set to 0 (it runs only while no class with "
                         "a weight has bios waiting)\n");
    dm.messages.clear();
    EXPECT_EQ(run({"class", "tandem0", "gold", "weight", "5"}), exit_usage);
    EXPECT_THAT(err.str(), StartsWith("tandemctl: class: tandem0 has no class 'gold'"));
    EXPECT_TRUE(dm.messages.empty());
}

TEST_F(Scheduler, ClassLimit) {
    EXPECT_EQ(run({"class", "tandem0", "test", "limit", "--iops", "500"}), exit_ok);
    EXPECT_EQ(sent(), "class test limit iops 500");
    EXPECT_EQ(out.str(), "tandem0: class test limit set: iops 500 IO/s\n");
    dm.messages.clear();
    EXPECT_EQ(run({"class", "tandem0", "test", "limit", "--bw", "10240", "--iops", "0"}), exit_ok);
    EXPECT_EQ(sent(), "class test limit iops 0 bw 10240");
    EXPECT_EQ(out.str(), "tandem0: class test limit set: iops none, bw 10240 KiB/s\n");
    dm.messages.clear();
    EXPECT_EQ(run({"class", "tandem0", "critical", "limit", "--bw", "0"}), exit_ok);
    EXPECT_EQ(sent(), "class critical limit bw 0");
    EXPECT_EQ(out.str(), "tandem0: class critical limit set: bw none\n");
}

TEST_F(Scheduler, ClassList) {
    EXPECT_EQ(run({"class", "tandem0", "list"}), exit_ok);
    EXPECT_EQ(
        out.str(),
        "tandem0: queue depth 64, 12 in flight; 2 rules\n"
        "class           weight  iops_limit    bw_KiB/s          bios  queued    p50_us    "
        "p99_us\n"
        "critical           200           -           -          1000       0       256      "
        "1024\n"
        "production         100           -           -          5000       3       512      "
        "4096\n"
        "test                50         500       10240           800       9      2048     "
        "65536\n"
        "batch                0           -           -             0       0         -         "
        "-\n");
    EXPECT_TRUE(dm.messages.empty());
}

TEST_F(Scheduler, RuleAdd) {
    EXPECT_EQ(run({"rule", "tandem0", "add", "test", "--cgroup", "1234", "--ioprio", "idle", "--op",
                   "write,read", "--size", "4096-1048576"}),
              exit_ok);
    EXPECT_EQ(sent(), "rule add test cgroup=1234 ioprio=idle op=read,write size=4096-1048576");
    EXPECT_EQ(
        out.str(),
        "tandem0: rule 2 added: test cgroup=1234 ioprio=idle op=read,write size=4096-1048576\n");
    dm.messages.clear();
    EXPECT_EQ(run({"rule", "tandem0", "add", "critical"}), exit_ok);
    EXPECT_EQ(sent(), "rule add critical");
    dm.messages.clear();
    EXPECT_EQ(run({"rule", "tandem0", "add", "test", "--route", "shadow", "--ioprio", "idle"}),
              exit_ok);
    EXPECT_EQ(sent(), "rule add test ioprio=idle route=shadow");
}

TEST_F(Scheduler, RuleAddResolvesACgroup2Path) {
    const std::string mount = cgroup2_mount();
    if (mount.empty())
        GTEST_SKIP() << "no cgroup2 file system mounted";
    struct stat st {};
    ASSERT_EQ(stat(mount.c_str(), &st), 0);
    EXPECT_EQ(run({"rule", "tandem0", "add", "critical", "--cgroup", mount}), exit_ok);
    EXPECT_EQ(sent(), "rule add critical cgroup=" + std::to_string(st.st_ino));
}

TEST_F(Scheduler, RuleAddForAnUnknownClassOrPastTheMost) {
    EXPECT_EQ(run({"rule", "tandem0", "add", "gold", "--op", "read"}), exit_usage);
    EXPECT_EQ(err.str(), "tandemctl: rule: tandem0 has no class 'gold' (its classes: critical, "
                         "production, test, batch)\n");
    dm.set_status("tandem0", v5_status(default_classes, 32));
    EXPECT_EQ(run({"rule", "tandem0", "add", "test"}), exit_usage);
    EXPECT_EQ(err.str(), "tandemctl: rule: tandem0 has 32 rules, the most a device can have\n");
    EXPECT_TRUE(dm.messages.empty());
}

TEST_F(Scheduler, RuleDel) {
    EXPECT_EQ(run({"rule", "tandem0", "del", "1"}), exit_ok);
    EXPECT_EQ(sent(), "rule del 1");
    EXPECT_EQ(out.str(), "tandem0: rule 1 deleted; the rules after it moved up\n");
    dm.messages.clear();
    EXPECT_EQ(run({"rule", "tandem0", "del", "2"}), exit_usage);
    EXPECT_EQ(err.str(), "tandemctl: rule: tandem0 has 2 rules (0..1); there is no rule 2\n");
    dm.set_status("tandem0", v5_status(default_classes, 0));
    EXPECT_EQ(run({"rule", "tandem0", "del", "0"}), exit_usage);
    EXPECT_EQ(err.str(), "tandemctl: rule: tandem0 has no rules\n");
    EXPECT_TRUE(dm.messages.empty());
}

TEST_F(Scheduler, RuleClear) {
    EXPECT_EQ(run({"rule", "tandem0", "clear"}), exit_ok);
    EXPECT_EQ(sent(), "rule clear");
    EXPECT_EQ(out.str(), "tandem0: every rule deleted; every bio is classified production\n");
}

TEST_F(Scheduler, RuleList) {
    dm.replies["rule list"] = "0 critical cgroup=4242\n1 test ioprio=idle op=read,write\n"
                              "2 test size=0-4095 route=shadow\n";
    EXPECT_EQ(run({"rule", "tandem0", "list"}), exit_ok);
    EXPECT_EQ(sent(), "rule list");
    EXPECT_EQ(out.str(), "tandem0: 3 rules; the first that matches classifies a bio, production "
                         "if none does\n"
                         "    0  critical cgroup=4242\n"
                         "    1  test ioprio=idle op=read,write\n"
                         "    2  test size=0-4095 route=shadow\n");
    dm.replies["rule list"] = "";
    EXPECT_EQ(run({"rule", "tandem0", "list"}), exit_ok);
    EXPECT_EQ(out.str(), "tandem0: no rules; every bio is classified production\n");
}

TEST_F(Scheduler, RuleListWithAMalformedReply) {
    dm.replies["rule list"] = "0 critical cgroup=4242\n1 test color=red\n";
    EXPECT_EQ(run({"rule", "tandem0", "list"}), exit_failure);
    EXPECT_EQ(err.str(), "tandemctl: tandem0: rule list line 2: unknown match 'color=red'; "
                         "expected cgroup=, ioprio=, op=, size= or route= in '1 test color=red'\n");
}

TEST_F(Scheduler, RefusedByTheTarget) {
    dm.reject.insert("class remove batch");
    EXPECT_EQ(run({"class", "tandem0", "remove", "batch"}), exit_failure);
    EXPECT_THAT(err.str(), HasSubstr("rejected by the target"));
    EXPECT_EQ(run({"rule", "nosuch", "clear"}), exit_failure);
    EXPECT_EQ(err.str(), "tandemctl: status nosuch: no such device\n");
    EXPECT_TRUE(dm.messages.empty());
}
