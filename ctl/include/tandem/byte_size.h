// Sizes on the command line: a whole number of bytes, or of KiB, MiB, GiB
// or TiB with the suffix K, M, G or T (either case): "32M", "1G", "4096";
// and sizes in messages: "12 KiB", "1.5 GiB".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tandem {

// nullopt for anything else (a sign, a fraction, another suffix) or a
// size over UINT64_MAX.
std::optional<std::uint64_t> parse_byte_size(std::string_view text);

// "12 KiB", "128 MiB", "1.5 GiB": the largest unit the size holds at
// least one of, with one decimal unless it is a whole number of them.
std::string format_bytes(std::uint64_t bytes);

} // namespace tandem
