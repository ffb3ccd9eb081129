#include "tandem/metadata_format.h"

#include "tandem/crc32.h"

#include <algorithm>
#include <bit>
#include <cstddef>

namespace tandem::metadata {

namespace {

using Sb = struct tandem_md_superblock;
using Header = struct tandem_md_bitmap_header;

static_assert(sizeof(Sb) <= block_size);
static_assert(sizeof(Header) == 16);
static_assert(sizeof(struct tandem_md_leg) == 16);

// Little-endian fields at byte offsets.
template <class T>
T le(BlockView block, std::size_t offset) {
    T value = 0;
    for (std::size_t i = 0; i < sizeof(T); i++)
        value |= static_cast<T>(std::to_integer<std::uint8_t>(block[offset + i])) << (8 * i);
    return value;
}

std::uint8_t byte_at(BlockView block, std::size_t offset) {
    return std::to_integer<std::uint8_t>(block[offset]);
}

// Region bit `bit` lives in this byte of a bitmap block.
constexpr std::size_t bits_offset = sizeof(Header);

} // namespace

std::uint32_t compute_checksum(BlockView block) {
    return crc32(block.subspan(sizeof(std::uint32_t)));
}

bool is_blank(BlockView block) {
    return std::all_of(block.begin(), block.end(), [](std::byte b) { return b == std::byte{0}; });
}

Superblock decode_superblock(BlockView block) {
    Superblock sb;
    sb.csum = le<std::uint32_t>(block, offsetof(Sb, csum));
    sb.version = le<std::uint32_t>(block, offsetof(Sb, version));
    sb.magic = le<std::uint64_t>(block, offsetof(Sb, magic));
    for (std::size_t i = 0; i < sb.uuid.size(); i++)
        sb.uuid[i] = byte_at(block, offsetof(Sb, uuid) + i);
    sb.events = le<std::uint64_t>(block, offsetof(Sb, events));
    sb.target_sectors = le<std::uint64_t>(block, offsetof(Sb, target_sectors));
    sb.nr_regions = le<std::uint64_t>(block, offsetof(Sb, nr_regions));
    sb.region_sectors = le<std::uint32_t>(block, offsetof(Sb, region_sectors));
    sb.nr_legs = le<std::uint32_t>(block, offsetof(Sb, nr_legs));
    sb.flags = le<std::uint32_t>(block, offsetof(Sb, flags));
    sb.bitmap_blocks_per_leg = le<std::uint32_t>(block, offsetof(Sb, bitmap_blocks_per_leg));
    for (std::size_t i = 0; i < sb.legs.size(); i++) {
        const std::size_t at = offsetof(Sb, legs) + i * sizeof(struct tandem_md_leg);
        sb.legs[i].flags = le<std::uint32_t>(block, at + offsetof(struct tandem_md_leg, flags));
        sb.legs[i].reserved =
            le<std::uint32_t>(block, at + offsetof(struct tandem_md_leg, reserved));
        sb.legs[i].out_of_sync =
            le<std::uint64_t>(block, at + offsetof(struct tandem_md_leg, out_of_sync));
    }
    return sb;
}

BitmapHeader decode_bitmap_header(BlockView block) {
    BitmapHeader h;
    h.csum = le<std::uint32_t>(block, offsetof(Header, csum));
    h.leg = le<std::uint32_t>(block, offsetof(Header, leg));
    h.index = le<std::uint64_t>(block, offsetof(Header, index));
    return h;
}

std::uint64_t bitmap_blocks(std::uint64_t nr_regions) {
    return nr_regions / bits_per_block + (nr_regions % bits_per_block ? 1 : 0);
}

std::uint64_t total_blocks(std::uint64_t nr_regions, std::uint64_t nr_legs) {
    return 1 + nr_legs * bitmap_blocks(nr_regions);
}

std::uint64_t bitmap_block_number(std::uint64_t leg, std::uint64_t index,
                                  std::uint64_t blocks_per_leg) {
    return 1 + leg * blocks_per_leg + index;
}

bool test_bit(BlockView block, std::uint64_t bit) {
    return (byte_at(block, bits_offset + bit / 8) >> (bit % 8)) & 1U;
}

std::uint64_t count_bits(BlockView block, std::uint64_t first, std::uint64_t end) {
    std::uint64_t count = 0;
    std::uint64_t bit = first;
    // Single bits up to a byte boundary, whole bytes, then the rest.
    for (; bit < end && bit % 8; bit++)
        count += test_bit(block, bit);
    for (; bit + 8 <= end; bit += 8)
        count += static_cast<std::uint64_t>(std::popcount(byte_at(block, bits_offset + bit / 8)));
    for (; bit < end; bit++)
        count += test_bit(block, bit);
    return count;
}

void append_set_ranges(BlockView block, std::uint64_t first_region, std::uint64_t nbits,
                       std::vector<RegionRange>& ranges) {
    for (std::uint64_t bit = 0; bit < nbits; bit++) {
        if (bit % 8 == 0 && bit + 8 <= nbits && byte_at(block, bits_offset + bit / 8) == 0) {
            bit += 7;
            continue;
        }
        if (!test_bit(block, bit))
            continue;
        const std::uint64_t region = first_region + bit;
        if (!ranges.empty() && ranges.back().last + 1 == region)
            ranges.back().last = region;
        else
            ranges.push_back({region, region});
    }
}

std::string format_ranges(const std::vector<RegionRange>& ranges) {
    std::string out;
    for (const RegionRange& r : ranges) {
        if (!out.empty())
            out += " ";
        out += std::to_string(r.first);
        if (r.last != r.first)
            out += "-" + std::to_string(r.last);
    }
    return out;
}

std::string hex(std::uint64_t value, int digits) {
    static constexpr char xdigits[] = "0123456789abcdef";
    std::string out(static_cast<std::size_t>(digits), '0');
    for (int i = digits - 1; i >= 0; i--, value >>= 4)
        out[static_cast<std::size_t>(i)] = xdigits[value & 0xfU];
    return "0x" + out;
}

std::string format_uuid(const std::array<std::uint8_t, 16>& uuid) {
    std::string out;
    for (std::size_t i = 0; i < uuid.size(); i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out += '-';
        out += hex(uuid[i], 2).substr(2);
    }
    return out;
}

} // namespace tandem::metadata
