// The `devices` section: each tandem device tandemd watches, and for one
// with legs the table it is created with.
#include "config_fields.h"
#include "config_sections.h"

#include "tandem/byte_size.h"
#include "tandem/limits.h"

#include <algorithm>
#include <array>
#include <map>

namespace tandem::config_detail {

namespace {

constexpr std::array<std::pair<std::string_view, ResyncMode>, 2> resync_modes = {{
    {"copy", ResyncMode::copy},
    {"checksum", ResyncMode::checksum},
}};

constexpr std::array<std::pair<std::string_view, ShadowMode>, 3> shadow_modes = {{
    {"async", ShadowMode::async},
    {"sync", ShadowMode::sync},
    {"gate", ShadowMode::gate},
}};

// The keys that describe how a device is created: refused for a device
// without legs, which is only watched.
constexpr std::array<std::string_view, 11> creation_keys = {
    "uuid",          "size",        "region_size", "metadata",     "legs",  "nosync",
    "sync_rate_kib", "resync_mode", "queue_depth", "read_weights", "shadow"};

void describe_sync(FieldVisitor& v, DeviceConfig& d) {
    v.flag("nosync", d.nosync);
    v.integer("sync_rate_kib", d.sync_rate_kib, 0, max_sync_rate, "KiB/s");
    v.choice("resync_mode", d.resync_mode, resync_modes);
    v.integer("queue_depth", d.queue_depth, 0, max_queue_depth);
}

void describe_shadow(FieldVisitor& v, ShadowConfig& s) {
    v.choice("mode", s.mode, shadow_modes);
    v.integer("sample", s.sample, 0, max_shadow_sample);
    v.integer("pool_kib", s.pool_kib, 0, max_shadow_pool, "KiB");
}

std::string uuid_problem(std::string_view uuid) {
    if (uuid.empty() || uuid.size() > max_uuid_length)
        return "expected a uuid of 1.." + std::to_string(max_uuid_length) + " characters, got '" +
               std::string(uuid) + "'";
    for (char c : uuid) {
        if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f)
            return "a uuid cannot contain blanks or control characters";
    }
    return {};
}

// Which paths the devices read so far use, and as what, so that no block
// device serves twice (two legs, a leg and a metadata device, ...).
class Claims {
public:
    void claim(const Reader& r, const Entry& e, const std::string& path, std::string what) {
        auto [it, fresh] = by_path_.emplace(path, what);
        if (!fresh)
            r.fail(e, path + " is already " + it->second);
    }

private:
    std::map<std::string, std::string> by_path_;
};

class DeviceReader {
public:
    DeviceReader(const Reader& r, Config& cfg)
        : r_(r)
        , cfg_(cfg) {}

    void read(const Entry& item) {
        std::vector<std::string_view> known = {"name", "poll_interval_ms"};
        known.insert(known.end(), creation_keys.begin(), creation_keys.end());
        const Entries entries = r_.mapping(item.value, item.path, known);

        DeviceConfig dev{};
        dev.poll_interval_ms = cfg_.poll_interval_ms;
        if (cfg_.poll_interval_ms.origin != "default")
            dev.poll_interval_ms.origin =
                "top-level poll_interval_ms, " + cfg_.poll_interval_ms.origin;

        const Entry& name = r_.required(entries, "name");
        dev.name = {r_.scalar(name), r_.origin(name.value)};
        if (std::string problem = device_name_problem(dev.name.value); !problem.empty())
            r_.fail(name, problem);
        for (const DeviceConfig& other : cfg_.devices) {
            if (other.name.value == dev.name.value)
                r_.fail(name, "device '" + dev.name.value + "' is listed twice");
        }
        if (const Entry* e = entries.find("poll_interval_ms"))
            dev.poll_interval_ms = {r_.interval(*e), r_.origin(e->value)};

        if (entries.find("legs"))
            read_creation(entries, dev);
        else
            refuse_creation_keys(entries);
        cfg_.devices.push_back(std::move(dev));
    }

private:
    void refuse_creation_keys(const Entries& entries) const {
        for (std::string_view key : creation_keys) {
            if (const Entry* e = entries.find(key))
                r_.fail(e->key, e->path,
                        "applies only to a device created from its legs; without legs the "
                        "device is only watched");
        }
    }

    void read_creation(const Entries& entries, DeviceConfig& dev) {
        const std::string& name = dev.name.value;
        read_legs(*entries.find("legs"), dev);

        dev.uuid = std::string(default_uuid_prefix) + name;
        if (const Entry* e = entries.find("uuid")) {
            dev.uuid = r_.scalar(*e);
            if (std::string problem = uuid_problem(dev.uuid); !problem.empty())
                r_.fail(*e, problem);
            r_.record(*e);
        } else if (dev.uuid.size() > max_uuid_length) {
            r_.fail(*entries.find("name"),
                    "the default uuid " + std::string(default_uuid_prefix) + "<name> would be " +
                        std::to_string(dev.uuid.size()) + " characters, more than " +
                        std::to_string(max_uuid_length) + "; give a shorter name or a uuid");
        }
        if (auto [it, fresh] = uuids_.emplace(dev.uuid, name); !fresh) {
            const Entry* e = entries.find("uuid");
            r_.fail(e ? e->value : entries.node()["name"], entries.path_of("uuid"),
                    "uuid '" + dev.uuid + "' is already the uuid of device '" + it->second + "'");
        }

        if (const Entry* e = entries.find("size")) {
            std::string text = r_.scalar(*e);
            auto bytes = parse_byte_size(text);
            if (!bytes || *bytes == 0 || *bytes % 512 != 0)
                r_.fail(*e, "expected a size in bytes or with a K, M, G or T suffix, a "
                            "non-zero multiple of 512 (e.g. 100G), got '" +
                                text + "'");
            dev.size = *bytes;
            r_.record(*e);
        }
        if (const Entry* e = entries.find("region_size")) {
            std::string text = r_.scalar(*e);
            auto bytes = parse_byte_size(text);
            if (!bytes || *bytes < min_region_size || *bytes > max_region_size ||
                (*bytes & (*bytes - 1)) != 0)
                r_.fail(*e, "expected a power of two 4K..1G (bytes, or with a K, M or G suffix), "
                            "got '" +
                                text + "'");
            dev.region_size = *bytes;
            r_.record(*e);
        }

        const Entry* metadata_entry = entries.find("metadata");
        if (!metadata_entry)
            r_.fail(entries.node(), entries.path(),
                    "missing key 'metadata': the device of the write-intent bitmap, or - to keep "
                    "it in core only (a full resync after an unclean shutdown)");
        const Entry& metadata = *metadata_entry;
        if (r_.scalar(metadata) != TANDEM_METADATA_NONE) {
            dev.metadata = r_.path(metadata);
            claims_.claim(r_, metadata, *dev.metadata, "the metadata device of '" + name + "'");
        }
        r_.record(metadata);

        read_described(r_, entries, [&](FieldVisitor& v) { describe_sync(v, dev); });

        if (const Entry* e = entries.find("read_weights"))
            read_weights(*e, dev);

        if (const Entry* e = entries.find("shadow")) {
            ShadowConfig shadow{};
            Entries s = read_fields<ShadowConfig>(r_, r_.value(*e), e->path, describe_shadow,
                                                  shadow, {"device"});
            const Entry& device = r_.required(s, "device");
            shadow.device = r_.path(device);
            claims_.claim(r_, device, shadow.device, "the shadow of '" + name + "'");
            r_.record(device);
            dev.shadow = shadow;
        }
    }

    void read_legs(const Entry& e, DeviceConfig& dev) {
        const std::vector<Entry> items = r_.list(e, "legs");
        if (items.size() < min_legs || items.size() > max_legs)
            r_.fail(e, "expected " + std::to_string(min_legs) + ".." + std::to_string(max_legs) +
                           " legs, got " + std::to_string(items.size()));
        for (std::size_t i = 0; i < items.size(); i++) {
            const Entries leg_entries =
                r_.mapping(items[i].value, items[i].path, {"device", "node"});
            LegConfig leg{};
            const Entry& device = r_.required(leg_entries, "device");
            leg.device = r_.path(device);
            claims_.claim(r_, device, leg.device,
                          "leg " + std::to_string(i) + " of '" + dev.name.value + "'");
            r_.record(device);

            const Entry* node = leg_entries.find("node");
            if (!node && !cfg_.nodes.empty())
                r_.fail(items[i].value, items[i].path,
                        "missing key 'node'; with nodes listed, every leg names its node");
            if (node) {
                leg.node = r_.scalar(*node);
                if (!cfg_.nodes.empty() &&
                    std::none_of(cfg_.nodes.begin(), cfg_.nodes.end(),
                                 [&](const NodeConfig& n) { return n.name == leg.node; })) {
                    std::vector<std::string> names;
                    for (const NodeConfig& n : cfg_.nodes)
                        names.push_back(n.name);
                    r_.fail(*node, "no node '" + leg.node +
                                       "' in nodes; expected one of: " + one_of(names, ", "));
                }
                r_.record(*node);
            }
            dev.legs.push_back(std::move(leg));
        }
        r_.record(e);
    }

    void read_weights(const Entry& e, DeviceConfig& dev) {
        std::vector<unsigned> weights;
        for (const Entry& item : r_.list(e, "weights"))
            weights.push_back(static_cast<unsigned>(r_.integer(item, 0, weight_total)));
        if (weights.size() != dev.legs.size())
            r_.fail(e, "expected " + std::to_string(dev.legs.size()) +
                           " weights, one per leg, got " + std::to_string(weights.size()));
        if (std::string problem = weights_problem(weights); !problem.empty())
            r_.fail(e, problem);
        dev.read_weights = weights;
        r_.record(e);
    }

    const Reader& r_;
    Config& cfg_;
    Claims claims_;
    std::map<std::string, std::string> uuids_; // uuid -> device name
};

} // namespace

void read_devices(const Reader& r, const Entry& e, Config& cfg) {
    const std::vector<Entry> items = r.list(e, "devices");
    if (items.empty())
        r.fail(e, "no devices; list at least one");
    DeviceReader reader(r, cfg);
    for (const Entry& item : items)
        reader.read(item);
}

void print_devices(Printer& out, const Config& cfg) {
    out.section(0, "devices");
    for (std::size_t i = 0; i < cfg.devices.size(); i++) {
        const DeviceConfig& dev = cfg.devices[i];
        const std::string path = item_path("devices", i);
        auto origin = [&](std::string_view key) {
            return out.origin(path + "." + std::string(key));
        };
        out.item();
        out.value(2, "name", yaml_string(dev.name.value), dev.name.origin);
        out.value(2, "poll_interval_ms", std::to_string(dev.poll_interval_ms.value),
                  dev.poll_interval_ms.origin);
        if (!dev.created())
            continue;
        out.value(2, "uuid", yaml_string(dev.uuid), origin("uuid"));
        if (dev.size)
            out.value(2, "size", format_byte_size(*dev.size), origin("size"));
        out.value(2, "region_size", format_byte_size(dev.region_size), origin("region_size"));
        out.value(2, "metadata", yaml_string(dev.metadata.value_or(TANDEM_METADATA_NONE)),
                  origin("metadata"));
        out.section(2, "legs");
        for (std::size_t j = 0; j < dev.legs.size(); j++) {
            const std::string leg_path = item_path(path + ".legs", j);
            out.item();
            out.value(4, "device", yaml_string(dev.legs[j].device),
                      out.origin(leg_path + ".device"));
            if (!dev.legs[j].node.empty())
                out.value(4, "node", yaml_string(dev.legs[j].node), out.origin(leg_path + ".node"));
        }
        print_fields<DeviceConfig>(out, 2, path, describe_sync, dev);
        if (dev.read_weights) {
            std::vector<std::string> weights;
            for (unsigned w : *dev.read_weights)
                weights.push_back(std::to_string(w));
            out.value(2, "read_weights", yaml_list(weights), origin("read_weights"));
        }
        if (dev.shadow) {
            out.section(2, "shadow");
            out.value(3, "device", yaml_string(dev.shadow->device),
                      out.origin(path + ".shadow.device"));
            print_fields<ShadowConfig>(out, 3, path + ".shadow", describe_shadow, *dev.shadow);
        }
    }
}

} // namespace tandem::config_detail
