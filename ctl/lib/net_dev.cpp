#include "tandem/proc_readers.h"

#include "tandem/errors.h"
#include "tandem/fields.h"
#include "tandem/text_lines.h"

#include <array>

namespace tandem {

namespace {

// After "<name>:", 8 receive counters then 8 transmit counters:
//   bytes packets errs drop fifo frame compressed multicast
//   bytes packets errs drop fifo colls carrier compressed
constexpr std::size_t counters_per_line = 16;

NetInterfaceCounters parse_interface_line(std::string_view line, std::size_t line_number) {
    const std::size_t colon = line.find(':');
    const std::vector<std::string_view> name_fields =
        split_fields(line.substr(0, colon == std::string_view::npos ? 0 : colon));
    if (colon == std::string_view::npos || name_fields.size() != 1)
        throw ParseError("/proc/net/dev line " + std::to_string(line_number) +
                         ": expected '<interface>: <counters>', got '" + std::string(line) + "'");
    NetInterfaceCounters counters;
    counters.name = std::string(name_fields[0]);
    const std::vector<std::string_view> fields = split_fields(line.substr(colon + 1));
    if (fields.size() < counters_per_line)
        throw ParseError("/proc/net/dev: interface " + counters.name + " has " +
                         std::to_string(fields.size()) + " counters, expected " +
                         std::to_string(counters_per_line));
    std::array<std::uint64_t, counters_per_line> values{};
    for (std::size_t i = 0; i < counters_per_line; i++) {
        auto value = parse_uint(fields[i]);
        if (!value)
            throw ParseError("/proc/net/dev: interface " + counters.name + " counter " +
                             std::to_string(i + 1) + " is not a number: '" +
                             std::string(fields[i]) + "'");
        values[i] = *value;
    }
    counters.receive = {values[0], values[1], values[2], values[3]};
    counters.transmit = {values[8], values[9], values[10], values[11]};
    return counters;
}

} // namespace

std::vector<NetInterfaceCounters> parse_net_dev(std::string_view text) {
    std::vector<NetInterfaceCounters> interfaces;
    const std::vector<std::string_view> lines = split_lines(text);
    for (std::size_t i = 0; i < lines.size(); i++) {
        const std::string_view line = lines[i];
        // Two header lines ("Inter-|   Receive ...", " face |bytes ..."), then
        // one line per interface.
        if (line.find('|') != std::string_view::npos || split_fields(line).empty())
            continue;
        interfaces.push_back(parse_interface_line(line, i + 1));
    }
    return interfaces;
}

} // namespace tandem
