#include "tandem/class_table.h"

#include <iomanip>
#include <sstream>

namespace tandem {

namespace {

// A limit or latency, "-" when 0 (none, or nothing measured yet).
std::string or_dash(std::uint64_t value) {
    return value ? std::to_string(value) : "-";
}

} // namespace

std::string describe_scheduler(const SchedulerStatus& s) {
    std::string out = s.queue_depth ? "queue depth " + std::to_string(s.queue_depth) + ", " +
                                          std::to_string(s.in_flight) + " in flight"
                                    : std::string("off (queue depth 0)");
    out += "; " + std::to_string(s.rules) + (s.rules == 1 ? " rule" : " rules");
    return out;
}

std::string format_class_table(const SchedulerStatus& s, ClassColumns columns) {
    const bool full = columns == ClassColumns::full;
    std::ostringstream out;
    out << std::left << std::setw(16) << "class" << std::right << std::setw(6) << "weight"
        << std::setw(12) << "iops_limit" << std::setw(12) << "bw_KiB/s" << std::setw(14) << "bios";
    if (full)
        out << std::setw(14) << "kib";
    out << std::setw(8) << "queued";
    if (full)
        out << std::setw(10) << "waited" << std::setw(11) << "throttled";
    out << std::setw(10) << "p50_us" << std::setw(10) << "p99_us"
        << "\n";
    for (const ClassStatus& c : s.classes) {
        out << std::left << std::setw(16) << c.name << std::right << std::setw(6) << c.weight
            << std::setw(12) << or_dash(c.iops_limit) << std::setw(12) << or_dash(c.bw_limit)
            << std::setw(14) << c.bios;
        if (full)
            out << std::setw(14) << c.kib;
        out << std::setw(8) << c.queued;
        if (full)
            out << std::setw(10) << c.waited << std::setw(11) << c.throttled;
        out << std::setw(10) << or_dash(c.p50_us) << std::setw(10) << or_dash(c.p99_us) << "\n";
    }
    return out.str();
}

} // namespace tandem
