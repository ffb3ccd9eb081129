// tandemctl's create command:
//
//   create <dev> --legs <dev0>,<dev1>[,<dev2>[,<dev3>]] [--metadata <dev>|-]
//                [--region-size <size>] [--size <size>] [--nosync]
//                [--sync-rate <KiB/s>] [--resync-mode copy|checksum]
//                [--read-weights <w0>,<w1>[,...]] [--queue-depth <n>]
//   create <dev> --config <file>
//
// builds the target's table line (table_plan.h) and creates the device with
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
#include "tandem/table_plan.h"

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace tandem::cli {

class CommandParser;

struct CreateFlags {
    CreateRequest request;                  // the device only, with config_file
    std::optional<std::string> config_file; // take the rest from tandemd's configuration file
};

// Register the command's options on `p`, parse, and check the arguments;
// nullopt when --help was asked for.  Raise UsageError otherwise.
std::optional<CreateFlags> parse_create_command(CommandParser& p);

// With flags.config_file, loads the configuration first (ConfigError when
// it is invalid).
void run_create(const CreateFlags& flags, DeviceMapper& dm, BlockDevices& devices,
                std::ostream& out);

} // namespace tandem::cli
