#include "tandem/stats_reply.h"

#include "tandem/errors.h"
#include "tandem/fields.h"
#include "tandem/limits.h"
#include "tandem/text_lines.h"

#include <algorithm>
#include <string>

namespace tandem {

namespace {

// The keyword `key`, then its value.
std::string_view keyed_word(FieldReader& in, std::string_view key) {
    std::string_view word = in.next(key);
    if (word != key)
        in.fail(key, "expected '" + std::string(key) + "', got '" + std::string(word) + "'");
    return in.next(key);
}

// The keyword `key`, then its value in [0, max].
std::uint64_t keyed_uint(FieldReader& in, std::string_view key, std::uint64_t max) {
    std::string_view word = in.next(key);
    if (word != key)
        in.fail(key, "expected '" + std::string(key) + "', got '" + std::string(word) + "'");
    return in.next_uint(key, 0, max);
}

// "lat_us <c0>,<c1>,..,<c23>".
LatencyHistogram keyed_histogram(FieldReader& in) {
    std::string_view histogram = keyed_word(in, "lat_us");
    try {
        return parse_latency_histogram(histogram);
    } catch (const ParseError& e) {
        in.fail("lat_us", e.what());
    }
}

// Calls `parse(line_nr, line, fields)` for each line of the reply.
template <class Parse>
void for_each_line(std::string_view reply, Parse parse) {
    const std::vector<std::string_view> lines = split_lines(reply);
    for (std::size_t i = 0; i < lines.size(); i++)
        parse(i + 1, lines[i], split_fields(lines[i]));
}

std::string line_kind(std::size_t line_nr) {
    return "stats line " + std::to_string(line_nr);
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
    cls.latency = keyed_histogram(in);
    return cls;
}

void parse_shadow_line(FieldReader& in, ShadowStatus& sh) {
    in.next("shadow");
    std::string_view device = keyed_word(in, "dev");
    if (device == "-")
        in.fail("dev", "a shadow line names its device, got '-'");
    sh.device = std::string(device);
    sh.mode_word = std::string(keyed_word(in, "mode"));
    sh.mode = shadow_mode_from_word(sh.mode_word);
    sh.sample = static_cast<std::uint32_t>(keyed_uint(in, "sample", max_shadow_sample));
    sh.pool_kib = static_cast<std::uint32_t>(keyed_uint(in, "pool_kib", max_shadow_pool));
    sh.pool_used_kib = keyed_uint(in, "pool_used_kib", UINT64_MAX);
    sh.dropped = keyed_uint(in, "dropped", UINT64_MAX);
    sh.gate_failures = keyed_uint(in, "gate_failures", UINT64_MAX);
    sh.compared = keyed_uint(in, "compared", UINT64_MAX);
    sh.mismatches = keyed_uint(in, "mismatches", UINT64_MAX);
    sh.confined = keyed_uint(in, "confined", UINT64_MAX);
    sh.confined_errors = keyed_uint(in, "confined_errors", UINT64_MAX);
}

// A shadow_op line into its operation's entry (made on first sight).
void parse_shadow_op_line(FieldReader& in, ShadowStats& stats, std::vector<unsigned>& sides_seen) {
    in.next("shadow_op");
    std::string_view op = in.next("op");
    if (op.empty() ||
        !std::all_of(op.begin(), op.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
        in.fail("op", "expected an operation such as read, got '" + std::string(op) + "'");
    std::string_view side = keyed_word(in, "side");
    const bool production = side == "production";
    if (!production && side != "shadow")
        in.fail("side", "expected production or shadow, got '" + std::string(side) + "'");

    auto it = std::find_if(stats.ops.begin(), stats.ops.end(),
                           [&](const ShadowOpStats& o) { return o.op == op; });
    if (it == stats.ops.end()) {
        stats.ops.push_back(ShadowOpStats{std::string(op), {}, {}});
        sides_seen.push_back(0);
        it = stats.ops.end() - 1;
    }
    unsigned& seen = sides_seen[static_cast<std::size_t>(it - stats.ops.begin())];
    const unsigned bit = production ? 1 : 2;
    if (seen & bit)
        in.fail("side", std::string(op) + " side " + std::string(side) + " appears twice");
    seen |= bit;

    ShadowSideStats& figures = production ? it->production : it->shadow;
    figures.count = keyed_uint(in, "count", UINT64_MAX);
    figures.errors = keyed_uint(in, "errors", UINT64_MAX);
    figures.p50_us = keyed_uint(in, "p50_us", UINT64_MAX);
    figures.p99_us = keyed_uint(in, "p99_us", UINT64_MAX);
    figures.latency = keyed_histogram(in);
}

// "shadow_mismatch_sectors [<s>,<s>...]".
std::vector<std::uint64_t> parse_mismatch_line(FieldReader& in) {
    in.next("shadow_mismatch_sectors");
    std::vector<std::uint64_t> sectors;
    if (in.at_end())
        return sectors;
    const std::string_view list = in.next("sectors");
    std::size_t pos = 0;
    while (true) {
        const std::size_t comma = list.find(',', pos);
        const std::string_view item = list.substr(pos, comma - pos);
        auto sector = parse_uint(item);
        if (!sector)
            in.fail("sectors",
                    "expected sectors separated by commas, got '" + std::string(list) + "'");
        sectors.push_back(*sector);
        if (comma == std::string_view::npos)
            return sectors;
        pos = comma + 1;
    }
}

} // namespace

const ShadowOpStats* ShadowStats::find_op(std::string_view op) const {
    for (const ShadowOpStats& figures : ops) {
        if (figures.op == op)
            return &figures;
    }
    return nullptr;
}

std::optional<ShadowStats> parse_shadow_stats(std::string_view reply) {
    ShadowStats stats;
    bool shadow_line = false, op_lines = false, mismatch_line = false;
    std::vector<unsigned> sides_seen; // per entry of stats.ops: 1 production, 2 shadow
    for_each_line(reply, [&](std::size_t line_nr, std::string_view line,
                             const std::vector<std::string_view>& fields) {
        if (fields.empty())
            return;
        FieldReader in(line_kind(line_nr), line);
        if (fields[0] == "shadow") {
            if (shadow_line)
                in.fail_line("a second shadow line");
            parse_shadow_line(in, stats.status);
            shadow_line = true;
        } else if (fields[0] == "shadow_op") {
            parse_shadow_op_line(in, stats, sides_seen);
            op_lines = true;
        } else if (fields[0] == "shadow_mismatch_sectors") {
            if (mismatch_line)
                in.fail_line("a second shadow_mismatch_sectors line");
            stats.mismatch_sectors = parse_mismatch_line(in);
            mismatch_line = true;
        }
    });
    if (!shadow_line && !op_lines && !mismatch_line)
        return std::nullopt;
    if (!shadow_line)
        throw ParseError("stats: shadow_op or shadow_mismatch_sectors lines but no shadow line");
    for (std::string_view op : shadow_ops) {
        if (!stats.find_op(op))
            throw ParseError("stats: no shadow_op line for " + std::string(op));
    }
    for (std::size_t i = 0; i < stats.ops.size(); i++) {
        if (sides_seen[i] != 3)
            throw ParseError("stats: no shadow_op line for " + stats.ops[i].op + " side " +
                             (sides_seen[i] & 1 ? "shadow" : "production"));
        const ShadowOpStats& o = stats.ops[i];
        stats.status.ops.push_back(
            ShadowOpStatus{o.op,
                           {o.production.count, o.production.errors, o.production.p99_us},
                           {o.shadow.count, o.shadow.errors, o.shadow.p99_us}});
    }
    return stats;
}

std::optional<SchedulerStats> parse_scheduler_stats(std::string_view reply) {
    SchedulerStats stats;
    bool queue_line = false;
    for_each_line(reply, [&](std::size_t line_nr, std::string_view line,
                             const std::vector<std::string_view>& fields) {
        if (fields.empty() || (fields[0] != "queue_depth" && fields[0] != "class"))
            return;
        FieldReader in(line_kind(line_nr), line);
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
    });
    if (!queue_line && stats.classes.empty())
        return std::nullopt;
    if (!queue_line)
        throw ParseError("stats: class lines but no 'queue_depth <n> in_flight <n>' line");
    return stats;
}

} // namespace tandem
