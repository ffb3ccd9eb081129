// /metrics: Prometheus's text format (escaping, values, families) and the
// tandem metrics formatted from a snapshot, against golden text.
#include "tandem/metrics_text.h"
#include "tandem/prometheus_text.h"
#include "tandem/status.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace tandem;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

std::string family_error(const std::string& name, MetricType type) {
    try {
        MetricFamily family(name, "help", type);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "(accepted)";
}

// Version 6: two legs (the second syncing), two classes, a shadow.
constexpr const char* status_v6 =
    "6 2 Aa 70 30 120 40 1 0 80 40 0 2 3 256 0 64 resync 65536 192 98304 ok copy 0 0 idle 0 0 "
    "8 2 2 critical 200 0 0 10 40 0 1 0 64 512 test 50 500 0 5 20 3 5 4 128 2048 1 "
    "253:2 async 1 8192 16 7 0 100 3 1 0 "
    "read 100 0 512 100 0 128 write 50 1 1024 50 0 256 flush 0 0 0 0 0 0 discard 0 0 0 0 0 0";

} // namespace

// --- the format ---------------------------------------------------------------------

TEST(PrometheusText, EscapesLabelValues) {
    struct Case {
        const char* value;
        const char* escaped;
    };
    const Case cases[] = {
        {"tandem0", "tandem0"},          {R"(a"b)", R"(a\"b)"},        {R"(c:\dir)", R"(c:\\dir)"},
        {"two\nlines", R"(two\nlines)"}, {"tab\tstays", "tab\tstays"}, {"", ""},
    };
    for (const Case& c : cases)
        EXPECT_EQ(escape_label_value(c.value), c.escaped) << c.value;
}

TEST(PrometheusText, FormatsValues) {
    struct Case {
        double value;
        const char* text;
    };
    const Case cases[] = {
        {0, "0"},
        {1, "1"},
        {0.25, "0.25"},
        {0.000512, "0.000512"},
        {1e-6, "1e-06"},
        {93.5, "93.5"},
        {1.0 / 3.0, "0.3333333333333333"},
        {std::numeric_limits<double>::infinity(), "+Inf"},
        {-std::numeric_limits<double>::infinity(), "-Inf"},
        {std::numeric_limits<double>::quiet_NaN(), "NaN"},
    };
    for (const Case& c : cases)
        EXPECT_EQ(format_metric_value(c.value), c.text) << c.text;
}

TEST(PrometheusText, FamilyText) {
    MetricFamily family("tandem_x_total", "Things.\nCounted with a \\.", MetricType::counter);
    EXPECT_EQ(family.text(), "");
    family.add({}, std::uint64_t{18446744073709551615u});
    family.add({{"device", "t\"0"}, {"leg", "1"}}, 0.5);
    EXPECT_EQ(family.text(), "# HELP tandem_x_total Things.\\nCounted with a \\\\.\n"
                             "# TYPE tandem_x_total counter\n"
                             "tandem_x_total 18446744073709551615\n"
                             "tandem_x_total{device=\"t\\\"0\",leg=\"1\"} 0.5\n");
}

TEST(PrometheusText, RefusesBadNames) {
    EXPECT_EQ(family_error("tandem_reads", MetricType::counter),
              "counter 'tandem_reads' does not end in _total");
    EXPECT_EQ(family_error("tandem_reads_total", MetricType::counter), "(accepted)");
    EXPECT_EQ(family_error("tandem_up", MetricType::gauge), "(accepted)");
    EXPECT_EQ(family_error("9lives", MetricType::gauge), "bad metric name '9lives'");
    EXPECT_EQ(family_error("tandem-up", MetricType::gauge), "bad metric name 'tandem-up'");
    EXPECT_EQ(family_error("", MetricType::gauge), "bad metric name ''");
    MetricFamily family("tandem_up", "Up.", MetricType::gauge);
    EXPECT_THROW(family.add({{"le-g", "0"}}, 1.0), std::invalid_argument);
    EXPECT_THROW(family.add({{"__name__", "x"}}, 1.0), std::invalid_argument);
    EXPECT_TRUE(family.empty());
}

// --- the tandem metrics -------------------------------------------------------------

TEST(MetricsText, EmptySnapshotHasNoSamples) {
    EXPECT_EQ(format_metrics({}), "");
}

TEST(MetricsText, NodesAndAnUnreadableDevice) {
    MetricsSnapshot s;
    s.nodes = {{"a", 93.5, {{"cpu", 90}, {"disk_busy", 100}}}, {"b", std::nullopt, {}}};
    DeviceMetrics d;
    d.name = "tandem0";
    d.decisions = {3, 1, 0, 2, 1};
    s.devices.push_back(d);
    EXPECT_EQ(
        format_metrics(s),
        "# HELP tandem_node_health_score Composite health of the node, 0 (down) to 100 "
        "(healthy).\n"
        "# TYPE tandem_node_health_score gauge\n"
        "tandem_node_health_score{node=\"a\"} 93.5\n"
        "# HELP tandem_node_health_component One component of the node's health score, 0 "
        "to 100.\n"
        "# TYPE tandem_node_health_component gauge\n"
        "tandem_node_health_component{node=\"a\",component=\"cpu\"} 90\n"
        "tandem_node_health_component{node=\"a\",component=\"disk_busy\"} 100\n"
        "# HELP tandem_device_up 1 when the last poll read the device's status, else 0.\n"
        "# TYPE tandem_device_up gauge\n"
        "tandem_device_up{device=\"tandem0\"} 0\n"
        "# HELP tandem_weight_changes_total Read weights tandemd sent to the device.\n"
        "# TYPE tandem_weight_changes_total counter\n"
        "tandem_weight_changes_total{device=\"tandem0\"} 3\n"
        "# HELP tandem_failovers_total Legs weighted out of reads (failovers).\n"
        "# TYPE tandem_failovers_total counter\n"
        "tandem_failovers_total{device=\"tandem0\"} 1\n"
        "# HELP tandem_failbacks_total Legs brought back to their full read share (failbacks).\n"
        "# TYPE tandem_failbacks_total counter\n"
        "tandem_failbacks_total{device=\"tandem0\"} 0\n"
        "# HELP tandem_anomalies_detected_total Shadow anomalies tandemd detected.\n"
        "# TYPE tandem_anomalies_detected_total counter\n"
        "tandem_anomalies_detected_total{device=\"tandem0\"} 2\n"
        "# HELP tandem_anomalies_enforced_total Shadow anomalies tandemd acted upon "
        "(throttle, rollback).\n"
        "# TYPE tandem_anomalies_enforced_total counter\n"
        "tandem_anomalies_enforced_total{device=\"tandem0\"} 1\n");
}

TEST(MetricsText, VersionOneStatusHasLegsOnly) {
    MetricsSnapshot s;
    s.devices.push_back({"old", parse_status("1 2 AD 100 0 5 6 0 1 0 6 2 3 4"), {}});
    const std::string text = format_metrics(s);
    EXPECT_THAT(text, HasSubstr("tandem_device_up{device=\"old\"} 1\n"));
    EXPECT_THAT(text, HasSubstr("tandem_device_read_retries_total{device=\"old\"} 4\n"));
    EXPECT_THAT(text, HasSubstr("tandem_leg_state{device=\"old\",leg=\"1\",state=\"dead\"} 1\n"));
    EXPECT_THAT(text, HasSubstr("tandem_leg_write_errors_total{device=\"old\",leg=\"1\"} 3\n"));
    EXPECT_THAT(text, Not(HasSubstr("tandem_device_regions")));
    EXPECT_THAT(text, Not(HasSubstr("tandem_leg_sync_progress_ratio")));
    EXPECT_THAT(text, Not(HasSubstr("tandem_class_")));
    EXPECT_THAT(text, Not(HasSubstr("tandem_shadow_")));
}

TEST(MetricsText, FullStatusGolden) {
    MetricsSnapshot s;
    s.devices.push_back({"tandem0", parse_status(status_v6), {1, 0, 0, 0, 0}});
    s.devices.push_back({"gone", std::nullopt, {}});
    EXPECT_EQ(format_metrics(s),
              R"(# HELP tandem_device_up 1 when the last poll read the device's status, else 0.
# TYPE tandem_device_up gauge
tandem_device_up{device="tandem0"} 1
tandem_device_up{device="gone"} 0
# HELP tandem_device_regions Regions of the device.
# TYPE tandem_device_regions gauge
tandem_device_regions{device="tandem0"} 256
# HELP tandem_device_read_retries_total Reads sent again to another leg after a failure.
# TYPE tandem_device_read_retries_total counter
tandem_device_read_retries_total{device="tandem0"} 3
# HELP tandem_leg_read_weight_percent Share of reads sent to the leg, in percent.
# TYPE tandem_leg_read_weight_percent gauge
tandem_leg_read_weight_percent{device="tandem0",leg="0"} 70
tandem_leg_read_weight_percent{device="tandem0",leg="1"} 30
# HELP tandem_leg_state 1 for the leg's state (alive, syncing, dead), 0 for the others.
# TYPE tandem_leg_state gauge
tandem_leg_state{device="tandem0",leg="0",state="alive"} 1
tandem_leg_state{device="tandem0",leg="0",state="syncing"} 0
tandem_leg_state{device="tandem0",leg="0",state="dead"} 0
tandem_leg_state{device="tandem0",leg="1",state="alive"} 0
tandem_leg_state{device="tandem0",leg="1",state="syncing"} 1
tandem_leg_state{device="tandem0",leg="1",state="dead"} 0
# HELP tandem_leg_reads_total Reads sent to the leg.
# TYPE tandem_leg_reads_total counter
tandem_leg_reads_total{device="tandem0",leg="0"} 120
tandem_leg_reads_total{device="tandem0",leg="1"} 80
# HELP tandem_leg_writes_total Writes sent to the leg.
# TYPE tandem_leg_writes_total counter
tandem_leg_writes_total{device="tandem0",leg="0"} 40
tandem_leg_writes_total{device="tandem0",leg="1"} 40
# HELP tandem_leg_read_errors_total Reads that failed on the leg.
# TYPE tandem_leg_read_errors_total counter
tandem_leg_read_errors_total{device="tandem0",leg="0"} 1
tandem_leg_read_errors_total{device="tandem0",leg="1"} 0
# HELP tandem_leg_write_errors_total Writes that failed on the leg.
# TYPE tandem_leg_write_errors_total counter
tandem_leg_write_errors_total{device="tandem0",leg="0"} 0
tandem_leg_write_errors_total{device="tandem0",leg="1"} 2
# HELP tandem_leg_out_of_sync_regions Regions the leg lacks.
# TYPE tandem_leg_out_of_sync_regions gauge
tandem_leg_out_of_sync_regions{device="tandem0",leg="0"} 0
tandem_leg_out_of_sync_regions{device="tandem0",leg="1"} 64
# HELP tandem_leg_sync_progress_ratio Share of the regions the leg holds in sync, 0 to 1.
# TYPE tandem_leg_sync_progress_ratio gauge
tandem_leg_sync_progress_ratio{device="tandem0",leg="0"} 1
tandem_leg_sync_progress_ratio{device="tandem0",leg="1"} 0.75
# HELP tandem_class_weight Scheduler weight of the class.
# TYPE tandem_class_weight gauge
tandem_class_weight{device="tandem0",class="critical"} 200
tandem_class_weight{device="tandem0",class="test"} 50
# HELP tandem_class_bios_total Bios classified into the class.
# TYPE tandem_class_bios_total counter
tandem_class_bios_total{device="tandem0",class="critical"} 10
tandem_class_bios_total{device="tandem0",class="test"} 5
# HELP tandem_class_bytes_total Bytes of the bios classified into the class.
# TYPE tandem_class_bytes_total counter
tandem_class_bytes_total{device="tandem0",class="critical"} 40960
tandem_class_bytes_total{device="tandem0",class="test"} 20480
# HELP tandem_class_queued_bios Bios of the class waiting now.
# TYPE tandem_class_queued_bios gauge
tandem_class_queued_bios{device="tandem0",class="critical"} 0
tandem_class_queued_bios{device="tandem0",class="test"} 3
# HELP tandem_class_throttled_bios_total Bios of the class that waited for its iops or bandwidth limit.
# TYPE tandem_class_throttled_bios_total counter
tandem_class_throttled_bios_total{device="tandem0",class="critical"} 0
tandem_class_throttled_bios_total{device="tandem0",class="test"} 4
# HELP tandem_class_p99_latency_seconds 99th percentile latency of the class's bios (upper bound of its log2 bucket).
# TYPE tandem_class_p99_latency_seconds gauge
tandem_class_p99_latency_seconds{device="tandem0",class="critical"} 0.000512
tandem_class_p99_latency_seconds{device="tandem0",class="test"} 0.002048
# HELP tandem_shadow_dropped_total Shadow clones not made for lack of pool pages or memory.
# TYPE tandem_shadow_dropped_total counter
tandem_shadow_dropped_total{device="tandem0"} 7
# HELP tandem_shadow_compared_total Sampled reads whose production and shadow payloads were compared.
# TYPE tandem_shadow_compared_total counter
tandem_shadow_compared_total{device="tandem0"} 100
# HELP tandem_shadow_mismatches_total Compared reads whose payloads differed.
# TYPE tandem_shadow_mismatches_total counter
tandem_shadow_mismatches_total{device="tandem0"} 3
# HELP tandem_shadow_requests_total Bios of the operation: production bios, or clones and confined bios on the shadow.
# TYPE tandem_shadow_requests_total counter
tandem_shadow_requests_total{device="tandem0",op="read",side="production"} 100
tandem_shadow_requests_total{device="tandem0",op="read",side="shadow"} 100
tandem_shadow_requests_total{device="tandem0",op="write",side="production"} 50
tandem_shadow_requests_total{device="tandem0",op="write",side="shadow"} 50
tandem_shadow_requests_total{device="tandem0",op="flush",side="production"} 0
tandem_shadow_requests_total{device="tandem0",op="flush",side="shadow"} 0
tandem_shadow_requests_total{device="tandem0",op="discard",side="production"} 0
tandem_shadow_requests_total{device="tandem0",op="discard",side="shadow"} 0
# HELP tandem_shadow_errors_total Failed bios of the operation.
# TYPE tandem_shadow_errors_total counter
tandem_shadow_errors_total{device="tandem0",op="read",side="production"} 0
tandem_shadow_errors_total{device="tandem0",op="read",side="shadow"} 0
tandem_shadow_errors_total{device="tandem0",op="write",side="production"} 1
tandem_shadow_errors_total{device="tandem0",op="write",side="shadow"} 0
tandem_shadow_errors_total{device="tandem0",op="flush",side="production"} 0
tandem_shadow_errors_total{device="tandem0",op="flush",side="shadow"} 0
tandem_shadow_errors_total{device="tandem0",op="discard",side="production"} 0
tandem_shadow_errors_total{device="tandem0",op="discard",side="shadow"} 0
# HELP tandem_shadow_p99_latency_seconds 99th percentile latency of the operation (upper bound of its log2 bucket).
# TYPE tandem_shadow_p99_latency_seconds gauge
tandem_shadow_p99_latency_seconds{device="tandem0",op="read",side="production"} 0.000512
tandem_shadow_p99_latency_seconds{device="tandem0",op="read",side="shadow"} 0.000128
tandem_shadow_p99_latency_seconds{device="tandem0",op="write",side="production"} 0.001024
tandem_shadow_p99_latency_seconds{device="tandem0",op="write",side="shadow"} 0.000256
tandem_shadow_p99_latency_seconds{device="tandem0",op="flush",side="production"} 0
tandem_shadow_p99_latency_seconds{device="tandem0",op="flush",side="shadow"} 0
tandem_shadow_p99_latency_seconds{device="tandem0",op="discard",side="production"} 0
tandem_shadow_p99_latency_seconds{device="tandem0",op="discard",side="shadow"} 0
# HELP tandem_weight_changes_total Read weights tandemd sent to the device.
# TYPE tandem_weight_changes_total counter
tandem_weight_changes_total{device="tandem0"} 1
tandem_weight_changes_total{device="gone"} 0
# HELP tandem_failovers_total Legs weighted out of reads (failovers).
# TYPE tandem_failovers_total counter
tandem_failovers_total{device="tandem0"} 0
tandem_failovers_total{device="gone"} 0
# HELP tandem_failbacks_total Legs brought back to their full read share (failbacks).
# TYPE tandem_failbacks_total counter
tandem_failbacks_total{device="tandem0"} 0
tandem_failbacks_total{device="gone"} 0
# HELP tandem_anomalies_detected_total Shadow anomalies tandemd detected.
# TYPE tandem_anomalies_detected_total counter
tandem_anomalies_detected_total{device="tandem0"} 0
tandem_anomalies_detected_total{device="gone"} 0
# HELP tandem_anomalies_enforced_total Shadow anomalies tandemd acted upon (throttle, rollback).
# TYPE tandem_anomalies_enforced_total counter
tandem_anomalies_enforced_total{device="tandem0"} 0
tandem_anomalies_enforced_total{device="gone"} 0
)");
}

TEST(MetricsText, LabelValuesAreEscaped) {
    MetricsSnapshot s;
    s.nodes = {{"node \"b\"\\x", 1.0, {}}};
    EXPECT_THAT(format_metrics(s),
                HasSubstr("tandem_node_health_score{node=\"node \\\"b\\\"\\\\x\"} 1\n"));
}

TEST(MetricsText, NoShadowNoShadowMetrics) {
    Status st = parse_status(status_v6);
    st.shadow->device = "-";
    MetricsSnapshot s;
    s.devices.push_back({"t", st, {}});
    const std::string text = format_metrics(s);
    EXPECT_THAT(text, Not(HasSubstr("tandem_shadow_")));
    EXPECT_THAT(text, HasSubstr("tandem_class_bios_total{device=\"t\",class=\"test\"} 5\n"));
}
