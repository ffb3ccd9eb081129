// parse_table / format_table against golden table lines.
#include "tandem/errors.h"
#include "tandem/table.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace tandem;
using ::testing::HasSubstr;

TEST(TableCodec, MinimalTwoLegsNoFeatures) {
    TableConfig t = parse_table("- 1024 2 253:1 253:2");
    EXPECT_FALSE(t.metadata_dev.has_value());
    EXPECT_EQ(t.region_sectors, 1024u);
    EXPECT_EQ(t.legs, (std::vector<std::string>{"253:1", "253:2"}));
    EXPECT_FALSE(t.nosync);
    EXPECT_FALSE(t.read_weights.has_value());
}

TEST(TableCodec, DocsExample) {
    // docs/target.md, "Examples": dmsetup table after "weights 50 50".
    const std::string line = "- 1024 2 8:16 43:0 4 nosync read_weights 50 50";
    TableConfig t = parse_table(line);
    EXPECT_FALSE(t.metadata_dev.has_value());
    EXPECT_EQ(t.region_sectors, 1024u);
    EXPECT_EQ(t.legs, (std::vector<std::string>{"8:16", "43:0"}));
    EXPECT_TRUE(t.nosync);
    EXPECT_EQ(t.read_weights, (std::vector<unsigned>{50, 50}));
    EXPECT_EQ(format_table(t), line);
}

TEST(TableCodec, MetadataDeviceAndAllFeatures) {
    TableConfig t = parse_table("/dev/vdd 8 3 /dev/vda /dev/vdb /dev/vdc 5 nosync read_weights "
                                "50 25 25");
    EXPECT_EQ(t.metadata_dev, "/dev/vdd");
    EXPECT_EQ(t.region_sectors, 8u);
    EXPECT_EQ(t.legs.size(), 3u);
    EXPECT_TRUE(t.nosync);
    ASSERT_TRUE(t.read_weights.has_value());
    EXPECT_EQ(*t.read_weights, (std::vector<unsigned>{50, 25, 25}));
}

TEST(TableCodec, FeaturesInAnyOrder) {
    TableConfig t = parse_table("- 2097152 2 a b 4 read_weights 0 100 nosync");
    EXPECT_EQ(t.region_sectors, 2097152u);
    EXPECT_TRUE(t.nosync);
    EXPECT_EQ(*t.read_weights, (std::vector<unsigned>{0, 100}));
}

TEST(TableCodec, SyncRate) {
    TableConfig t = parse_table("- 1024 2 253:1 253:2 3 nosync sync_rate 1024");
    EXPECT_TRUE(t.nosync);
    EXPECT_FALSE(t.read_weights.has_value());
    EXPECT_EQ(t.sync_rate, 1024u);
    EXPECT_EQ(parse_table("- 1024 2 a b 2 sync_rate 0").sync_rate, 0u);
    EXPECT_EQ(parse_table("- 1024 2 a b 2 sync_rate 16777216").sync_rate, 16777216u);
    EXPECT_FALSE(parse_table("- 1024 2 a b 1 nosync").sync_rate.has_value());
}

TEST(TableCodec, MetadataDeviceAsTheKernelPrintsIt) {
    // dmsetup table names the metadata device by number, like the legs.
    TableConfig t = parse_table("253:5 1024 2 253:1 253:2 1 nosync");
    EXPECT_EQ(t.metadata_dev, "253:5");
    EXPECT_EQ(t.legs, (std::vector<std::string>{"253:1", "253:2"}));
    EXPECT_EQ(format_table(t), "253:5 1024 2 253:1 253:2 1 nosync");
    // Or as the path it was loaded with.
    EXPECT_EQ(parse_table("/dev/mapper/meta 8 2 /dev/a /dev/b").metadata_dev, "/dev/mapper/meta");
}

TEST(TableCodec, ResyncMode) {
    TableConfig t = parse_table("253:5 1024 2 253:1 253:2 3 nosync resync_mode checksum");
    EXPECT_TRUE(t.nosync);
    EXPECT_EQ(t.resync_mode, ResyncMode::checksum);
    EXPECT_EQ(parse_table("- 1024 2 a b 2 resync_mode copy").resync_mode, ResyncMode::copy);
    EXPECT_FALSE(parse_table("- 1024 2 a b 1 nosync").resync_mode.has_value());
}

TEST(TableCodec, LinesWithoutNosync) {
    // The kernel leaves nosync out while a leg is failed or resyncing;
    // loading such a line copies legs 1.. from leg 0.
    TableConfig t = parse_table("- 1024 2 253:1 253:2 3 read_weights 70 30");
    EXPECT_FALSE(t.nosync);
    EXPECT_EQ(t.read_weights, (std::vector<unsigned>{70, 30}));
    EXPECT_FALSE(t.sync_rate.has_value());

    TableConfig r = parse_table("- 1024 2 253:1 253:2 2 sync_rate 0");
    EXPECT_FALSE(r.nosync);
    EXPECT_EQ(r.sync_rate, 0u);
}

TEST(TableCodec, ZeroFeatureCountIsNoFeatures) {
    EXPECT_EQ(parse_table("- 1024 2 a b 0"), parse_table("- 1024 2 a b"));
}

TEST(TableCodecFormat, ReproducesTheKernelsOrder) {
    // STATUSTYPE_TABLE: nosync first, then read_weights.
    const std::string line = "- 1024 2 253:1 253:2 4 nosync read_weights 70 30";
    EXPECT_EQ(format_table(parse_table(line)), line);
    EXPECT_EQ(format_table(parse_table("- 1024 2 253:1 253:2 4 read_weights 70 30 nosync")), line);
    EXPECT_EQ(format_table(parse_table("meta 64 2 x y")), "meta 64 2 x y");
}

TEST(TableCodecFormat, SyncRateComesLast) {
    // STATUSTYPE_TABLE: nosync, read_weights, then sync_rate.
    const std::string all = "- 1024 2 253:1 253:2 6 nosync read_weights 70 30 sync_rate 1024";
    EXPECT_EQ(format_table(parse_table(all)), all);
    EXPECT_EQ(format_table(
                  parse_table("- 1024 2 253:1 253:2 6 sync_rate 1024 read_weights 70 30 nosync")),
              all);
    // What the kernel prints for a device with leg 1 out of sync and resync paused.
    const std::string paused = "- 1024 2 253:1 253:2 2 sync_rate 0";
    EXPECT_EQ(format_table(parse_table(paused)), paused);
    const std::string weights_only = "- 1024 3 a b c 4 read_weights 50 25 25";
    EXPECT_EQ(format_table(parse_table(weights_only)), weights_only);
    EXPECT_EQ(format_table(parse_table("- 1024 2 a b")), "- 1024 2 a b");
}

TEST(TableCodecFormat, ResyncModeComesLast) {
    // STATUSTYPE_TABLE: nosync, read_weights, sync_rate, then resync_mode
    // (printed only for checksum).
    const std::string all = "253:9 1024 2 253:1 253:2 8 nosync read_weights 70 30 sync_rate 1024 "
                            "resync_mode checksum";
    EXPECT_EQ(format_table(parse_table(all)), all);
    EXPECT_EQ(format_table(parse_table("253:9 1024 2 253:1 253:2 8 resync_mode checksum sync_rate "
                                       "1024 nosync read_weights 70 30")),
              all);
    // What the kernel prints while leg 1 resyncs by checksum, at the default rate.
    const std::string resyncing = "- 1024 2 253:1 253:2 2 resync_mode checksum";
    EXPECT_EQ(format_table(parse_table(resyncing)), resyncing);
    // An explicit copy (the default) is kept as given.
    const std::string copy = "- 1024 2 a b 3 nosync resync_mode copy";
    EXPECT_EQ(format_table(parse_table(copy)), copy);
}

TEST(TableCodec, SchedulerFeatures) {
    const std::string line = "- 1024 2 a b 21 queue_depth 64 class test 20 500 10240 class batch 0 "
                             "0 0 rule 2 critical cgroup=4242 rule 3 test op=read,write "
                             "size=0-65536";
    TableConfig t = parse_table(line);
    EXPECT_EQ(t.queue_depth, 64u);
    ASSERT_EQ(t.classes.size(), 2u);
    EXPECT_EQ(t.classes[0], (TableClass{"test", 20, 500, 10240}));
    EXPECT_EQ(t.classes[1], (TableClass{"batch", 0, 0, 0}));
    ASSERT_EQ(t.rules.size(), 2u);
    EXPECT_EQ(format_rule(t.rules[0]), "critical cgroup=4242");
    EXPECT_EQ(format_rule(t.rules[1]), "test op=read,write size=0-65536");
    EXPECT_EQ(format_table(t), line);
    // Every match and the route: six words.
    const std::string routed =
        "- 8 2 a b 8 rule 6 test cgroup=1 ioprio=be:0 op=read size=0-1 route=shadow";
    EXPECT_EQ(format_table(parse_table(routed)), routed);
    // A rule of the class alone.
    EXPECT_EQ(parse_table("- 8 2 a b 3 rule 1 test").rules.at(0).class_name, "test");
}

TEST(TableCodecFormat, SchedulerFeaturesComeLast) {
    // STATUSTYPE_TABLE: ... resync_mode, queue_depth, class, rule.
    const std::string all = "- 1024 2 a b 16 nosync sync_rate 1024 resync_mode checksum "
                            "queue_depth 8 class gold 300 0 0 rule 2 gold ioprio=rt:0";
    EXPECT_EQ(format_table(parse_table("- 1024 2 a b 16 rule 2 gold ioprio=rt:0 class gold 300 0 "
                                       "0 queue_depth 8 resync_mode checksum sync_rate 1024 "
                                       "nosync")),
              all);
}

TEST(TableCodec, ShadowFeatures) {
    // As the kernel prints a shadow with every setting changed.
    const std::string line = "- 1024 2 253:1 253:2 9 nosync shadow 253:5 shadow_mode gate "
                             "shadow_sample 10 shadow_pool 4096";
    TableConfig t = parse_table(line);
    EXPECT_EQ(t.shadow_dev, "253:5");
    EXPECT_EQ(t.shadow_mode, ShadowMode::gate);
    EXPECT_EQ(t.shadow_sample, 10u);
    EXPECT_EQ(t.shadow_pool, 4096u);
    EXPECT_EQ(format_table(t), line);
    // The defaults are not printed; a path is kept as given.
    TableConfig bare = parse_table("- 8 2 a b 3 nosync shadow /dev/mapper/t-shadow");
    EXPECT_EQ(bare.shadow_dev, "/dev/mapper/t-shadow");
    EXPECT_FALSE(bare.shadow_mode.has_value());
    EXPECT_FALSE(bare.shadow_sample.has_value());
    EXPECT_FALSE(bare.shadow_pool.has_value());
    EXPECT_FALSE(parse_table("- 8 2 a b").shadow_dev.has_value());
    // The limits.
    EXPECT_EQ(parse_table("- 8 2 a b 6 shadow s shadow_sample 0 shadow_pool 0").shadow_sample, 0u);
    EXPECT_EQ(parse_table("- 8 2 a b 4 shadow s shadow_sample 1000000").shadow_sample, 1000000u);
    EXPECT_EQ(parse_table("- 8 2 a b 4 shadow s shadow_pool 4194304").shadow_pool, 4194304u);
}

TEST(TableCodecFormat, ShadowFeaturesComeLast) {
    // STATUSTYPE_TABLE: ... rule, shadow, shadow_mode, shadow_sample, shadow_pool.
    EXPECT_EQ(format_table(parse_table("- 8 2 a b 13 shadow_pool 64 shadow_sample 2 shadow_mode "
                                       "sync shadow 7:0 rule 3 test ioprio=idle route=shadow")),
              "- 8 2 a b 13 rule 3 test ioprio=idle route=shadow shadow 7:0 shadow_mode sync "
              "shadow_sample 2 shadow_pool 64");
}

namespace {

struct Malformed {
    const char* line;
    const char* message;
};

// Names each case in test output by its line.
void PrintTo(const Malformed& m, std::ostream* os) {
    *os << '"' << m.line << '"';
}

class TableCodecRejects : public ::testing::TestWithParam<Malformed> {};

} // namespace

TEST_P(TableCodecRejects, NamingTheField) {
    const Malformed& m = GetParam();
    try {
        parse_table(m.line);
        FAIL() << "accepted '" << m.line << "'";
    } catch (const ParseError& e) {
        EXPECT_THAT(e.what(), HasSubstr(m.message)) << "for '" << m.line << "'";
    }
}

INSTANTIATE_TEST_SUITE_P(
    Lines, TableCodecRejects,
    ::testing::Values(
        Malformed{"", "table: line ends before field 1 (metadata_dev)"},
        Malformed{"-", "line ends before field 2 (region_sectors)"},
        Malformed{"- 1000 2 a b", "table field 2 (region_sectors): expected a power of two 8.."},
        Malformed{"- 4 2 a b", "table field 2 (region_sectors)"},
        Malformed{"- 4194304 2 a b", "table field 2 (region_sectors)"},
        Malformed{"- 1k 2 a b", "table field 2 (region_sectors)"},
        Malformed{"- 1024 1 a", "table field 3 (#legs): expected an integer 2..4"},
        Malformed{"- 1024 5 a b c d e", "table field 3 (#legs)"},
        Malformed{"- 1024 3 a b", "line ends before field 6 (device of leg 2)"},
        Malformed{"- 1024 2 a -", "table field 5 (device of leg 1): a leg needs a device"},
        Malformed{"- 1024 2 a b x", "table field 6 (#feature_args)"},
        Malformed{"- 1024 2 a b 2 nosync", "says 2 but 1 feature argument(s) follow"},
        Malformed{"- 1024 2 a b 1 nosync extra", "says 1 but 2 feature argument(s) follow"},
        Malformed{"- 1024 2 a b 1 discard", "unknown feature 'discard'"},
        Malformed{"- 1024 2 a b 2 nosync nosync", "duplicate feature 'nosync'"},
        Malformed{"- 1024 2 a b 2 read_weights 100", "read_weights needs 2 weights"},
        Malformed{"- 1024 2 a b 3 read_weights 70 x", "(read weight of leg 1)"},
        Malformed{"- 1024 2 a b 3 read_weights 70 130", "(read weight of leg 1)"},
        Malformed{"- 1024 2 a b 3 read_weights 70 20", "weights sum to 90"},
        Malformed{"- 1024 2 a b 6 read_weights 70 30 read_weights 70 30",
                  "duplicate feature 'read_weights'"},
        Malformed{"- 1024 2 a b 1 sync_rate", "table field 7 (feature): sync_rate needs a rate"},
        Malformed{"- 1024 2 a b 2 sync_rate 16777217",
                  "table field 8 (sync_rate (KiB/s)): expected an integer 0..16777216, got "
                  "'16777217'"},
        Malformed{"- 1024 2 a b 2 sync_rate 64M", "table field 8 (sync_rate (KiB/s))"},
        Malformed{"- 1024 2 a b 2 sync_rate -1", "table field 8 (sync_rate (KiB/s))"},
        Malformed{"- 1024 2 a b 2 sync_rate nosync", "table field 8 (sync_rate (KiB/s))"},
        Malformed{"- 1024 2 a b 4 sync_rate 1 sync_rate 2", "duplicate feature 'sync_rate'"},
        Malformed{"- 1024 2 a b 3 sync_rate 1 2", "unknown feature '2'"},
        Malformed{"- 1024 2 a b 1 resync_mode",
                  "table field 7 (feature): resync_mode needs copy or checksum"},
        Malformed{"- 1024 2 a b 2 resync_mode xxh64",
                  "table field 8 (resync_mode): expected copy or checksum, got 'xxh64'"},
        Malformed{"- 1024 2 a b 2 resync_mode nosync",
                  "table field 8 (resync_mode): expected copy or checksum, got 'nosync'"},
        Malformed{"- 1024 2 a b 4 resync_mode copy resync_mode checksum",
                  "duplicate feature 'resync_mode'"},
        Malformed{"- 1024 2 a b 3 resync_mode checksum 1", "unknown feature '1'"},
        Malformed{"253:5 1024 2 a b 2 resync_mode", "says 2 but 1 feature argument(s) follow"}));

// The scheduler's features (fields 7.. for two legs).
INSTANTIATE_TEST_SUITE_P(
    SchedulerLines, TableCodecRejects,
    ::testing::Values(
        Malformed{"- 8 2 a b 1 queue_depth", "table field 7 (feature): queue_depth needs a depth"},
        Malformed{"- 8 2 a b 2 queue_depth 4097",
                  "table field 8 (queue_depth): queue depth 4097 is out of range; it must be "
                  "0..4096"},
        Malformed{"- 8 2 a b 2 queue_depth x",
                  "table field 8 (queue_depth): expected a whole number, got 'x'"},
        Malformed{"- 8 2 a b 4 queue_depth 1 queue_depth 2", "duplicate feature 'queue_depth'"},
        Malformed{"- 8 2 a b 4 class test 1 0",
                  "table field 7 (feature): class needs a name, a weight, an iops and a bw limit"},
        Malformed{"- 8 2 a b 5 class Test 1 0 0",
                  "table field 8 (class name): class name 'Test' must start with a lowercase"},
        Malformed{"- 8 2 a b 5 class test 1001 0 0",
                  "table field 9 (weight of class test): class weight 1001 is out of range"},
        Malformed{"- 8 2 a b 5 class test 1 10000001 0",
                  "table field 10 (iops limit of class test): iops limit 10000001 is out of "
                  "range"},
        Malformed{"- 8 2 a b 5 class test 1 0 4294967296",
                  "table field 11 (bw limit of class test): bw limit 4294967296 KiB/s is out of "
                  "range"},
        Malformed{"- 8 2 a b 10 class test 1 0 0 class test 2 0 0",
                  "table field 13 (class name): class 'test' is given twice"},
        Malformed{"- 8 2 a b 45 class a 1 0 0 class b 1 0 0 class c 1 0 0 class d 1 0 0 class e 1 "
                  "0 0 class f 1 0 0 class g 1 0 0 class h 1 0 0 class i 1 0 0",
                  "table field 47 (feature): more than 8 classes"},
        Malformed{"- 8 2 a b 1 rule", "table field 7 (feature): rule needs a word count of 1..6"},
        Malformed{"- 8 2 a b 2 rule 0", "table field 8 (#words of rule 0): expected an integer "
                                        "1..6, got '0'"},
        Malformed{"- 8 2 a b 3 rule 2 test", "table field 8 (#words of rule 0): says 2 but 1 "
                                             "word(s) follow"},
        Malformed{"- 8 2 a b 4 rule 2 test colour=red",
                  "table field 10 (rule 0): unknown match 'colour=red'"},
        Malformed{"- 8 2 a b 4 rule 2 test op=read,read",
                  "table field 10 (rule 0): op: 'read' is listed twice"},
        Malformed{"- 8 2 a b 7 rule 1 test rule 2 add size=1-0",
                  "table field 12 (rule 1): class name 'add' is reserved"}));

// The shadow's features (fields 7.. for two legs).
INSTANTIATE_TEST_SUITE_P(
    ShadowLines, TableCodecRejects,
    ::testing::Values(
        Malformed{"- 8 2 a b 1 shadow", "table field 7 (feature): shadow needs a value"},
        Malformed{"- 8 2 a b 4 shadow s shadow t", "table field 9 (feature): duplicate feature "
                                                   "'shadow'"},
        Malformed{"- 8 2 a b 3 shadow s shadow_mode",
                  "table field 9 (feature): shadow_mode needs a value"},
        Malformed{"- 8 2 a b 4 shadow s shadow_mode mirror",
                  "table field 10 (shadow_mode): shadow mode must be async, sync or gate, got "
                  "'mirror'"},
        Malformed{"- 8 2 a b 6 shadow s shadow_mode sync shadow_mode gate",
                  "table field 11 (feature): duplicate feature 'shadow_mode'"},
        Malformed{"- 8 2 a b 4 shadow s shadow_sample 1000001",
                  "table field 10 (shadow_sample): shadow sample 1000001 is out of range"},
        Malformed{"- 8 2 a b 4 shadow s shadow_sample x",
                  "table field 10 (shadow_sample): expected a whole number, got 'x'"},
        Malformed{"- 8 2 a b 6 shadow s shadow_sample 1 shadow_sample 1",
                  "duplicate feature 'shadow_sample'"},
        Malformed{"- 8 2 a b 4 shadow s shadow_pool 4194305",
                  "table field 10 (shadow_pool (KiB)): shadow pool 4194305 KiB is out of range"},
        Malformed{"- 8 2 a b 3 shadow s shadow_pool", "shadow_pool needs a value"},
        Malformed{"- 8 2 a b 2 shadow_mode sync",
                  "table: shadow_mode, shadow_sample and shadow_pool need a shadow device"},
        Malformed{"- 8 2 a b 2 shadow_pool 64",
                  "table: shadow_mode, shadow_sample and shadow_pool need a shadow device"}));
