#include "tandem/prometheus_text.h"

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace tandem {

namespace {

bool name_start(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool name_char(char c) {
    return name_start(c) || (c >= '0' && c <= '9');
}

// [a-zA-Z_][a-zA-Z0-9_]* (metric names may also hold ':', reserved for
// recording rules, so it is not accepted here).
bool is_identifier(std::string_view name) {
    if (name.empty() || !name_start(name.front()))
        return false;
    for (char c : name)
        if (!name_char(c))
            return false;
    return true;
}

// HELP text escapes backslash and newline only.
std::string escape_help(std::string_view help) {
    std::string out;
    for (char c : help) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

} // namespace

std::string escape_label_value(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        switch (c) {
        case '\\':
            out += "\\\\";
            break;
        case '"':
            out += "\\\"";
            break;
        case '\n':
            out += "\\n";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string format_metric_value(double value) {
    if (std::isnan(value))
        return "NaN";
    if (std::isinf(value))
        return value > 0 ? "+Inf" : "-Inf";
    char buffer[32];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, end);
}

MetricFamily::MetricFamily(std::string name, std::string help, MetricType type)
    : name_(std::move(name))
    , help_(std::move(help))
    , type_(type) {
    if (!is_identifier(name_))
        throw std::invalid_argument("bad metric name '" + name_ + "'");
    if (type_ == MetricType::counter && !name_.ends_with("_total"))
        throw std::invalid_argument("counter '" + name_ + "' does not end in _total");
}

void MetricFamily::add(MetricLabels labels, double value) {
    add_formatted(std::move(labels), format_metric_value(value));
}

void MetricFamily::add(MetricLabels labels, std::uint64_t value) {
    add_formatted(std::move(labels), std::to_string(value));
}

void MetricFamily::add_formatted(MetricLabels labels, std::string value) {
    for (const auto& [label, _] : labels)
        if (!is_identifier(label) || label.starts_with("__"))
            throw std::invalid_argument("metric " + name_ + ": bad label name '" + label + "'");
    samples_.push_back(Sample{std::move(labels), std::move(value)});
}

std::string MetricFamily::text() const {
    if (samples_.empty())
        return "";
    std::string out = "# HELP " + name_ + " " + escape_help(help_) + "\n";
    out += "# TYPE " + name_ + (type_ == MetricType::counter ? " counter\n" : " gauge\n");
    for (const Sample& sample : samples_) {
        out += name_;
        if (!sample.labels.empty()) {
            out += '{';
            for (std::size_t i = 0; i < sample.labels.size(); i++) {
                if (i > 0)
                    out += ',';
                out += sample.labels[i].first + "=\"" +
                       escape_label_value(sample.labels[i].second) + "\"";
            }
            out += '}';
        }
        out += ' ' + sample.value + '\n';
    }
    return out;
}

} // namespace tandem
