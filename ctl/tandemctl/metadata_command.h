// `tandemctl metadata dump|check <path>`: a metadata device, or an image
// of one, read directly (read-only) and decoded, without the target.
//
//   dump   the superblock and, per leg, its state, its out-of-sync count
//          and the bits set in its bitmap (--bits: which regions); exits 0
//          unless the device holds no tandem metadata, or metadata of a
//          version this tandemctl cannot decode
//   check  every block validated; exits 0 if valid (warnings allowed) or
//          blank, 1 with the problems, each naming its block, otherwise
#pragma once

#include "tandem/metadata_inspect.h"

#include <iosfwd>
#include <string>
#include <vector>

namespace tandem::cli {

struct MetadataFlags {
    enum class Action { dump, check };
    Action action = Action::dump;
    std::string path;
    bool bits = false; // dump: list each leg's set regions
};

// Open flags.path read-only and run the action; returns the exit status.
int run_metadata(const MetadataFlags& flags, std::ostream& out);

// The same over any block source; `holders` are the devices stacked on it
// (a live table), mentioned because what is on disk may lag behind them.
int run_metadata(const MetadataFlags& flags, metadata::BlockSource& source,
                 const std::vector<std::string>& holders, std::ostream& out);

} // namespace tandem::cli
