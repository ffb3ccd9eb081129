#include "tandem/byte_size.h"

#include "tandem/fields.h"

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

} // namespace tandem
