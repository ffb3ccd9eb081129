#include "uuid_ref.h"

#include <optional>
#include <stdexcept>

namespace tandem::cli {

bool is_uuid_ref(std::string_view arg) {
    return arg.substr(0, uuid_ref_prefix.size()) == uuid_ref_prefix;
}

std::string uuid_ref_problem(std::string_view arg) {
    if (is_uuid_ref(arg) && arg.size() == uuid_ref_prefix.size())
        return "'" + std::string(arg) + "': no uuid after '" + std::string(uuid_ref_prefix) + "'";
    return {};
}

std::string resolve_device(DeviceMapper& dm, const std::string& arg) {
    if (!is_uuid_ref(arg))
        return arg;
    const std::string uuid = arg.substr(uuid_ref_prefix.size());
    const std::optional<std::string> name = dm.find_by_uuid(uuid);
    if (!name)
        throw std::runtime_error("no device has uuid " + uuid +
                                 " ('tandemctl list' shows the tandem devices' uuids)");
    return *name;
}

} // namespace tandem::cli
