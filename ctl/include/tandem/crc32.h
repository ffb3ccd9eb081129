// The standard CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320): what
// zlib's crc32() and the kernel's crc32_le(~0, ...) ^ ~0 compute, and what
// the metadata device's blocks start with.  crc32("123456789") is
// 0xCBF43926.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace tandem {

// The CRC of `data`; pass a previous result as `crc` to continue it over
// more data, as with zlib (crc32(crc32(0, a), b) == crc32(0, a + b)).
std::uint32_t crc32(std::span<const std::byte> data, std::uint32_t crc = 0);

} // namespace tandem
