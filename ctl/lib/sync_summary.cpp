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

std::string describe_metadata(const Status& st) {
    if (!st.metadata)
        return {};
    switch (st.metadata->state) {
    case MetadataState::none:
        return st.metadata->word + " (in core only)";
    case MetadataState::ok:
        return st.metadata->word;
    case MetadataState::failed:
        return st.metadata->word +
               ": every write fails (reads work) until the metadata device is replaced";
    case MetadataState::unknown:
        break;
    }
    return st.metadata->word;
}

std::string describe_resync_mode(const Status& st) {
    if (!st.compare)
        return {};
    const CompareStatus& cmp = *st.compare;
    return cmp.resync_mode_word + ", " + std::to_string(cmp.blocks_compared) +
           " blocks compared, " + std::to_string(cmp.blocks_copied) + " copied";
}

std::string describe_check(const Status& st) {
    if (!st.compare || !st.sync)
        return {};
    const CompareStatus& cmp = *st.compare;
    const std::string regions = std::to_string(cmp.check_regions_done) + "/" +
                                std::to_string(st.sync->regions) + " regions";
    const std::string blocks = std::to_string(cmp.check_mismatches) + " mismatching blocks";
    switch (cmp.check_action) {
    case CheckAction::verify:
        return cmp.check_action_word + " " + regions + ", " + blocks + " so far";
    case CheckAction::repair:
        return cmp.check_action_word + " " + regions + ", " + blocks + " rewritten so far";
    case CheckAction::idle:
        if (cmp.check_regions_done == 0 && cmp.check_mismatches == 0)
            return cmp.check_action_word;
        if (cmp.check_regions_done < st.sync->regions)
            return cmp.check_action_word + "; last pass stopped after " + regions + ", " + blocks;
        return cmp.check_action_word + "; last pass: " + regions + ", " + blocks;
    case CheckAction::unknown:
        break;
    }
    return cmp.check_action_word + " " + regions + ", " + blocks;
}

} // namespace tandem
