#include "tandem/rule.h"

#include "tandem/errors.h"
#include "tandem/fields.h"
#include "tandem/limits.h"
#include "tandem/text_lines.h"

#include <algorithm>
#include <array>

namespace tandem {

namespace {

constexpr std::array<IoprioClass, 4> ioprio_classes = {IoprioClass::none, IoprioClass::rt,
                                                       IoprioClass::be, IoprioClass::idle};
constexpr std::array<Op, 4> all_ops = {Op::read, Op::write, Op::flush, Op::discard};
constexpr std::uint64_t max_size = UINT32_MAX;

// "<key>=<value>": the value, or nullopt for another key.
std::optional<std::string_view> match_value(std::string_view word, std::string_view key) {
    if (word.size() <= key.size() || word.substr(0, key.size()) != key || word[key.size()] != '=')
        return std::nullopt;
    return word.substr(key.size() + 1);
}

std::string quoted(std::string_view text) {
    return "'" + std::string(text) + "'";
}

} // namespace

std::string_view to_string(IoprioClass cls) {
    switch (cls) {
    case IoprioClass::none:
        return "none";
    case IoprioClass::rt:
        return "rt";
    case IoprioClass::be:
        return "be";
    case IoprioClass::idle:
        return "idle";
    }
    return "none";
}

std::string_view to_string(Op op) {
    switch (op) {
    case Op::read:
        return "read";
    case Op::write:
        return "write";
    case Op::flush:
        return "flush";
    case Op::discard:
        return "discard";
    }
    return "read";
}

std::string_view to_string(Route route) {
    return route == Route::shadow ? TANDEM_ROUTE_SHADOW : TANDEM_ROUTE_LEGS;
}

IoprioMatch parse_ioprio(std::string_view text) {
    const std::size_t colon = text.find(':');
    const std::string_view name = text.substr(0, colon);
    const auto* cls = std::find_if(ioprio_classes.begin(), ioprio_classes.end(),
                                   [&](IoprioClass c) { return to_string(c) == name; });
    if (cls == ioprio_classes.end())
        throw UsageError("ioprio: expected none, rt, be or idle, optionally with a level :0..7 "
                         "(e.g. be:4), got " +
                         quoted(text));
    IoprioMatch match{*cls, std::nullopt};
    if (colon != std::string_view::npos) {
        auto level = parse_uint(text.substr(colon + 1), ioprio_levels - 1);
        if (!level)
            throw UsageError("ioprio: the level must be 0.." + std::to_string(ioprio_levels - 1) +
                             ", got " + quoted(text));
        match.level = static_cast<unsigned>(*level);
    }
    return match;
}

std::vector<Op> parse_ops(std::string_view text) {
    std::vector<Op> ops;
    std::size_t pos = 0;
    while (true) {
        const std::size_t comma = text.find(',', pos);
        const std::string_view name = text.substr(pos, comma - pos);
        const auto* op = std::find_if(all_ops.begin(), all_ops.end(),
                                      [&](Op o) { return to_string(o) == name; });
        if (op == all_ops.end())
            throw UsageError("op: " + (name.empty() ? "an empty operation" : quoted(name)) +
                             " in " + quoted(text) +
                             "; expected read, write, flush or discard, separated by commas");
        if (std::find(ops.begin(), ops.end(), *op) != ops.end())
            throw UsageError("op: " + quoted(name) + " is listed twice in " + quoted(text));
        ops.push_back(*op);
        if (comma == std::string_view::npos)
            return ops;
        pos = comma + 1;
    }
}

SizeRange parse_size(std::string_view text) {
    const std::size_t dash = text.find('-');
    const auto min =
        dash == std::string_view::npos ? std::nullopt : parse_uint(text.substr(0, dash));
    const auto max =
        dash == std::string_view::npos ? std::nullopt : parse_uint(text.substr(dash + 1));
    if (!min || !max)
        throw UsageError("size: expected <min>-<max> in bytes (e.g. 0-65536), got " + quoted(text));
    if (*min > max_size || *max > max_size)
        throw UsageError("size: " + quoted(text) + " is out of range; sizes are 0.." +
                         std::to_string(max_size) + " bytes");
    if (*min > *max)
        throw UsageError("size: min " + std::to_string(*min) + " is above max " +
                         std::to_string(*max));
    return SizeRange{*min, *max};
}

std::uint64_t parse_cgroup_id(std::string_view text) {
    auto id = parse_uint(text);
    if (!id)
        throw UsageError("cgroup: expected a cgroup id (a whole number), got " + quoted(text));
    return *id;
}

Route parse_route(std::string_view text) {
    if (text == TANDEM_ROUTE_LEGS)
        return Route::legs;
    if (text == TANDEM_ROUTE_SHADOW)
        return Route::shadow;
    throw UsageError("route: expected legs or shadow, got " + quoted(text));
}

Rule parse_rule(std::span<const std::string_view> words) {
    if (words.empty())
        throw UsageError("a rule needs a class");
    Rule rule;
    if (std::string problem = class_name_problem(words[0]); !problem.empty())
        throw UsageError(problem);
    rule.class_name = std::string(words[0]);

    auto once = [](bool given, std::string_view key) {
        if (given)
            throw UsageError("the " + std::string(key) + " match is given twice");
    };
    for (std::string_view word : words.subspan(1)) {
        if (auto v = match_value(word, TANDEM_MATCH_CGROUP)) {
            once(rule.cgroup.has_value(), TANDEM_MATCH_CGROUP);
            rule.cgroup = parse_cgroup_id(*v);
        } else if (auto v = match_value(word, TANDEM_MATCH_IOPRIO)) {
            once(rule.ioprio.has_value(), TANDEM_MATCH_IOPRIO);
            rule.ioprio = parse_ioprio(*v);
        } else if (auto v = match_value(word, TANDEM_MATCH_OP)) {
            once(!rule.ops.empty(), TANDEM_MATCH_OP);
            rule.ops = parse_ops(*v);
        } else if (auto v = match_value(word, TANDEM_MATCH_SIZE)) {
            once(rule.size.has_value(), TANDEM_MATCH_SIZE);
            rule.size = parse_size(*v);
        } else if (auto v = match_value(word, TANDEM_MATCH_ROUTE)) {
            once(rule.route.has_value(), TANDEM_MATCH_ROUTE);
            rule.route = parse_route(*v);
        } else {
            throw UsageError("unknown match " + quoted(word) +
                             "; expected cgroup=, ioprio=, op=, size= or route=");
        }
    }
    return rule;
}

std::string rule_problem(const Rule& rule) {
    if (std::string problem = class_name_problem(rule.class_name); !problem.empty())
        return problem;
    if (rule.ioprio && rule.ioprio->level && *rule.ioprio->level >= ioprio_levels)
        return "ioprio: the level must be 0.." + std::to_string(ioprio_levels - 1) + ", got " +
               std::to_string(*rule.ioprio->level);
    for (std::size_t i = 0; i < rule.ops.size(); i++) {
        if (std::count(rule.ops.begin(), rule.ops.begin() + i, rule.ops[i]))
            return "op: " + quoted(to_string(rule.ops[i])) + " is listed twice";
    }
    if (rule.size) {
        if (rule.size->max > max_size)
            return "size: max " + std::to_string(rule.size->max) +
                   " is out of range; sizes are 0.." + std::to_string(max_size) + " bytes";
        if (rule.size->min > rule.size->max)
            return "size: min " + std::to_string(rule.size->min) + " is above max " +
                   std::to_string(rule.size->max);
    }
    return {};
}

std::string format_rule(const Rule& rule) {
    std::string out = rule.class_name;
    if (rule.cgroup)
        out += " " TANDEM_MATCH_CGROUP "=" + std::to_string(*rule.cgroup);
    if (rule.ioprio) {
        out += " " TANDEM_MATCH_IOPRIO "=" + std::string(to_string(rule.ioprio->cls));
        if (rule.ioprio->level)
            out += ":" + std::to_string(*rule.ioprio->level);
    }
    if (!rule.ops.empty()) {
        std::string list;
        for (Op op : all_ops) {
            if (std::find(rule.ops.begin(), rule.ops.end(), op) != rule.ops.end())
                list += (list.empty() ? "" : ",") + std::string(to_string(op));
        }
        out += " " TANDEM_MATCH_OP "=" + list;
    }
    if (rule.size)
        out += " " TANDEM_MATCH_SIZE "=" + std::to_string(rule.size->min) + "-" +
               std::to_string(rule.size->max);
    if (rule.route)
        out += " " TANDEM_MATCH_ROUTE "=" + std::string(to_string(*rule.route));
    return out;
}

std::size_t rule_words(const Rule& rule) {
    return 1 + rule.cgroup.has_value() + rule.ioprio.has_value() + !rule.ops.empty() +
           rule.size.has_value() + rule.route.has_value();
}

std::vector<ListedRule> parse_rule_list(std::string_view reply) {
    std::vector<ListedRule> rules;
    const std::vector<std::string_view> lines = split_lines(reply);
    for (std::size_t i = 0; i < lines.size(); i++) {
        const std::string_view line = lines[i];
        if (split_fields(line).empty())
            continue;

        const std::string kind = "rule list line " + std::to_string(i + 1);
        FieldReader in(kind, line);
        ListedRule listed;
        listed.index = static_cast<std::uint32_t>(in.next_uint("index", 0, max_rules - 1));
        if (listed.index != rules.size())
            in.fail("index", "expected rule " + std::to_string(rules.size()) + " next, got " +
                                 std::to_string(listed.index));
        in.next("class");
        std::vector<std::string_view> words = split_fields(line);
        try {
            listed.rule = parse_rule(std::span(words).subspan(1));
        } catch (const UsageError& e) {
            throw ParseError(kind + ": " + e.what() + " in '" + std::string(line) + "'");
        }
        rules.push_back(std::move(listed));
    }
    return rules;
}

} // namespace tandem
