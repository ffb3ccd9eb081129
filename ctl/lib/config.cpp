// The top level of tandemd's configuration: the file, the sections in the
// order they depend on each other, and the effective configuration
// printed back.
#include "tandem/config.h"

#include "config_sections.h"

#include "tandem/errors.h"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace tandem {

using namespace config_detail;

namespace {

// In the order format_config() prints them.
const std::vector<std::string_view> top_level_keys = {"log_level",
                                                      "poll_interval_ms",
                                                      "health_interval_ms",
                                                      "probe_interval_ms",
                                                      "weights_interval_ms",
                                                      "state_dir",
                                                      "http",
                                                      "nodes",
                                                      "devices",
                                                      "load",
                                                      "classes",
                                                      "rules",
                                                      "health",
                                                      "weighting",
                                                      "anomaly",
                                                      "mitigation"};

LogLevel log_level(const Reader& r, const Entry& e) {
    std::string text = r.scalar(e);
    auto level = log_level_from_string(text);
    if (!level)
        r.fail(e, "expected error, warning, info or debug, got '" + text + "'");
    return *level;
}

Config read_config(const YAML::Node& root, const std::string& source) {
    Config cfg;
    cfg.source = source;
    if (!root.IsDefined() || root.IsNull())
        throw ConfigError(source + ": empty configuration; expected a mapping with 'devices'");
    const Reader r(source, cfg.origins);
    const Entries top = r.mapping(root, "", top_level_keys);

    if (const Entry* e = top.find("log_level"))
        cfg.log_level = {log_level(r, *e), r.origin(e->value)};
    if (const Entry* e = top.find("poll_interval_ms"))
        cfg.poll_interval_ms = {r.interval(*e), r.origin(e->value)};
    const std::pair<std::string_view, unsigned*> intervals[] = {
        {"health_interval_ms", &cfg.health_interval_ms},
        {"probe_interval_ms", &cfg.probe_interval_ms},
        {"weights_interval_ms", &cfg.weights_interval_ms},
    };
    for (auto [key, value] : intervals) {
        if (const Entry* e = top.find(key)) {
            *value = r.interval(*e);
            r.record(*e);
        }
    }

    if (const Entry* e = top.find("state_dir")) {
        cfg.state_dir = r.path(*e);
        r.record(*e);
    }

    // The sections the devices may refer to, each after what it refers to
    // (config_sections.h).
    const std::pair<std::string_view, SectionReader> sections[] = {
        {"http", read_http},           {"nodes", read_nodes},     {"load", read_load},
        {"classes", read_classes},     {"rules", read_rules},     {"health", read_health},
        {"weighting", read_weighting}, {"anomaly", read_anomaly}, {"mitigation", read_mitigation},
    };
    for (auto [key, read_section] : sections) {
        if (const Entry* e = top.find(key))
            read_section(r, *e, cfg);
    }

    const Entry* devices = top.find("devices");
    if (!devices)
        r.fail(root, "", "missing key 'devices'");
    read_devices(r, *devices, cfg);
    check_mitigation_class(r, root, cfg);
    return cfg;
}

} // namespace

std::string Config::origin(std::string_view path) const {
    auto it = origins.find(path);
    return it == origins.end() ? "default" : it->second;
}

Config parse_config(std::string_view yaml, const std::string& source) {
    YAML::Node root;
    try {
        root = YAML::Load(std::string(yaml));
    } catch (const YAML::Exception& e) {
        std::string where = source;
        if (!e.mark.is_null())
            where +=
                ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1);
        throw ConfigError(where + ": invalid YAML: " + e.msg);
    }
    return read_config(root, source);
}

Config load_config(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw ConfigError(path + ": cannot open: " + std::strerror(errno));
    // A directory opens, then reads as nothing: say so rather than call it
    // an empty configuration.
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw ConfigError(path + ": cannot read: " + std::strerror(EISDIR));
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad())
        throw ConfigError(path + ": cannot read: " + std::strerror(errno));
    return parse_config(text.str(), path);
}

std::string format_config(const Config& cfg) {
    Printer out(cfg);
    out.comment("effective configuration read from " + cfg.source);
    out.value(0, "log_level", std::string(to_string(cfg.log_level.value)), cfg.log_level.origin);
    out.value(0, "poll_interval_ms", std::to_string(cfg.poll_interval_ms.value),
              cfg.poll_interval_ms.origin);
    out.value(0, "health_interval_ms", std::to_string(cfg.health_interval_ms),
              cfg.origin("health_interval_ms"));
    out.value(0, "probe_interval_ms", std::to_string(cfg.probe_interval_ms),
              cfg.origin("probe_interval_ms"));
    out.value(0, "weights_interval_ms", std::to_string(cfg.weights_interval_ms),
              cfg.origin("weights_interval_ms"));
    out.value(0, "state_dir", yaml_string(cfg.state_dir), cfg.origin("state_dir"));
    print_http(out, cfg.http);
    print_nodes(out, cfg);
    print_devices(out, cfg);
    print_load(out, cfg);
    print_classes(out, cfg);
    print_rules(out, cfg);
    print_policies(out, cfg);
    return out.str();
}

} // namespace tandem
