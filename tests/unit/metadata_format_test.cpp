// Decoding metadata blocks: superblock and bitmap header fields at the
// offsets of include/dm-tandem/metadata.h, checksums, bits and ranges.
#include "metadata_image.h"

#include "tandem/metadata_format.h"

#include <gtest/gtest.h>

#include <array>

using namespace tandem;
using namespace tandem::metadata;
using tandem::testing::failed_legs;
using tandem::testing::geometry;
using tandem::testing::ImageSpec;
using tandem::testing::MetadataImage;

namespace {

BlockView block(const MetadataImage& img, std::uint64_t n) {
    return BlockView(img.bytes().data() + n * block_size, block_size);
}

} // namespace

TEST(MetadataFormat, Constants) {
    EXPECT_EQ(block_size, 4096u);
    EXPECT_EQ(bits_per_block, 32640u); // (4096 - 16) * 8, as docs/target.md says
    EXPECT_EQ(bitmap_blocks(1), 1u);
    EXPECT_EQ(bitmap_blocks(32640), 1u);
    EXPECT_EQ(bitmap_blocks(32641), 2u);
    EXPECT_EQ(total_blocks(32640, 2), 3u); // 12 KiB for two legs, as docs/target.md says
    EXPECT_EQ(total_blocks(65281, 4), 1u + 4 * 3);
    EXPECT_EQ(bitmap_block_number(0, 0, 3), 1u);
    EXPECT_EQ(bitmap_block_number(1, 2, 3), 6u);
}

TEST(MetadataFormat, DecodesTheSuperblock) {
    ImageSpec spec = geometry(262144, 1024, 3);
    spec.clean = false;
    spec.events = 0x0102030405060708ULL;
    spec.failed = {false, true, false};
    MetadataImage img(spec);
    img.write_super({0, 256, 17});
    const Superblock sb = decode_superblock(block(img, 0));
    EXPECT_EQ(sb.magic, 0x3161746d646e6174ULL);
    EXPECT_EQ(sb.version, 1u);
    EXPECT_EQ(sb.csum, compute_checksum(block(img, 0)));
    EXPECT_EQ(sb.events, 0x0102030405060708ULL);
    EXPECT_EQ(sb.target_sectors, 262144u);
    EXPECT_EQ(sb.nr_regions, 256u);
    EXPECT_EQ(sb.region_sectors, 1024u);
    EXPECT_EQ(sb.nr_legs, 3u);
    EXPECT_FALSE(sb.clean());
    EXPECT_EQ(sb.bitmap_blocks_per_leg, 1u);
    EXPECT_FALSE(sb.legs[0].failed());
    EXPECT_TRUE(sb.legs[1].failed());
    EXPECT_EQ(sb.legs[1].out_of_sync, 256u);
    EXPECT_EQ(sb.legs[2].out_of_sync, 17u);
    EXPECT_EQ(sb.legs[3], LegRecord{});
    EXPECT_EQ(format_uuid(sb.uuid), "00112233-4455-6677-8899-aabbccddeeff");
}

TEST(MetadataFormat, TheMagicSpellsTandmta1) {
    MetadataImage img;
    const auto* raw = img.bytes().data();
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(raw) + 8, 8), "tandmta1");
}

TEST(MetadataFormat, DecodesBitmapHeaders) {
    MetadataImage img(geometry(40000 * 8, 8));
    ASSERT_EQ(img.blocks_per_leg(), 2u);
    const BitmapHeader h = decode_bitmap_header(block(img, img.block_of(1, 1)));
    EXPECT_EQ(h.leg, 1u);
    EXPECT_EQ(h.index, 1u);
    EXPECT_EQ(h.csum, compute_checksum(block(img, img.block_of(1, 1))));
}

TEST(MetadataFormat, ChecksumCoversAllButTheFirstFourBytes) {
    MetadataImage img;
    const std::uint32_t before = compute_checksum(block(img, 1));
    img.flip(1, 0); // inside the stored checksum: not covered
    EXPECT_EQ(compute_checksum(block(img, 1)), before);
    img.flip(1, 4095);
    EXPECT_NE(compute_checksum(block(img, 1)), before);
}

TEST(MetadataFormat, Blank) {
    MetadataImage blank = MetadataImage::blank(3);
    EXPECT_TRUE(is_blank(block(blank, 0)));
    MetadataImage img;
    EXPECT_FALSE(is_blank(block(img, 0)));
    EXPECT_FALSE(is_blank(block(img, 1))); // its checksum and header are set
}

TEST(MetadataFormat, BitsLeastSignificantFirst) {
    MetadataImage img(geometry(40000 * 8, 8));
    for (std::uint64_t r : {0ULL, 7ULL, 8ULL, 9ULL, 10ULL, 100ULL, 32639ULL, 32640ULL, 39999ULL})
        img.set_bit(1, r);
    const BlockView b0 = block(img, img.block_of(1, 0));
    const BlockView b1 = block(img, img.block_of(1, 1));
    // Region 8 is bit 0 of the bitmap's second byte (block byte 17).
    EXPECT_EQ(std::to_integer<int>(b0[16]), 0x81);
    EXPECT_EQ(std::to_integer<int>(b0[17]), 0x07);
    EXPECT_TRUE(test_bit(b0, 0));
    EXPECT_FALSE(test_bit(b0, 1));
    EXPECT_TRUE(test_bit(b0, 32639));
    EXPECT_TRUE(test_bit(b1, 0));
    EXPECT_TRUE(test_bit(b1, 39999 - 32640));
    EXPECT_EQ(count_bits(b0, 0, bits_per_block), 7u);
    EXPECT_EQ(count_bits(b0, 1, 10), 3u); // 7, 8, 9; 10 is past the end
    EXPECT_EQ(count_bits(b0, 8, 11), 3u);
    EXPECT_EQ(count_bits(b0, 101, 32639), 0u);
    EXPECT_EQ(count_bits(b1, 0, 40000 - 32640), 2u);
    EXPECT_EQ(count_bits(b1, 40000 - 32640, bits_per_block), 0u);

    std::vector<RegionRange> ranges;
    append_set_ranges(b0, 0, bits_per_block, ranges);
    append_set_ranges(b1, 32640, 40000 - 32640, ranges);
    EXPECT_EQ(ranges, (std::vector<RegionRange>{
                          {0, 0}, {7, 10}, {100, 100}, {32639, 32640}, {39999, 39999}}));
    EXPECT_EQ(format_ranges(ranges), "0 7-10 100 32639-32640 39999");
    EXPECT_EQ(format_ranges({}), "");
}

TEST(MetadataFormat, Hex) {
    EXPECT_EQ(hex(0xCBF43926U, 8), "0xcbf43926");
    EXPECT_EQ(hex(0x1, 8), "0x00000001");
    EXPECT_EQ(hex(0x3161746d646e6174ULL, 16), "0x3161746d646e6174");
}
