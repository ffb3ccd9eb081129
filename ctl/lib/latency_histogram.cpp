#include "tandem/latency_histogram.h"

#include "tandem/errors.h"
#include "tandem/fields.h"

#include <numeric>
#include <stdexcept>
#include <string>

namespace tandem {

std::uint64_t LatencyHistogram::total() const {
    return std::accumulate(buckets.begin(), buckets.end(), std::uint64_t{0});
}

std::uint64_t bucket_upper_us(unsigned bucket) {
    return std::uint64_t{1} << (bucket + 1);
}

std::uint64_t percentile_us(const LatencyHistogram& h, unsigned pct) {
    if (pct < 1 || pct > 100)
        throw std::invalid_argument("percentile " + std::to_string(pct) + " is not in 1..100");
    const std::uint64_t total = h.total();
    if (!total)
        return 0;
    // ceil(total * pct / 100), split so that total * pct cannot overflow.
    const std::uint64_t target = total / 100 * pct + (total % 100 * pct + 99) / 100;
    std::uint64_t seen = 0;
    for (unsigned i = 0; i < h.buckets.size(); i++) {
        seen += h.buckets[i];
        if (seen >= target)
            return bucket_upper_us(i);
    }
    return bucket_upper_us(static_cast<unsigned>(h.buckets.size() - 1));
}

LatencyHistogram parse_latency_histogram(std::string_view text) {
    LatencyHistogram h;
    std::size_t count = 0;
    std::size_t pos = 0;
    while (true) {
        const std::size_t comma = text.find(',', pos);
        const std::string_view item = text.substr(pos, comma - pos);
        if (count == h.buckets.size())
            throw ParseError("more than " + std::to_string(h.buckets.size()) + " buckets in '" +
                             std::string(text) + "'");
        auto value = parse_uint(item);
        if (!value)
            throw ParseError("bucket " + std::to_string(count) +
                             ": expected a whole number, got '" + std::string(item) + "'");
        h.buckets[count++] = *value;
        if (comma == std::string_view::npos)
            break;
        pos = comma + 1;
    }
    if (count != h.buckets.size())
        throw ParseError("expected " + std::to_string(h.buckets.size()) + " buckets, got " +
                         std::to_string(count) + " in '" + std::string(text) + "'");
    return h;
}

} // namespace tandem
