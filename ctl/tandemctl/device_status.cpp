#include "device_status.h"

namespace tandem::cli {

Status read_status(DeviceMapper& dm, const std::string& device) {
    std::string line = dm.status(device);
    try {
        return parse_status(line);
    } catch (const ParseError& e) {
        throw ParseError(device + ": " + e.what() + " in '" + line + "'");
    }
}

void require_leg(const Status& st, const std::string& command, const std::string& device,
                 unsigned leg) {
    if (leg >= st.legs.size())
        throw UsageError(command + ": " + device + " has " + std::to_string(st.legs.size()) +
                         " legs (0.." + std::to_string(st.legs.size() - 1) + "); there is no leg " +
                         std::to_string(leg));
}

UsageError older_target(const std::string& command, const std::string& device, const Status& st,
                        const std::string& feature) {
    return UsageError(command + ": " + device + " reports status version " +
                      std::to_string(st.version) + ", a target without " + feature +
                      "; its module is older than this tandemctl");
}

} // namespace tandem::cli
