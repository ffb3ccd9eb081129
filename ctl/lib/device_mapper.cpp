#include "tandem/device_mapper.h"

#include <thread>

namespace tandem {

std::uint32_t DeviceMapper::wait_event_for(const std::string& name, std::uint32_t event_nr,
                                           std::chrono::milliseconds timeout) {
    const DeviceInfo before = info(name);
    if (!before.exists || before.event_nr != event_nr)
        return before.event_nr;
    std::this_thread::sleep_for(timeout);
    return info(name).event_nr;
}

} // namespace tandem
