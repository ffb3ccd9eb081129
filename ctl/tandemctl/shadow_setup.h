// Giving a tandem device a shadow and taking it away (docs/shadow.md): a
// sparse copy-on-write file on a loop device, a non-persistent dm-snapshot
// of leg 0 over it named <dev>-shadow (uuid TANDEM-SHADOW-<dev>), and the
// tandem table reloaded with the shadow features.  Each either completes
// or undoes what it did; the checks that come first raise UsageError and
// change nothing.
#pragma once

#include "tandem/cow_store.h"
#include "tandem/device_mapper.h"
#include "tandem/shadow_mode.h"

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

namespace tandem::cli {

struct ShadowRequest {
    std::string device;          // the tandem device
    std::uint64_t cow_bytes = 0; // the COW file's size: what the shadow can write
    std::string cow_file;
    std::optional<ShadowMode> mode;      // nullopt: the target's default, async
    std::optional<std::uint32_t> sample; // nullopt: the default, every bio
    std::optional<std::uint32_t> pool;   // KiB; nullopt: the default
};

// The snapshot's chunk, in sectors: 4 KiB, the unit the shadow copies.
inline constexpr std::uint32_t snapshot_chunk_sectors = 8;
// The smallest COW file: a few chunks would fill at once.
inline constexpr std::uint64_t min_cow_bytes = 1 << 20;

// "<dev>-shadow", "TANDEM-SHADOW-<dev>", "/var/lib/tandem/<dev>-cow.img".
std::string shadow_device_name(const std::string& device);
std::string shadow_uuid(const std::string& device);
std::string default_cow_file(const std::string& device);

// Refuses a device that is no tandem device or whose module has no
// shadow, one that has a shadow already, a <dev>-shadow device or a COW
// file that exists.
void create_shadow(const ShadowRequest& request, DeviceMapper& dm, CowStore& store,
                   std::ostream& out);

// Reloads the table without the shadow features, removes <dev>-shadow
// and deletes its COW file.  A shadow tandemctl did not make (another
// device, or one without its uuid) is only detached, never removed.
void remove_shadow(const std::string& device, DeviceMapper& dm, CowStore& store, std::ostream& out);

// Once the tandem device is gone: removes <dev>-shadow if create_shadow
// made it (its uuid says so) and deletes its COW file.  Returns false,
// doing nothing, when there is no such device.
bool remove_leftover_shadow(const std::string& device, DeviceMapper& dm, CowStore& store,
                            std::ostream& out);

// Throws the shadow's changes away: remove, then create with the same COW
// file, size, mode, sample and pool.  Only for a shadow that
// create_shadow made and that is attached.
void reset_shadow(const std::string& device, DeviceMapper& dm, CowStore& store, std::ostream& out);

} // namespace tandem::cli
