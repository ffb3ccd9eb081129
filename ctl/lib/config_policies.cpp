// The policy sections: each embeds a policy struct of the library as it
// is, one key per field with the struct's own defaults, checked by the
// ranges below and then by the policy's own validation.
#include "config_fields.h"
#include "config_sections.h"

#include "tandem/errors.h"
#include "tandem/limits.h"

#include <algorithm>

namespace tandem::config_detail {

namespace {

void describe_health(FieldVisitor& v, HealthPolicy& p) {
    v.number("cpu", p.cpu, 0, 100);
    v.number("memory", p.memory, 0, 100);
    v.number("network", p.network, 0, 100);
    v.number("disk", p.disk, 0, 100);
    v.number("errors", p.errors, 0, 100);
    v.number("probes", p.probes, 0, 100);
    v.number("disk_latency_good_ms", p.disk_latency_good_ms, 0, 1e6);
    v.number("disk_latency_bad_ms", p.disk_latency_bad_ms, 0, 1e6);
    v.number("probe_latency_good_ms", p.probe_latency_good_ms, 0, 1e6);
    v.number("probe_latency_bad_ms", p.probe_latency_bad_ms, 0, 1e6);
    v.number("network_errors_bad", p.network_errors_bad, 0, 1);
    v.number("leg_errors_bad", p.leg_errors_bad, 0, 1);
    v.number("probe_success_bad", p.probe_success_bad, 0, 1);
    v.number("smoothing", p.smoothing, 0, 1);
}

constexpr double max_seconds = 86400;

void describe_weighting(FieldVisitor& v, WeightPolicy& p) {
    v.number_list("leg_factors", p.leg_factors, 0, 1000);
    v.number("critical_health", p.critical_health, 0, 100);
    v.number("recover_health", p.recover_health, 0, 100);
    v.number("recover_seconds", p.recover_seconds, 0, max_seconds);
    v.number("failback_seconds", p.failback_seconds, 0, max_seconds);
    v.number("trend_window_seconds", p.trend_window_seconds, 0, max_seconds);
    v.number("trend_horizon_seconds", p.trend_horizon_seconds, 0, max_seconds);
    v.number("deadband", p.deadband, 0, 100);
    v.number("max_step_per_second", p.max_step_per_second, 0, 100);
}

void describe_anomaly(FieldVisitor& v, AnomalyPolicy& p) {
    v.integer("warmup_windows", p.warmup_windows, 1, 1'000'000);
    v.number("ewma_alpha", p.ewma_alpha, 0, 1);
    v.number("deviations", p.deviations, 0, 1000);
    v.integer("consecutive", p.consecutive, 1, 1'000'000);
    v.number("latency_floor_us", p.latency_floor_us, 0, 1e8);
    v.number("min_latency_factor", p.min_latency_factor, 1, 1000);
    v.number("max_error_rate", p.max_error_rate, 0, 1);
    v.number("max_drop_rate", p.max_drop_rate, 0, 1);
    v.integer("max_mismatches", p.max_mismatches, 0, UINT32_MAX);
    v.number("max_latency_ratio", p.max_latency_ratio, 0, 1000);
    v.integer("min_bios", p.min_bios, 1, 1'000'000'000);
}

std::string webhook_problem(std::string_view url) {
    if (url.empty())
        return {};
    try {
        parse_http_url(url);
        return {};
    } catch (const UsageError& e) {
        return std::string(e.what()) + " (or \"\" for none)";
    }
}

void describe_mitigation(FieldVisitor& v, MitigationPolicy& p) {
    v.flag("alert", p.alert);
    v.text("webhook_url", p.webhook_url, webhook_problem);
    v.text_list("exec", p.exec, [](std::string_view) { return std::string(); });
    v.flag("throttle", p.throttle);
    v.text("throttle_class", p.throttle_class, class_name_problem);
    v.integer("throttle_iops", p.throttle_iops, 0, max_iops_limit, "IO/s");
    v.integer("throttle_bw_kib", p.throttle_bw_kib, 0, max_bw_limit, "KiB/s");
    v.flag("rollback", p.rollback);
}

// A policy's own validation: its message begins with the field it is
// about (possibly as "<section>.<field>"), so it is reported at that key
// when the file sets it, at the section otherwise.
void check_policy(const Reader& r, const Entries& entries, std::string problem) {
    if (problem.empty())
        return;
    const std::string prefix = entries.path() + ".";
    if (problem.compare(0, prefix.size(), prefix) == 0)
        problem.erase(0, prefix.size());
    const std::string key = problem.substr(0, problem.find_first_of(" :"));
    const Entry* e = entries.find(key);
    if (!e)
        r.fail(entries.node(), entries.path(), problem);
    problem.erase(0, key.size());
    problem.erase(0, problem.find_first_not_of(": "));
    r.fail(*e, problem);
}

} // namespace

void read_load_check(const Reader& r, const Entries& entries, const LoadConfig& load) {
    check_policy(r, entries, load_options_problem(load.score));
}

void read_health(const Reader& r, const Entry& e, Config& cfg) {
    Entries entries = read_fields<HealthPolicy>(r, r.value(e), e.path, describe_health, cfg.health);
    check_policy(r, entries, validate(cfg.health));
}

void read_weighting(const Reader& r, const Entry& e, Config& cfg) {
    Entries entries =
        read_fields<WeightPolicy>(r, r.value(e), e.path, describe_weighting, cfg.weighting);
    check_policy(r, entries, validate(cfg.weighting));
}

void read_anomaly(const Reader& r, const Entry& e, Config& cfg) {
    Entries entries =
        read_fields<AnomalyPolicy>(r, r.value(e), e.path, describe_anomaly, cfg.anomaly);
    check_policy(r, entries, anomaly_policy_problem(cfg.anomaly));
}

void read_mitigation(const Reader& r, const Entry& e, Config& cfg) {
    Entries entries =
        read_fields<MitigationPolicy>(r, r.value(e), e.path, describe_mitigation, cfg.mitigation);
    check_policy(r, entries, mitigation_policy_problem(cfg.mitigation));
}

void check_mitigation_class(const Reader& r, const YAML::Node& root, const Config& cfg) {
    const MitigationPolicy& p = cfg.mitigation;
    const auto& classes = cfg.class_weights.classes;
    const bool shadowed = std::any_of(cfg.devices.begin(), cfg.devices.end(),
                                      [](const DeviceConfig& d) { return d.shadow.has_value(); });
    if (!p.throttle || (!shadowed && !root["mitigation"]) ||
        std::any_of(classes.begin(), classes.end(),
                    [&](const ClassPolicy& c) { return c.name == p.throttle_class; }))
        return;
    std::vector<std::string> names;
    for (const ClassPolicy& c : classes)
        names.push_back(c.name);
    // At the class named, or else at the classes that lack the default one.
    const YAML::Node section = root["mitigation"];
    const YAML::Node at = section && section.IsMap() && section["throttle_class"]
                              ? section["throttle_class"]
                              : (root["classes"] ? root["classes"] : root);
    r.fail(at, "mitigation.throttle_class",
           "no class '" + p.throttle_class + "' in classes" +
               (names.empty() ? std::string(" (there are none)")
                              : "; expected one of: " + one_of(names, ", ")) +
               ", or throttle: false");
}

void print_policies(Printer& out, const Config& cfg) {
    out.section(0, "health");
    print_fields<HealthPolicy>(out, 1, "health", describe_health, cfg.health);
    out.section(0, "weighting");
    print_fields<WeightPolicy>(out, 1, "weighting", describe_weighting, cfg.weighting);
    out.section(0, "anomaly");
    print_fields<AnomalyPolicy>(out, 1, "anomaly", describe_anomaly, cfg.anomaly);
    out.section(0, "mitigation");
    print_fields<MitigationPolicy>(out, 1, "mitigation", describe_mitigation, cfg.mitigation);
}

} // namespace tandem::config_detail
