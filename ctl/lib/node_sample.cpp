#include "tandem/node_metrics.h"

#include <algorithm>
#include <exception>

namespace tandem {

namespace {

// The value `read` returns, or nullopt with the reason in `problems`.
template <typename Read>
auto attempt(Read read, std::vector<std::string>& problems) -> std::optional<decltype(read())> {
    try {
        return read();
    } catch (const std::exception& e) {
        problems.emplace_back(e.what());
        return std::nullopt;
    }
}

} // namespace

std::optional<NetTotals> net_totals(const std::vector<NetInterfaceCounters>& interfaces,
                                    const std::vector<std::string>& names) {
    std::optional<NetTotals> totals;
    for (const NetInterfaceCounters& i : interfaces) {
        const bool watched = names.empty()
                                 ? i.name != "lo"
                                 : std::find(names.begin(), names.end(), i.name) != names.end();
        if (!watched)
            continue;
        if (!totals)
            totals.emplace();
        totals->packets += i.receive.packets + i.transmit.packets;
        totals->errors += i.receive.errors + i.receive.drops + i.transmit.errors + i.transmit.drops;
    }
    return totals;
}

NodeSample read_node_sample(const NodeSources& sources, std::chrono::steady_clock::time_point at) {
    NodeSample s;
    s.at = at;
    s.cpu = attempt([&] { return parse_proc_stat(read_text_file(sources.root, "proc/stat")); },
                    s.problems);
    s.memory = attempt([&] { return read_meminfo(sources.root); }, s.problems);

    if (auto interfaces = attempt([&] { return read_net_dev(sources.root); }, s.problems)) {
        for (const std::string& name : sources.interfaces) {
            if (std::none_of(interfaces->begin(), interfaces->end(),
                             [&](const NetInterfaceCounters& i) { return i.name == name; }))
                s.problems.push_back("network interface " + name + " is not in /proc/net/dev");
        }
        s.network = net_totals(*interfaces, sources.interfaces);
    }

    for (DeviceNumber disk : sources.disks) {
        const std::filesystem::path dir = sources.root / "sys/dev/block" / to_string(disk);
        s.disks.emplace_back(disk, attempt([&] { return read_disk_counters(dir); }, s.problems));
    }
    return s;
}

} // namespace tandem
