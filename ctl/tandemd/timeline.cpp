#include "timeline.h"

#include <algorithm>
#include <cstdio>

namespace tandem::daemon {

namespace {

std::string fixed(double value, const char* format) {
    char buf[32];
    std::snprintf(buf, sizeof buf, format, value);
    return buf;
}

// A CSV cell: quoted when it holds a comma, a quote or a line break.
std::string cell(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos)
        return text;
    std::string out = "\"";
    for (char c : text)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

} // namespace

Timeline::Timeline(std::ostream& out)
    : out_(out) {}

void Timeline::record(double time_s, const std::vector<TimelineRow>& rows) {
    if (rows.empty())
        return;
    if (legs_ == 0) {
        legs_ = 2;
        for (const TimelineRow& r : rows)
            legs_ = std::max(legs_, r.status.legs.size());
        out_ << "time_s,device";
        for (std::size_t i = 0; i < legs_; i++) {
            const std::string leg = "leg" + std::to_string(i);
            out_ << "," << leg << "_weight," << leg << "_health," << leg << "_state," << leg
                 << "_reads";
        }
        out_ << "\n";
    }
    for (const TimelineRow& r : rows) {
        out_ << fixed(time_s, "%.3f") << "," << cell(r.device);
        for (std::size_t i = 0; i < legs_; i++) {
            if (i >= r.status.legs.size()) {
                out_ << ",,,,";
                continue;
            }
            const LegStatus& leg = r.status.legs[i];
            out_ << "," << leg.weight << ","
                 << (i < r.health.size() ? fixed(r.health[i], "%.1f") : "") << ","
                 << leg.state_letter << "," << leg.reads;
        }
        out_ << "\n";
    }
    out_.flush();
}

} // namespace tandem::daemon
