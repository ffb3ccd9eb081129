// A tandem device's table line planned from what is asked for: the legs,
// metadata and shadow devices, the region size and the features (a
// CreateRequest, from `tandemctl create`'s arguments or from a device's
// entry in tandemd's configuration).  The devices are inspected
// (block_devices.h) before anything is created: each must be a block
// device, none may serve twice, the legs must hold the device's size and
// the metadata device its bitmaps.  `tandemctl create` and tandemd's
// device creation share it, so both make the same table from the same
// configuration.
#pragma once

#include "tandem/block_devices.h"
#include "tandem/config.h"
#include "tandem/device_mapper.h"
#include "tandem/resync_mode.h"
#include "tandem/shadow_mode.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tandem {

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

// "TANDEM-<dev>": how tandem devices are found by uuid.
std::string tandem_uuid(const std::string& device);

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

} // namespace tandem
