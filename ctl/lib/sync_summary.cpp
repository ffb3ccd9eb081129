#include "tandem/sync_summary.h"

namespace tandem {

std::string out_of_sync_fraction(const Status& st, std::size_t leg) {
    if (!st.sync || leg >= st.legs.size())
        return {};
    return std::to_string(st.legs[leg].out_of_sync_regions) + "/" +
           std::to_string(st.sync->regions);
}

std::string regions_to_copy(const Status& st) {
    std::string out;
    if (!st.sync)
        return out;
    for (std::size_t i = 0; i < st.legs.size(); i++) {
        const LegStatus& leg = st.legs[i];
        if (leg.state == LegState::dead || leg.out_of_sync_regions == 0)
            continue;
        const bool first = out.empty();
        out += first ? "" : ", ";
        out += out_of_sync_fraction(st, i) + (first ? " regions to copy" : "") + " for leg " +
               std::to_string(i);
    }
    return out;
}

std::string failed_legs_out_of_sync(const Status& st) {
    std::string out;
    if (!st.sync)
        return out;
    for (std::size_t i = 0; i < st.legs.size(); i++) {
        const LegStatus& leg = st.legs[i];
        if (leg.state != LegState::dead || leg.out_of_sync_regions == 0)
            continue;
        out += out.empty() ? "" : ", ";
        out += "leg " + std::to_string(i) + " (failed) lacks " + out_of_sync_fraction(st, i) +
               " regions";
    }
    return out;
}

std::string describe_sync(const Status& st) {
    if (!st.sync)
        return {};
    std::string out = st.sync->action_word;
    const std::string to_copy = regions_to_copy(st);
    out += to_copy.empty() ? "," : " " + to_copy + ",";
    out += " " + std::to_string(st.sync->rate) + " KiB/s";
    return out;
}

} // namespace tandem
