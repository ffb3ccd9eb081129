#include "tandem/metadata_inspect.h"

#include "tandem/limits.h"

#include <algorithm>
#include <array>
#include <system_error>

namespace tandem::metadata {

namespace {

using Level = Problem::Level;

class Inspector {
public:
    Inspector(BlockSource& source, InspectOptions options)
        : source_(source)
        , options_(options) {
        result_.device_bytes = source.size();
        device_blocks_ = result_.device_bytes / block_size;
    }

    Inspection run() {
        if (device_blocks_ == 0) {
            add(Level::error, "device",
                std::to_string(result_.device_bytes) + " bytes, too small to hold a superblock (" +
                    std::to_string(block_size) + " bytes)");
            return std::move(result_);
        }
        if (!read(0, "block 0 (superblock)"))
            return std::move(result_);
        if (is_blank(block_)) {
            result_.content = Inspection::Content::blank;
            return std::move(result_);
        }
        const Superblock sb = decode_superblock(block_);
        if (sb.magic != magic) {
            result_.content = Inspection::Content::foreign;
            add(Level::error, "block 0 (superblock)",
                "bad magic " + hex(sb.magic, 16) + " (tandem metadata has " + hex(magic, 16) +
                    ", \"tandmta1\"): not tandem metadata");
            return std::move(result_);
        }
        result_.content = Inspection::Content::metadata;
        result_.superblock = sb;
        check_checksum("block 0 (superblock)", sb.csum);
        if (sb.version != format_version) {
            add(Level::error, "block 0 (superblock)",
                "unsupported metadata version " + std::to_string(sb.version) +
                    " (this tandemctl reads version " + std::to_string(format_version) + ")");
            return std::move(result_);
        }
        result_.version_known = true;
        const bool walkable = check_geometry(sb);
        check_legs(sb);
        if (walkable)
            walk_bitmaps(sb);
        return std::move(result_);
    }

private:
    void add(Level level, std::string where, std::string what) {
        result_.problems.push_back(Problem{level, std::move(where), std::move(what)});
    }

    bool read(std::uint64_t block, const std::string& name) {
        try {
            source_.read(block, block_);
            return true;
        } catch (const std::system_error& e) {
            add(Level::error, name, std::string("cannot read: ") + e.what());
            return false;
        }
    }

    bool check_checksum(const std::string& name, std::uint32_t stored) {
        const std::uint32_t computed = compute_checksum(block_);
        result_.blocks_checked++;
        if (stored == computed)
            return true;
        add(Level::error, name,
            "checksum mismatch: stored " + hex(stored, 8) + ", computed " + hex(computed, 8));
        return false;
    }

    // The recorded geometry; false when the bitmaps cannot be located.
    bool check_geometry(const Superblock& sb) {
        bool walkable = true;
        if (sb.nr_legs < min_legs || sb.nr_legs > max_legs) {
            add(Level::error, "superblock",
                "nr_legs is " + std::to_string(sb.nr_legs) + "; a device has " +
                    std::to_string(min_legs) + " to " + std::to_string(max_legs) + " legs");
            walkable = false;
        }
        const bool region_ok = valid_region_sectors(sb.region_sectors);
        if (!region_ok)
            add(Level::error, "superblock",
                "region_sectors is " + std::to_string(sb.region_sectors) +
                    "; it must be a power of two " + std::to_string(min_region_sectors) + ".." +
                    std::to_string(max_region_sectors));
        if (sb.target_sectors == 0)
            add(Level::error, "superblock", "target_sectors is 0");
        if (sb.nr_regions == 0) {
            add(Level::error, "superblock", "nr_regions is 0");
        } else if (region_ok && sb.target_sectors) {
            const std::uint64_t regions = sb.target_sectors / sb.region_sectors +
                                          (sb.target_sectors % sb.region_sectors ? 1 : 0);
            if (regions != sb.nr_regions)
                add(Level::error, "superblock",
                    "nr_regions is " + std::to_string(sb.nr_regions) + ", but a target of " +
                        std::to_string(sb.target_sectors) + " sectors in regions of " +
                        std::to_string(sb.region_sectors) + " sectors has " +
                        std::to_string(regions));
        }
        const std::uint64_t bpl = bitmap_blocks(sb.nr_regions);
        if (sb.bitmap_blocks_per_leg != bpl)
            add(Level::error, "superblock",
                "bitmap_blocks_per_leg is " + std::to_string(sb.bitmap_blocks_per_leg) + ", but " +
                    std::to_string(sb.nr_regions) + " regions need " + std::to_string(bpl) + " (" +
                    std::to_string(bits_per_block) + " regions per block)");
        if (sb.bitmap_blocks_per_leg == 0)
            walkable = false;
        if (sb.flags & ~flag_clean)
            add(Level::warning, "superblock", "unknown flags " + hex(sb.flags & ~flag_clean, 8));
        if (!walkable)
            return false;

        // Laid out as the superblock says, whatever the checks above found.
        result_.blocks_needed = 1 + std::uint64_t{sb.nr_legs} * sb.bitmap_blocks_per_leg;
        if (result_.blocks_needed > device_blocks_)
            add(Level::error, "device",
                std::to_string(result_.device_bytes) + " bytes (" + std::to_string(device_blocks_) +
                    " whole blocks), but the metadata needs " +
                    std::to_string(result_.blocks_needed) + " blocks (" +
                    std::to_string(result_.blocks_needed * block_size) +
                    " bytes): truncated, or too small for this geometry; blocks " +
                    std::to_string(device_blocks_) + ".." +
                    std::to_string(result_.blocks_needed - 1) + " are missing");
        return true;
    }

    void check_legs(const Superblock& sb) {
        const std::uint32_t legs = std::min<std::uint32_t>(sb.nr_legs, max_legs);
        bool any_healthy = false;
        for (std::size_t i = 0; i < max_legs; i++) {
            const LegRecord& leg = sb.legs[i];
            const std::string name = "leg " + std::to_string(i);
            if (i >= legs) {
                if (leg != LegRecord{})
                    add(Level::warning, "superblock",
                        name + " is beyond nr_legs (" + std::to_string(sb.nr_legs) +
                            ") but its record is not zero");
                continue;
            }
            any_healthy |= !leg.failed();
            if (leg.flags & ~leg_flag_failed)
                add(Level::warning, "superblock",
                    name + " has unknown flags " + hex(leg.flags & ~leg_flag_failed, 8));
            if (leg.out_of_sync > sb.nr_regions)
                add(Level::error, "superblock",
                    name + " out_of_sync is " + std::to_string(leg.out_of_sync) +
                        ", more than the " + std::to_string(sb.nr_regions) + " regions");
        }
        if (legs >= min_legs && !any_healthy)
            add(Level::error, "superblock",
                "every leg is marked failed; the target refuses such metadata");
    }

    void walk_bitmaps(const Superblock& sb) {
        const std::uint64_t bpl = sb.bitmap_blocks_per_leg;
        result_.legs.resize(sb.nr_legs);
        for (std::uint32_t leg = 0; leg < sb.nr_legs; leg++) {
            LegBits& bits = result_.legs[leg];
            bits.complete = true;
            bool intact = true; // every block read, with a good checksum and header
            for (std::uint64_t index = 0; index < bpl; index++) {
                const std::uint64_t block = bitmap_block_number(leg, index, bpl);
                const std::string name = block_name(block, bpl);
                if (block >= device_blocks_ || !read(block, name)) {
                    bits.complete = false;
                    if (block >= device_blocks_)
                        break; // reported once, as the device being too small
                    continue;
                }
                intact &= check_bitmap_block(sb, leg, index, name, bits);
            }
            // A count against a damaged bitmap would only repeat the damage.
            if (bits.complete && intact && bits.bits_set != sb.legs[leg].out_of_sync)
                add(Level::warning, "superblock",
                    "leg " + std::to_string(leg) + " out_of_sync is " +
                        std::to_string(sb.legs[leg].out_of_sync) + ", but its bitmap has " +
                        std::to_string(bits.bits_set) +
                        " bits set (the target updates the count only when it writes the "
                        "superblock)");
        }
    }

    // Count the block's bits; false if its checksum or header is wrong.
    bool check_bitmap_block(const Superblock& sb, std::uint32_t leg, std::uint64_t index,
                            const std::string& name, LegBits& bits) {
        const BitmapHeader h = decode_bitmap_header(block_);
        bool sound = check_checksum(name, h.csum);
        if (h.leg != leg || h.index != index) {
            sound = false;
            add(Level::error, name,
                "header says leg " + std::to_string(h.leg) + " block " + std::to_string(h.index) +
                    ", expected leg " + std::to_string(leg) + " block " + std::to_string(index));
        }

        const std::uint64_t first = index * bits_per_block;
        const std::uint64_t nbits =
            first >= sb.nr_regions ? 0 : std::min(bits_per_block, sb.nr_regions - first);
        bits.bits_set += count_bits(block_, 0, nbits);
        if (options_.ranges)
            append_set_ranges(block_, first, nbits, bits.set);
        const std::uint64_t beyond = sound ? count_bits(block_, nbits, bits_per_block) : 0;
        if (beyond)
            add(Level::warning, name,
                std::to_string(beyond) + " bit(s) set beyond the last region (" +
                    std::to_string(sb.nr_regions) + " regions); the target ignores them");
        return sound;
    }

    BlockSource& source_;
    InspectOptions options_;
    std::uint64_t device_blocks_ = 0;
    alignas(std::uint64_t) std::array<std::byte, block_size> block_{};
    Inspection result_;
};

} // namespace

std::size_t Inspection::count(Problem::Level level) const {
    return static_cast<std::size_t>(std::count_if(
        problems.begin(), problems.end(), [&](const Problem& p) { return p.level == level; }));
}

bool Inspection::valid() const {
    return (content == Content::metadata || content == Content::blank) && count(Level::error) == 0;
}

Inspection inspect(BlockSource& source, InspectOptions options) {
    return Inspector(source, options).run();
}

std::string block_name(std::uint64_t block, std::uint64_t blocks_per_leg) {
    std::string out = "block " + std::to_string(block);
    if (block == 0)
        return out + " (superblock)";
    if (blocks_per_leg == 0)
        return out;
    const std::uint64_t leg = (block - 1) / blocks_per_leg;
    const std::uint64_t index = (block - 1) % blocks_per_leg;
    return out + " (bitmap block " + std::to_string(index) + " of leg " + std::to_string(leg) + ")";
}

} // namespace tandem::metadata
