// Flat sections of tandemd's configuration described once, as a list of
// fields, and read, printed and checked for unknown keys from that one
// list, so a key can never be read without being printed (or the other
// way round).  A describe function names each field with its type and
// range:
//
//   void describe(FieldVisitor& v, LoadConfig& c) {
//       v.integer("interval_ms", c.interval_ms, 10, 3600000, "milliseconds");
//       v.number("cpu_weight", c.score.cpu_weight, 0, 10);
//   }
#pragma once

#include "config_printer.h"
#include "config_reader.h"

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tandem::config_detail {

class FieldVisitor {
public:
    virtual ~FieldVisitor() = default;

    virtual void number(std::string_view key, double& value, double min, double max) = 0;
    virtual void integer64(std::string_view key, std::uint64_t& value, std::uint64_t min,
                           std::uint64_t max, std::string_view unit) = 0;
    virtual void flag(std::string_view key, bool& value) = 0;
    // One of `words`.
    virtual void word(std::string_view key, std::string& value,
                      const std::vector<std::string>& words) = 0;
    // Any single value that `problem` has nothing against.
    virtual void text(std::string_view key, std::string& value,
                      const std::function<std::string(std::string_view)>& problem) = 0;
    // A list of numbers, each in [min, max].
    virtual void number_list(std::string_view key, std::vector<double>& value, double min,
                             double max) = 0;
    // A list of such values (a single value is a list of one).
    virtual void text_list(std::string_view key, std::vector<std::string>& value,
                           const std::function<std::string(std::string_view)>& problem) = 0;

    void integer(std::string_view key, unsigned& value, std::uint64_t min, std::uint64_t max,
                 std::string_view unit = {});
    void integer(std::string_view key, std::uint64_t& value, std::uint64_t min, std::uint64_t max,
                 std::string_view unit = {}) {
        integer64(key, value, min, max, unit);
    }
    void interval(std::string_view key, unsigned& value) {
        integer(key, value, min_poll_interval_ms, max_poll_interval_ms, "milliseconds");
    }

    // An enumeration by its words.
    template <typename E, std::size_t N>
    void choice(std::string_view key, E& value,
                const std::array<std::pair<std::string_view, E>, N>& words) {
        std::vector<std::string> names;
        std::string current;
        for (const auto& [name, v] : words) {
            names.emplace_back(name);
            if (v == value)
                current = name;
        }
        word(key, current, names);
        for (const auto& [name, v] : words) {
            if (name == current)
                value = v;
        }
    }
};

template <typename S>
using Describe = void (*)(FieldVisitor&, S&);

// The keys a describe function names.
std::vector<std::string_view> keys_of(const std::function<void(FieldVisitor&)>& describe);

// Set the fields the mapping gives, in the order they are described, and
// record their origins.
void read_described(const Reader& r, const Entries& entries,
                    const std::function<void(FieldVisitor&)>& describe);

// Print every field at `depth`, each with its origin under `path`.
void print_described(Printer& out, int depth, const std::string& path,
                     const std::function<void(FieldVisitor&)>& describe);

// Read a section of described fields; `extra` names keys the caller reads
// itself from the entries returned.
template <typename S>
Entries read_fields(const Reader& r, const YAML::Node& node, const std::string& path,
                    Describe<S> describe, S& s, std::vector<std::string_view> extra = {}) {
    S scratch = s;
    std::vector<std::string_view> known = keys_of([&](FieldVisitor& v) { describe(v, scratch); });
    known.insert(known.end(), extra.begin(), extra.end());
    Entries entries = r.mapping(node, path, known);
    read_described(r, entries, [&](FieldVisitor& v) { describe(v, s); });
    return entries;
}

template <typename S>
void print_fields(Printer& out, int depth, const std::string& path, Describe<S> describe, S s) {
    print_described(out, depth, path, [&](FieldVisitor& v) { describe(v, s); });
}

} // namespace tandem::config_detail
