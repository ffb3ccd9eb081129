#include "device_status.h"

#include "tandem/errors.h"

namespace tandem::cli {

Status read_status(DeviceMapper& dm, const std::string& device) {
    std::string line = dm.status(device);
    try {
        return parse_status(line);
    } catch (const ParseError& e) {
        throw ParseError(device + ": " + e.what() + " in '" + line + "'");
    }
}

} // namespace tandem::cli
