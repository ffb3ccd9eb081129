// tandemctl's create command:
//
//   create <dev> --legs <dev0>,<dev1>[,<dev2>[,<dev3>]] [--metadata <dev>|-]
//                [--region-size <size>] [--size <size>] [--nosync]
//                [--sync-rate <KiB/s>] [--resync-mode copy|checksum]
//                [--read-weights <w0>,<w1>[,...]] [--queue-depth <n>]
//   create <dev> --config <file>
//
// builds the target's table line (table.h) and creates the device with
// uuid TANDEM-<dev>, sized to its smallest leg unless --size says less.
// Arguments are checked against the kernel's limits while parsing; the
// devices are checked before anything is created (each a block device,
// none given twice, the legs large enough, the metadata device large
// enough for the bitmaps), and every problem there raises UsageError.  A
// device of that name that exists already is refused as a failure, not
// replaced.  Once created the device's status is read back; if it cannot
// be, the device is removed again.
#pragma once

#include "block_devices.h"

#include "tandem/config.h"
#include "tandem/device_mapper.h"
#include "tandem/resync_mode.h"
#include "tandem/shadow_mode.h"

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace tandem::cli {

class CommandParser;

// 512 KiB: small enough that a resync after a crash copies little, large
// enough that the bitmaps of a 16 GiB device fit in one block per leg.
inline constexpr std::uint32_t default_region_sectors = 1024;

// What to create, however it was asked for.
struct CreateRequest {
    std::string device;
    std::vector<std::string> legs;       // paths or major:minor; leg 0 is the source
    std::optional<std::string> metadata; // nullopt: "-", state in core only
    std::uint32_t region_sectors = default_region_sectors;
    std::optional<std::uint64_t> size_bytes; // nullopt: the smallest leg's size
    bool nosync = false;
    std::optional<std::uint32_t> sync_rate;            // KiB/s; nullopt: the target's default
    std::optional<ResyncMode> resync_mode;             // nullopt: the target's default, copy
    std::optional<std::vector<unsigned>> read_weights; // nullopt: all reads from leg 0
    std::optional<std::uint32_t> queue_depth;          // nullopt: scheduler off
    std::string uuid;                                  // empty: tandem_uuid(device)
    // An existing device to clone production bios to (shadow_setup.h makes
    // a snapshot one instead); the rest as table.h's shadow features.
    std::optional<std::string> shadow;
    std::optional<ShadowMode> shadow_mode;
    std::optional<std::uint32_t> shadow_sample;
    std::optional<std::uint32_t> shadow_pool;
};

struct CreateFlags {
    CreateRequest request;                  // the device only, with config_file
    std::optional<std::string> config_file; // take the rest from tandemd's configuration file
};

// "TANDEM-<dev>": how tandem devices are found by uuid.
std::string tandem_uuid(const std::string& device);

// Register the command's options on `p`, parse, and check the arguments;
// nullopt when --help was asked for.  Raise UsageError otherwise.
std::optional<CreateFlags> parse_create_command(CommandParser& p);

// The request for the device named `device` in tandemd's configuration;
// UsageError when there is none or it has no legs (a device tandemd only
// watches).  Settings at the target's default are left out of the table,
// as the target leaves them out of its own.
CreateRequest request_from_config(const Config& config, const std::string& device);

// The table line that creates what `request` asks for on these devices
// (inspected through `devices`); raises UsageError for a device that
// cannot be inspected, one given twice, a leg smaller than the size, or a
// metadata device too small for the bitmaps.
TableLine plan_table(const CreateRequest& request, BlockDevices& devices);

// With flags.config_file, loads the configuration first (ConfigError when
// it is invalid).
void run_create(const CreateFlags& flags, DeviceMapper& dm, BlockDevices& devices,
                std::ostream& out);

} // namespace tandem::cli
