#include "status_json.h"

#include "sync_progress.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace tandem::cli {

namespace {

using Json = nlohmann::ordered_json;

Json legs_json(const Status& st) {
    Json legs = Json::array();
    for (std::size_t i = 0; i < st.legs.size(); i++) {
        const LegStatus& leg = st.legs[i];
        Json j;
        j["index"] = i;
        j["role"] = i == 0 ? "source" : "target";
        j["state"] = std::string(to_string(leg.state));
        j["letter"] = std::string(1, leg.state_letter);
        j["weight"] = leg.weight;
        j["reads"] = leg.reads;
        j["writes"] = leg.writes;
        j["read_errors"] = leg.read_errors;
        j["write_errors"] = leg.write_errors;
        j["out_of_sync_regions"] = st.sync ? Json(leg.out_of_sync_regions) : Json();
        legs.push_back(std::move(j));
    }
    return legs;
}

Json sync_json(const Status& st) {
    if (!st.sync)
        return nullptr;
    const SyncStatus& sync = *st.sync;
    Json j;
    j["regions"] = sync.regions;
    j["action"] = sync.action_word;
    j["rate_kib"] = sync.rate;
    j["regions_copied"] = sync.regions_copied;
    j["kib_copied"] = sync.kib_copied;
    j["progress"] = nullptr;
    if (std::optional<SyncProgress> p = sync_progress(st)) {
        Json progress;
        // One decimal, rounded down like the human view: 100.0 means done.
        progress["percent"] = std::floor(p->fraction() * 1000.0 + 1e-9) / 10.0;
        progress["regions_left"] = p->regions_left;
        progress["regions_total"] = p->regions_total;
        j["progress"] = std::move(progress);
    }
    return j;
}

Json compare_json(const Status& st) {
    if (!st.compare)
        return nullptr;
    const CompareStatus& cmp = *st.compare;
    Json j;
    j["resync_mode"] = cmp.resync_mode_word;
    j["blocks_compared"] = cmp.blocks_compared;
    j["blocks_copied"] = cmp.blocks_copied;
    j["check_action"] = cmp.check_action_word;
    j["check_regions_done"] = cmp.check_regions_done;
    j["check_mismatches"] = cmp.check_mismatches;
    return j;
}

Json scheduler_json(const Status& st) {
    if (!st.scheduler)
        return nullptr;
    const SchedulerStatus& sched = *st.scheduler;
    Json j;
    j["queue_depth"] = sched.queue_depth;
    j["in_flight"] = sched.in_flight;
    j["rules"] = sched.rules;
    Json classes = Json::array();
    for (const ClassStatus& c : sched.classes) {
        Json cj;
        cj["name"] = c.name;
        cj["weight"] = c.weight;
        cj["iops_limit"] = c.iops_limit;
        cj["bw_limit"] = c.bw_limit;
        cj["bios"] = c.bios;
        cj["kib"] = c.kib;
        cj["queued"] = c.queued;
        cj["waited"] = c.waited;
        cj["throttled"] = c.throttled;
        cj["p50_us"] = c.p50_us;
        cj["p99_us"] = c.p99_us;
        classes.push_back(std::move(cj));
    }
    j["classes"] = std::move(classes);
    return j;
}

Json side_json(const ShadowSideStatus& side) {
    Json j;
    j["count"] = side.count;
    j["errors"] = side.errors;
    j["p99_us"] = side.p99_us;
    return j;
}

Json shadow_json(const Status& st) {
    if (!st.shadow)
        return nullptr;
    const ShadowStatus& sh = *st.shadow;
    Json j;
    j["device"] = sh.has_device() ? Json(sh.device) : Json();
    j["mode"] = sh.mode_word;
    j["sample"] = sh.sample;
    j["pool_kib"] = sh.pool_kib;
    j["pool_used_kib"] = sh.pool_used_kib;
    j["dropped"] = sh.dropped;
    j["gate_failures"] = sh.gate_failures;
    j["compared"] = sh.compared;
    j["mismatches"] = sh.mismatches;
    j["confined"] = sh.confined;
    j["confined_errors"] = sh.confined_errors;
    Json ops = Json::object();
    for (const ShadowOpStatus& op : sh.ops) {
        Json oj;
        oj["production"] = side_json(op.production);
        oj["shadow"] = side_json(op.shadow);
        ops[op.op] = std::move(oj);
    }
    j["ops"] = std::move(ops);
    return j;
}

} // namespace

std::string format_status_json(const std::string& device, const Status& st) {
    Json j;
    j["device"] = device;
    j["version"] = st.version;
    j["legs"] = legs_json(st);
    j["read_retries"] = st.read_retries;
    j["sync"] = sync_json(st);
    j["metadata"] = st.metadata ? Json(st.metadata->word) : Json();
    j["compare"] = compare_json(st);
    j["scheduler"] = scheduler_json(st);
    j["shadow"] = shadow_json(st);
    j["extra_fields"] = st.extra_fields;
    // Words of a newer target are passed on; bytes that are not UTF-8 are
    // replaced rather than refused.
    return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

} // namespace tandem::cli
