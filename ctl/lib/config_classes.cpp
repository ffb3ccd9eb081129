// The `load`, `classes` and `rules` sections: how loaded a device is
// (load_score.h), what that does to each class of the scheduler
// (load_weights.h), and which bios belong to which class (rule.h).
#include "config_fields.h"
#include "config_sections.h"

#include "tandem/byte_size.h"
#include "tandem/errors.h"
#include "tandem/limits.h"

#include <algorithm>
#include <array>

namespace tandem::config_detail {

namespace {

void describe_load(FieldVisitor& v, LoadConfig& c) {
    LoadOptions& o = c.score;
    v.interval("interval_ms", c.interval_ms);
    v.number("iops_saturation", o.iops_saturation, 0, 1e9);
    v.number("baseline_mean_us", o.baseline_mean_us, 0, 1e8);
    v.number("baseline_p99_us", o.baseline_p99_us, 0, 1e8);
    v.number("latency_ratio_saturation", o.latency_ratio_saturation, 0, 1000);
    v.number("queue_saturation", o.queue_saturation, 0, 1000);
    v.number("cpu_saturation", o.cpu_saturation, 0, 1);
    v.number("iops_weight", o.iops_weight, 0, 10);
    v.number("latency_weight", o.latency_weight, 0, 10);
    v.number("p99_weight", o.p99_weight, 0, 10);
    v.number("queue_weight", o.queue_weight, 0, 10);
    v.number("cpu_weight", o.cpu_weight, 0, 10);
}

void describe_class(FieldVisitor& v, ClassPolicy& c) {
    v.integer("base_weight", c.base_weight, 0, max_class_weight);
    v.number("sensitivity", c.sensitivity, 0, 1);
    v.integer("floor", c.floor, 0, max_class_weight);
    v.flag("critical", c.critical);
    v.number("limit_load", c.limit_load, 0, 1);
    v.integer("iops_limit", c.iops_limit, 0, max_iops_limit, "IO/s");
    v.integer("bw_limit_kib", c.bw_limit, 0, max_bw_limit, "KiB/s");
}

constexpr std::array<Op, 4> all_ops = {Op::read, Op::write, Op::flush, Op::discard};

// What a rule.h parser makes of an entry's value; its UsageError is
// reported at the entry, without the "<key>: " the key path already says.
template <typename T>
T parsed(const Reader& r, const Entry& e, std::string_view key, T (*parse)(std::string_view)) {
    try {
        return parse(r.scalar(e));
    } catch (const UsageError& err) {
        std::string_view text = err.what();
        const std::string prefix = std::string(key) + ": ";
        if (text.substr(0, prefix.size()) == prefix)
            text.remove_prefix(prefix.size());
        r.fail(e, std::string(text));
    }
}

std::vector<Op> read_ops(const Reader& r, const Entry& e) {
    if (r.value(e).IsScalar())
        return parsed(r, e, "op", parse_ops);
    std::vector<Op> ops;
    for (const Entry& item : r.list(e, "operations (read, write, flush, discard)")) {
        const std::string name = r.scalar(item);
        const auto* op = std::find_if(all_ops.begin(), all_ops.end(),
                                      [&](Op o) { return to_string(o) == name; });
        if (op == all_ops.end())
            r.fail(item, "expected read, write, flush or discard, got '" + name + "'");
        if (std::find(ops.begin(), ops.end(), *op) != ops.end())
            r.fail(item, "'" + name + "' is listed twice");
        ops.push_back(*op);
    }
    if (ops.empty())
        r.fail(e, "expected at least one of read, write, flush and discard");
    return ops;
}

SizeRange read_size(const Reader& r, const Entry& e) {
    const std::string text = r.scalar(e);
    const std::size_t dash = text.find('-');
    std::optional<std::uint64_t> min, max;
    if (dash != std::string::npos) {
        min = parse_byte_size(std::string_view(text).substr(0, dash));
        max = parse_byte_size(std::string_view(text).substr(dash + 1));
    }
    if (!min || !max)
        r.fail(e, "expected <min>-<max> in bytes or with a K, M or G suffix (e.g. 0-64K), got '" +
                      text + "'");
    Rule rule{"x", std::nullopt, std::nullopt, {}, SizeRange{*min, *max}, std::nullopt};
    if (std::string problem = rule_problem(rule); !problem.empty())
        r.fail(e, problem.substr(problem.find(": ") + 2));
    return SizeRange{*min, *max};
}

RuleConfig read_rule(const Reader& r, const Entry& item, const Config& cfg) {
    Entries entries =
        r.mapping(item.value, item.path, {"class", "cgroup", "ioprio", "op", "size", "route"});
    RuleConfig rule{};

    const Entry& cls = r.required(entries, "class");
    rule.match.class_name = r.scalar(cls);
    const auto& classes = cfg.class_weights.classes;
    if (std::none_of(classes.begin(), classes.end(),
                     [&](const ClassPolicy& c) { return c.name == rule.match.class_name; })) {
        std::vector<std::string> names;
        for (const ClassPolicy& c : classes)
            names.push_back(c.name);
        r.fail(cls, "no class '" + rule.match.class_name + "' in classes" +
                        (names.empty() ? std::string(" (there are none)")
                                       : "; expected one of: " + one_of(names, ", ")));
    }
    r.record(cls);

    if (const Entry* e = entries.find("cgroup")) {
        rule.cgroup = r.path(*e);
        r.record(*e);
    }
    if (const Entry* e = entries.find("ioprio")) {
        rule.match.ioprio = parsed(r, *e, "ioprio", parse_ioprio);
        r.record(*e);
    }
    if (const Entry* e = entries.find("op")) {
        rule.match.ops = read_ops(r, *e);
        r.record(*e);
    }
    if (const Entry* e = entries.find("size")) {
        rule.match.size = read_size(r, *e);
        r.record(*e);
    }
    if (const Entry* e = entries.find("route")) {
        rule.match.route = parsed(r, *e, "route", parse_route);
        r.record(*e);
    }
    return rule;
}

} // namespace

void read_load(const Reader& r, const Entry& e, Config& cfg) {
    Entries entries =
        read_fields<LoadConfig>(r, r.value(e), e.path, describe_load, cfg.load, {"critical_bonus"});
    read_load_check(r, entries, cfg.load);
    if (const Entry* bonus = entries.find("critical_bonus")) {
        cfg.class_weights.critical_bonus =
            static_cast<unsigned>(r.integer(*bonus, 0, max_class_weight));
        r.record(*bonus);
    }
}

void read_classes(const Reader& r, const Entry& e, Config& cfg) {
    const std::vector<Entry> items = r.list(e, "classes");
    if (items.size() > max_classes)
        r.fail(e, "expected at most " + std::to_string(max_classes) +
                      " classes (the kernel's "
                      "limit), got " +
                      std::to_string(items.size()));
    std::vector<ClassPolicy> classes;
    for (const Entry& item : items) {
        ClassPolicy c{};
        Entries entries =
            read_fields<ClassPolicy>(r, r.value(item), item.path, describe_class, c, {"name"});
        const Entry& name = r.required(entries, "name");
        c.name = r.scalar(name);
        if (std::string problem = class_name_problem(c.name); !problem.empty())
            r.fail(name, problem);
        for (const ClassPolicy& other : classes) {
            if (other.name == c.name)
                r.fail(name, "class '" + c.name + "' is listed twice");
        }
        r.record(name);
        classes.push_back(std::move(c));
    }
    cfg.class_weights.classes = std::move(classes);
    r.record(e);
}

void read_rules(const Reader& r, const Entry& e, Config& cfg) {
    const std::vector<Entry> items = r.list(e, "rules");
    if (items.size() > max_rules)
        r.fail(e, "expected at most " + std::to_string(max_rules) +
                      " rules (the kernel's "
                      "limit), got " +
                      std::to_string(items.size()));
    for (const Entry& item : items)
        cfg.rules.push_back(read_rule(r, item, cfg));
    r.record(e);
}

void print_load(Printer& out, const Config& cfg) {
    out.section(0, "load");
    print_fields<LoadConfig>(out, 1, "load", describe_load, cfg.load);
    out.value(1, "critical_bonus", std::to_string(cfg.class_weights.critical_bonus),
              out.origin("load.critical_bonus"));
}

void print_classes(Printer& out, const Config& cfg) {
    const auto& classes = cfg.class_weights.classes;
    if (classes.empty()) {
        out.value(0, "classes", "[]", out.origin("classes"));
        return;
    }
    out.section(0, "classes");
    for (std::size_t i = 0; i < classes.size(); i++) {
        const std::string path = item_path("classes", i);
        out.item();
        out.value(2, "name", yaml_string(classes[i].name), out.origin(path + ".name"));
        print_fields<ClassPolicy>(out, 2, path, describe_class, classes[i]);
    }
}

void print_rules(Printer& out, const Config& cfg) {
    if (cfg.rules.empty()) {
        out.value(0, "rules", "[]", out.origin("rules"));
        return;
    }
    out.section(0, "rules");
    for (std::size_t i = 0; i < cfg.rules.size(); i++) {
        const RuleConfig& rule = cfg.rules[i];
        const Rule& m = rule.match;
        const std::string path = item_path("rules", i);
        auto origin = [&](std::string_view key) {
            return out.origin(path + "." + std::string(key));
        };
        out.item();
        out.value(2, "class", yaml_string(m.class_name), origin("class"));
        if (!rule.cgroup.empty())
            out.value(2, "cgroup", yaml_string(rule.cgroup), origin("cgroup"));
        if (m.ioprio) {
            std::string text(to_string(m.ioprio->cls));
            if (m.ioprio->level)
                text += ":" + std::to_string(*m.ioprio->level);
            out.value(2, "ioprio", yaml_string(text), origin("ioprio"));
        }
        if (!m.ops.empty()) {
            std::vector<std::string> ops;
            for (Op op : m.ops)
                ops.emplace_back(to_string(op));
            print_word_list(out, 2, "op", ops, path + ".op");
        }
        if (m.size)
            out.value(2, "size",
                      format_byte_size(m.size->min) + "-" + format_byte_size(m.size->max),
                      origin("size"));
        if (m.route)
            out.value(2, "route", std::string(to_string(*m.route)), origin("route"));
    }
}

} // namespace tandem::config_detail
