#include "tandem/status.h"

#include "tandem/device_number.h"
#include "tandem/fields.h"
#include "tandem/limits.h"

#include <initializer_list>
#include <iterator>

namespace tandem {

namespace {

// The versions that introduced the resync fields, the metadata state, the
// checksum resync / verify fields, the class scheduler and the shadow.
constexpr unsigned sync_version = 2;
constexpr unsigned metadata_version = 3;
constexpr unsigned compare_version = 4;
constexpr unsigned scheduler_version = 5;
constexpr unsigned shadow_version = 6;
// The newest layout this parser knows field by field.  Newer lines are read
// up to here; what they add is kept in Status::extra_fields, their new
// letters and words uninterpreted.
constexpr unsigned parsed_version = shadow_version;

// The state letters each known version may print.
std::string_view known_letters(unsigned version) {
    static constexpr char v1[] = {TANDEM_LEG_ALIVE, TANDEM_LEG_DEAD, '\0'};
    static constexpr char v2[] = {TANDEM_LEG_ALIVE, TANDEM_LEG_SYNCING, TANDEM_LEG_DEAD, '\0'};
    return version < sync_version ? v1 : v2;
}

// "A, a or D", "idle, resync or paused".
template <class Items>
std::string or_list(const Items& items) {
    std::string out;
    std::size_t i = 0;
    for (const auto& item : items) {
        if (i)
            out += i + 1 == std::size(items) ? " or " : ", ";
        out += item;
        i++;
    }
    return out;
}

// The next field, one of `words` (those `from_word` maps to something other
// than Enum::unknown) in a version this parser knows; a newer version may
// print other words, which are kept uninterpreted.  The word is stored in
// `word_out`.  `after_per_leg`: the field follows one field per leg, so a
// number here most likely means a leg's field too many.
template <class Enum>
Enum next_word(FieldReader& in, const Status& st, std::string_view name,
               Enum (*from_word)(std::string_view), std::initializer_list<std::string_view> words,
               std::string& word_out, bool after_per_leg = false) {
    std::string_view word = in.next(name);
    word_out = std::string(word);
    const Enum value = from_word(word);
    if (value == Enum::unknown && st.version <= parsed_version) {
        std::string problem = "expected " + or_list(words) + ", got '" + std::string(word) + "'";
        if (after_per_leg && parse_uint(word))
            problem += "; is there one out_of_sync_regions field per leg (" +
                       std::to_string(st.legs.size()) + ")?";
        in.fail(name, problem);
    }
    return value;
}

void parse_states(FieldReader& in, Status& st) {
    const unsigned nr_legs = static_cast<unsigned>(st.legs.size());
    std::string_view states = in.next("states");
    if (states.size() != nr_legs)
        in.fail("states", "expected " + std::to_string(nr_legs) + " state letters, got '" +
                              std::string(states) + "'");
    const bool known_version = st.version <= parsed_version;
    const std::string_view letters = known_letters(st.version);
    for (unsigned i = 0; i < nr_legs; i++) {
        LegStatus& leg = st.legs[i];
        leg.state_letter = states[i];
        leg.state = leg_state_from_letter(states[i]);
        if (known_version && letters.find(states[i]) == std::string_view::npos)
            in.fail("states", "leg " + std::to_string(i) + " has unknown state '" +
                                  std::string(1, states[i]) + "'; expected " + or_list(letters) +
                                  " (version " + std::to_string(st.version) + ")");
    }
}

void parse_sync(FieldReader& in, Status& st) {
    SyncStatus sync;
    sync.regions = in.next_uint("#regions", 1, UINT64_MAX);
    for (unsigned i = 0; i < st.legs.size(); i++)
        st.legs[i].out_of_sync_regions =
            in.next_uint("out_of_sync_regions of leg " + std::to_string(i), 0, sync.regions);

    sync.action = next_word(in, st, "sync_action", sync_action_from_word,
                            {TANDEM_SYNC_IDLE, TANDEM_SYNC_RESYNC, TANDEM_SYNC_PAUSED},
                            sync.action_word, true);
    sync.rate = static_cast<std::uint32_t>(in.next_uint("sync_rate", 0, max_sync_rate));
    sync.regions_copied = in.next_uint("regions_copied", 0, UINT64_MAX);
    sync.kib_copied = in.next_uint("kib_copied", 0, UINT64_MAX);
    st.sync = std::move(sync);
}

void parse_metadata(FieldReader& in, Status& st) {
    MetadataStatus md;
    md.state =
        next_word(in, st, "metadata", metadata_state_from_word,
                  {TANDEM_METADATA_NONE, TANDEM_METADATA_OK, TANDEM_METADATA_FAILED}, md.word);
    st.metadata = std::move(md);
}

void parse_compare(FieldReader& in, Status& st) {
    CompareStatus cmp;
    cmp.resync_mode = next_word(in, st, "resync_mode", resync_mode_from_word,
                                {TANDEM_RESYNC_COPY, TANDEM_RESYNC_CHECKSUM}, cmp.resync_mode_word);
    cmp.blocks_compared = in.next_uint("blocks_compared", 0, UINT64_MAX);
    cmp.blocks_copied = in.next_uint("blocks_copied", 0, UINT64_MAX);
    cmp.check_action = next_word(in, st, "check_action", check_action_from_word,
                                 {TANDEM_CHECK_IDLE, TANDEM_CHECK_VERIFY, TANDEM_CHECK_REPAIR},
                                 cmp.check_action_word);
    cmp.check_regions_done = in.next_uint("check_regions_done", 0, st.sync->regions);
    cmp.check_mismatches = in.next_uint("check_mismatches", 0, UINT64_MAX);
    st.compare = std::move(cmp);
}

// A class's fields.  A wrong #classes shows as a number where a name
// belongs, or a name where #rules belongs; the errors say so.
ClassStatus parse_class(FieldReader& in, const Status& st, const SchedulerStatus& sched,
                        std::size_t index, const std::string& count_hint) {
    ClassStatus cls;
    const std::string of = " of class " + std::to_string(index);
    std::string_view name = in.next("name" + of);
    if (st.version <= parsed_version) {
        if (std::string problem = class_name_problem(name); !problem.empty())
            in.fail("name" + of, problem + (parse_uint(name) ? count_hint : ""));
    }
    if (sched.find_class(name))
        in.fail("name" + of, "class '" + std::string(name) + "' appears twice");
    cls.name = std::string(name);
    cls.weight = static_cast<unsigned>(in.next_uint("weight" + of, 0, max_class_weight));
    cls.iops_limit = static_cast<std::uint32_t>(in.next_uint("iops_limit" + of, 0, max_iops_limit));
    cls.bw_limit = static_cast<std::uint32_t>(in.next_uint("bw_limit" + of, 0, max_bw_limit));
    cls.bios = in.next_uint("bios" + of, 0, UINT64_MAX);
    cls.kib = in.next_uint("kib" + of, 0, UINT64_MAX);
    cls.queued = in.next_uint("queued" + of, 0, UINT64_MAX);
    cls.waited = in.next_uint("waited" + of, 0, UINT64_MAX);
    cls.throttled = in.next_uint("throttled" + of, 0, UINT64_MAX);
    cls.p50_us = in.next_uint("p50_us" + of, 0, UINT64_MAX);
    cls.p99_us = in.next_uint("p99_us" + of, 0, UINT64_MAX);
    return cls;
}

void parse_scheduler(FieldReader& in, Status& st) {
    SchedulerStatus sched;
    sched.queue_depth = static_cast<std::uint32_t>(in.next_uint("queue_depth", 0, max_queue_depth));
    sched.in_flight = in.next_uint("in_flight", 0, UINT64_MAX);
    const std::uint64_t nr_classes = in.next_uint("#classes", 0, max_classes);
    const std::string count_hint = "; is #classes (" + std::to_string(nr_classes) + ") right?";
    for (std::uint64_t i = 0; i < nr_classes; i++)
        sched.classes.push_back(parse_class(in, st, sched, i, count_hint));

    std::string_view rules = in.next("#rules");
    auto value = parse_uint(rules, max_rules);
    if (!value) {
        std::string problem = "expected an integer 0.." + std::to_string(max_rules) + ", got '" +
                              std::string(rules) + "'";
        if (!parse_uint(rules) && class_name_problem(rules).empty())
            problem += count_hint;
        in.fail("#rules", problem);
    }
    sched.rules = static_cast<std::uint32_t>(*value);
    st.scheduler = std::move(sched);
}

ShadowSideStatus parse_shadow_side(FieldReader& in, const std::string& of) {
    ShadowSideStatus side;
    side.count = in.next_uint(of + "_count", 0, UINT64_MAX);
    side.errors = in.next_uint(of + "_errors", 0, UINT64_MAX);
    side.p99_us = in.next_uint(of + "_p99_us", 0, UINT64_MAX);
    return side;
}

void parse_shadow(FieldReader& in, Status& st) {
    ShadowStatus sh;
    const bool known_version = st.version <= parsed_version;
    std::string_view device = in.next("shadow_dev");
    if (known_version && device != "-" && !parse_device_number(device))
        in.fail("shadow_dev", "expected - or major:minor, got '" + std::string(device) + "'");
    sh.device = std::string(device);
    sh.mode =
        next_word(in, st, "shadow_mode", shadow_mode_from_word,
                  {TANDEM_SHADOW_ASYNC, TANDEM_SHADOW_SYNC, TANDEM_SHADOW_GATE}, sh.mode_word);
    sh.sample = static_cast<std::uint32_t>(in.next_uint("shadow_sample", 0, max_shadow_sample));
    sh.pool_kib = static_cast<std::uint32_t>(in.next_uint("pool_kib", 0, max_shadow_pool));
    sh.pool_used_kib = in.next_uint("pool_used_kib", 0, UINT64_MAX);
    sh.dropped = in.next_uint("dropped", 0, UINT64_MAX);
    sh.gate_failures = in.next_uint("gate_failures", 0, UINT64_MAX);
    sh.compared = in.next_uint("compared", 0, UINT64_MAX);
    sh.mismatches = in.next_uint("mismatches", 0, UINT64_MAX);
    sh.confined = in.next_uint("confined", 0, UINT64_MAX);
    sh.confined_errors = in.next_uint("confined_errors", 0, UINT64_MAX);
    for (std::string_view expected : shadow_ops) {
        const std::string name = "op " + std::string(expected);
        std::string_view op = in.next(name);
        if (known_version && op != expected)
            in.fail(name,
                    "expected '" + std::string(expected) + "', got '" + std::string(op) + "'");
        ShadowOpStatus figures;
        figures.op = std::string(op);
        figures.production = parse_shadow_side(in, std::string(expected) + " prod");
        figures.shadow = parse_shadow_side(in, std::string(expected) + " shadow");
        sh.ops.push_back(std::move(figures));
    }
    st.shadow = std::move(sh);
}

void format_shadow(const ShadowStatus& sh, std::string& out) {
    out += " " + sh.device + " " + sh.mode_word + " " + std::to_string(sh.sample) + " " +
           std::to_string(sh.pool_kib) + " " + std::to_string(sh.pool_used_kib) + " " +
           std::to_string(sh.dropped) + " " + std::to_string(sh.gate_failures) + " " +
           std::to_string(sh.compared) + " " + std::to_string(sh.mismatches) + " " +
           std::to_string(sh.confined) + " " + std::to_string(sh.confined_errors);
    for (const ShadowOpStatus& op : sh.ops) {
        out += " " + op.op;
        for (const ShadowSideStatus* side : {&op.production, &op.shadow})
            out += " " + std::to_string(side->count) + " " + std::to_string(side->errors) + " " +
                   std::to_string(side->p99_us);
    }
}

} // namespace

const ShadowOpStatus* ShadowStatus::find_op(std::string_view op) const {
    for (const ShadowOpStatus& figures : ops) {
        if (figures.op == op)
            return &figures;
    }
    return nullptr;
}

const ClassStatus* SchedulerStatus::find_class(std::string_view name) const {
    for (const ClassStatus& cls : classes) {
        if (cls.name == name)
            return &cls;
    }
    return nullptr;
}

LegState leg_state_from_letter(char letter) {
    switch (letter) {
    case TANDEM_LEG_ALIVE:
        return LegState::alive;
    case TANDEM_LEG_SYNCING:
        return LegState::syncing;
    case TANDEM_LEG_DEAD:
        return LegState::dead;
    default:
        return LegState::unknown;
    }
}

std::string_view to_string(LegState state) {
    switch (state) {
    case LegState::alive:
        return "alive";
    case LegState::syncing:
        return "syncing";
    case LegState::dead:
        return "dead";
    case LegState::unknown:
        break;
    }
    return "unknown";
}

SyncAction sync_action_from_word(std::string_view word) {
    if (word == TANDEM_SYNC_IDLE)
        return SyncAction::idle;
    if (word == TANDEM_SYNC_RESYNC)
        return SyncAction::resync;
    if (word == TANDEM_SYNC_PAUSED)
        return SyncAction::paused;
    return SyncAction::unknown;
}

std::string_view to_string(SyncAction action) {
    switch (action) {
    case SyncAction::idle:
        return TANDEM_SYNC_IDLE;
    case SyncAction::resync:
        return TANDEM_SYNC_RESYNC;
    case SyncAction::paused:
        return TANDEM_SYNC_PAUSED;
    case SyncAction::unknown:
        break;
    }
    return "unknown";
}

MetadataState metadata_state_from_word(std::string_view word) {
    if (word == TANDEM_METADATA_NONE)
        return MetadataState::none;
    if (word == TANDEM_METADATA_OK)
        return MetadataState::ok;
    if (word == TANDEM_METADATA_FAILED)
        return MetadataState::failed;
    return MetadataState::unknown;
}

std::string_view to_string(MetadataState state) {
    switch (state) {
    case MetadataState::none:
        return TANDEM_METADATA_NONE;
    case MetadataState::ok:
        return TANDEM_METADATA_OK;
    case MetadataState::failed:
        return TANDEM_METADATA_FAILED;
    case MetadataState::unknown:
        break;
    }
    return "unknown";
}

CheckAction check_action_from_word(std::string_view word) {
    if (word == TANDEM_CHECK_IDLE)
        return CheckAction::idle;
    if (word == TANDEM_CHECK_VERIFY)
        return CheckAction::verify;
    if (word == TANDEM_CHECK_REPAIR)
        return CheckAction::repair;
    return CheckAction::unknown;
}

std::string_view to_string(CheckAction action) {
    switch (action) {
    case CheckAction::idle:
        return TANDEM_CHECK_IDLE;
    case CheckAction::verify:
        return TANDEM_CHECK_VERIFY;
    case CheckAction::repair:
        return TANDEM_CHECK_REPAIR;
    case CheckAction::unknown:
        break;
    }
    return "unknown";
}

Status parse_status(std::string_view line) {
    FieldReader in("status", line);
    Status st;

    st.version = static_cast<unsigned>(in.next_uint("version", 1, UINT32_MAX));
    const auto nr_legs = static_cast<unsigned>(in.next_uint("#legs", min_legs, max_legs));
    st.legs.resize(nr_legs);
    parse_states(in, st);

    for (unsigned i = 0; i < nr_legs; i++)
        st.legs[i].weight = static_cast<unsigned>(
            in.next_uint("weight of leg " + std::to_string(i), 0, weight_total));

    for (unsigned i = 0; i < nr_legs; i++) {
        const std::string leg = " of leg " + std::to_string(i);
        st.legs[i].reads = in.next_uint("reads" + leg, 0, UINT64_MAX);
        st.legs[i].writes = in.next_uint("writes" + leg, 0, UINT64_MAX);
        st.legs[i].read_errors = in.next_uint("read_errors" + leg, 0, UINT64_MAX);
        st.legs[i].write_errors = in.next_uint("write_errors" + leg, 0, UINT64_MAX);
    }
    st.read_retries = in.next_uint("read_retries", 0, UINT64_MAX);
    std::string_view last_field = "read_retries";

    if (st.version >= sync_version) {
        parse_sync(in, st);
        last_field = "kib_copied";
    }
    if (st.version >= metadata_version) {
        parse_metadata(in, st);
        last_field = "metadata";
    }
    if (st.version >= compare_version) {
        parse_compare(in, st);
        last_field = "check_mismatches";
    }
    if (st.version >= scheduler_version) {
        parse_scheduler(in, st);
        last_field = "#rules";
    }
    if (st.version >= shadow_version) {
        parse_shadow(in, st);
        last_field = "discard shadow_p99_us";
    }

    if (!in.at_end()) {
        if (st.version <= parsed_version)
            in.fail_line("version " + std::to_string(st.version) + " ends after field " +
                         std::to_string(in.position() - 1) + " (" + std::string(last_field) +
                         "), but " + std::to_string(in.remaining()) + " more field(s) follow");
        st.extra_fields = in.take_rest();
    }
    return st;
}

std::string format_status(const Status& status) {
    std::string out =
        std::to_string(status.version) + " " + std::to_string(status.legs.size()) + " ";
    for (const LegStatus& leg : status.legs)
        out += leg.state_letter;
    for (const LegStatus& leg : status.legs)
        out += " " + std::to_string(leg.weight);
    for (const LegStatus& leg : status.legs)
        out += " " + std::to_string(leg.reads) + " " + std::to_string(leg.writes) + " " +
               std::to_string(leg.read_errors) + " " + std::to_string(leg.write_errors);
    out += " " + std::to_string(status.read_retries);
    if (status.sync) {
        const SyncStatus& sync = *status.sync;
        out += " " + std::to_string(sync.regions);
        for (const LegStatus& leg : status.legs)
            out += " " + std::to_string(leg.out_of_sync_regions);
        out += " " + sync.action_word + " " + std::to_string(sync.rate) + " " +
               std::to_string(sync.regions_copied) + " " + std::to_string(sync.kib_copied);
    }
    if (status.metadata)
        out += " " + status.metadata->word;
    if (status.compare) {
        const CompareStatus& cmp = *status.compare;
        out += " " + cmp.resync_mode_word + " " + std::to_string(cmp.blocks_compared) + " " +
               std::to_string(cmp.blocks_copied) + " " + cmp.check_action_word + " " +
               std::to_string(cmp.check_regions_done) + " " + std::to_string(cmp.check_mismatches);
    }
    if (status.scheduler) {
        const SchedulerStatus& sched = *status.scheduler;
        out += " " + std::to_string(sched.queue_depth) + " " + std::to_string(sched.in_flight) +
               " " + std::to_string(sched.classes.size());
        for (const ClassStatus& c : sched.classes)
            out += " " + c.name + " " + std::to_string(c.weight) + " " +
                   std::to_string(c.iops_limit) + " " + std::to_string(c.bw_limit) + " " +
                   std::to_string(c.bios) + " " + std::to_string(c.kib) + " " +
                   std::to_string(c.queued) + " " + std::to_string(c.waited) + " " +
                   std::to_string(c.throttled) + " " + std::to_string(c.p50_us) + " " +
                   std::to_string(c.p99_us);
        out += " " + std::to_string(sched.rules);
    }
    if (status.shadow)
        format_shadow(*status.shadow, out);
    for (const std::string& field : status.extra_fields)
        out += " " + field;
    return out;
}

} // namespace tandem
