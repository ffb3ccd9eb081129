#include "tandem/guard_memory.h"

#include "tandem/errors.h"
#include "tandem/fields.h"
#include "tandem/text_lines.h"

#include <charconv>
#include <cmath>
#include <cstdint>

namespace tandem {

namespace {

constexpr std::string_view header = "tandemd-guard 1";
constexpr std::string_view throttle_form =
    "throttle <class> saved <iops> <bw_kib> pushed <iops> <bw_kib>";
constexpr std::string_view baseline_form =
    "baseline <op> <signal> <windows> <value_us> <deviation_us>";

// The shortest text that reads back as the same double.
std::string exact(double value) {
    char buf[64];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
    return ec == std::errc() ? std::string(buf, end) : "0";
}

std::string limits_fields(ClassLimits l) {
    return std::to_string(l.iops) + " " + std::to_string(l.bw_kib);
}

[[noreturn]] void bad_line(std::size_t number, std::string_view problem) {
    throw ParseError("line " + std::to_string(number) + ": " + std::string(problem));
}

[[noreturn]] void not_of_form(std::size_t number, std::string_view form, std::string_view line) {
    bad_line(number, "expected '" + std::string(form) + "', got '" + std::string(line) + "'");
}

std::optional<std::uint32_t> limit(std::string_view text) {
    const auto v = parse_uint(text, UINT32_MAX);
    return v ? std::optional<std::uint32_t>(static_cast<std::uint32_t>(*v)) : std::nullopt;
}

std::optional<double> microseconds(std::string_view text) {
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value) || value < 0)
        return std::nullopt;
    return value;
}

void read_throttle(GuardMemory& m, const std::vector<std::string_view>& f, std::size_t number,
                   std::string_view line) {
    if (f.size() != 8 || f[2] != "saved" || f[5] != "pushed")
        not_of_form(number, throttle_form, line);
    const auto saved_iops = limit(f[3]), saved_bw = limit(f[4]);
    const auto pushed_iops = limit(f[6]), pushed_bw = limit(f[7]);
    if (!saved_iops || !saved_bw || !pushed_iops || !pushed_bw)
        bad_line(number, "limits are whole numbers 0..4294967295, got '" + std::string(line) + "'");
    m.throttle_class = std::string(f[1]);
    m.saved = {*saved_iops, *saved_bw};
    m.pushed = {*pushed_iops, *pushed_bw};
}

SavedBaseline read_baseline(const std::vector<std::string_view>& f, std::size_t number,
                            std::string_view line) {
    if (f.size() != 6)
        not_of_form(number, baseline_form, line);
    SavedBaseline b;
    b.op = std::string(f[1]);
    const auto signal = anomaly_signal_from(f[2]);
    if (!signal || (*signal != AnomalySignal::shadow_p99 && *signal != AnomalySignal::shadow_p50))
        bad_line(number, "expected shadow_p99 or shadow_p50, got '" + std::string(f[2]) + "'");
    b.signal = *signal;
    const auto windows = parse_uint(f[3], UINT32_MAX);
    const auto value = microseconds(f[4]), deviation = microseconds(f[5]);
    if (!windows || *windows == 0)
        bad_line(number,
                 "windows: expected a whole number from 1, got '" + std::string(f[3]) + "'");
    if (!value || !deviation)
        bad_line(number, "latencies are numbers of microseconds from 0, got '" + std::string(f[4]) +
                             " " + std::string(f[5]) + "'");
    b.baseline = {static_cast<unsigned>(*windows), *value, *deviation};
    return b;
}

} // namespace

std::string format_guard_memory(const GuardMemory& m) {
    std::string out = std::string(header) + "\n";
    out += "throttle " + m.throttle_class + " saved " + limits_fields(m.saved) + " pushed " +
           limits_fields(m.pushed) + "\n";
    for (const SavedBaseline& b : m.baselines)
        out += "baseline " + b.op + " " + std::string(to_string(b.signal)) + " " +
               std::to_string(b.baseline.windows) + " " + exact(b.baseline.value) + " " +
               exact(b.baseline.deviation) + "\n";
    return out;
}

GuardMemory parse_guard_memory(std::string_view text) {
    const std::vector<std::string_view> lines = split_lines(text);
    if (lines.empty() || lines[0] != header)
        bad_line(1, "expected '" + std::string(header) + "'");
    GuardMemory m;
    bool throttle = false;
    for (std::size_t i = 1; i < lines.size(); i++) {
        const std::size_t number = i + 1;
        const std::vector<std::string_view> f = split_fields(lines[i]);
        if (f.empty())
            continue;
        if (f[0] == "throttle" && !throttle) {
            read_throttle(m, f, number, lines[i]);
            throttle = true;
        } else if (f[0] == "throttle") {
            bad_line(number, "a second throttle line");
        } else if (f[0] == "baseline") {
            m.baselines.push_back(read_baseline(f, number, lines[i]));
        } else {
            bad_line(number,
                     "expected a throttle or baseline line, got '" + std::string(lines[i]) + "'");
        }
    }
    if (!throttle)
        bad_line(lines.size(), "no throttle line");
    return m;
}

} // namespace tandem
