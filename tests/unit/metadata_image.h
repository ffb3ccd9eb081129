// Synthetic metadata devices for tests, laid out with the kernel's own
// structs from include/dm-tandem/metadata.h (not with the decoder under
// test): a superblock and zeroed bitmaps, then bits, corruption and
// truncation on demand.  Also a BlockSource, with unreadable blocks on
// demand.
#pragma once

#include "tandem/crc32.h"
#include "tandem/metadata_inspect.h"

#include <dm-tandem/metadata.h>

#include <bit>
#include <cerrno>
#include <cstring>
#include <set>
#include <system_error>
#include <vector>

namespace tandem::testing {

// The image's fields are stored as the host lays them out.
static_assert(std::endian::native == std::endian::little);

struct ImageSpec {
    std::uint64_t target_sectors = 262144; // 128 MiB
    std::uint32_t region_sectors = 1024;   // 512 KiB: 256 regions
    std::uint32_t nr_legs = 2;
    bool clean = true;
    std::uint64_t events = 7;
    std::vector<bool> failed; // per leg; missing: healthy
    std::uint64_t extra_blocks = 0;
};

// A spec of this geometry, the rest default.
inline ImageSpec geometry(std::uint64_t target_sectors, std::uint32_t region_sectors,
                          std::uint32_t nr_legs = 2) {
    ImageSpec spec;
    spec.target_sectors = target_sectors;
    spec.region_sectors = region_sectors;
    spec.nr_legs = nr_legs;
    return spec;
}

// A spec of the default geometry with these legs failed.
inline ImageSpec failed_legs(std::vector<bool> failed) {
    ImageSpec spec;
    spec.failed = std::move(failed);
    return spec;
}

class MetadataImage : public metadata::BlockSource {
public:
    static constexpr std::size_t bs = TANDEM_MD_BLOCK_SIZE;

    explicit MetadataImage(const ImageSpec& spec = {})
        : spec_(spec) {
        nr_regions_ = (spec.target_sectors + spec.region_sectors - 1) / spec.region_sectors;
        bpl_ = TANDEM_MD_BITMAP_BLOCKS(nr_regions_);
        bytes_.assign((TANDEM_MD_TOTAL_BLOCKS(nr_regions_, spec.nr_legs) + spec.extra_blocks) * bs,
                      std::byte{0});
        for (std::uint32_t leg = 0; leg < spec.nr_legs; leg++) {
            for (std::uint64_t i = 0; i < bpl_; i++) {
                auto* h = header(leg, i);
                h->leg = leg;
                h->index = i;
                seal(block_of(leg, i));
            }
        }
        write_super();
    }

    // A blank device of `blocks` blocks.
    static MetadataImage blank(std::uint64_t blocks) {
        MetadataImage img;
        img.bytes_.assign(blocks * bs, std::byte{0});
        return img;
    }

    std::uint64_t nr_regions() const { return nr_regions_; }
    std::uint64_t blocks_per_leg() const { return bpl_; }
    std::uint64_t block_of(std::uint32_t leg, std::uint64_t index) const {
        return 1 + leg * bpl_ + index;
    }

    tandem_md_superblock* super() { return reinterpret_cast<tandem_md_superblock*>(at(0)); }
    tandem_md_bitmap_header* header(std::uint32_t leg, std::uint64_t index) {
        return reinterpret_cast<tandem_md_bitmap_header*>(at(block_of(leg, index)));
    }

    // Set region `region`'s bit of `leg` (and reseal its block).
    void set_bit(std::uint32_t leg, std::uint64_t region) {
        const std::uint64_t index = region / TANDEM_MD_BITS_PER_BLOCK;
        const std::uint64_t bit = region % TANDEM_MD_BITS_PER_BLOCK;
        std::byte* bits = at(block_of(leg, index)) + sizeof(tandem_md_bitmap_header);
        bits[bit / 8] |= std::byte{static_cast<unsigned char>(1U << (bit % 8))};
        seal(block_of(leg, index));
    }

    // Fill in the superblock from the spec, with these out-of-sync counts.
    void write_super(std::vector<std::uint64_t> out_of_sync = {}) {
        auto* sb = super();
        std::memset(sb, 0, bs);
        sb->version = TANDEM_MD_VERSION;
        sb->magic = TANDEM_MD_MAGIC;
        for (int i = 0; i < 16; i++)
            sb->uuid[i] = static_cast<std::uint8_t>(0x10 * (i % 16) + i);
        sb->events = spec_.events;
        sb->target_sectors = spec_.target_sectors;
        sb->nr_regions = nr_regions_;
        sb->region_sectors = spec_.region_sectors;
        sb->nr_legs = spec_.nr_legs;
        sb->flags = spec_.clean ? TANDEM_MD_CLEAN : 0;
        sb->bitmap_blocks_per_leg = static_cast<std::uint32_t>(bpl_);
        for (std::uint32_t leg = 0; leg < spec_.nr_legs && leg < TANDEM_MAX_LEGS; leg++) {
            if (leg < spec_.failed.size() && spec_.failed[leg])
                sb->legs[leg].flags = TANDEM_MD_LEG_FAILED;
            if (leg < out_of_sync.size())
                sb->legs[leg].out_of_sync = out_of_sync[leg];
        }
        seal(0);
    }

    // Recompute block `block`'s checksum (after changing it on purpose).
    void seal(std::uint64_t block) {
        std::byte* b = at(block);
        const std::uint32_t csum = crc32(std::span<const std::byte>(b + 4, bs - 4));
        std::memcpy(b, &csum, sizeof(csum));
    }

    // Flip one byte, leaving the checksum as it was.
    void flip(std::uint64_t block, std::size_t offset) { at(block)[offset] ^= std::byte{0xff}; }

    void truncate(std::uint64_t bytes) { bytes_.resize(bytes); }
    void fail_reads_of(std::uint64_t block) { unreadable_.insert(block); }
    const std::vector<std::byte>& bytes() const { return bytes_; }

    std::uint64_t size() const override { return bytes_.size(); }
    void read(std::uint64_t index, std::span<std::byte, bs> out) override {
        if (unreadable_.count(index))
            throw std::system_error(EIO, std::generic_category(), "block " + std::to_string(index));
        std::memcpy(out.data(), at(index), bs);
    }

private:
    std::byte* at(std::uint64_t block) { return bytes_.data() + block * bs; }
    const std::byte* at(std::uint64_t block) const { return bytes_.data() + block * bs; }

    ImageSpec spec_;
    std::uint64_t nr_regions_ = 0;
    std::uint64_t bpl_ = 0;
    std::vector<std::byte> bytes_;
    std::set<std::uint64_t> unreadable_;
};

} // namespace tandem::testing
