#include "tandem/byte_size.h"

#include "tandem/fields.h"

#include <iomanip>
#include <iterator>
#include <sstream>

namespace tandem {

std::optional<std::uint64_t> parse_byte_size(std::string_view text) {
    unsigned shift = 0;
    if (!text.empty()) {
        switch (text.back()) {
        case 'K':
        case 'k':
            shift = 10;
            break;
        case 'M':
        case 'm':
            shift = 20;
            break;
        case 'G':
        case 'g':
            shift = 30;
            break;
        case 'T':
        case 't':
            shift = 40;
            break;
        }
    }
    if (shift)
        text.remove_suffix(1);
    auto value = parse_uint(text, UINT64_MAX >> shift);
    if (!value)
        return std::nullopt;
    return *value << shift;
}

std::string format_bytes(std::uint64_t bytes) {
    static constexpr const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    std::size_t unit = 0;
    std::uint64_t scale = 1;
    while (unit + 1 < std::size(units) && bytes / scale >= 1024) {
        scale *= 1024;
        unit++;
    }
    std::ostringstream out;
    if (bytes % scale == 0)
        out << bytes / scale;
    else
        out << std::fixed << std::setprecision(1)
            << static_cast<double>(bytes) / static_cast<double>(scale);
    out << " " << units[unit];
    return out.str();
}

} // namespace tandem
