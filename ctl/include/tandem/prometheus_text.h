// Prometheus's text exposition format (version 0.0.4), as a scrape of
// /metrics expects it:
//
//   # HELP tandem_leg_reads_total Reads sent to the leg.
//   # TYPE tandem_leg_reads_total counter
//   tandem_leg_reads_total{device="tandem0",leg="0"} 1200
//
// Every sample of a metric follows its HELP and TYPE lines, one block per
// metric; label values are escaped (backslash, double quote, newline).
// Pure text building; what the metrics are is metrics_text.h's concern.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tandem {

enum class MetricType { counter, gauge };

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

// One metric and its samples.  A counter's name ends in "_total".
class MetricFamily {
public:
    // Raises std::invalid_argument for a name that is not a Prometheus
    // metric name, or a counter whose name does not end in "_total".
    MetricFamily(std::string name, std::string help, MetricType type);

    // Raises std::invalid_argument for a label name that is not a
    // Prometheus label name.
    void add(MetricLabels labels, double value);
    void add(MetricLabels labels, std::uint64_t value);

    bool empty() const { return samples_.empty(); }
    const std::string& name() const { return name_; }

    // The HELP and TYPE lines and one line per sample, each ending in "\n";
    // "" for a family without samples.
    std::string text() const;

private:
    struct Sample {
        MetricLabels labels;
        std::string value; // already formatted
    };

    void add_formatted(MetricLabels labels, std::string value);

    std::string name_;
    std::string help_;
    MetricType type_;
    std::vector<Sample> samples_;
};

// A label value with backslash, double quote and newline escaped.
std::string escape_label_value(std::string_view value);

// A sample value: the shortest text that reads back as the same double;
// "NaN", "+Inf" and "-Inf" for the special values.
std::string format_metric_value(double value);

// The content type a /metrics reply carries.
inline constexpr std::string_view prometheus_content_type =
    "text/plain; version=0.0.4; charset=utf-8";

} // namespace tandem
