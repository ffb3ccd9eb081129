// A block device's number, "major:minor" as device-mapper tables and the
// status name the devices they hold.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tandem {

struct DeviceNumber {
    std::uint32_t major = 0;
    std::uint32_t minor = 0;

    bool operator==(const DeviceNumber&) const = default;
};

// "253:2".
std::string to_string(DeviceNumber number);

// "<major>:<minor>", both decimal and within 32 bits; nullopt otherwise.
std::optional<DeviceNumber> parse_device_number(std::string_view text);

} // namespace tandem
