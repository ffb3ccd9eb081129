// Decoding the blocks of a tandem metadata device, whose format
// include/dm-tandem/metadata.h declares: every block 4 KiB, little-endian,
// starting with the CRC-32 of its other 4092 bytes; block 0 the
// superblock, then each leg's bitmap blocks (a header, then one bit per
// region, least significant bit of each byte first).  Pure: blocks in,
// values out, no I/O.
#pragma once

#include <dm-tandem/metadata.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace tandem::metadata {

inline constexpr std::size_t block_size = TANDEM_MD_BLOCK_SIZE;
inline constexpr std::uint64_t magic = TANDEM_MD_MAGIC; // "tandmta1"
inline constexpr std::uint32_t format_version = TANDEM_MD_VERSION;
inline constexpr std::uint32_t flag_clean = TANDEM_MD_CLEAN;
inline constexpr std::uint32_t leg_flag_failed = TANDEM_MD_LEG_FAILED;
inline constexpr std::size_t max_legs = TANDEM_MAX_LEGS;
// Region bits in one bitmap block (after its 16-byte header).
inline constexpr std::uint64_t bits_per_block = TANDEM_MD_BITS_PER_BLOCK;

using BlockView = std::span<const std::byte, block_size>;

struct LegRecord {
    std::uint32_t flags = 0;       // leg_flag_failed
    std::uint32_t reserved = 0;    // 0 as the kernel writes it
    std::uint64_t out_of_sync = 0; // bits set in its bitmap when the superblock was written

    bool failed() const { return flags & leg_flag_failed; }
    bool operator==(const LegRecord&) const = default;
};

struct Superblock {
    std::uint32_t csum = 0;
    std::uint32_t version = 0;
    std::uint64_t magic = 0;
    std::array<std::uint8_t, 16> uuid{};
    std::uint64_t events = 0; // bumped at every superblock write
    std::uint64_t target_sectors = 0;
    std::uint64_t nr_regions = 0;
    std::uint32_t region_sectors = 0;
    std::uint32_t nr_legs = 0;
    std::uint32_t flags = 0; // flag_clean
    std::uint32_t bitmap_blocks_per_leg = 0;
    std::array<LegRecord, max_legs> legs{};

    bool clean() const { return flags & flag_clean; }
    bool operator==(const Superblock&) const = default;
};

struct BitmapHeader {
    std::uint32_t csum = 0;
    std::uint32_t leg = 0;
    std::uint64_t index = 0; // block index within the leg's bitmap

    bool operator==(const BitmapHeader&) const = default;
};

// The checksum a block should start with: CRC-32 of bytes 4..4095.
std::uint32_t compute_checksum(BlockView block);

// Every byte zero: a blank device, which the target formats on first use.
bool is_blank(BlockView block);

Superblock decode_superblock(BlockView block);
BitmapHeader decode_bitmap_header(BlockView block);

// Bitmap blocks one leg needs for `nr_regions` (TANDEM_MD_BITMAP_BLOCKS),
// and blocks of the whole metadata (TANDEM_MD_TOTAL_BLOCKS).
std::uint64_t bitmap_blocks(std::uint64_t nr_regions);
std::uint64_t total_blocks(std::uint64_t nr_regions, std::uint64_t nr_legs);

// The device block holding bitmap block `index` of `leg`.
std::uint64_t bitmap_block_number(std::uint64_t leg, std::uint64_t index,
                                  std::uint64_t blocks_per_leg);

// Whether region bit `bit` (0..bits_per_block-1) of a bitmap block is set.
bool test_bit(BlockView block, std::uint64_t bit);

// Set region bits of a bitmap block in [first, end) (bit numbers within
// the block, end <= bits_per_block).
std::uint64_t count_bits(BlockView block, std::uint64_t first, std::uint64_t end);

// An inclusive range of regions.
struct RegionRange {
    std::uint64_t first = 0;
    std::uint64_t last = 0;

    bool operator==(const RegionRange&) const = default;
};

// Append the set bits among the block's first `nbits` as ranges of
// regions, numbered from `first_region` (the region of the block's bit 0);
// a range continuing the last one in `ranges` extends it.
void append_set_ranges(BlockView block, std::uint64_t first_region, std::uint64_t nbits,
                       std::vector<RegionRange>& ranges);

// "10-11 100" (empty for no ranges).
std::string format_ranges(const std::vector<RegionRange>& ranges);

// "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0".
std::string format_uuid(const std::array<std::uint8_t, 16>& uuid);

// "0x3161746d646e6174" / "0xcbf43926".
std::string hex(std::uint64_t value, int digits);

} // namespace tandem::metadata
