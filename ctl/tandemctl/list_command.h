// `tandemctl list [--json]`: the tandem devices of this machine, those
// whose uuid starts with TANDEM- and those whose table is one tandem line,
// one line each, sorted by name:
//
//   tandem0  TANDEM-tandem0  legs Aa  weights 100 0  resync  85.5%, 37/256 regions left
//   mirror1  -               legs AA  weights 60 40  in sync
//
// With --json, an array of {"name", "uuid" (null without one), "status"
// (status_json.h's object; null when it could not be read), "error" (why
// not; null otherwise)}.  Without devices: nothing, or "[]".
#pragma once

#include "tandem/device_mapper.h"

#include <iosfwd>
#include <string>
#include <vector>

namespace tandem::cli {

struct ListFlags {
    bool json = false;
};

// Returns exit_ok, or exit_failure when a tandem device's status could not
// be read (it is listed with the reason).
int run_list(const ListFlags& flags, DeviceMapper& dm, std::ostream& out);

} // namespace tandem::cli
