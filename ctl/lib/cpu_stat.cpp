#include "tandem/cpu_stat.h"

#include "tandem/errors.h"
#include "tandem/fields.h"
#include "tandem/text_lines.h"

#include <array>
#include <string>

namespace tandem {

std::uint64_t CpuSample::total() const {
    return user + nice + system + idle + iowait + irq + softirq + steal;
}

std::uint64_t CpuSample::busy() const {
    return total() - idle - iowait;
}

CpuSample parse_cpu_line(std::string_view line) {
    const std::vector<std::string_view> fields = split_fields(line);
    if (fields.empty() || fields[0] != "cpu")
        throw ParseError("/proc/stat: expected the aggregate 'cpu' line, got '" +
                         std::string(line) + "'");
    constexpr std::size_t min_counters = 4; // user nice system idle
    if (fields.size() < 1 + min_counters)
        throw ParseError("/proc/stat: the cpu line has " + std::to_string(fields.size() - 1) +
                         " counters, expected at least " + std::to_string(min_counters));

    CpuSample s;
    const std::array<std::uint64_t*, 8> counters = {&s.user,   &s.nice, &s.system,  &s.idle,
                                                    &s.iowait, &s.irq,  &s.softirq, &s.steal};
    for (std::size_t i = 0; i < counters.size() && i + 1 < fields.size(); i++) {
        auto value = parse_uint(fields[i + 1]);
        if (!value)
            throw ParseError("/proc/stat: cpu counter " + std::to_string(i + 1) +
                             " is not a number: '" + std::string(fields[i + 1]) + "'");
        *counters[i] = *value;
    }
    return s;
}

CpuSample parse_proc_stat(std::string_view text) {
    for (const std::string_view line : split_lines(text)) {
        if (line.starts_with("cpu ") || line.starts_with("cpu\t"))
            return parse_cpu_line(line);
    }
    throw ParseError("/proc/stat: no aggregate 'cpu' line");
}

double cpu_utilisation(const CpuSample& before, const CpuSample& after) {
    if (after.total() <= before.total() || after.busy() < before.busy())
        return 0.0;
    const std::uint64_t total = after.total() - before.total();
    const std::uint64_t busy = after.busy() - before.busy();
    return busy >= total ? 1.0 : static_cast<double>(busy) / static_cast<double>(total);
}

} // namespace tandem
