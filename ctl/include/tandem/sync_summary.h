// Plain-language summaries of a status line's resync fields (version 2),
// metadata state (version 3) and checksum resync / verify fields (version
// 4), shared by `tandemctl status` and tandemd's log, e.g.
//
//   resync 37/256 regions to copy for leg 1, 65536 KiB/s
//   verify 37/256 regions, 2 mismatching blocks so far
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

// The metadata state: "ok", "- (in core only)", or "failed: every write
// fails (reads work) until the metadata device is replaced".  Empty for a
// status before version 3.
std::string describe_metadata(const Status& status);

// The resync mode and the checksum resync's counters:
//   "checksum, 16384 blocks compared, 164 copied"
// Empty for a status before version 4.
std::string describe_resync_mode(const Status& status);

// The verify/repair pass:
//   "verify 37/256 regions, 2 mismatching blocks so far"
//   "repair 37/256 regions, 2 mismatching blocks rewritten so far"
//   "idle" (no pass has run)
//   "idle; last pass: 256/256 regions, 5 mismatching blocks"
//   "idle; last pass stopped after 37/256 regions, 2 mismatching blocks"
// Empty for a status before version 4.
std::string describe_check(const Status& status);

} // namespace tandem
