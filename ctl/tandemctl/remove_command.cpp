#include "remove_command.h"

#include "command_parser.h"
#include "shadow_setup.h"

#include "tandem/errors.h"

#include <dm-tandem/tandem.h>

#include <cerrno>
#include <ostream>

namespace po = boost::program_options;

namespace tandem::cli {

namespace {

// The device must exist and be a tandem device.
void check_tandem(DeviceMapper& dm, const std::string& device) {
    if (!dm.info(device).exists)
        throw std::runtime_error("remove: there is no device named " + device);
    const std::vector<TableLine> lines = dm.table_lines(device);
    if (lines.size() != 1 || lines[0].type != TANDEM_TARGET_NAME)
        throw UsageError(
            "remove: " + device + " is not a " + TANDEM_TARGET_NAME + " device (its table has " +
            std::to_string(lines.size()) + " line(s), the first of target '" +
            (lines.empty() ? std::string("-") : lines[0].type) + "'); it is left alone");
}

} // namespace

std::optional<RemoveFlags> parse_remove_command(CommandParser& p) {
    RemoveFlags flags;
    p.options()("force", po::bool_switch(&flags.force),
                "while the device is open, keep trying for 10 seconds");
    if (!p.parse(0))
        return std::nullopt;
    flags.device = p.device();
    return flags;
}

void run_remove(const RemoveFlags& flags, DeviceMapper& dm, CowStore& store, const Sleep& sleep,
                std::ostream& out) {
    const std::string& device = flags.device;
    check_tandem(dm, device);
    const auto attempts = flags.force ? remove_retry_time / remove_retry_interval + 1 : 1;
    for (auto attempt = 1;; attempt++) {
        try {
            dm.remove(device);
            break;
        } catch (const DmError& e) {
            if (e.errno_value() != EBUSY)
                throw;
            if (!flags.force)
                throw std::runtime_error("remove: " + device +
                                         " is in use (mounted, open, or held by another "
                                         "device); unmount or close it first, or add --force to "
                                         "keep trying for " +
                                         std::to_string(remove_retry_time.count()) + " seconds");
            if (attempt >= attempts)
                throw std::runtime_error("remove: " + device +
                                         " is still in use after trying for " +
                                         std::to_string(remove_retry_time.count()) +
                                         " seconds (mounted, open, or held by another device)");
        }
        sleep(remove_retry_interval);
    }
    out << device << ": removed\n";
    remove_leftover_shadow(device, dm, store, out);
}

} // namespace tandem::cli
