#include "tandem/proc_readers.h"

#include "tandem/errors.h"
#include "tandem/fields.h"

namespace tandem {

namespace {

// Field positions (0-based) of Documentation/admin-guide/iostats.rst.
enum StatField : std::size_t {
    read_ios = 0,
    read_ticks = 3,
    write_ios = 4,
    write_ticks = 7,
    in_flight = 8,
    io_ticks = 9,
    discard_ios = 11, // 4.18
    discard_ticks = 14,
    flush_ios = 15, // 5.5
    flush_ticks = 16,
};
constexpr std::size_t min_stat_fields = 11;

DiskCounters counters_from_fields(const std::vector<std::string_view>& fields,
                                  std::string_view source) {
    if (fields.size() < min_stat_fields)
        throw ParseError(std::string(source) + ": " + std::to_string(fields.size()) +
                         " fields, expected at least " + std::to_string(min_stat_fields));
    std::vector<std::uint64_t> values;
    for (std::size_t i = 0; i < fields.size(); i++) {
        auto value = parse_uint(fields[i]);
        if (!value)
            throw ParseError(std::string(source) + ": field " + std::to_string(i + 1) +
                             " is not a number: '" + std::string(fields[i]) + "'");
        values.push_back(*value);
    }
    auto at = [&](std::size_t i) {
        return i < values.size() ? values[i] : 0;
    };
    DiskCounters c;
    c.ios = at(read_ios) + at(write_ios) + at(discard_ios) + at(flush_ios);
    c.ticks_ms = at(read_ticks) + at(write_ticks) + at(discard_ticks) + at(flush_ticks);
    c.in_flight = at(in_flight);
    c.io_ticks_ms = at(io_ticks);
    return c;
}

} // namespace

DiskCounters parse_block_stat(std::string_view line, std::string_view source) {
    return counters_from_fields(split_fields(line), source);
}

DiskCounters parse_diskstats(std::string_view text, std::string_view name) {
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos)
            end = text.size();
        std::vector<std::string_view> fields = split_fields(text.substr(pos, end - pos));
        pos = end + 1;
        // <major> <minor> <name> <counters>...
        if (fields.size() < 3 || fields[2] != name)
            continue;
        fields.erase(fields.begin(), fields.begin() + 3);
        return counters_from_fields(fields, "/proc/diskstats " + std::string(name));
    }
    throw ParseError("/proc/diskstats: no line for device " + std::string(name));
}

} // namespace tandem
