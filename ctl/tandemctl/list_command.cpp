#include "list_command.h"

#include "device_status.h"
#include "exit_codes.h"
#include "status_json.h"
#include "sync_progress.h"

#include "tandem/errors.h"
#include "tandem/sync_summary.h"
#include "tandem/table_plan.h"

#include <dm-tandem/tandem.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <iomanip>
#include <ostream>

namespace tandem::cli {

namespace {

using Json = nlohmann::ordered_json;

struct ListedDevice {
    std::string name;
    std::string uuid;
    std::optional<Status> status; // nullopt: not readable, `error` says why
    std::string error;
};

bool is_tandem_device(DeviceMapper& dm, const DeviceEntry& entry) {
    if (entry.uuid.rfind(tandem_uuid(""), 0) == 0)
        return true;
    const std::vector<TableLine> lines = dm.table_lines(entry.name);
    return lines.size() == 1 && lines[0].type == TANDEM_TARGET_NAME;
}

// A device removed while the list is read.
bool gone(const DmError& e) {
    return e.errno_value() == ENXIO;
}

std::vector<ListedDevice> tandem_devices(DeviceMapper& dm) {
    std::vector<ListedDevice> out;
    for (const DeviceEntry& entry : dm.list_devices()) {
        ListedDevice dev{entry.name, entry.uuid, std::nullopt, {}};
        try {
            if (!is_tandem_device(dm, entry))
                continue;
            dev.status = read_status(dm, entry.name);
        } catch (const DmError& e) {
            if (gone(e))
                continue;
            dev.error = e.what();
        } catch (const std::exception& e) {
            dev.error = e.what();
        }
        out.push_back(std::move(dev));
    }
    return out;
}

// "resync  85.5%, 37/256 regions left", "in sync", or the failed legs
// that lack regions.
std::string describe_progress(const Status& st) {
    if (!st.sync)
        return "sync not reported (status version " + std::to_string(st.version) + ")";
    if (const std::optional<SyncProgress> p = sync_progress(st))
        return st.sync->action_word + " " + format_percent(p->fraction()) + ", " +
               std::to_string(p->regions_left) + "/" + std::to_string(p->regions_total) +
               " regions left";
    if (std::string failed = failed_legs_out_of_sync(st); !failed.empty())
        return failed;
    return "in sync";
}

std::string describe_legs(const Status& st) {
    std::string states, weights;
    for (const LegStatus& leg : st.legs) {
        states += leg.state_letter;
        weights += (weights.empty() ? "" : " ") + std::to_string(leg.weight);
    }
    return "legs " + states + "  weights " + weights + "  " + describe_progress(st);
}

void print_text(const std::vector<ListedDevice>& devices, std::ostream& out) {
    std::size_t name_width = 0, uuid_width = 1;
    for (const ListedDevice& d : devices) {
        name_width = std::max(name_width, d.name.size());
        uuid_width = std::max(uuid_width, d.uuid.size());
    }
    for (const ListedDevice& d : devices) {
        out << std::left << std::setw(static_cast<int>(name_width)) << d.name << "  "
            << std::setw(static_cast<int>(uuid_width)) << (d.uuid.empty() ? "-" : d.uuid) << "  "
            << (d.status ? describe_legs(*d.status) : "status unavailable: " + d.error) << "\n";
    }
}

void print_json(const std::vector<ListedDevice>& devices, std::ostream& out) {
    Json list = Json::array();
    for (const ListedDevice& d : devices) {
        Json j;
        j["name"] = d.name;
        j["uuid"] = d.uuid.empty() ? Json() : Json(d.uuid);
        // The same object `status --json` prints.
        j["status"] = d.status ? status_json(d.name, *d.status) : Json();
        j["error"] = d.status ? Json() : Json(d.error);
        list.push_back(std::move(j));
    }
    out << list.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
}

} // namespace

int run_list(const ListFlags& flags, DeviceMapper& dm, std::ostream& out) {
    const std::vector<ListedDevice> devices = tandem_devices(dm);
    if (flags.json)
        print_json(devices, out);
    else
        print_text(devices, out);
    const bool all_read = std::all_of(devices.begin(), devices.end(),
                                      [](const ListedDevice& d) { return d.status.has_value(); });
    return all_read ? exit_ok : exit_failure;
}

} // namespace tandem::cli
