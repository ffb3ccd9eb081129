#include "tandem/table_plan.h"

#include "tandem/byte_size.h"
#include "tandem/errors.h"
#include "tandem/metadata_format.h"
#include "tandem/table.h"

#include <dm-tandem/tandem.h>

#include <algorithm>
#include <system_error>

namespace tandem {

namespace {

// What the devices are, each named in errors as `what`.
BlockDeviceSize inspect(BlockDevices& devices, const std::string& device, const std::string& what) {
    try {
        return devices.inspect(device);
    } catch (const std::system_error& e) {
        throw UsageError("create: " + what + ": " + e.what());
    }
}

std::string leg_name(std::size_t i, const std::string& device) {
    return "leg " + std::to_string(i) + " (" + device + ")";
}

} // namespace

std::string tandem_uuid(const std::string& device) {
    return std::string(default_uuid_prefix) + device;
}

CreateRequest request_from_config(const Config& config, const std::string& device) {
    const DeviceConfig* found = nullptr;
    std::string names;
    for (const DeviceConfig& d : config.devices) {
        if (d.name.value == device)
            found = &d;
        names += (names.empty() ? "" : ", ") + d.name.value;
    }
    if (!found)
        throw UsageError("create: " + config.source + " has no device named " + device +
                         "; it has " + names);
    const DeviceConfig& d = *found;
    if (!d.created())
        throw UsageError("create: " + device + " in " + config.source +
                         " has no legs: tandemd only watches it; give it legs there, or create "
                         "it with --legs");
    CreateRequest r;
    r.device = device;
    for (const LegConfig& leg : d.legs)
        r.legs.push_back(leg.device);
    r.metadata = d.metadata;
    r.region_sectors = d.region_sectors();
    r.size_bytes = d.size;
    r.nosync = d.nosync;
    if (d.sync_rate_kib != default_sync_rate)
        r.sync_rate = d.sync_rate_kib;
    if (d.resync_mode != ResyncMode::copy)
        r.resync_mode = d.resync_mode;
    r.read_weights = d.read_weights;
    if (d.queue_depth)
        r.queue_depth = d.queue_depth;
    r.uuid = d.uuid;
    if (d.shadow) {
        r.shadow = d.shadow->device;
        if (d.shadow->mode != ShadowMode::async)
            r.shadow_mode = d.shadow->mode;
        if (d.shadow->sample != 1)
            r.shadow_sample = d.shadow->sample;
        if (d.shadow->pool_kib != default_shadow_pool)
            r.shadow_pool = d.shadow->pool_kib;
    }
    return r;
}

TableLine plan_table(const CreateRequest& r, BlockDevices& devices) {
    std::vector<BlockDeviceSize> legs;
    for (std::size_t i = 0; i < r.legs.size(); i++) {
        legs.push_back(inspect(devices, r.legs[i], leg_name(i, r.legs[i])));
        for (std::size_t j = 0; j < i; j++) {
            if (legs[j].number == legs[i].number)
                throw UsageError("create: " + leg_name(j, r.legs[j]) + " and " +
                                 leg_name(i, r.legs[i]) + " are the same device (" +
                                 to_string(legs[i].number) + ")");
        }
    }
    const auto smallest = static_cast<std::size_t>(
        std::min_element(
            legs.begin(), legs.end(),
            [](const BlockDeviceSize& a, const BlockDeviceSize& b) { return a.bytes < b.bytes; }) -
        legs.begin());
    const std::uint64_t sectors = r.size_bytes ? *r.size_bytes / 512 : legs[smallest].bytes / 512;
    if (sectors == 0)
        throw UsageError("create: " + leg_name(smallest, r.legs[smallest]) +
                         " holds less than one sector");
    if (sectors * 512 > legs[smallest].bytes)
        throw UsageError("create: the size " + format_bytes(sectors * 512) + " is larger than " +
                         leg_name(smallest, r.legs[smallest]) + ", which holds " +
                         format_bytes(legs[smallest].bytes));
    const std::uint64_t regions = (sectors + r.region_sectors - 1) / r.region_sectors;

    // The metadata device and the shadow: inspected, and refused when a
    // device serves already (a leg, or the metadata device as the shadow).
    std::optional<BlockDeviceSize> metadata;
    auto inspect_other = [&](const std::string& device, const std::string& role) {
        const std::string what = role + " (" + device + ")";
        const BlockDeviceSize found = inspect(devices, device, what);
        for (std::size_t i = 0; i < legs.size(); i++) {
            if (legs[i].number == found.number)
                throw UsageError("create: " + what + " is " + leg_name(i, r.legs[i]));
        }
        if (metadata && metadata->number == found.number)
            throw UsageError("create: " + what + " is the metadata device");
        return found;
    };
    if (r.metadata) {
        metadata = inspect_other(*r.metadata, "the metadata device");
        const std::uint64_t needed =
            metadata::total_blocks(regions, legs.size()) * metadata::block_size;
        if (metadata->bytes < needed)
            throw UsageError("create: the metadata device (" + *r.metadata + ") holds " +
                             format_bytes(metadata->bytes) + "; " + std::to_string(legs.size()) +
                             " legs of " + std::to_string(regions) + " regions need " +
                             format_bytes(needed));
    }
    if (r.shadow) {
        const BlockDeviceSize shadow = inspect_other(*r.shadow, "the shadow");
        if (shadow.bytes < sectors * 512)
            throw UsageError("create: the shadow (" + *r.shadow + ") holds " +
                             format_bytes(shadow.bytes) + ", less than the device's " +
                             format_bytes(sectors * 512));
    }

    TableConfig t;
    t.metadata_dev = r.metadata;
    t.region_sectors = r.region_sectors;
    t.legs = r.legs;
    t.nosync = r.nosync;
    t.read_weights = r.read_weights;
    t.sync_rate = r.sync_rate;
    t.resync_mode = r.resync_mode;
    t.queue_depth = r.queue_depth;
    t.shadow_dev = r.shadow;
    t.shadow_mode = r.shadow_mode;
    t.shadow_sample = r.shadow_sample;
    t.shadow_pool = r.shadow_pool;
    return TableLine{0, sectors, TANDEM_TARGET_NAME, format_table(t)};
}

} // namespace tandem
