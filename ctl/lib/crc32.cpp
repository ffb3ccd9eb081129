#include "tandem/crc32.h"

#include <array>

namespace tandem {

namespace {

constexpr std::uint32_t polynomial = 0xEDB88320U; // 0x04C11DB7, bits reversed

constexpr std::array<std::uint32_t, 256> make_table() {
    std::array<std::uint32_t, 256> table{};
    for (std::uint32_t i = 0; i < table.size(); i++) {
        std::uint32_t c = i;
        for (int bit = 0; bit < 8; bit++)
            c = (c & 1U) ? (c >> 1) ^ polynomial : c >> 1;
        table[i] = c;
    }
    return table;
}

constexpr std::array<std::uint32_t, 256> table = make_table();

} // namespace

std::uint32_t crc32(std::span<const std::byte> data, std::uint32_t crc) {
    std::uint32_t c = ~crc;
    for (std::byte b : data)
        c = table[(c ^ std::to_integer<std::uint32_t>(b)) & 0xffU] ^ (c >> 8);
    return ~c;
}

} // namespace tandem
