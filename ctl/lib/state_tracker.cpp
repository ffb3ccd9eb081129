#include "tandem/state_tracker.h"

namespace tandem {

namespace {

std::string join(const std::vector<unsigned>& values) {
    std::string out;
    for (unsigned v : values)
        out += (out.empty() ? "" : " ") + std::to_string(v);
    return out;
}

std::vector<unsigned> weights_of(const Status& st) {
    std::vector<unsigned> w;
    for (const LegStatus& leg : st.legs)
        w.push_back(leg.weight);
    return w;
}

std::string letters_of(const Status& st) {
    std::string s;
    for (const LegStatus& leg : st.legs)
        s += leg.state_letter;
    return s;
}

// Errors since the previous poll; a smaller counter means the counters
// were reset in between, so everything counted since is new.
std::uint64_t rise(std::uint64_t before, std::uint64_t now) {
    return now >= before ? now - before : now;
}

template <class... Ts>
struct overloaded : Ts... {
    using Ts::operator()...;
};
template <class... Ts>
overloaded(Ts...) -> overloaded<Ts...>;

} // namespace

std::string describe(const Event& ev) {
    return std::visit(
        overloaded{
            [](const event::Observed& e) {
                return "status v" + std::to_string(e.status.version) + ": " +
                       std::to_string(e.status.legs.size()) + " legs, states " +
                       letters_of(e.status) + ", read weights " + join(weights_of(e.status));
            },
            [](const event::LegStateChanged& e) {
                const LegState to = leg_state_from_letter(e.to);
                std::string what = to == LegState::dead    ? "failed"
                                   : to == LegState::alive ? "is back in service"
                                                           : "changed state";
                return "leg " + std::to_string(e.leg) + " " + what + " (" + e.from + " -> " + e.to +
                       ")";
            },
            [](const event::WeightsChanged& e) {
                return "read weights changed from " + join(e.from) + " to " + join(e.to);
            },
            [](const event::LegErrors& e) {
                return "leg " + std::to_string(e.leg) + ": " + std::to_string(e.new_read_errors) +
                       " new read error(s), " + std::to_string(e.new_write_errors) +
                       " new write error(s) (totals " + std::to_string(e.read_errors) + " / " +
                       std::to_string(e.write_errors) + ")";
            },
            [](const event::LegCountChanged& e) {
                return "number of legs changed from " + std::to_string(e.from) + " to " +
                       std::to_string(e.to);
            },
            [](const event::Unavailable& e) { return "status unavailable: " + e.reason; },
            [](const event::Available&) { return std::string("status available again"); },
        },
        ev);
}

LogLevel severity(const Event& ev) {
    return std::visit(overloaded{
                          [](const event::LegStateChanged& e) {
                              return leg_state_from_letter(e.to) == LegState::alive
                                         ? LogLevel::info
                                         : LogLevel::warning;
                          },
                          [](const event::LegErrors&) { return LogLevel::warning; },
                          [](const event::LegCountChanged&) { return LogLevel::warning; },
                          [](const event::Unavailable&) { return LogLevel::error; },
                          [](const auto&) { return LogLevel::info; },
                      },
                      ev);
}

std::vector<Event> StateTracker::observe(const Status& st) {
    std::vector<Event> events;
    if (unavailable_) {
        events.emplace_back(event::Available{});
        unavailable_ = false;
    }
    if (!last_) {
        events.emplace_back(event::Observed{st});
        last_ = st;
        return events;
    }

    const Status& prev = *last_;
    if (prev.legs.size() != st.legs.size()) {
        events.emplace_back(event::LegCountChanged{static_cast<unsigned>(prev.legs.size()),
                                                   static_cast<unsigned>(st.legs.size())});
        events.emplace_back(event::Observed{st});
        last_ = st;
        return events;
    }

    for (unsigned i = 0; i < st.legs.size(); i++) {
        const LegStatus& before = prev.legs[i];
        const LegStatus& now = st.legs[i];
        if (before.state_letter != now.state_letter)
            events.emplace_back(event::LegStateChanged{i, before.state_letter, now.state_letter});
    }

    if (weights_of(prev) != weights_of(st))
        events.emplace_back(event::WeightsChanged{weights_of(prev), weights_of(st)});

    for (unsigned i = 0; i < st.legs.size(); i++) {
        const LegStatus& before = prev.legs[i];
        const LegStatus& now = st.legs[i];
        std::uint64_t reads = rise(before.read_errors, now.read_errors);
        std::uint64_t writes = rise(before.write_errors, now.write_errors);
        if (reads || writes)
            events.emplace_back(
                event::LegErrors{i, reads, writes, now.read_errors, now.write_errors});
    }

    last_ = st;
    return events;
}

std::vector<Event> StateTracker::observe_failure(const std::string& reason) {
    if (unavailable_)
        return {};
    unavailable_ = true;
    return {event::Unavailable{reason}};
}

} // namespace tandem
