#include "tandem/metrics_text.h"

#include "tandem/prometheus_text.h"

#include <functional>

namespace tandem {

namespace {

constexpr double us_seconds = 1e-6;

class Exposition {
public:
    explicit Exposition(const MetricsSnapshot& snapshot)
        : snapshot_(snapshot) {}

    // One family whose samples `fill` adds, device by device.
    void per_device(const char* name, const char* help, MetricType type,
                    const std::function<void(MetricFamily&, const DeviceMetrics&)>& fill) {
        MetricFamily family(name, help, type);
        for (const DeviceMetrics& device : snapshot_.devices)
            fill(family, device);
        text_ += family.text();
    }

    // The same for every leg of every device whose status was read.
    void per_leg(const char* name, const char* help, MetricType type,
                 const std::function<void(MetricFamily&, const MetricLabels&, const Status&,
                                          const LegStatus&)>& fill) {
        per_device(name, help, type, [&](MetricFamily& family, const DeviceMetrics& device) {
            if (!device.status)
                return;
            for (std::size_t i = 0; i < device.status->legs.size(); i++)
                fill(family, {{"device", device.name}, {"leg", std::to_string(i)}}, *device.status,
                     device.status->legs[i]);
        });
    }

    // A counter of the leg's status, for every leg.
    void per_leg_counter(const char* name, const char* help, std::uint64_t LegStatus::*counter) {
        per_leg(name, help, MetricType::counter,
                [&](MetricFamily& family, const MetricLabels& labels, const Status&,
                    const LegStatus& leg) { family.add(labels, leg.*counter); });
    }

    // Every class of every device with a scheduler in its status.
    void per_class(
        const char* name, const char* help, MetricType type,
        const std::function<void(MetricFamily&, const MetricLabels&, const ClassStatus&)>& fill) {
        per_device(name, help, type, [&](MetricFamily& family, const DeviceMetrics& device) {
            if (!device.status || !device.status->scheduler)
                return;
            for (const ClassStatus& c : device.status->scheduler->classes)
                fill(family, {{"device", device.name}, {"class", c.name}}, c);
        });
    }

    // Every device with a shadow device.
    void per_shadow(
        const char* name, const char* help, MetricType type,
        const std::function<void(MetricFamily&, const MetricLabels&, const ShadowStatus&)>& fill) {
        per_device(name, help, type, [&](MetricFamily& family, const DeviceMetrics& device) {
            if (device.status && device.status->shadow && device.status->shadow->has_device())
                fill(family, {{"device", device.name}}, *device.status->shadow);
        });
    }

    // Each side of each operation of every device with a shadow device.
    void per_shadow_side(const char* name, const char* help, MetricType type,
                         const std::function<void(MetricFamily&, const MetricLabels&,
                                                  const ShadowSideStatus&)>& fill) {
        per_shadow(name, help, type,
                   [&](MetricFamily& family, const MetricLabels& labels, const ShadowStatus& s) {
                       for (const ShadowOpStatus& op : s.ops) {
                           MetricLabels with_op = labels;
                           with_op.emplace_back("op", op.op);
                           MetricLabels production = with_op, shadow = with_op;
                           production.emplace_back("side", "production");
                           shadow.emplace_back("side", "shadow");
                           fill(family, production, op.production);
                           fill(family, shadow, op.shadow);
                       }
                   });
    }

    void per_decision(const char* name, const char* help,
                      std::uint64_t DecisionCounters::*counter) {
        per_device(name, help, MetricType::counter,
                   [&](MetricFamily& family, const DeviceMetrics& device) {
                       family.add({{"device", device.name}}, device.decisions.*counter);
                   });
    }

    void nodes() {
        MetricFamily score("tandem_node_health_score",
                           "Composite health of the node, 0 (down) to 100 (healthy).",
                           MetricType::gauge);
        MetricFamily component("tandem_node_health_component",
                               "One component of the node's health score, 0 to 100.",
                               MetricType::gauge);
        for (const NodeMetrics& node : snapshot_.nodes) {
            if (node.score)
                score.add({{"node", node.name}}, *node.score);
            for (const auto& [name, value] : node.components)
                component.add({{"node", node.name}, {"component", name}}, value);
        }
        text_ += score.text();
        text_ += component.text();
    }

    std::string take() { return std::move(text_); }

private:
    const MetricsSnapshot& snapshot_;
    std::string text_;
};

double sync_progress(const Status& status, const LegStatus& leg) {
    const std::uint64_t regions = status.sync->regions;
    if (regions == 0 || leg.out_of_sync_regions >= regions)
        return regions == 0 ? 1.0 : 0.0;
    return static_cast<double>(regions - leg.out_of_sync_regions) / static_cast<double>(regions);
}

void add_state(MetricFamily& family, const MetricLabels& labels, LegState actual) {
    for (LegState state : {LegState::alive, LegState::syncing, LegState::dead}) {
        MetricLabels with_state = labels;
        with_state.emplace_back("state", std::string(to_string(state)));
        family.add(std::move(with_state), std::uint64_t{state == actual});
    }
}

} // namespace

std::string format_metrics(const MetricsSnapshot& snapshot) {
    using T = MetricType;
    Exposition e(snapshot);
    e.nodes();

    e.per_device("tandem_device_up", "1 when the last poll read the device's status, else 0.",
                 T::gauge, [](MetricFamily& f, const DeviceMetrics& d) {
                     f.add({{"device", d.name}}, std::uint64_t{d.status.has_value()});
                 });
    e.per_device("tandem_device_regions", "Regions of the device.", T::gauge,
                 [](MetricFamily& f, const DeviceMetrics& d) {
                     if (d.status && d.status->sync)
                         f.add({{"device", d.name}}, d.status->sync->regions);
                 });
    e.per_device("tandem_device_read_retries_total",
                 "Reads sent again to another leg after a failure.", T::counter,
                 [](MetricFamily& f, const DeviceMetrics& d) {
                     if (d.status)
                         f.add({{"device", d.name}}, d.status->read_retries);
                 });

    e.per_leg("tandem_leg_read_weight_percent", "Share of reads sent to the leg, in percent.",
              T::gauge,
              [](MetricFamily& f, const MetricLabels& l, const Status&, const LegStatus& leg) {
                  f.add(l, std::uint64_t{leg.weight});
              });
    e.per_leg("tandem_leg_state", "1 for the leg's state (alive, syncing, dead), 0 for the others.",
              T::gauge,
              [](MetricFamily& f, const MetricLabels& l, const Status&, const LegStatus& leg) {
                  add_state(f, l, leg.state);
              });
    e.per_leg_counter("tandem_leg_reads_total", "Reads sent to the leg.", &LegStatus::reads);
    e.per_leg_counter("tandem_leg_writes_total", "Writes sent to the leg.", &LegStatus::writes);
    e.per_leg_counter("tandem_leg_read_errors_total", "Reads that failed on the leg.",
                      &LegStatus::read_errors);
    e.per_leg_counter("tandem_leg_write_errors_total", "Writes that failed on the leg.",
                      &LegStatus::write_errors);
    e.per_leg("tandem_leg_out_of_sync_regions", "Regions the leg lacks.", T::gauge,
              [](MetricFamily& f, const MetricLabels& l, const Status& s, const LegStatus& leg) {
                  if (s.sync)
                      f.add(l, leg.out_of_sync_regions);
              });
    e.per_leg("tandem_leg_sync_progress_ratio",
              "Share of the regions the leg holds in sync, 0 to 1.", T::gauge,
              [](MetricFamily& f, const MetricLabels& l, const Status& s, const LegStatus& leg) {
                  if (s.sync)
                      f.add(l, sync_progress(s, leg));
              });

    e.per_class("tandem_class_weight", "Scheduler weight of the class.", T::gauge,
                [](MetricFamily& f, const MetricLabels& l, const ClassStatus& c) {
                    f.add(l, std::uint64_t{c.weight});
                });
    e.per_class(
        "tandem_class_bios_total", "Bios classified into the class.", T::counter,
        [](MetricFamily& f, const MetricLabels& l, const ClassStatus& c) { f.add(l, c.bios); });
    e.per_class("tandem_class_bytes_total", "Bytes of the bios classified into the class.",
                T::counter, [](MetricFamily& f, const MetricLabels& l, const ClassStatus& c) {
                    f.add(l, c.kib * 1024);
                });
    e.per_class(
        "tandem_class_queued_bios", "Bios of the class waiting now.", T::gauge,
        [](MetricFamily& f, const MetricLabels& l, const ClassStatus& c) { f.add(l, c.queued); });
    e.per_class("tandem_class_throttled_bios_total",
                "Bios of the class that waited for its iops or bandwidth limit.", T::counter,
                [](MetricFamily& f, const MetricLabels& l, const ClassStatus& c) {
                    f.add(l, c.throttled);
                });
    e.per_class("tandem_class_p99_latency_seconds",
                "99th percentile latency of the class's bios (upper bound of its log2 bucket).",
                T::gauge, [](MetricFamily& f, const MetricLabels& l, const ClassStatus& c) {
                    f.add(l, static_cast<double>(c.p99_us) * us_seconds);
                });

    e.per_shadow(
        "tandem_shadow_dropped_total", "Shadow clones not made for lack of pool pages or memory.",
        T::counter,
        [](MetricFamily& f, const MetricLabels& l, const ShadowStatus& s) { f.add(l, s.dropped); });
    e.per_shadow("tandem_shadow_compared_total",
                 "Sampled reads whose production and shadow payloads were compared.", T::counter,
                 [](MetricFamily& f, const MetricLabels& l, const ShadowStatus& s) {
                     f.add(l, s.compared);
                 });
    e.per_shadow("tandem_shadow_mismatches_total", "Compared reads whose payloads differed.",
                 T::counter, [](MetricFamily& f, const MetricLabels& l, const ShadowStatus& s) {
                     f.add(l, s.mismatches);
                 });
    e.per_shadow_side("tandem_shadow_requests_total",
                      "Bios of the operation: production bios, or clones and confined bios on "
                      "the shadow.",
                      T::counter,
                      [](MetricFamily& f, const MetricLabels& l, const ShadowSideStatus& side) {
                          f.add(l, side.count);
                      });
    e.per_shadow_side("tandem_shadow_errors_total", "Failed bios of the operation.", T::counter,
                      [](MetricFamily& f, const MetricLabels& l, const ShadowSideStatus& side) {
                          f.add(l, side.errors);
                      });
    e.per_shadow_side("tandem_shadow_p99_latency_seconds",
                      "99th percentile latency of the operation (upper bound of its log2 bucket).",
                      T::gauge,
                      [](MetricFamily& f, const MetricLabels& l, const ShadowSideStatus& side) {
                          f.add(l, static_cast<double>(side.p99_us) * us_seconds);
                      });

    e.per_decision("tandem_weight_changes_total", "Read weights tandemd sent to the device.",
                   &DecisionCounters::weight_changes);
    e.per_decision("tandem_failovers_total", "Legs weighted out of reads (failovers).",
                   &DecisionCounters::failovers);
    e.per_decision("tandem_failbacks_total",
                   "Legs brought back to their full read share (failbacks).",
                   &DecisionCounters::failbacks);
    e.per_decision("tandem_anomalies_detected_total", "Shadow anomalies tandemd detected.",
                   &DecisionCounters::anomalies_detected);
    e.per_decision("tandem_anomalies_enforced_total",
                   "Shadow anomalies tandemd acted upon (throttle, rollback).",
                   &DecisionCounters::anomalies_enforced);
    return e.take();
}

} // namespace tandem
