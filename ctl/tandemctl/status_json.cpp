#include "status_json.h"

#include "sync_progress.h"

#include <nlohmann/json.hpp>

namespace tandem::cli {

namespace {

// ordered_json keeps the keys in the order written, the documented one.
using Json = nlohmann::ordered_json;

// The value, or null when the status version lacks the section.
template <typename T, typename F>
Json section(const std::optional<T>& value, F to_json) {
    return value ? to_json(*value) : Json();
}

Json leg_json(const Status& st, std::size_t i) {
    const LegStatus& leg = st.legs[i];
    return {
        {"index", i},
        {"role", i == 0 ? "source" : "target"},
        {"state", std::string(to_string(leg.state))},
        {"letter", std::string(1, leg.state_letter)},
        {"weight", leg.weight},
        {"reads", leg.reads},
        {"writes", leg.writes},
        {"read_errors", leg.read_errors},
        {"write_errors", leg.write_errors},
        {"out_of_sync_regions", st.sync ? Json(leg.out_of_sync_regions) : Json()},
    };
}

Json progress_json(const SyncProgress& p) {
    return {
        {"percent", percent_done(p.fraction())},
        {"regions_left", p.regions_left},
        {"regions_total", p.regions_total},
    };
}

Json sync_json(const Status& st, const SyncStatus& sync) {
    return {
        {"regions", sync.regions},       {"action", sync.action_word},
        {"rate_kib", sync.rate},         {"regions_copied", sync.regions_copied},
        {"kib_copied", sync.kib_copied}, {"progress", section(sync_progress(st), progress_json)},
    };
}

Json compare_json(const CompareStatus& cmp) {
    return {
        {"resync_mode", cmp.resync_mode_word},          {"blocks_compared", cmp.blocks_compared},
        {"blocks_copied", cmp.blocks_copied},           {"check_action", cmp.check_action_word},
        {"check_regions_done", cmp.check_regions_done}, {"check_mismatches", cmp.check_mismatches},
    };
}

Json class_json(const ClassStatus& c) {
    return {
        {"name", c.name},         {"weight", c.weight}, {"iops_limit", c.iops_limit},
        {"bw_limit", c.bw_limit}, {"bios", c.bios},     {"kib", c.kib},
        {"queued", c.queued},     {"waited", c.waited}, {"throttled", c.throttled},
        {"p50_us", c.p50_us},     {"p99_us", c.p99_us},
    };
}

Json scheduler_json(const SchedulerStatus& sched) {
    Json classes = Json::array();
    for (const ClassStatus& c : sched.classes)
        classes.push_back(class_json(c));
    return {
        {"queue_depth", sched.queue_depth},
        {"in_flight", sched.in_flight},
        {"rules", sched.rules},
        {"classes", std::move(classes)},
    };
}

Json side_json(const ShadowSideStatus& side) {
    return {
        {"count", side.count},
        {"errors", side.errors},
        {"p99_us", side.p99_us},
    };
}

Json shadow_json(const ShadowStatus& sh) {
    Json ops = Json::object();
    for (const ShadowOpStatus& op : sh.ops)
        ops[op.op] = {
            {"production", side_json(op.production)},
            {"shadow", side_json(op.shadow)},
        };
    return {
        {"device", sh.has_device() ? Json(sh.device) : Json()},
        {"mode", sh.mode_word},
        {"sample", sh.sample},
        {"pool_kib", sh.pool_kib},
        {"pool_used_kib", sh.pool_used_kib},
        {"dropped", sh.dropped},
        {"gate_failures", sh.gate_failures},
        {"compared", sh.compared},
        {"mismatches", sh.mismatches},
        {"confined", sh.confined},
        {"confined_errors", sh.confined_errors},
        {"ops", std::move(ops)},
    };
}

} // namespace

Json status_json(const std::string& device, const Status& st) {
    Json legs = Json::array();
    for (std::size_t i = 0; i < st.legs.size(); i++)
        legs.push_back(leg_json(st, i));
    return {
        {"device", device},
        {"version", st.version},
        {"legs", std::move(legs)},
        {"read_retries", st.read_retries},
        {"sync", section(st.sync, [&](const SyncStatus& sync) { return sync_json(st, sync); })},
        {"metadata", section(st.metadata, [](const MetadataStatus& m) { return Json(m.word); })},
        {"compare", section(st.compare, compare_json)},
        {"scheduler", section(st.scheduler, scheduler_json)},
        {"shadow", section(st.shadow, shadow_json)},
        {"extra_fields", st.extra_fields},
    };
}

std::string format_status_json(const std::string& device, const Status& st) {
    // Words of a newer target are passed on; bytes that are not UTF-8 are
    // replaced rather than refused.
    return status_json(device, st).dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

} // namespace tandem::cli
