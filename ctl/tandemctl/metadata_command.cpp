#include "metadata_command.h"

#include "exit_codes.h"

#include "tandem/byte_size.h"
#include "tandem/metadata_file.h"

#include <algorithm>
#include <iomanip>
#include <ostream>

namespace tandem::cli {

namespace {

using metadata::Inspection;
using metadata::Problem;
using Content = Inspection::Content;

std::string level_word(Problem::Level level) {
    return level == Problem::Level::error ? "error" : "warning";
}

void print_problems(const Inspection& in, std::ostream& out) {
    for (const Problem& p : in.problems)
        out << level_word(p.level) << ": " << p.text() << "\n";
}

void print_holders(const std::vector<std::string>& holders, std::ostream& out) {
    if (holders.empty())
        return;
    std::string names;
    for (const std::string& h : holders)
        names += (names.empty() ? "" : ", ") + h;
    out << "note: in use by " << names
        << " (a live table?): what is on disk may lag behind it; read it after "
           "'dmsetup suspend' or 'dmsetup remove' for a settled view\n";
}

std::string plural(std::uint64_t n, const std::string& word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// The legs the superblock describes (all records if its count is wrong).
std::size_t legs_shown(const metadata::Superblock& sb) {
    return sb.nr_legs >= 1 && sb.nr_legs <= metadata::max_legs ? sb.nr_legs : metadata::max_legs;
}

void print_dump(const std::string& path, const Inspection& in, bool bits, std::ostream& out) {
    const metadata::Superblock& sb = *in.superblock;
    out << path << ": tandem metadata version " << sb.version << "\n";
    if (!in.version_known) {
        print_problems(in, out);
        return;
    }
    out << "  uuid:      " << metadata::format_uuid(sb.uuid) << "\n"
        << "  events:    " << sb.events << " superblock writes\n"
        << "  state:     "
        << (sb.clean() ? "clean (stopped with no write in flight)"
                       : "not clean (in use, or stopped without a clean shutdown: regions with "
                         "a bit set on every healthy leg are resynced)")
        << "\n"
        << "  target:    " << sb.target_sectors << " sectors ("
        << format_bytes(sb.target_sectors * 512) << ")\n"
        << "  regions:   " << sb.nr_regions << " of " << sb.region_sectors << " sectors ("
        << format_bytes(std::uint64_t{sb.region_sectors} * 512) << ")\n"
        << "  legs:      " << sb.nr_legs << "\n"
        << "  bitmaps:   " << plural(sb.bitmap_blocks_per_leg, "block") << " per leg";
    if (in.blocks_needed)
        out << ", " << plural(in.blocks_needed, "block") << " in all ("
            << format_bytes(in.blocks_needed * metadata::block_size) << ")";
    out << " on a device of " << format_bytes(in.device_bytes) << "\n";

    out << " leg  state    out_of_sync  bits_set\n";
    for (std::size_t i = 0; i < legs_shown(sb); i++) {
        const metadata::LegRecord& leg = sb.legs[i];
        std::string set = "-";
        if (i < in.legs.size())
            set = std::to_string(in.legs[i].bits_set) + (in.legs[i].complete ? "" : " (partial)");
        out << std::right << std::setw(4) << i << "  " << std::left << std::setw(7)
            << (leg.failed() ? "failed" : "healthy") << std::right << std::setw(13)
            << leg.out_of_sync << std::setw(10) << set << "\n";
    }
    if (bits) {
        for (std::size_t i = 0; i < in.legs.size(); i++) {
            const std::string ranges = metadata::format_ranges(in.legs[i].set);
            out << "leg " << i << " set regions: " << (ranges.empty() ? "none" : ranges) << "\n";
        }
    }
    print_problems(in, out);
}

int dump(const std::string& path, const Inspection& in, bool bits, std::ostream& out) {
    switch (in.content) {
    case Content::blank:
        out << path << ": blank (will be formatted on first use)\n";
        return exit_ok;
    case Content::foreign:
    case Content::unusable:
        out << path << ": not tandem metadata\n";
        print_problems(in, out);
        return exit_failure;
    case Content::metadata:
        break;
    }
    print_dump(path, in, bits, out);
    return in.version_known ? exit_ok : exit_failure;
}

int check(const std::string& path, const Inspection& in, std::ostream& out) {
    const std::size_t errors = in.count(Problem::Level::error);
    const std::size_t warnings = in.count(Problem::Level::warning);
    switch (in.content) {
    case Content::blank:
        out << path << ": blank (will be formatted on first use)\n";
        return exit_ok;
    case Content::foreign:
    case Content::unusable:
        out << path << ": not tandem metadata\n";
        break;
    case Content::metadata:
        if (errors) {
            out << path << ": invalid tandem metadata: " << plural(errors, "error");
        } else {
            const metadata::Superblock& sb = *in.superblock;
            out << path << ": valid tandem metadata: " << plural(sb.nr_legs, "leg") << ", "
                << plural(sb.nr_regions, "region") << ", " << plural(in.blocks_checked, "block")
                << " checked";
        }
        if (warnings)
            out << ", " << plural(warnings, "warning");
        out << "\n";
        break;
    }
    print_problems(in, out);
    return in.valid() ? exit_ok : exit_failure;
}

} // namespace

int run_metadata(const MetadataFlags& flags, std::ostream& out) {
    metadata::MetadataFile file(flags.path);
    return run_metadata(flags, file, file.holders(), out);
}

int run_metadata(const MetadataFlags& flags, metadata::BlockSource& source,
                 const std::vector<std::string>& holders, std::ostream& out) {
    const bool dumping = flags.action == MetadataFlags::Action::dump;
    const Inspection in = metadata::inspect(source, {.ranges = dumping && flags.bits});
    print_holders(holders, out);
    return dumping ? dump(flags.path, in, flags.bits, out) : check(flags.path, in, out);
}

} // namespace tandem::cli
