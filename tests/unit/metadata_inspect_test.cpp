// Validating synthetic metadata images: valid ones, blank ones, and every
// kind of damage, each reported naming its block.
#include "metadata_image.h"

#include "tandem/metadata_inspect.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace tandem::metadata;
using tandem::testing::failed_legs;
using tandem::testing::geometry;
using tandem::testing::ImageSpec;
using tandem::testing::MetadataImage;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Level = Problem::Level;
using Content = Inspection::Content;

namespace {

std::vector<std::string> texts(const Inspection& in) {
    std::vector<std::string> out;
    for (const Problem& p : in.problems)
        out.push_back((p.level == Level::error ? "error: " : "warning: ") + p.text());
    return out;
}

// An image as the target leaves it after a clean stop with leg 1 failed
// and regions 10, 11 and 100 written meanwhile.
MetadataImage leg1_missed_three() {
    MetadataImage img(failed_legs({false, true}));
    for (std::uint64_t r : {10, 11, 100})
        img.set_bit(1, r);
    img.write_super({0, 3});
    return img;
}

} // namespace

TEST(MetadataInspect, ValidImage) {
    MetadataImage img = leg1_missed_three();
    const Inspection in = inspect(img, {.ranges = true});
    EXPECT_EQ(in.content, Content::metadata);
    EXPECT_TRUE(in.valid()) << ::testing::PrintToString(texts(in));
    EXPECT_TRUE(in.problems.empty());
    EXPECT_TRUE(in.version_known);
    ASSERT_TRUE(in.superblock);
    EXPECT_EQ(in.superblock->nr_legs, 2u);
    EXPECT_TRUE(in.superblock->legs[1].failed());
    EXPECT_EQ(in.blocks_needed, 3u);
    EXPECT_EQ(in.blocks_checked, 3u);
    EXPECT_EQ(in.device_bytes, 3u * 4096);
    ASSERT_EQ(in.legs.size(), 2u);
    EXPECT_EQ(in.legs[0].bits_set, 0u);
    EXPECT_TRUE(in.legs[0].complete);
    EXPECT_EQ(in.legs[1].bits_set, 3u);
    EXPECT_EQ(in.legs[1].set, (std::vector<RegionRange>{{10, 11}, {100, 100}}));
}

TEST(MetadataInspect, RangesOnlyWhenAsked) {
    MetadataImage img = leg1_missed_three();
    EXPECT_TRUE(inspect(img).legs[1].set.empty());
}

TEST(MetadataInspect, LargerDeviceAndSeveralBlocksPerLeg) {
    // 4 legs, 100000 regions: 4 bitmap blocks each, on a device with room to spare.
    ImageSpec spec = geometry(100000ULL * 8 - 3, 8, 4);
    spec.extra_blocks = 100;
    MetadataImage img(spec);
    img.set_bit(3, 99999);
    img.set_bit(2, 32640 * 3);
    img.write_super({0, 0, 1, 1});
    const Inspection in = inspect(img);
    EXPECT_TRUE(in.valid()) << ::testing::PrintToString(texts(in));
    EXPECT_EQ(in.superblock->bitmap_blocks_per_leg, 4u);
    EXPECT_EQ(in.blocks_needed, 17u);
    EXPECT_EQ(in.blocks_checked, 17u);
    EXPECT_EQ(in.legs[3].bits_set, 1u);
    EXPECT_EQ(in.legs[2].bits_set, 1u);
}

TEST(MetadataInspect, BlankDevice) {
    MetadataImage img = MetadataImage::blank(3);
    const Inspection in = inspect(img);
    EXPECT_EQ(in.content, Content::blank);
    EXPECT_TRUE(in.valid());
    EXPECT_TRUE(in.problems.empty());
    EXPECT_FALSE(in.superblock);
}

TEST(MetadataInspect, TooSmallForASuperblock) {
    for (std::uint64_t bytes : {0, 512, 4095}) {
        MetadataImage img = MetadataImage::blank(1);
        img.truncate(bytes);
        const Inspection in = inspect(img);
        EXPECT_EQ(in.content, Content::unusable);
        EXPECT_FALSE(in.valid());
        EXPECT_THAT(texts(in), ElementsAre("error: device: " + std::to_string(bytes) +
                                           " bytes, too small to hold a superblock (4096 bytes)"));
    }
}

TEST(MetadataInspect, BadMagic) {
    MetadataImage img;
    img.super()->magic = 0x1122334455667788ULL;
    img.seal(0);
    const Inspection in = inspect(img);
    EXPECT_EQ(in.content, Content::foreign);
    EXPECT_FALSE(in.valid());
    EXPECT_THAT(texts(in),
                ElementsAre("error: block 0 (superblock): bad magic 0x1122334455667788 (tandem "
                            "metadata has 0x3161746d646e6174, \"tandmta1\"): not tandem metadata"));
}

TEST(MetadataInspect, WrongVersion) {
    MetadataImage img;
    img.super()->version = 2;
    img.seal(0);
    const Inspection in = inspect(img);
    EXPECT_EQ(in.content, Content::metadata);
    EXPECT_FALSE(in.version_known);
    EXPECT_FALSE(in.valid());
    EXPECT_THAT(texts(in), ElementsAre("error: block 0 (superblock): unsupported metadata version "
                                       "2 (this tandemctl reads version 1)"));
    EXPECT_TRUE(in.legs.empty());
}

TEST(MetadataInspect, SuperblockChecksum) {
    MetadataImage img = leg1_missed_three();
    img.flip(0, 100);
    const Inspection in = inspect(img);
    EXPECT_FALSE(in.valid());
    ASSERT_FALSE(in.problems.empty());
    EXPECT_THAT(in.problems[0].text(),
                HasSubstr("block 0 (superblock): checksum mismatch: stored 0x"));
    EXPECT_THAT(in.problems[0].text(), HasSubstr(", computed 0x"));
}

TEST(MetadataInspect, BitmapBlockChecksumNamesTheBlock) {
    MetadataImage img = leg1_missed_three();
    img.flip(img.block_of(1, 0), 16 + 20); // a byte of bits
    const Inspection in = inspect(img);
    EXPECT_FALSE(in.valid());
    ASSERT_EQ(in.count(Level::error), 1u);
    EXPECT_EQ(in.problems[0].level, Level::error);
    EXPECT_EQ(in.problems[0].where, "block 2 (bitmap block 0 of leg 1)");
    EXPECT_THAT(in.problems[0].what, HasSubstr("checksum mismatch"));
}

TEST(MetadataInspect, ZeroedBitmapBlock) {
    MetadataImage img = leg1_missed_three();
    std::memset(img.header(0, 0), 0, 4096);
    const Inspection in = inspect(img);
    EXPECT_FALSE(in.valid());
    // (Its zeroed header happens to say leg 0 block 0, which it is.)
    EXPECT_THAT(texts(in), ElementsAre("error: block 1 (bitmap block 0 of leg 0): checksum "
                                       "mismatch: stored 0x00000000, computed 0x603b0489"));
    std::memset(img.header(1, 0), 0, 4096);
    EXPECT_THAT(texts(inspect(img)),
                ElementsAre(HasSubstr("error: block 1 (bitmap block 0 of leg 0): checksum"),
                            HasSubstr("error: block 2 (bitmap block 0 of leg 1): checksum"),
                            "error: block 2 (bitmap block 0 of leg 1): header says leg 0 block "
                            "0, expected leg 1 block 0"));
}

TEST(MetadataInspect, HeaderOfAnotherBlock) {
    MetadataImage img(geometry(40000 * 8, 8));
    img.header(1, 1)->leg = 0;
    img.seal(img.block_of(1, 1));
    img.header(0, 0)->index = 5;
    img.seal(img.block_of(0, 0));
    const Inspection in = inspect(img);
    EXPECT_FALSE(in.valid());
    EXPECT_THAT(texts(in), ElementsAre("error: block 1 (bitmap block 0 of leg 0): header says leg "
                                       "0 block 5, expected leg 0 block 0",
                                       "error: block 4 (bitmap block 1 of leg 1): header says leg "
                                       "0 block 1, expected leg 1 block 1"));
}

TEST(MetadataInspect, TruncatedImage) {
    MetadataImage img = leg1_missed_three();
    img.truncate(2 * 4096 + 1000); // block 2 cut short
    const Inspection in = inspect(img);
    EXPECT_FALSE(in.valid());
    EXPECT_THAT(texts(in),
                ElementsAre("error: device: 9192 bytes (2 whole blocks), but the metadata needs "
                            "3 blocks (12288 bytes): truncated, or too small for this geometry; "
                            "blocks 2..2 are missing"));
    EXPECT_TRUE(in.legs[0].complete);
    EXPECT_FALSE(in.legs[1].complete);
}

TEST(MetadataInspect, UnreadableBlock) {
    MetadataImage img = leg1_missed_three();
    img.fail_reads_of(1);
    const Inspection in = inspect(img);
    EXPECT_FALSE(in.valid());
    EXPECT_THAT(texts(in), ElementsAre(HasSubstr("error: block 1 (bitmap block 0 of leg 0): "
                                                 "cannot read: block 1: ")));
    img = MetadataImage();
    img.fail_reads_of(0);
    EXPECT_EQ(inspect(img).content, Content::unusable);
}

TEST(MetadataInspect, GeometryThatDoesNotAddUp) {
    MetadataImage img;
    img.super()->nr_regions = 300; // 262144 / 1024 = 256
    img.seal(0);
    EXPECT_THAT(texts(inspect(img)),
                ElementsAre("error: superblock: nr_regions is 300, but a target of 262144 sectors "
                            "in regions of 1024 sectors has 256"));

    img = MetadataImage();
    img.super()->bitmap_blocks_per_leg = 2;
    img.seal(0);
    const Inspection in = inspect(img);
    EXPECT_THAT(texts(in), ::testing::Contains("error: superblock: bitmap_blocks_per_leg is 2, "
                                               "but 256 regions need 1 (32640 regions per block)"));

    img = MetadataImage();
    img.super()->region_sectors = 1000;
    img.super()->nr_legs = 5;
    img.super()->target_sectors = 0;
    img.seal(0);
    EXPECT_THAT(texts(inspect(img)),
                ::testing::IsSupersetOf(
                    {"error: superblock: nr_legs is 5; a device has 2 to 4 legs",
                     "error: superblock: region_sectors is 1000; it must be a power of two "
                     "8..2097152",
                     "error: superblock: target_sectors is 0"}));
}

TEST(MetadataInspect, DeviceTooSmallForItsGeometry) {
    // A superblock claiming 4 legs on a device that holds 2.
    MetadataImage img;
    img.super()->nr_legs = 4;
    img.seal(0);
    const Inspection in = inspect(img);
    EXPECT_THAT(texts(in), ::testing::Contains(HasSubstr(
                               "error: device: 12288 bytes (3 whole blocks), but the metadata "
                               "needs 5 blocks (20480 bytes)")));
}

TEST(MetadataInspect, CountsDifferingFromTheBitsAreWarnings) {
    MetadataImage img = leg1_missed_three();
    img.set_bit(1, 200);
    img.set_bit(0, 5);
    const Inspection in = inspect(img);
    EXPECT_TRUE(in.valid());
    EXPECT_EQ(in.count(Level::warning), 2u);
    EXPECT_THAT(texts(in), ElementsAre("warning: superblock: leg 0 out_of_sync is 0, but its "
                                       "bitmap has 1 bits set (the target updates the count "
                                       "only when it writes the superblock)",
                                       "warning: superblock: leg 1 out_of_sync is 3, but its "
                                       "bitmap has 4 bits set (the target updates the count "
                                       "only when it writes the superblock)"));
}

TEST(MetadataInspect, BitsBeyondTheLastRegionAreWarnings) {
    MetadataImage img; // 256 regions
    img.set_bit(0, 256);
    img.set_bit(0, 32639);
    const Inspection in = inspect(img);
    EXPECT_TRUE(in.valid());
    EXPECT_EQ(in.legs[0].bits_set, 0u);
    EXPECT_THAT(texts(in), ElementsAre("warning: block 1 (bitmap block 0 of leg 0): 2 bit(s) set "
                                       "beyond the last region (256 regions); the target ignores "
                                       "them"));
}

TEST(MetadataInspect, EveryLegFailed) {
    MetadataImage img(failed_legs({true, true}));
    EXPECT_THAT(texts(inspect(img)),
                ElementsAre("error: superblock: every leg is marked failed; the target refuses "
                            "such metadata"));
}

TEST(MetadataInspect, OddFlagsAndRecordsAreWarnings) {
    MetadataImage img;
    img.super()->flags |= 0x10;
    img.super()->legs[1].flags |= 0x4;
    img.super()->legs[3].out_of_sync = 9;
    img.seal(0);
    const Inspection in = inspect(img);
    EXPECT_TRUE(in.valid());
    EXPECT_THAT(texts(in),
                ElementsAre("warning: superblock: unknown flags 0x00000010",
                            "warning: superblock: leg 1 has unknown flags 0x00000004",
                            "warning: superblock: leg 3 is beyond nr_legs (2) but its record is "
                            "not zero"));
}

TEST(MetadataInspect, OutOfSyncBeyondTheRegions) {
    MetadataImage img;
    img.write_super({0, 257});
    EXPECT_THAT(texts(inspect(img)),
                ::testing::Contains("error: superblock: leg 1 out_of_sync is 257, more than the "
                                    "256 regions"));
}

TEST(MetadataInspect, BlockNames) {
    EXPECT_EQ(block_name(0, 1), "block 0 (superblock)");
    EXPECT_EQ(block_name(1, 1), "block 1 (bitmap block 0 of leg 0)");
    EXPECT_EQ(block_name(2, 1), "block 2 (bitmap block 0 of leg 1)");
    EXPECT_EQ(block_name(7, 3), "block 7 (bitmap block 0 of leg 2)");
    EXPECT_EQ(block_name(9, 3), "block 9 (bitmap block 2 of leg 2)");
    EXPECT_EQ(block_name(9, 0), "block 9");
}
