#include "tandem/health_json.h"

#include "tandem/errors.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <stdexcept>

namespace tandem {

namespace {

// ordered_json keeps the members in document order, so components read
// back in the order they were written.
using json = nlohmann::ordered_json;
using nlohmann::ordered_json;

constexpr std::string_view kind = "health report";

constexpr double max_score = 100.0;

bool is_score(double value) {
    return std::isfinite(value) && value >= 0.0 && value <= max_score;
}

[[noreturn]] void fail(const std::string& path, std::string_view expected, const json& got) {
    throw ParseError(std::string(kind) + ": " + path + ": expected " + std::string(expected) +
                     ", got " + got.dump());
}

const json& member(const json& object, const std::string& path, std::string_view name) {
    const auto it = object.find(name);
    if (it == object.end())
        throw ParseError(std::string(kind) + ": " + (path.empty() ? "" : path + ": ") +
                         "missing member \"" + std::string(name) + "\"");
    return *it;
}

std::string child(const std::string& path, std::string_view name) {
    return path.empty() ? std::string(name) : path + "." + std::string(name);
}

std::string read_string(const json& object, const std::string& path, std::string_view name) {
    const json& value = member(object, path, name);
    if (!value.is_string())
        fail(child(path, name), "a string", value);
    return value.get<std::string>();
}

bool read_bool(const json& object, const std::string& path, std::string_view name) {
    const json& value = member(object, path, name);
    if (!value.is_boolean())
        fail(child(path, name), "true or false", value);
    return value.get<bool>();
}

double read_number(const json& value, const std::string& path, bool score) {
    if (!value.is_number() || (score && !is_score(value.get<double>())))
        fail(path, score ? "a number 0..100" : "a number", value);
    return value.get<double>();
}

std::uint64_t read_uint(const json& object, const std::string& path, std::string_view name,
                        std::uint64_t max) {
    const json& value = member(object, path, name);
    if (!value.is_number_unsigned() || value.get<std::uint64_t>() > max)
        fail(child(path, name), "an integer 0.." + std::to_string(max), value);
    return value.get<std::uint64_t>();
}

const json& read_array(const json& object, const std::string& path, std::string_view name) {
    const json& value = member(object, path, name);
    if (!value.is_array())
        fail(child(path, name), "an array", value);
    return value;
}

LegState leg_state_from_word(std::string_view word) {
    for (LegState state : {LegState::alive, LegState::syncing, LegState::dead})
        if (to_string(state) == word)
            return state;
    return LegState::unknown; // a state of a newer schema
}

LegHealthReport decode_leg(const json& value, const std::string& path) {
    if (!value.is_object())
        fail(path, "an object", value);
    LegHealthReport leg;
    leg.index = static_cast<unsigned>(read_uint(value, path, "index", 255));
    leg.node = read_string(value, path, "node");
    leg.state = leg_state_from_word(read_string(value, path, "state"));
    leg.weight = static_cast<unsigned>(read_uint(value, path, "weight", 100));
    return leg;
}

DeviceHealthReport decode_device(const json& value, const std::string& path) {
    if (!value.is_object())
        fail(path, "an object", value);
    DeviceHealthReport device;
    device.name = read_string(value, path, "name");
    device.available = read_bool(value, path, "available");
    const json& legs = read_array(value, path, "legs");
    for (std::size_t i = 0; i < legs.size(); i++)
        device.legs.push_back(
            decode_leg(legs[i], child(path, "legs") + "[" + std::to_string(i) + "]"));
    return device;
}

void check_score(double value, const std::string& what) {
    if (!is_score(value))
        throw std::invalid_argument(std::string(kind) + ": " + what + " must be 0..100, is " +
                                    std::to_string(value));
}

} // namespace

std::string encode_health_report(const NodeHealthReport& report) {
    if (!std::isfinite(report.time) || report.time < 0)
        throw std::invalid_argument(std::string(kind) + ": time must be a finite number >= 0, is " +
                                    std::to_string(report.time));
    check_score(report.score, "score");
    ordered_json components = ordered_json::object();
    for (const auto& [name, value] : report.components) {
        check_score(value, "component " + name);
        if (components.contains(name))
            throw std::invalid_argument(std::string(kind) + ": component " + name + " named twice");
        components[name] = value;
    }
    ordered_json devices = ordered_json::array();
    for (const DeviceHealthReport& device : report.devices) {
        ordered_json legs = ordered_json::array();
        for (const LegHealthReport& leg : device.legs) {
            if (leg.weight > 100)
                throw std::invalid_argument(std::string(kind) + ": device " + device.name +
                                            " leg " + std::to_string(leg.index) + ": weight " +
                                            std::to_string(leg.weight) + " is over 100");
            legs.push_back(ordered_json{{"index", leg.index},
                                        {"node", leg.node},
                                        {"state", std::string(to_string(leg.state))},
                                        {"weight", leg.weight}});
        }
        devices.push_back(ordered_json{
            {"name", device.name}, {"available", device.available}, {"legs", std::move(legs)}});
    }
    const ordered_json document{{"schema", health_schema_version},
                                {"node", report.node},
                                {"time", report.time},
                                {"score", report.score},
                                {"components", std::move(components)},
                                {"devices", std::move(devices)}};
    return document.dump();
}

NodeHealthReport decode_health_report(std::string_view text) {
    json document;
    try {
        document = json::parse(text);
    } catch (const json::parse_error& e) {
        // "[json.exception.parse_error.101] parse error at line 1, ...": keep what follows the tag.
        std::string what = e.what();
        const std::size_t tag_end = what.find("] ");
        throw ParseError(std::string(kind) + ": not JSON: " +
                         (tag_end == std::string::npos ? what : what.substr(tag_end + 2)));
    }
    if (!document.is_object())
        fail("document", "an object", document);

    const json& schema = member(document, "", "schema");
    if (!schema.is_number_unsigned() || schema.get<std::uint64_t>() < 1)
        fail("schema", "a version >= 1", schema);

    NodeHealthReport report;
    report.node = read_string(document, "", "node");
    report.time = read_number(member(document, "", "time"), "time", false);
    if (report.time < 0)
        fail("time", "a number >= 0", member(document, "", "time"));
    report.score = read_number(member(document, "", "score"), "score", true);

    const json& components = member(document, "", "components");
    if (!components.is_object())
        fail("components", "an object", components);
    for (const auto& [name, value] : components.items())
        report.components.emplace_back(name, read_number(value, "components." + name, true));

    const json& devices = read_array(document, "", "devices");
    for (std::size_t i = 0; i < devices.size(); i++)
        report.devices.push_back(decode_device(devices[i], "devices[" + std::to_string(i) + "]"));
    return report;
}

} // namespace tandem
