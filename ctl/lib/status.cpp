#include "tandem/status.h"

#include "tandem/fields.h"
#include "tandem/limits.h"

namespace tandem {

LegState leg_state_from_letter(char letter) {
    switch (letter) {
    case TANDEM_LEG_ALIVE:
        return LegState::alive;
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
    case LegState::dead:
        return "dead";
    case LegState::unknown:
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

    std::string_view states = in.next("states");
    if (states.size() != nr_legs)
        in.fail("states", "expected " + std::to_string(nr_legs) + " state letters, got '" +
                              std::string(states) + "'");
    for (unsigned i = 0; i < nr_legs; i++) {
        LegStatus& leg = st.legs[i];
        leg.state_letter = states[i];
        leg.state = leg_state_from_letter(states[i]);
        if (leg.state == LegState::unknown && st.version == 1)
            in.fail("states", "leg " + std::to_string(i) + " has unknown state '" +
                                  std::string(1, states[i]) + "'; expected " + TANDEM_LEG_ALIVE +
                                  " or " + TANDEM_LEG_DEAD);
    }

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

    if (!in.at_end()) {
        if (st.version == 1)
            in.fail_line("version 1 ends after field " + std::to_string(in.position() - 1) +
                         " (read_retries), but " + std::to_string(in.remaining()) +
                         " more field(s) follow");
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
    for (const std::string& field : status.extra_fields)
        out += " " + field;
    return out;
}

} // namespace tandem
