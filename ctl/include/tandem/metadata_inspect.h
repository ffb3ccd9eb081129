// Validating a whole tandem metadata device, block by block, the way the
// target would load it and more: the superblock's magic, checksum and
// version, its geometry (regions for the target length, bitmap blocks for
// the regions, the device large enough), every bitmap block's checksum and
// header, and each leg's set bits against the count in the superblock.
// The blocks come from a BlockSource, so this file does no I/O itself.
#pragma once

#include "tandem/metadata_format.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace tandem::metadata {

// Where the blocks come from: a device, an image file, or memory.
class BlockSource {
public:
    virtual ~BlockSource() = default;
    // Size in bytes; only whole blocks below it can be read.
    virtual std::uint64_t size() const = 0;
    // Read block `index` (< size() / block_size).  Raises std::system_error
    // when it cannot be read.
    virtual void read(std::uint64_t index, std::span<std::byte, block_size> out) = 0;
};

struct Problem {
    enum class Level { warning, error };
    Level level = Level::error;
    std::string where; // "block 0 (superblock)", "block 2 (bitmap block 0 of leg 1)", "superblock",
                       // "device"
    std::string what;

    // "where: what"
    std::string text() const { return where + ": " + what; }
};

struct LegBits {
    std::uint64_t bits_set = 0;   // over the regions, in every readable bitmap block
    std::vector<RegionRange> set; // with InspectOptions::ranges
    bool complete = false;        // every bitmap block of the leg was read
};

struct Inspection {
    enum class Content {
        unusable, // too small or unreadable superblock block
        blank,    // all-zero first block: formatted on first use
        foreign,  // not tandem metadata (bad magic)
        metadata, // tandem metadata (maybe with problems)
    };
    Content content = Content::unusable;
    std::uint64_t device_bytes = 0;
    std::optional<Superblock> superblock; // when content is metadata
    bool version_known = false;           // the superblock is of format_version
    std::uint64_t blocks_needed = 0;      // by the geometry the superblock records
    std::uint64_t blocks_checked = 0;     // whose checksum was verified
    std::vector<LegBits> legs;            // one per leg, when the bitmaps could be walked
    std::vector<Problem> problems;        // in the order found: block 0 first

    std::size_t count(Problem::Level level) const;
    // Tandem metadata with no error (warnings allowed), or blank.
    bool valid() const;
};

struct InspectOptions {
    bool ranges = false; // collect each leg's set regions as ranges
};

Inspection inspect(BlockSource& source, InspectOptions options = {});

// "block 3 (bitmap block 1 of leg 1)".
std::string block_name(std::uint64_t block, std::uint64_t blocks_per_leg);

} // namespace tandem::metadata
