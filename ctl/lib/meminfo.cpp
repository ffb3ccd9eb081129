#include "tandem/proc_readers.h"

#include "tandem/errors.h"
#include "tandem/fields.h"
#include "tandem/text_lines.h"

#include <optional>

namespace tandem {

namespace {

// "<number> kB" after a "Key:" label.
std::uint64_t kib_value(std::string_view key, std::string_view rest) {
    const std::vector<std::string_view> fields = split_fields(rest);
    std::optional<std::uint64_t> value;
    if (fields.size() == 2 && fields[1] == "kB")
        value = parse_uint(fields[0]);
    if (!value)
        throw ParseError("/proc/meminfo: " + std::string(key) + " is not '<number> kB': '" +
                         std::string(rest) + "'");
    return *value;
}

} // namespace

double MemInfo::used_fraction() const {
    if (total_kib == 0 || available_kib >= total_kib)
        return 0.0;
    return 1.0 - static_cast<double>(available_kib) / static_cast<double>(total_kib);
}

MemInfo parse_meminfo(std::string_view text) {
    std::optional<std::uint64_t> total, available, free, buffers, cached;
    for (const std::string_view line : split_lines(text)) {
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos)
            continue;
        const std::string_view key = line.substr(0, colon);
        const std::string_view rest = line.substr(colon + 1);
        if (key == "MemTotal")
            total = kib_value(key, rest);
        else if (key == "MemAvailable")
            available = kib_value(key, rest);
        else if (key == "MemFree")
            free = kib_value(key, rest);
        else if (key == "Buffers")
            buffers = kib_value(key, rest);
        else if (key == "Cached")
            cached = kib_value(key, rest);
    }
    if (!total)
        throw ParseError("/proc/meminfo: no MemTotal line");
    if (!available && !free)
        throw ParseError("/proc/meminfo: neither MemAvailable nor MemFree");
    MemInfo info;
    info.total_kib = *total;
    info.available_kib = available ? *available : *free + buffers.value_or(0) + cached.value_or(0);
    return info;
}

} // namespace tandem
