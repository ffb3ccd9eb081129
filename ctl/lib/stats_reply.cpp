#include "tandem/stats_reply.h"

#include "tandem/errors.h"
#include "tandem/fields.h"
#include "tandem/limits.h"

#include <string>

namespace tandem {

namespace {

// The keyword `key`, then its value in [0, max].
std::uint64_t keyed_uint(FieldReader& in, std::string_view key, std::uint64_t max) {
    std::string_view word = in.next(key);
    if (word != key)
        in.fail(key, "expected '" + std::string(key) + "', got '" + std::string(word) + "'");
    return in.next_uint(key, 0, max);
}

void parse_queue_line(FieldReader& in, SchedulerStats& stats) {
    in.next("queue_depth");
    stats.queue_depth = static_cast<std::uint32_t>(in.next_uint("queue_depth", 0, max_queue_depth));
    stats.in_flight = keyed_uint(in, "in_flight", UINT64_MAX);
}

ClassStats parse_class_line(FieldReader& in, const SchedulerStats& stats) {
    ClassStats cls;
    ClassStatus& c = cls.status;
    in.next("class");
    std::string_view name = in.next("name");
    if (std::string problem = class_name_problem(name); !problem.empty())
        in.fail("name", problem);
    for (const ClassStats& seen : stats.classes) {
        if (seen.status.name == name)
            in.fail("name", "class '" + std::string(name) + "' appears twice");
    }
    c.name = std::string(name);
    c.weight = static_cast<unsigned>(keyed_uint(in, "weight", max_class_weight));
    c.iops_limit = static_cast<std::uint32_t>(keyed_uint(in, "iops_limit", max_iops_limit));
    c.bw_limit = static_cast<std::uint32_t>(keyed_uint(in, "bw_limit", max_bw_limit));
    c.bios = keyed_uint(in, "bios", UINT64_MAX);
    c.kib = keyed_uint(in, "kib", UINT64_MAX);
    c.queued = keyed_uint(in, "queued", UINT64_MAX);
    c.waited = keyed_uint(in, "waited", UINT64_MAX);
    c.throttled = keyed_uint(in, "throttled", UINT64_MAX);
    c.p50_us = keyed_uint(in, "p50_us", UINT64_MAX);
    c.p99_us = keyed_uint(in, "p99_us", UINT64_MAX);
    std::string_view word = in.next("lat_us");
    if (word != "lat_us")
        in.fail("lat_us", "expected 'lat_us', got '" + std::string(word) + "'");
    std::string_view histogram = in.next("lat_us");
    try {
        cls.latency = parse_latency_histogram(histogram);
    } catch (const ParseError& e) {
        in.fail("lat_us", e.what());
    }
    return cls;
}

} // namespace

std::optional<SchedulerStats> parse_scheduler_stats(std::string_view reply) {
    SchedulerStats stats;
    bool queue_line = false;
    std::size_t line_nr = 0;
    std::size_t pos = 0;
    while (pos < reply.size()) {
        std::size_t end = reply.find('\n', pos);
        if (end == std::string_view::npos)
            end = reply.size();
        const std::string_view line = reply.substr(pos, end - pos);
        pos = end + 1;
        line_nr++;

        const std::vector<std::string_view> fields = split_fields(line);
        if (fields.empty() || (fields[0] != "queue_depth" && fields[0] != "class"))
            continue;
        FieldReader in("stats line " + std::to_string(line_nr), line);
        if (fields[0] == "queue_depth") {
            if (queue_line)
                in.fail_line("a second queue_depth line");
            parse_queue_line(in, stats);
            queue_line = true;
        } else {
            if (stats.classes.size() == max_classes)
                in.fail_line("more than " + std::to_string(max_classes) + " classes");
            stats.classes.push_back(parse_class_line(in, stats));
        }
    }
    if (!queue_line && stats.classes.empty())
        return std::nullopt;
    if (!queue_line)
        throw ParseError("stats: class lines but no 'queue_depth <n> in_flight <n>' line");
    return stats;
}

} // namespace tandem
