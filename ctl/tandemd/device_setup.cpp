#include "device_setup.h"

#include "tandem/byte_size.h"
#include "tandem/log.h"
#include "tandem/message.h"
#include "tandem/rule.h"
#include "tandem/status.h"
#include "tandem/table.h"
#include "tandem/table_plan.h"

#include <dm-tandem/tandem.h>

#include <optional>

namespace tandem::daemon {

namespace {

std::string list(const std::vector<unsigned>& values) {
    std::string out;
    for (unsigned v : values)
        out += (out.empty() ? "" : " ") + std::to_string(v);
    return out;
}

void create(const Config& config, const DeviceConfig& dc, DeviceMapper& dm, BlockDevices& devices) {
    const std::string& name = dc.name.value;
    const CreateRequest request = request_from_config(config, name);
    const TableLine line = plan_table(request, devices);
    const std::string uuid = request.uuid.empty() ? tandem_uuid(name) : request.uuid;
    dm.create(name, uuid, line);
    log::info(name + ": created (uuid " + uuid + ", " + std::to_string(request.legs.size()) +
              " legs, " + format_bytes(line.length * 512) + "): " + line.params);
}

std::string configured_uuid(const DeviceConfig& dc) {
    return dc.uuid.empty() ? tandem_uuid(dc.name.value) : dc.uuid;
}

std::string uuid_or_none(const std::string& uuid) {
    return uuid.empty() ? "(none)" : uuid;
}

// What to do with a configured device, once it is looked for.
enum class Found {
    adopt,   // a device is under the configured name
    renamed, // the device was found by uuid and renamed to it: adopt
    create,  // no device has the configured uuid or name
    refuse,  // the device must be left alone (logged)
};

// Looks for the device by its uuid first, so a device renamed behind the
// daemon's back is found and given its configured name back (the daemon
// knows devices by that name); then by its name.
Found find_device(const DeviceConfig& dc, DeviceMapper& dm) {
    const std::string& name = dc.name.value;
    const std::string uuid = configured_uuid(dc);
    if (const std::optional<std::string> found = dm.find_by_uuid(uuid)) {
        if (*found == name)
            return Found::adopt;
        if (const DeviceInfo taken = dm.info(name); taken.exists) {
            log::error(name + ": found by uuid " + uuid + " as " + *found + ", but " + name +
                       " is another device (uuid " + uuid_or_none(taken.uuid) +
                       "); both left as they are");
            return Found::refuse;
        }
        dm.rename(*found, name);
        log::info(name + ": found by uuid " + uuid + " as " + *found + "; renamed to " + name);
        return Found::renamed;
    }
    if (!dm.info(name).exists)
        return Found::create;
    const std::vector<TableLine> lines = dm.table_lines(name);
    if (lines.size() != 1 || lines[0].type != TANDEM_TARGET_NAME) {
        log::error(name + ": exists but is not a " + TANDEM_TARGET_NAME +
                   " device (its table has " + std::to_string(lines.size()) +
                   " line(s), the first of target '" + (lines.empty() ? "-" : lines[0].type) +
                   "'); left as it is");
        return Found::refuse;
    }
    return Found::adopt;
}

void adopt(const DeviceConfig& dc, DeviceMapper& dm) {
    const std::string& name = dc.name.value;
    const std::string uuid = configured_uuid(dc);
    const DeviceInfo info = dm.info(name);
    if (info.uuid != uuid)
        log::warning(name + ": exists with uuid " + uuid_or_none(info.uuid) + ", not " + uuid +
                     "; adopting it as it is");
    std::string what;
    try {
        const Status st = parse_status(dm.status(name));
        std::vector<unsigned> weights;
        std::string states;
        for (const LegStatus& leg : st.legs) {
            weights.push_back(leg.weight);
            states += leg.state_letter;
        }
        what = ": " + std::to_string(st.legs.size()) + " legs, states " + states +
               ", read weights " + list(weights);
        if (st.legs.size() != dc.legs.size())
            log::warning(name + ": has " + std::to_string(st.legs.size()) +
                         " legs, the configuration " + std::to_string(dc.legs.size()) +
                         "; adopting it as it is");
    } catch (const std::exception& e) {
        what = " (status not read: " + std::string(e.what()) + ")";
    }
    log::info(name + ": exists; adopted as it is" + what);
}

// The configured rules with their cgroup paths resolved; nullopt (and
// logged) when a path cannot be.
std::optional<std::vector<Rule>> resolved_rules(const Config& config, const std::string& device,
                                                const CgroupResolver& resolve) {
    std::vector<Rule> rules;
    for (std::size_t i = 0; i < config.rules.size(); i++) {
        Rule r = config.rules[i].match;
        if (!config.rules[i].cgroup.empty()) {
            try {
                r.cgroup = resolve(config.rules[i].cgroup);
            } catch (const std::exception& e) {
                log::warning(device + ": rules[" + std::to_string(i) + "]: " + e.what() +
                             "; the device's rules are left as they are");
                return std::nullopt;
            }
        }
        rules.push_back(std::move(r));
    }
    return rules;
}

// Adds the classes the device lacks and replaces its rules when they
// differ; false when something could not be done.
bool set_classes_and_rules(const Config& config, const std::string& name, DeviceMapper& dm,
                           const CgroupResolver& resolve) {
    const Status st = parse_status(dm.status(name));
    if (!st.scheduler) {
        log::debug(name + ": status v" + std::to_string(st.version) +
                   " has no class scheduler; classes and rules not set");
        return true;
    }
    for (const ClassPolicy& c : config.class_weights.classes) {
        if (!st.scheduler->find_class(c.name)) {
            dm.message(name, message::class_add(c.name));
            log::info(name + ": class " + c.name + " added");
        }
    }
    if (config.rules.empty())
        return true;
    const std::optional<std::vector<Rule>> wanted = resolved_rules(config, name, resolve);
    if (!wanted)
        return false;
    std::vector<Rule> current;
    for (ListedRule& r : parse_rule_list(dm.message(name, message::rule_list())))
        current.push_back(std::move(r.rule));
    if (current == *wanted)
        return true;
    dm.message(name, message::rule_clear());
    std::string added;
    for (const Rule& r : *wanted) {
        dm.message(name, message::rule_add(r));
        added += (added.empty() ? "" : "; ") + format_rule(r);
    }
    log::info(name + ": rules set: " + added);
    return true;
}

} // namespace

SetupReport set_up_devices(const Config& config, DeviceMapper& dm, BlockDevices* devices,
                           const CgroupResolver& resolve) {
    SetupReport report;
    for (const DeviceConfig& dc : config.devices) {
        if (!dc.created())
            continue; // only watched
        const std::string& name = dc.name.value;
        Found found = Found::refuse;
        try {
            found = find_device(dc, dm);
        } catch (const std::exception& e) {
            log::error(name + ": " + e.what() + "; left as it is");
        }
        if (found == Found::refuse) {
            report.left_alone.push_back(name);
            report.failed.push_back(name);
            continue;
        }
        try {
            if (found == Found::renamed)
                report.renamed.push_back(name);
            if (found == Found::adopt || found == Found::renamed) {
                adopt(dc, dm);
                report.adopted.push_back(name);
            } else if (!devices) {
                log::error(name + ": does not exist, and devices are not created here");
                report.failed.push_back(name);
                continue;
            } else {
                create(config, dc, dm, *devices);
                report.created.push_back(name);
            }
        } catch (const std::exception& e) {
            log::error(name + ": cannot be created: " + e.what());
            report.failed.push_back(name);
            continue;
        }
        try {
            if (!set_classes_and_rules(config, name, dm, resolve))
                report.failed.push_back(name);
        } catch (const std::exception& e) {
            log::error(name + ": classes and rules not set: " + e.what());
            report.failed.push_back(name);
        }
    }
    return report;
}

} // namespace tandem::daemon
