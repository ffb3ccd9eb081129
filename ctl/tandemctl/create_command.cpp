#include "create_command.h"

#include "command_parser.h"
#include "device_status.h"
#include "rollback.h"

#include "tandem/byte_size.h"
#include "tandem/errors.h"
#include "tandem/fields.h"
#include "tandem/limits.h"
#include "tandem/sync_summary.h"

#include <ostream>

namespace po = boost::program_options;

namespace tandem::cli {

namespace {

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> items;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = text.find(',', start);
        items.push_back(text.substr(start, comma - start));
        if (comma == std::string::npos)
            return items;
        start = comma + 1;
    }
}

std::vector<std::string> checked_legs(const CommandParser& p, const std::string& text) {
    std::vector<std::string> legs = split_list(text);
    if (legs.size() < min_legs || legs.size() > max_legs)
        p.fail("--legs: expected " + std::to_string(min_legs) + " to " + std::to_string(max_legs) +
               " devices separated by commas, got " + std::to_string(legs.size()) + " in '" + text +
               "'");
    for (std::size_t i = 0; i < legs.size(); i++) {
        if (legs[i].empty())
            p.fail("--legs: leg " + std::to_string(i) + " is empty in '" + text + "'");
        for (std::size_t j = 0; j < i; j++) {
            if (legs[j] == legs[i])
                p.fail("--legs: " + legs[i] + " is given twice (legs " + std::to_string(j) +
                       " and " + std::to_string(i) + ")");
        }
    }
    return legs;
}

std::uint32_t checked_region_size(const CommandParser& p, const std::string& text) {
    const auto bytes = parse_byte_size(text);
    if (!bytes)
        p.fail("--region-size: expected a size such as 512K or 1M (bytes, or K, M, G), got '" +
               text + "'");
    if (*bytes % 512 || !valid_region_sectors(*bytes / 512))
        p.fail("--region-size: " + text + " is not a power of two from " +
               format_bytes(std::uint64_t{min_region_sectors} * 512) + " to " +
               format_bytes(std::uint64_t{max_region_sectors} * 512));
    return static_cast<std::uint32_t>(*bytes / 512);
}

std::uint64_t checked_size(const CommandParser& p, const std::string& text) {
    const auto bytes = parse_byte_size(text);
    if (!bytes)
        p.fail("--size: expected a size such as 10G or 512M (bytes, or K, M, G, T), got '" + text +
               "'");
    if (*bytes == 0)
        p.fail("--size: the device cannot be empty");
    if (*bytes % 512)
        p.fail("--size: " + text + " is not a whole number of 512-byte sectors");
    return *bytes;
}

std::uint32_t checked_number(const CommandParser& p, const std::string& what,
                             const std::string& text, std::string (*problem)(std::uint64_t)) {
    const auto value = parse_uint(text);
    if (!value)
        p.fail(what + ": expected a whole number, got '" + text + "'");
    if (std::string bad = problem(*value); !bad.empty())
        p.fail(what + ": " + bad);
    return static_cast<std::uint32_t>(*value);
}

std::vector<unsigned> checked_weights(const CommandParser& p, const std::string& text,
                                      std::size_t legs) {
    std::vector<unsigned> weights;
    for (const std::string& item : split_list(text)) {
        const auto w = parse_uint(item, weight_total);
        if (!w)
            p.fail("--read-weights: expected whole numbers 0.." + std::to_string(weight_total) +
                   " separated by commas, got '" + item + "' in '" + text + "'");
        weights.push_back(static_cast<unsigned>(*w));
    }
    if (weights.size() != legs)
        p.fail("--read-weights: " + std::to_string(weights.size()) + " weights for " +
               std::to_string(legs) + " legs; give one per leg");
    if (std::string problem = weights_problem(weights); !problem.empty())
        p.fail("--read-weights: " + problem);
    return weights;
}

} // namespace

std::optional<CreateFlags> parse_create_command(CommandParser& p) {
    std::optional<std::string> legs, metadata, region_size, size, sync_rate, resync_mode, weights,
        queue_depth, config;
    bool nosync = false;
    p.options()("legs", optional_value(legs, "<dev0>,<dev1>[,...]"),
                "the legs, 2 to 4 block devices (paths or major:minor), leg 0 the source");
    p.options()("metadata", optional_value(metadata, "<dev>|-"),
                "device keeping leg state and write intent across restarts (default -: in core "
                "only, a full resync after an unclean stop)");
    p.options()("region-size", optional_value(region_size, "<size>"),
                "unit of resync and write intent, a power of two 4K..1G (default 512K)");
    p.options()("size", optional_value(size, "<size>"),
                "the device's size, bytes or K, M, G, T (default: the smallest leg's)");
    p.options()("nosync", po::bool_switch(&nosync),
                "the legs are identical already: copy nothing at first");
    p.options()("sync-rate", optional_value(sync_rate, "<KiB/s>"),
                "resync rate, 0 (paused) to 16777216 (default 65536)");
    p.options()("resync-mode", optional_value(resync_mode, "copy|checksum"),
                "copy whole regions (default), or only the 4 KiB blocks that differ");
    p.options()("read-weights", optional_value(weights, "<w0>,<w1>[,...]"),
                "initial read weights, one per leg, summing to 100 (default: all from leg 0)");
    p.options()("queue-depth", optional_value(queue_depth, "<n>"),
                "in-flight limit of the class scheduler, 0 (off, default) to 4096");
    p.options()("config", optional_value(config, "<file>"),
                "take the legs and the rest from the device's entry in tandemd's configuration");
    if (!p.parse(0))
        return std::nullopt;

    CreateFlags flags;
    CreateRequest& r = flags.request;
    r.device = p.device();
    // With --config the file's own uuid may serve; the file's check covers it.
    if (config) {
        if (legs || metadata || region_size || size || nosync || sync_rate || resync_mode ||
            weights || queue_depth)
            p.fail("--config takes every setting from the file; give no other option with it");
        flags.config_file = *config;
        return flags;
    }
    if (tandem_uuid(r.device).size() > max_uuid_length)
        p.fail("device name '" + r.device + "' is too long for its uuid " +
               tandem_uuid(r.device).substr(0, 16) + "...: at most " +
               std::to_string(max_uuid_length - tandem_uuid("").size()) + " characters");
    if (!legs)
        p.fail("missing --legs <dev0>,<dev1> (or --config <file>)");
    r.legs = checked_legs(p, *legs);
    if (metadata && metadata->empty())
        p.fail("--metadata: expected a device, or - for none");
    if (metadata && *metadata != "-")
        r.metadata = *metadata;
    if (region_size)
        r.region_sectors = checked_region_size(p, *region_size);
    if (size)
        r.size_bytes = checked_size(p, *size);
    r.nosync = nosync;
    if (sync_rate)
        r.sync_rate = checked_number(p, "--sync-rate", *sync_rate, sync_rate_problem);
    if (resync_mode) {
        if (resync_mode_from_word(*resync_mode) == ResyncMode::unknown)
            p.fail("--resync-mode: expected copy or checksum, got '" + *resync_mode + "'");
        r.resync_mode = resync_mode_from_word(*resync_mode);
    }
    if (weights)
        r.read_weights = checked_weights(p, *weights, r.legs.size());
    if (queue_depth)
        r.queue_depth = checked_number(p, "--queue-depth", *queue_depth, queue_depth_problem);
    return flags;
}

void run_create(const CreateFlags& flags, DeviceMapper& dm, BlockDevices& devices,
                std::ostream& out) {
    const CreateRequest r = flags.config_file ? request_from_config(load_config(*flags.config_file),
                                                                    flags.request.device)
                                              : flags.request;
    const std::string& device = r.device;
    if (const DeviceInfo info = dm.info(device); info.exists)
        throw std::runtime_error("create: a device named " + device + " exists already" +
                                 (info.uuid.empty() ? "" : " (uuid " + info.uuid + ")") +
                                 "; 'tandemctl remove " + device + "' removes it");
    const TableLine line = plan_table(r, devices);
    const std::string uuid = r.uuid.empty() ? tandem_uuid(device) : r.uuid;
    dm.create(device, uuid, line);

    Rollback rollback;
    rollback.add("remove " + device, [&] { dm.remove(device); });
    Status st;
    try {
        st = read_status(dm, device);
        if (st.legs.size() != r.legs.size())
            throw std::runtime_error(device + ": the target reports " +
                                     std::to_string(st.legs.size()) + " legs, not the " +
                                     std::to_string(r.legs.size()) + " of its table");
    } catch (const std::exception& e) {
        rollback.fail(e);
    }

    const std::uint64_t regions = (line.length + r.region_sectors - 1) / r.region_sectors;
    out << device << ": created (uuid " << uuid << "), " << r.legs.size() << " legs, "
        << format_bytes(line.length * 512) << " in " << regions << " regions of "
        << format_bytes(std::uint64_t{r.region_sectors} * 512) << "\n"
        << "  table: " << line.start << " " << line.length << " " << line.type << " " << line.params
        << "\n";
    if (st.sync)
        out << "  sync:  " << describe_sync(st) << "\n";
}

} // namespace tandem::cli
