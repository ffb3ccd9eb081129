// Plain-language summaries of a status line's resync fields (version 2),
// shared by `tandemctl status` and tandemd's log, e.g.
//
//   resync 37/256 regions to copy for leg 1, 65536 KiB/s
#pragma once

#include "tandem/status.h"

#include <string>

namespace tandem {

// "37/256": the regions the leg lacks out of the device's regions; empty
// for a status without the version 2 fields.
std::string out_of_sync_fraction(const Status& status, std::size_t leg);

// The regions left to copy to each healthy leg that lacks some, e.g.
// "37/256 regions to copy for leg 1, 12/256 for leg 2"; empty when no
// healthy leg lacks a region (failed legs are not copied to).
std::string regions_to_copy(const Status& status);

// The failed legs that lack regions, e.g. "leg 1 (failed) lacks 37/256
// regions"; empty when there are none.
std::string failed_legs_out_of_sync(const Status& status);

// The sync action with what is left to copy and the rate:
//   "resync 37/256 regions to copy for leg 1, 65536 KiB/s"
//   "paused 37/256 regions to copy for leg 1, 0 KiB/s"
//   "idle, 65536 KiB/s"
// Empty for a status without the version 2 fields.
std::string describe_sync(const Status& status);

} // namespace tandem
