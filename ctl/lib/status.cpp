#include "tandem/status.h"

#include "tandem/fields.h"
#include "tandem/limits.h"

namespace tandem {

namespace {

// The version that introduced the resync fields.
constexpr unsigned sync_version = 2;
// The newest layout this parser knows field by field.  Newer lines (the
// header may already describe them) are read up to here; what they add is
// kept in Status::extra_fields, their new letters and words uninterpreted.
constexpr unsigned parsed_version = 2;

// The state letters each known version may print.
std::string_view known_letters(unsigned version) {
    static constexpr char v1[] = {TANDEM_LEG_ALIVE, TANDEM_LEG_DEAD, '\0'};
    static constexpr char v2[] = {TANDEM_LEG_ALIVE, TANDEM_LEG_SYNCING, TANDEM_LEG_DEAD, '\0'};
    return version < sync_version ? v1 : v2;
}

std::string or_list(std::string_view letters) {
    std::string out;
    for (std::size_t i = 0; i < letters.size(); i++) {
        if (i)
            out += i + 1 == letters.size() ? " or " : ", ";
        out += letters[i];
    }
    return out;
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

    std::string_view word = in.next("sync_action");
    sync.action_word = std::string(word);
    sync.action = sync_action_from_word(word);
    if (sync.action == SyncAction::unknown && st.version <= parsed_version) {
        std::string problem = std::string("expected ") + TANDEM_SYNC_IDLE + ", " +
                              TANDEM_SYNC_RESYNC + " or " + TANDEM_SYNC_PAUSED + ", got '" +
                              std::string(word) + "'";
        if (parse_uint(word))
            problem += "; is there one out_of_sync_regions field per leg (" +
                       std::to_string(st.legs.size()) + ")?";
        in.fail("sync_action", problem);
    }
    sync.rate = static_cast<std::uint32_t>(in.next_uint("sync_rate", 0, max_sync_rate));
    sync.regions_copied = in.next_uint("regions_copied", 0, UINT64_MAX);
    sync.kib_copied = in.next_uint("kib_copied", 0, UINT64_MAX);
    st.sync = std::move(sync);
}

} // namespace

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
    for (const std::string& field : status.extra_fields)
        out += " " + field;
    return out;
}

} // namespace tandem
