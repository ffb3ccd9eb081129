// crc32 against the standard check values (zlib's crc32()).
#include "tandem/crc32.h"

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

using namespace tandem;

namespace {

std::uint32_t crc_of(std::string_view text, std::uint32_t crc = 0) {
    return crc32(std::as_bytes(std::span<const char>(text.data(), text.size())), crc);
}

} // namespace

TEST(Crc32, KnownVectors) {
    EXPECT_EQ(crc_of("123456789"), 0xCBF43926U);
    EXPECT_EQ(crc_of(""), 0x00000000U);
    EXPECT_EQ(crc_of("a"), 0xE8B7BE43U);
    EXPECT_EQ(crc_of("abc"), 0x352441C2U);
    EXPECT_EQ(crc_of("The quick brown fox jumps over the lazy dog"), 0x414FA339U);
}

TEST(Crc32, ContinuesLikeZlib) {
    EXPECT_EQ(crc_of("56789", crc_of("1234")), 0xCBF43926U);
}

TEST(Crc32, ZeroBlocks) {
    // 4092 zero bytes: the checksum a bitmap block of a blank device would
    // need; not zero, so a zeroed block never passes for a written one.
    const std::vector<std::byte> zeros(4092);
    EXPECT_NE(crc32(zeros), 0U);
    const std::vector<std::byte> four(4);
    EXPECT_EQ(crc32(four), 0x2144DF1CU);
}
