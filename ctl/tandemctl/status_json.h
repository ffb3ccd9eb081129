// `tandemctl status --json`: the whole decoded status line as one JSON
// object, for scripts.  Keys follow docs/target.md's field names; each
// section a status version adds (sync, metadata, compare, scheduler,
// shadow) is null when the target's version lacks it, so a script can
// tell "not reported" from zero.  Words the target reports are passed on
// as they are, also those of a newer version this tandemctl does not know:
//
//   {"device": "tandem0", "version": 6,
//    "legs": [{"index": 0, "role": "source", "state": "alive", "letter": "A",
//              "weight": 70, "reads": 120, ...}, ...],
//    "read_retries": 2,
//    "sync": {"regions": 256, "action": "resync", "rate_kib": 65536, ...,
//             "progress": {"percent": 85.5, "regions_left": 37, ...}},
//    "metadata": "ok", "compare": {...}, "scheduler": {...},
//    "shadow": {...}, "extra_fields": []}
#pragma once

#include "tandem/status.h"

#include <nlohmann/json.hpp>

#include <string>

namespace tandem::cli {

// The object, keys in the documented order (for `list --json`).
nlohmann::ordered_json status_json(const std::string& device, const Status& status);

// status_json() indented by two spaces, ending with a newline.
std::string format_status_json(const std::string& device, const Status& status);

} // namespace tandem::cli
