// The scheduler's per-class latency histograms (the `lat_us` field of the
// `stats` reply): TANDEM_LAT_BUCKETS log2 buckets of microseconds, bucket i
// counting completions in [2^i, 2^(i+1)) us (bucket 0 also those under
// 1 us), the last one everything slower.
#pragma once

#include <dm-tandem/tandem.h>

#include <array>
#include <cstdint>
#include <string_view>

namespace tandem {

struct LatencyHistogram {
    std::array<std::uint64_t, TANDEM_LAT_BUCKETS> buckets{};

    std::uint64_t total() const;

    bool operator==(const LatencyHistogram&) const = default;
};

// The upper bound of bucket i in microseconds: 2^(i+1).
std::uint64_t bucket_upper_us(unsigned bucket);

// The `pct` percentile (1..100) in microseconds, as the kernel computes
// the status's p50_us and p99_us: the upper bound of the first bucket
// where the cumulative count reaches ceil(total * pct / 100); 0 for an
// empty histogram.  Raises std::invalid_argument for pct outside 1..100.
std::uint64_t percentile_us(const LatencyHistogram& histogram, unsigned pct);

// "c0,c1,...,c23": exactly TANDEM_LAT_BUCKETS decimal counts.  Raises
// ParseError saying what is wrong, e.g. "expected 24 buckets, got 23 in
// '...'"; the caller names the field.
LatencyHistogram parse_latency_histogram(std::string_view text);

} // namespace tandem
