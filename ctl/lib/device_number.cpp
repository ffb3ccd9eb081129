#include "tandem/device_number.h"

#include "tandem/fields.h"

namespace tandem {

std::string to_string(DeviceNumber number) {
    return std::to_string(number.major) + ":" + std::to_string(number.minor);
}

std::optional<DeviceNumber> parse_device_number(std::string_view text) {
    const std::size_t colon = text.find(':');
    if (colon == std::string_view::npos)
        return std::nullopt;
    auto major = parse_uint(text.substr(0, colon), UINT32_MAX);
    auto minor = parse_uint(text.substr(colon + 1), UINT32_MAX);
    if (!major || !minor)
        return std::nullopt;
    return DeviceNumber{static_cast<std::uint32_t>(*major), static_cast<std::uint32_t>(*minor)};
}

} // namespace tandem
