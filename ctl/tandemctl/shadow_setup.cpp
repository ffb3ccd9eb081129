#include "shadow_setup.h"

#include "device_status.h"
#include "rollback.h"
#include "shadow_view.h"

#include "tandem/errors.h"
#include "tandem/fields.h"
#include "tandem/table.h"

#include <dm-tandem/tandem.h>

#include <ostream>
#include <sstream>
#include <stdexcept>

namespace tandem::cli {

namespace {

constexpr const char* snapshot_target = "snapshot";

// The tandem device's table: its one line and what it says.
struct TandemTable {
    TableLine line;
    TableConfig config;
};

TandemTable read_tandem_table(DeviceMapper& dm, const std::string& device,
                              const std::string& command) {
    std::vector<TableLine> lines = dm.table_lines(device);
    if (lines.size() != 1 || lines[0].type != TANDEM_TARGET_NAME)
        throw UsageError(command + ": " + device + " is not a " + TANDEM_TARGET_NAME +
                         " device (its table has " + std::to_string(lines.size()) +
                         " line(s), the first of target '" +
                         (lines.empty() ? std::string("-") : lines[0].type) + "')");
    TandemTable table{lines[0], {}};
    try {
        table.config = parse_table(table.line.params);
    } catch (const ParseError& e) {
        throw ParseError(device + ": " + e.what() + " in '" + table.line.params + "'");
    }
    return table;
}

TableConfig without_shadow(TableConfig config) {
    config.shadow_dev.reset();
    config.shadow_mode.reset();
    config.shadow_sample.reset();
    config.shadow_pool.reset();
    return config;
}

// Swap `live` back in, whatever state a failed swap left the device in:
// drop a loaded table, resume, and if that fails load `live` again.
void restore_table(DeviceMapper& dm, const std::string& device, const TableLine& live) {
    dm.clear(device);
    if (!dm.info(device).suspended)
        return;
    try {
        dm.resume(device);
    } catch (const DmError&) {
        dm.load(device, live);
        dm.resume(device);
    }
}

// Load the tandem table `params` and swap it in (load, suspend, resume);
// on failure `live` stays or is put back.
void swap_table(DeviceMapper& dm, const std::string& device, const TableLine& live,
                const std::string& params) {
    TableLine next = live;
    next.params = params;
    dm.load(device, next);
    try {
        dm.suspend(device);
        dm.resume(device);
    } catch (const std::exception& e) {
        try {
            restore_table(dm, device, live);
        } catch (const std::exception& again) {
            throw std::runtime_error(std::string(e.what()) +
                                     "; putting the table back failed "
                                     "too: " +
                                     again.what());
        }
        throw;
    }
}

// The COW device of a snapshot table line ("<origin> <cow> <P|N> <chunk>").
std::optional<DeviceNumber> snapshot_cow(const TableLine& line) {
    if (line.type != snapshot_target)
        return std::nullopt;
    const std::vector<std::string_view> fields = split_fields(line.params);
    if (fields.size() < 2)
        return std::nullopt;
    return parse_device_number(fields[1]);
}

// The COW file behind the shadow device `name`, if it is on a loop device.
std::optional<std::string> cow_file_of(DeviceMapper& dm, CowStore& store, const std::string& name) {
    for (const TableLine& line : dm.table_lines(name)) {
        if (auto cow = snapshot_cow(line))
            return store.backing_file(*cow);
    }
    return std::nullopt;
}

// Deletes the COW file of the snapshot `name`, removed just before, and
// says so.  A failure is raised after `prefix`: the snapshot is gone
// either way.
void delete_cow_file(const std::string& prefix, const std::string& device, const std::string& name,
                     const std::string& cow_file, CowStore& store, std::ostream& out) {
    try {
        store.remove_file(cow_file);
    } catch (const std::exception& e) {
        throw std::runtime_error(prefix + name +
                                 " is gone, but its COW file could not be deleted: " + e.what());
    }
    out << device << ": " << cow_file << " deleted\n";
}

// "32 MiB", "1 GiB", "1536 KiB", "1000 bytes".
std::string describe_bytes(std::uint64_t bytes) {
    constexpr const char* units[] = {"GiB", "MiB", "KiB"};
    constexpr unsigned shifts[] = {30, 20, 10};
    for (std::size_t i = 0; i < 3; i++) {
        const std::uint64_t unit = std::uint64_t{1} << shifts[i];
        if (bytes && bytes % unit == 0)
            return std::to_string(bytes / unit) + " " + units[i];
    }
    return std::to_string(bytes) + " bytes";
}

// Whether `name` is a shadow create_shadow made for `device`.
bool made_by_us(const DeviceInfo& info, const std::string& device) {
    return info.exists && info.uuid == shadow_uuid(device);
}

} // namespace

std::string shadow_device_name(const std::string& device) {
    return device + "-shadow";
}

std::string shadow_uuid(const std::string& device) {
    return "TANDEM-SHADOW-" + device;
}

std::string default_cow_file(const std::string& device) {
    return "/var/lib/tandem/" + device + "-cow.img";
}

void create_shadow(const ShadowRequest& request, DeviceMapper& dm, CowStore& store,
                   std::ostream& out) {
    const std::string command = "shadow create";
    const std::string& device = request.device;
    const std::string name = shadow_device_name(device);
    const TandemTable tandem = read_tandem_table(dm, device, command);
    if (tandem.config.shadow_dev)
        throw UsageError(command + ": " + device + " has a shadow already (" +
                         *tandem.config.shadow_dev + "); 'tandemctl shadow remove " + device +
                         "' first");
    if (const Status st = read_status(dm, device); !st.shadow)
        throw older_target(command, device, st, "the shadow");
    if (dm.info(name).exists)
        throw UsageError(command + ": a device named " + name + " exists already");
    if (store.file_size(request.cow_file))
        throw UsageError(command + ": " + request.cow_file +
                         " exists already; delete it or choose another --cow-file");
    const std::string& source = tandem.config.legs.at(0);

    Rollback rollback;
    std::string loop_path;
    DeviceInfo shadow;
    try {
        store.create_file(request.cow_file, request.cow_bytes);
        rollback.add("delete " + request.cow_file, [&] { store.remove_file(request.cow_file); });
        // Detaches itself once this goes, unless the snapshot holds it.
        const std::unique_ptr<CowStore::Loop> loop = store.attach(request.cow_file);
        loop_path = loop->path();
        dm.create(name, shadow_uuid(device),
                  TableLine{0, tandem.line.length, snapshot_target,
                            source + " " + to_string(loop->number()) + " N " +
                                std::to_string(snapshot_chunk_sectors)});
        rollback.add("remove " + name, [&] { dm.remove(name); });
        shadow = dm.info(name);

        TableConfig config = tandem.config;
        config.shadow_dev = to_string(DeviceNumber{shadow.major, shadow.minor});
        config.shadow_mode = request.mode;
        config.shadow_sample = request.sample;
        config.shadow_pool = request.pool;
        swap_table(dm, device, tandem.line, format_table(config));
    } catch (const std::exception& e) {
        rollback.fail(e);
    }

    out << device << ": shadow " << name << " (" << shadow.major << ":" << shadow.minor
        << ") attached, mode " << to_string(request.mode.value_or(ShadowMode::async)) << ", "
        << describe_sample(request.sample.value_or(1)) << "; a snapshot of leg 0 (" << source
        << ") over " << loop_path << " (" << request.cow_file << ", "
        << describe_bytes(request.cow_bytes) << ", sparse)\n";
}

void remove_shadow(const std::string& device, DeviceMapper& dm, CowStore& store,
                   std::ostream& out) {
    const std::string command = "shadow remove";
    const std::string name = shadow_device_name(device);
    const TandemTable tandem = read_tandem_table(dm, device, command);
    const DeviceInfo ours = dm.info(name);
    const bool remove_ours = made_by_us(ours, device);
    const std::optional<std::string>& attached = tandem.config.shadow_dev;
    if (!attached && !remove_ours)
        throw UsageError(command + ": " + device + " has no shadow" +
                         (ours.exists ? " (" + name +
                                            " exists but tandemctl did not make it: it is left "
                                            "alone)"
                                      : std::string()));
    const bool attached_is_ours =
        attached && remove_ours && *attached == to_string(DeviceNumber{ours.major, ours.minor});
    const std::optional<std::string> cow_file =
        remove_ours ? cow_file_of(dm, store, name) : std::nullopt;

    Rollback rollback;
    try {
        if (attached) {
            swap_table(dm, device, tandem.line, format_table(without_shadow(tandem.config)));
            rollback.add("attach " + *attached + " again",
                         [&] { swap_table(dm, device, tandem.line, tandem.line.params); });
        }
        if (remove_ours)
            dm.remove(name);
    } catch (const std::exception& e) {
        rollback.fail(e);
    }

    if (attached)
        out << device << ": shadow " << *attached << " detached\n";
    if (attached && !attached_is_ours)
        out << device << ": " << *attached
            << " was not made by 'tandemctl shadow create' and is left in place\n";
    if (remove_ours)
        out << device << ": " << name << " removed\n";
    if (cow_file)
        delete_cow_file(command + ": ", device, name, *cow_file, store, out);
    for (std::size_t i = 0; i < tandem.config.rules.size(); i++) {
        if (tandem.config.rules[i].route == Route::shadow)
            out << device << ": note: rule " << i
                << " routes bios to the shadow; without one they fail\n";
    }
}

bool remove_leftover_shadow(const std::string& device, DeviceMapper& dm, CowStore& store,
                            std::ostream& out) {
    const std::string name = shadow_device_name(device);
    if (!made_by_us(dm.info(name), device))
        return false;
    // Found before the snapshot goes: its loop device detaches with it.
    const std::optional<std::string> cow_file = cow_file_of(dm, store, name);
    dm.remove(name);
    out << device << ": " << name << " removed\n";
    if (cow_file)
        delete_cow_file("", device, name, *cow_file, store, out);
    return true;
}

void reset_shadow(const std::string& device, DeviceMapper& dm, CowStore& store, std::ostream& out) {
    const std::string command = "shadow reset";
    const std::string name = shadow_device_name(device);
    const TandemTable tandem = read_tandem_table(dm, device, command);
    const DeviceInfo ours = dm.info(name);
    if (!made_by_us(ours, device))
        throw UsageError(command + ": " + device +
                         " has no shadow made by 'tandemctl shadow create' (no device " + name +
                         " with uuid " + shadow_uuid(device) + ")");
    const std::string number = to_string(DeviceNumber{ours.major, ours.minor});
    if (tandem.config.shadow_dev != number)
        throw UsageError(command + ": " + name + " (" + number + ") is not attached to " + device +
                         "; 'tandemctl shadow remove " + device + "' removes it");
    const std::optional<std::string> cow_file = cow_file_of(dm, store, name);
    const std::optional<std::uint64_t> cow_bytes =
        cow_file ? store.file_size(*cow_file) : std::nullopt;
    if (!cow_bytes)
        throw std::runtime_error(command + ": cannot find the COW file of " + name +
                                 " (its snapshot is on no loop device, or the file is gone)");

    ShadowRequest request;
    request.device = device;
    request.cow_bytes = *cow_bytes;
    request.cow_file = *cow_file;
    request.mode = tandem.config.shadow_mode;
    request.sample = tandem.config.shadow_sample;
    request.pool = tandem.config.shadow_pool;

    std::ostringstream steps;
    remove_shadow(device, dm, store, steps);
    try {
        create_shadow(request, dm, store, steps);
    } catch (const std::exception& e) {
        throw std::runtime_error(command +
                                 ": the old shadow is removed, but a new one could not "
                                 "be made: " +
                                 std::string(e.what()));
    }
    out << device << ": shadow reset: " << name << " made again over " << request.cow_file << " ("
        << describe_bytes(request.cow_bytes) << "); what the shadow had written is gone\n";
}

} // namespace tandem::cli
