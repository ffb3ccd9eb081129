// Reading tandemd's YAML configuration (config.h): positions, key paths,
// typed scalars and the errors that name all three, shared by the
// config_*.cpp files that read one section each.
#pragma once

#include "tandem/config.h"

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::config_detail {

using Origins = std::map<std::string, std::string, std::less<>>;

// A value to read: a mapping's entry (key and value) or a list's item
// (key and value both the item, name empty).  `path` is its key path,
// e.g. "devices[0].legs[1].node" or "nodes[0].interfaces[2]".
struct Entry {
    std::string name;
    std::string path;
    YAML::Node key;
    YAML::Node value;
};

// The entries of one mapping, in file order.
class Entries {
public:
    Entries(YAML::Node node, std::string path, std::vector<Entry> entries)
        : node_(std::move(node))
        , path_(std::move(path))
        , entries_(std::move(entries)) {}

    // The entry of key `name`, or nullptr when the mapping lacks it.
    const Entry* find(std::string_view name) const;
    const YAML::Node& node() const { return node_; }
    const std::string& path() const { return path_; }
    // "<path>.<name>", or `name` at the top level.
    std::string path_of(std::string_view name) const;

private:
    YAML::Node node_;
    std::string path_;
    std::vector<Entry> entries_;
};

// "<path>[<i>]".
std::string item_path(const std::string& path, std::size_t i);

class Reader {
public:
    Reader(std::string source, Origins& origins)
        : source_(std::move(source))
        , origins_(origins) {}

    const std::string& source() const { return source_; }

    // Raise ConfigError "<source>:<line>:<column>: <path>: <problem>".
    [[noreturn]] void fail(const YAML::Node& node, const std::string& path,
                           const std::string& problem) const;
    // An entry's problem, at its value (or its key when the value is empty).
    [[noreturn]] void fail(const Entry& e, const std::string& problem) const;

    // "<source>:<line>:<column>" of a node.
    std::string origin(const YAML::Node& node) const;
    // Remember where the value at e.path came from.
    void record(const Entry& e) const;

    // The entries of a mapping, refusing duplicate and unknown keys.
    Entries mapping(const YAML::Node& node, const std::string& path,
                    const std::vector<std::string_view>& known) const;
    Entries mapping(const Entry& e, const std::vector<std::string_view>& known) const;
    // The items of a list; `what` names them ("devices") for the error.
    std::vector<Entry> list(const Entry& e, std::string_view what) const;
    // `key` of a mapping, or "missing key '<key>'" at the mapping.
    const Entry& required(const Entries& entries, std::string_view key) const;

    // An entry's value; an empty value is reported at its key, where
    // yaml-cpp's mark is meaningful.
    const YAML::Node& value(const Entry& e) const;
    std::string scalar(const Entry& e) const;
    // Strict unsigned decimal in [min, max]; `unit` (e.g. "milliseconds")
    // is named in the error.
    std::uint64_t integer(const Entry& e, std::uint64_t min, std::uint64_t max,
                          std::string_view unit = {}) const;
    // A finite decimal number in [min, max].
    double number(const Entry& e, double min, double max) const;
    bool flag(const Entry& e) const;
    // An interval in milliseconds, min_poll_interval_ms..max_poll_interval_ms.
    unsigned interval(const Entry& e) const;
    // An absolute path without blanks.
    std::string path(const Entry& e) const;

private:
    std::string source_;
    Origins& origins_;
};

// "a, b or c" for error messages.
std::string one_of(const std::vector<std::string>& words, std::string_view last = " or ");

// A number as the configuration writes it: integers without a fraction,
// others in the shortest form that reads back the same.
std::string format_number(double value);

// The largest unit that writes `bytes` exactly: "512K", "10G", "1000".
std::string format_byte_size(std::uint64_t bytes);

} // namespace tandem::config_detail
