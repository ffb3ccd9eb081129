#include "config_reader.h"

#include "tandem/errors.h"
#include "tandem/fields.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <set>

namespace tandem::config_detail {

namespace {

std::string where(const std::string& source, const YAML::Mark& mark) {
    if (mark.is_null())
        return source;
    return source + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

std::string quoted(std::string_view text) {
    return "'" + std::string(text) + "'";
}

} // namespace

const Entry* Entries::find(std::string_view name) const {
    auto it = std::find_if(entries_.begin(), entries_.end(),
                           [&](const Entry& e) { return e.name == name; });
    return it == entries_.end() ? nullptr : &*it;
}

std::string Entries::path_of(std::string_view name) const {
    return path_.empty() ? std::string(name) : path_ + "." + std::string(name);
}

std::string item_path(const std::string& path, std::size_t i) {
    return path + "[" + std::to_string(i) + "]";
}

void Reader::fail(const YAML::Node& node, const std::string& path,
                  const std::string& problem) const {
    throw ConfigError(where(source_, node.Mark()) + ": " + path + (path.empty() ? "" : ": ") +
                      problem);
}

void Reader::fail(const Entry& e, const std::string& problem) const {
    fail(e.value.IsNull() ? e.key : e.value, e.path, problem);
}

std::string Reader::origin(const YAML::Node& node) const {
    return where(source_, node.Mark());
}

void Reader::record(const Entry& e) const {
    origins_[e.path] = origin(e.value);
}

Entries Reader::mapping(const YAML::Node& node, const std::string& path,
                        const std::vector<std::string_view>& known) const {
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
    return Entries(node, path, std::move(entries));
}

Entries Reader::mapping(const Entry& e, const std::vector<std::string_view>& known) const {
    return mapping(value(e), e.path, known);
}

std::vector<Entry> Reader::list(const Entry& e, std::string_view what) const {
    const YAML::Node& node = value(e);
    if (!node.IsSequence())
        fail(node, e.path, "expected a list of " + std::string(what));
    std::vector<Entry> items;
    for (std::size_t i = 0; i < node.size(); i++)
        items.push_back(Entry{"", item_path(e.path, i), node[i], node[i]});
    return items;
}

const Entry& Reader::required(const Entries& entries, std::string_view key) const {
    const Entry* e = entries.find(key);
    if (!e)
        fail(entries.node(), entries.path(), "missing key '" + std::string(key) + "'");
    return *e;
}

const YAML::Node& Reader::value(const Entry& e) const {
    if (e.value.IsNull())
        fail(e.key, e.path, "missing value");
    return e.value;
}

std::string Reader::scalar(const Entry& e) const {
    const YAML::Node& node = value(e);
    if (!node.IsScalar())
        fail(node, e.path, "expected a single value");
    return node.Scalar();
}

std::uint64_t Reader::integer(const Entry& e, std::uint64_t min, std::uint64_t max,
                              std::string_view unit) const {
    std::string text = scalar(e);
    auto number = parse_uint(text, max);
    if (!number || *number < min)
        fail(e, "expected an integer " + std::to_string(min) + ".." + std::to_string(max) +
                    (unit.empty() ? "" : " (" + std::string(unit) + ")") + ", got " + quoted(text));
    return *number;
}

double Reader::number(const Entry& e, double min, double max) const {
    std::string text = scalar(e);
    double number = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, number);
    if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(number) || number < min ||
        number > max)
        fail(e, "expected a number " + format_number(min) + ".." + format_number(max) + ", got " +
                    quoted(text));
    return number;
}

bool Reader::flag(const Entry& e) const {
    std::string text = scalar(e);
    if (text == "true")
        return true;
    if (text == "false")
        return false;
    fail(e, "expected true or false, got " + quoted(text));
}

unsigned Reader::interval(const Entry& e) const {
    return static_cast<unsigned>(
        integer(e, min_poll_interval_ms, max_poll_interval_ms, "milliseconds"));
}

std::string Reader::path(const Entry& e) const {
    std::string text = scalar(e);
    bool blank = std::any_of(text.begin(), text.end(),
                             [](char c) { return static_cast<unsigned char>(c) <= ' '; });
    if (text.empty() || text.front() != '/' || blank)
        fail(e, "expected an absolute path, got " + quoted(text));
    return text;
}

std::string one_of(const std::vector<std::string>& words, std::string_view last) {
    std::string out;
    for (std::size_t i = 0; i < words.size(); i++) {
        if (i > 0)
            out += i + 1 == words.size() ? std::string(last) : ", ";
        out += words[i];
    }
    return out;
}

std::string format_number(double value) {
    if (std::trunc(value) == value && std::fabs(value) < 1e15)
        return std::to_string(static_cast<long long>(value));
    char buf[64];
    auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, value);
    return std::string(buf, ptr);
}

// The largest unit that writes `bytes` exactly: "512K", "10G", "1000".
std::string format_byte_size(std::uint64_t bytes) {
    constexpr std::array<std::pair<unsigned, char>, 4> units = {
        {{40, 'T'}, {30, 'G'}, {20, 'M'}, {10, 'K'}}};
    for (auto [shift, suffix] : units) {
        if (bytes != 0 && bytes % (std::uint64_t{1} << shift) == 0)
            return std::to_string(bytes >> shift) + suffix;
    }
    return std::to_string(bytes);
}

} // namespace tandem::config_detail
