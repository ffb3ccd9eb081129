// Sizes on the command line: a whole number of bytes, or of KiB, MiB, GiB
// or TiB with the suffix K, M, G or T (either case): "32M", "1G", "4096".
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace tandem {

// nullopt for anything else (a sign, a fraction, another suffix) or a
// size over UINT64_MAX.
std::optional<std::uint64_t> parse_byte_size(std::string_view text);

} // namespace tandem
