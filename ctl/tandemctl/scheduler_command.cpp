#include "scheduler_command.h"

#include "command_parser.h"
#include "device_status.h"

#include "tandem/cgroup.h"
#include "tandem/class_table.h"
#include "tandem/errors.h"
#include "tandem/fields.h"
#include "tandem/limits.h"
#include "tandem/message.h"

#include <iomanip>
#include <ostream>

namespace tandem::cli {

namespace {

constexpr const char* builtin_classes[] = {TANDEM_CLASS_CRITICAL, TANDEM_CLASS_PRODUCTION,
                                           TANDEM_CLASS_TEST};

void check_class_name(const CommandParser& p, const std::string& name) {
    if (std::string problem = class_name_problem(name); !problem.empty())
        p.fail(problem);
}

// The status's scheduler, refusing a target without one.
SchedulerStatus require_scheduler(DeviceMapper& dm, const std::string& command,
                                  const std::string& device) {
    Status st = read_status(dm, device);
    if (!st.scheduler)
        throw older_target(command, device, st, "the class scheduler");
    return std::move(*st.scheduler);
}

std::string class_names(const SchedulerStatus& sched) {
    std::string out;
    for (const ClassStatus& c : sched.classes)
        out += (out.empty() ? "" : ", ") + c.name;
    return out;
}

void require_class(const SchedulerStatus& sched, const std::string& command,
                   const std::string& device, const std::string& name) {
    if (!sched.find_class(name))
        throw UsageError(command + ": " + device + " has no class '" + name +
                         "' (its classes: " + class_names(sched) + ")");
}

std::string limit_text(const char* what, std::uint32_t value, const char* unit) {
    return std::string(what) + " " + (value ? std::to_string(value) + " " + unit : "none");
}

} // namespace

std::optional<QueueDepthFlags> parse_queue_depth_command(CommandParser& p) {
    if (!p.parse(1))
        return std::nullopt;
    p.expect_args(1, "<n>");
    QueueDepthFlags flags{p.device(), 0};
    flags.depth = static_cast<std::uint32_t>(
        p.checked_number("queue depth", p.extra()[0], queue_depth_problem));
    return flags;
}

std::optional<ClassFlags> parse_class_command(CommandParser& p) {
    std::optional<std::string> iops, bw;
    p.options()("iops", optional_value(iops, "<n>"), "limit: IO/s, 0 for none (up to 10000000)");
    p.options()("bw", optional_value(bw, "<KiB/s>"), "limit: KiB/s, 0 for none (up to 4294967295)");
    if (!p.parse(-1))
        return std::nullopt;

    ClassFlags flags;
    flags.device = p.device();
    const std::vector<std::string>& a = p.extra();
    if (a.empty())
        p.fail("missing add, remove, list or a class name");
    if (a[0] == "list" && a.size() == 1) {
        flags.action = ClassFlags::Action::list;
    } else if (a[0] == TANDEM_CLASS_ADD || a[0] == TANDEM_CLASS_REMOVE) {
        flags.action =
            a[0] == TANDEM_CLASS_ADD ? ClassFlags::Action::add : ClassFlags::Action::remove;
        p.expect_args(2, "<name> after " + a[0]);
        flags.name = a[1];
        check_class_name(p, flags.name);
    } else {
        flags.name = a[0];
        check_class_name(p, flags.name);
        if (a.size() < 2)
            p.fail("missing weight <n> or limit after the class name");
        if (a[1] == TANDEM_CLASS_WEIGHT) {
            flags.action = ClassFlags::Action::weight;
            p.expect_args(3, "<n> after weight");
            flags.weight =
                static_cast<unsigned>(p.checked_number("weight", a[2], class_weight_problem));
        } else if (a[1] == TANDEM_CLASS_LIMIT) {
            flags.action = ClassFlags::Action::limit;
            p.expect_args(2, "");
            if (!iops && !bw)
                p.fail("limit needs --iops, --bw or both (0: none)");
        } else {
            p.fail("expected weight or limit after the class name, got '" + a[1] + "'");
        }
    }

    if (flags.action != ClassFlags::Action::limit && (iops || bw))
        p.fail("--iops and --bw go with limit");
    if (iops)
        flags.iops =
            static_cast<std::uint32_t>(p.checked_number("--iops", *iops, iops_limit_problem));
    if (bw)
        flags.bw = static_cast<std::uint32_t>(p.checked_number("--bw", *bw, bw_limit_problem));
    return flags;
}

std::optional<RuleFlags> parse_rule_command(CommandParser& p) {
    std::optional<std::string> cgroup, ioprio, op, size, route;
    p.options()("cgroup", optional_value(cgroup, "<path>|<id>"),
                "add: bios of this cgroup2 cgroup or its descendants (a path absolute or "
                "relative to /sys/fs/cgroup, or the cgroup's id)");
    p.options()("ioprio", optional_value(ioprio, "<class>[:<level>]"),
                "add: bios of this I/O priority: none, rt, be or idle, level 0..7");
    p.options()("op", optional_value(op, "<op>[,<op>...]"),
                "add: bios of these operations: read, write, flush, discard");
    p.options()("size", optional_value(size, "<min>-<max>"),
                "add: bios of this size in bytes, inclusive");
    p.options()("route", optional_value(route, "legs|shadow"),
                "add: where the rule's bios go; shadow confines them to the shadow device");
    if (!p.parse(-1))
        return std::nullopt;

    RuleFlags flags;
    flags.device = p.device();
    const std::vector<std::string>& a = p.extra();
    if (a.empty())
        p.fail("missing add, del, clear or list");
    const std::string& action = a[0];
    if (action == TANDEM_RULE_ADD) {
        flags.action = RuleFlags::Action::add;
        p.expect_args(2, "<class> after add");
        check_class_name(p, a[1]);
        flags.rule.class_name = a[1];
        try {
            if (cgroup)
                flags.rule.cgroup = resolve_cgroup(*cgroup);
            if (ioprio)
                flags.rule.ioprio = parse_ioprio(*ioprio);
            if (op)
                flags.rule.ops = parse_ops(*op);
            if (size)
                flags.rule.size = parse_size(*size);
            if (route)
                flags.rule.route = parse_route(*route);
        } catch (const UsageError& e) {
            p.fail(e.what());
        }
        return flags;
    }

    if (cgroup || ioprio || op || size || route)
        p.fail("--cgroup, --ioprio, --op, --size and --route go with add");
    if (action == TANDEM_RULE_DEL) {
        flags.action = RuleFlags::Action::del;
        p.expect_args(2, "<index> after del");
        auto index = parse_uint(a[1]);
        if (!index)
            p.fail("index: expected a whole number, got '" + a[1] + "'");
        if (*index >= max_rules)
            p.fail("rule index must be 0.." + std::to_string(max_rules - 1) + ", got " + a[1]);
        flags.index = static_cast<std::uint32_t>(*index);
    } else if (action == TANDEM_RULE_CLEAR || action == TANDEM_RULE_LIST) {
        flags.action =
            action == TANDEM_RULE_CLEAR ? RuleFlags::Action::clear : RuleFlags::Action::list;
        p.expect_args(1, "");
    } else {
        p.fail("expected add, del, clear or list, got '" + action + "'");
    }
    return flags;
}

void run_queue_depth(const QueueDepthFlags& flags, DeviceMapper& dm, std::ostream& out) {
    const std::string text = message::queue_depth(flags.depth);
    require_scheduler(dm, "queue-depth", flags.device);
    dm.message(flags.device, text);
    out << flags.device << ": queue depth set to " << flags.depth
        << (flags.depth ? "" : " (scheduler off; class limits still apply)") << "\n";
}

void run_class(const ClassFlags& flags, DeviceMapper& dm, std::ostream& out) {
    using Action = ClassFlags::Action;
    std::string text;
    switch (flags.action) {
    case Action::add:
        text = message::class_add(flags.name);
        break;
    case Action::remove:
        text = message::class_remove(flags.name);
        break;
    case Action::weight:
        text = message::class_weight(flags.name, flags.weight);
        break;
    case Action::limit:
        text = message::class_limit(flags.name, flags.iops, flags.bw);
        break;
    case Action::list:
        break;
    }

    const SchedulerStatus sched = require_scheduler(dm, "class", flags.device);
    if (flags.action == Action::list) {
        out << flags.device << ": " << describe_scheduler(sched) << "\n"
            << format_class_table(sched, ClassColumns::brief);
        return;
    }
    if (flags.action == Action::add) {
        if (sched.find_class(flags.name))
            throw UsageError("class: " + flags.device + " already has a class '" + flags.name +
                             "'");
        if (sched.classes.size() >= max_classes)
            throw UsageError("class: " + flags.device + " has " +
                             std::to_string(sched.classes.size()) +
                             " classes, the most a device can have");
    } else {
        require_class(sched, "class", flags.device, flags.name);
    }
    if (flags.action == Action::remove) {
        for (const char* builtin : builtin_classes) {
            if (flags.name == builtin)
                throw UsageError("class: '" + flags.name +
                                 "' is built in (critical, production, test) and cannot be "
                                 "removed");
        }
    }

    dm.message(flags.device, text);
    out << flags.device << ": class " << flags.name;
    switch (flags.action) {
    case Action::add:
        out << " added (weight 100, no limits)";
        break;
    case Action::remove:
        out << " removed";
        break;
    case Action::weight:
        out << " weight set to " << flags.weight
            << (flags.weight ? ""
                             : " (it runs only while no class with a weight has bios waiting)");
        break;
    case Action::limit: {
        std::string limits;
        if (flags.iops)
            limits = limit_text("iops", *flags.iops, "IO/s");
        if (flags.bw)
            limits += (limits.empty() ? "" : ", ") + limit_text("bw", *flags.bw, "KiB/s");
        out << " limit set: " << limits;
        break;
    }
    case Action::list:
        break;
    }
    out << "\n";
}

void run_rule(const RuleFlags& flags, DeviceMapper& dm, std::ostream& out) {
    using Action = RuleFlags::Action;
    std::string text;
    switch (flags.action) {
    case Action::add:
        text = message::rule_add(flags.rule);
        break;
    case Action::del:
        text = message::rule_del(flags.index);
        break;
    case Action::clear:
        text = message::rule_clear();
        break;
    case Action::list:
        text = message::rule_list();
        break;
    }

    const SchedulerStatus sched = require_scheduler(dm, "rule", flags.device);
    if (flags.action == Action::add) {
        require_class(sched, "rule", flags.device, flags.rule.class_name);
        if (sched.rules >= max_rules)
            throw UsageError("rule: " + flags.device + " has " + std::to_string(sched.rules) +
                             " rules, the most a device can have");
    }
    if (flags.action == Action::del && flags.index >= sched.rules)
        throw UsageError("rule: " + flags.device +
                         (sched.rules ? " has " + std::to_string(sched.rules) + " rules (0.." +
                                            std::to_string(sched.rules - 1) +
                                            "); there is no rule " + std::to_string(flags.index)
                                      : std::string(" has no rules")));

    const std::string reply = dm.message(flags.device, text);
    switch (flags.action) {
    case Action::add:
        out << flags.device << ": rule " << sched.rules << " added: " << format_rule(flags.rule)
            << "\n";
        break;
    case Action::del:
        out << flags.device << ": rule " << flags.index
            << " deleted; the rules after it moved up\n";
        break;
    case Action::clear:
        out << flags.device << ": every rule deleted; every bio is classified "
            << TANDEM_CLASS_PRODUCTION << "\n";
        break;
    case Action::list: {
        std::vector<ListedRule> rules;
        try {
            rules = parse_rule_list(reply);
        } catch (const ParseError& e) {
            throw ParseError(flags.device + ": " + e.what());
        }
        if (rules.empty()) {
            out << flags.device << ": no rules; every bio is classified " << TANDEM_CLASS_PRODUCTION
                << "\n";
            break;
        }
        out << flags.device << ": " << rules.size() << (rules.size() == 1 ? " rule" : " rules")
            << "; the first that matches classifies a bio, " << TANDEM_CLASS_PRODUCTION
            << " if none does\n";
        for (const ListedRule& r : rules)
            out << std::setw(5) << r.index << "  " << format_rule(r.rule) << "\n";
        break;
    }
    }
}

} // namespace tandem::cli
