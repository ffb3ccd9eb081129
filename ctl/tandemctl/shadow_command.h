// tandemctl's shadow command:
//
//   shadow <dev> on|off|status
//   shadow <dev> sample <n>
//   shadow <dev> pool <KiB>
//   shadow <dev> mode async|sync|gate
//   shadow create <dev> --cow-size <size> [--cow-file <path>] [--mode <mode>]
//                       [--sample <n>]
//   shadow remove|reset <dev>
//
// Arguments are checked against the kernel's limits while parsing, so a
// bad one is refused before the device is opened.  The settings read the
// status first and refuse, sending nothing, a device without a shadow;
// create, remove and reset are in shadow_setup.h.
#pragma once

#include "shadow_setup.h"

#include "tandem/cow_store.h"
#include "tandem/device_mapper.h"

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

namespace tandem::cli {

class CommandParser;

struct ShadowFlags {
    enum class Action { on, off, sample, pool, mode, status, create, remove, reset };
    Action action = Action::status;
    std::string device;
    std::uint32_t value = 0; // sample: 1 in n bios; pool: KiB
    ShadowMode mode{};       // mode
    ShadowRequest request;   // create
};

// Register the command's options on `p`, parse, and check the arguments;
// nullopt when --help was asked for.  Raise UsageError otherwise.
std::optional<ShadowFlags> parse_shadow_command(CommandParser& p);

void run_shadow(const ShadowFlags& flags, DeviceMapper& dm, CowStore& store, std::ostream& out);

} // namespace tandem::cli
