// CPU utilisation from two samples of /proc/stat's aggregate "cpu" line:
//
//   cpu  <user> <nice> <system> <idle> <iowait> <irq> <softirq> <steal>
//        <guest> <guest_nice>
//
// in clock ticks since boot.  Pure: the caller reads the file.
#pragma once

#include <cstdint>
#include <string_view>

namespace tandem {

struct CpuSample {
    std::uint64_t user = 0;
    std::uint64_t nice = 0;
    std::uint64_t system = 0;
    std::uint64_t idle = 0;
    std::uint64_t iowait = 0;
    std::uint64_t irq = 0;
    std::uint64_t softirq = 0;
    std::uint64_t steal = 0;
    // guest and guest_nice are already counted in user and nice.

    // Every tick, and the ticks neither idle nor waiting for I/O (steal
    // counts as busy: the CPU was not there for this system).
    std::uint64_t total() const;
    std::uint64_t busy() const;

    bool operator==(const CpuSample&) const = default;
};

// The aggregate line ("cpu" followed by at least 4 counters; fields a
// kernel does not print count 0, fields after steal are ignored).
// Raises ParseError for another line or a field that is not a number.
CpuSample parse_cpu_line(std::string_view line);

// The aggregate line of a whole /proc/stat text.  Raises ParseError when
// it has none.
CpuSample parse_proc_stat(std::string_view text);

// The busy fraction of the time between two samples, 0..1; 0 when no tick
// passed or a counter went backwards (the samples are not in order).
double cpu_utilisation(const CpuSample& before, const CpuSample& after);

} // namespace tandem
