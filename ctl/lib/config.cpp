#include "tandem/config.h"

#include "tandem/errors.h"
#include "tandem/fields.h"
#include "tandem/limits.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

namespace tandem {

namespace {

std::string where(const std::string& source, const YAML::Mark& mark) {
    if (mark.is_null())
        return source;
    return source + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

struct Entry {
    std::string name;
    std::string path; // e.g. devices[0].name
    YAML::Node key;
    YAML::Node value;
};

class Parser {
public:
    explicit Parser(std::string source)
        : source_(std::move(source)) {}

    [[noreturn]] void fail(const YAML::Node& node, const std::string& path,
                           const std::string& problem) const {
        throw ConfigError(where(source_, node.Mark()) + ": " + path + (path.empty() ? "" : ": ") +
                          problem);
    }

    std::string origin(const YAML::Node& node) const { return where(source_, node.Mark()); }

    // The entries of a mapping, refusing duplicate and unknown keys.
    std::vector<Entry> mapping(const YAML::Node& node, const std::string& path,
                               std::initializer_list<std::string_view> known) const {
        if (!node.IsMap())
            fail(node, path, "expected a mapping");
        std::vector<Entry> entries;
        std::set<std::string> seen;
        for (const auto& kv : node) {
            const YAML::Node& key = kv.first;
            if (!key.IsScalar())
                fail(key, path, "keys must be plain names");
            std::string name = key.Scalar();
            std::string key_path = path.empty() ? name : path + "." + name;
            if (std::find(known.begin(), known.end(), name) == known.end()) {
                std::string list;
                for (std::string_view k : known)
                    list += (list.empty() ? "" : ", ") + std::string(k);
                fail(key, key_path, "unknown key; expected one of: " + list);
            }
            if (!seen.insert(name).second)
                fail(key, key_path, "duplicate key");
            entries.push_back(Entry{name, key_path, key, kv.second});
        }
        return entries;
    }

    // An entry's value; an empty value is reported at its key, where
    // yaml-cpp's mark is meaningful.
    const YAML::Node& value(const Entry& e) const {
        if (e.value.IsNull())
            fail(e.key, e.path, "missing value");
        return e.value;
    }

    std::string scalar(const Entry& e) const {
        const YAML::Node& node = value(e);
        if (!node.IsScalar())
            fail(node, e.path, "expected a single value");
        return node.Scalar();
    }

    unsigned interval(const Entry& e) const {
        std::string text = scalar(e);
        auto number = parse_uint(text, max_poll_interval_ms);
        if (!number || *number < min_poll_interval_ms)
            fail(e.value, e.path,
                 "expected an integer " + std::to_string(min_poll_interval_ms) + ".." +
                     std::to_string(max_poll_interval_ms) + " (milliseconds), got '" + text + "'");
        return static_cast<unsigned>(*number);
    }

    LogLevel log_level(const Entry& e) const {
        std::string text = scalar(e);
        auto level = log_level_from_string(text);
        if (!level)
            fail(e.value, e.path, "expected error, warning, info or debug, got '" + text + "'");
        return *level;
    }

    DeviceConfig device(const YAML::Node& node, const std::string& path,
                        const Setting<unsigned>& default_interval) const {
        DeviceConfig dev;
        dev.poll_interval_ms = default_interval;
        if (default_interval.origin == "default")
            dev.poll_interval_ms.origin = "default";
        else
            dev.poll_interval_ms.origin = "top-level poll_interval_ms, " + default_interval.origin;

        bool has_name = false;
        for (const Entry& e : mapping(node, path, {"name", "poll_interval_ms"})) {
            if (e.name == "name") {
                std::string name = scalar(e);
                if (std::string problem = device_name_problem(name); !problem.empty())
                    fail(e.value, e.path, problem);
                dev.name = {name, origin(e.value)};
                has_name = true;
            } else {
                dev.poll_interval_ms = {interval(e), origin(e.value)};
            }
        }
        if (!has_name)
            fail(node, path, "missing key 'name'");
        return dev;
    }

    Config config(const YAML::Node& root) const {
        Config cfg;
        cfg.source = source_;
        if (!root.IsDefined() || root.IsNull())
            throw ConfigError(source_ + ": empty configuration; expected a mapping with 'devices'");

        std::optional<Entry> devices_entry;
        for (const Entry& e : mapping(root, "", {"log_level", "poll_interval_ms", "devices"})) {
            if (e.name == "log_level")
                cfg.log_level = {log_level(e), origin(e.value)};
            else if (e.name == "poll_interval_ms")
                cfg.poll_interval_ms = {interval(e), origin(e.value)};
            else
                devices_entry = e;
        }

        if (!devices_entry)
            fail(root, "", "missing key 'devices'");
        const YAML::Node& devices = value(*devices_entry);
        if (!devices.IsSequence())
            fail(devices, "devices", "expected a list of devices");
        if (devices.size() == 0)
            fail(devices, "devices", "no devices; list at least one");

        std::set<std::string> names;
        for (std::size_t i = 0; i < devices.size(); i++) {
            const std::string path = "devices[" + std::to_string(i) + "]";
            DeviceConfig dev = device(devices[i], path, cfg.poll_interval_ms);
            if (!names.insert(dev.name.value).second)
                fail(devices[i]["name"], path + ".name",
                     "device '" + dev.name.value + "' is listed twice");
            cfg.devices.push_back(std::move(dev));
        }
        return cfg;
    }

private:
    std::string source_;
};

bool plain_yaml_word(std::string_view s) {
    if (s.empty())
        return false;
    for (char c : s) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '.' || c == '-';
        if (!ok)
            return false;
    }
    return s.front() != '-' && s != "null" && s != "true" && s != "false" && s != "~";
}

std::string yaml_string(std::string_view s) {
    if (plain_yaml_word(s))
        return std::string(s);
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + "\"";
}

} // namespace

Config parse_config(std::string_view yaml, const std::string& source) {
    YAML::Node root;
    try {
        root = YAML::Load(std::string(yaml));
    } catch (const YAML::Exception& e) {
        throw ConfigError(where(source, e.mark) + ": invalid YAML: " + e.msg);
    }
    return Parser(source).config(root);
}

Config load_config(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw ConfigError(path + ": cannot open: " + std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad())
        throw ConfigError(path + ": cannot read: " + std::strerror(errno));
    return parse_config(text.str(), path);
}

std::string format_config(const Config& cfg) {
    std::ostringstream out;
    out << "# effective configuration read from " << cfg.source << "\n";
    out << "log_level: " << to_string(cfg.log_level.value) << "  # " << cfg.log_level.origin
        << "\n";
    out << "poll_interval_ms: " << cfg.poll_interval_ms.value << "  # "
        << cfg.poll_interval_ms.origin << "\n";
    out << "devices:\n";
    for (const DeviceConfig& dev : cfg.devices) {
        out << "  - name: " << yaml_string(dev.name.value) << "  # " << dev.name.origin << "\n";
        out << "    poll_interval_ms: " << dev.poll_interval_ms.value << "  # "
            << dev.poll_interval_ms.origin << "\n";
    }
    return out.str();
}

} // namespace tandem
