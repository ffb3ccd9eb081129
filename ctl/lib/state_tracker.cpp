#include "tandem/state_tracker.h"

#include "tandem/sync_summary.h"

#include <dm-tandem/tandem.h>

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

// ": <what>" when there is something to say.
std::string detail(const std::string& what) {
    return what.empty() ? "" : ": " + what;
}

std::string describe_leg_change(const event::LegStateChanged& e) {
    const LegState from = leg_state_from_letter(e.from);
    std::string what;
    switch (leg_state_from_letter(e.to)) {
    case LegState::dead:
        what = "failed";
        break;
    case LegState::alive:
        what = from == LegState::syncing ? "is in sync" : "is back in service";
        break;
    case LegState::syncing:
        what = from == LegState::dead    ? "is back in service, resyncing"
               : from == LegState::alive ? "fell out of sync, resyncing"
                                         : "is resyncing";
        if (e.regions)
            what += " " + std::to_string(e.out_of_sync_regions) + "/" + std::to_string(e.regions) +
                    " regions";
        break;
    case LegState::unknown:
        what = "changed state";
        break;
    }
    return "leg " + std::to_string(e.leg) + " " + what + " (" + e.from + " -> " + e.to + ")";
}

LogLevel leg_change_severity(const event::LegStateChanged& e) {
    switch (leg_state_from_letter(e.to)) {
    case LegState::alive:
        return LogLevel::info;
    case LegState::syncing:
        // Back from failed is good news; losing sync while healthy is not.
        return leg_state_from_letter(e.from) == LegState::alive ? LogLevel::warning
                                                                : LogLevel::info;
    case LegState::dead:
    case LegState::unknown:
        break;
    }
    return LogLevel::warning;
}

std::string describe_check_finished(const event::CheckFinished& e) {
    const std::string what = e.action.empty() ? "verify or repair" : e.action;
    const std::string regions =
        std::to_string(e.regions_done) + "/" + std::to_string(e.regions) + " regions";
    std::string blocks = std::to_string(e.mismatches) + " mismatching block(s)";
    if (e.action == TANDEM_CHECK_REPAIR)
        blocks += " rewritten from the source";
    if (e.regions_done < e.regions)
        return what + " stopped after " + regions + " (fewer than two legs in sync): " + blocks;
    return what + " finished: " + regions + " compared, " + blocks;
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
                std::string out = "status v" + std::to_string(e.status.version) + ": " +
                                  std::to_string(e.status.legs.size()) + " legs, states " +
                                  letters_of(e.status) + ", read weights " +
                                  join(weights_of(e.status));
                if (e.status.sync)
                    out += ", sync " + describe_sync(e.status);
                if (e.status.metadata)
                    out += ", metadata " + describe_metadata(e.status);
                if (e.status.compare) {
                    out += ", resync mode " + e.status.compare->resync_mode_word;
                    if (e.status.compare->check_action != CheckAction::idle)
                        out += ", " + describe_check(e.status);
                }
                return out;
            },
            [](const event::LegStateChanged& e) { return describe_leg_change(e); },
            [](const event::WeightsChanged& e) {
                return "read weights changed from " + join(e.from) + " to " + join(e.to);
            },
            [](const event::SyncRateChanged& e) {
                return "sync rate changed from " + std::to_string(e.from) + " to " +
                       std::to_string(e.to) + " KiB/s";
            },
            [](const event::SyncStarted& e) {
                if (e.paused)
                    return "resync needed but paused (sync rate 0)" + detail(e.to_copy);
                return "resync started at " + std::to_string(e.rate) + " KiB/s" + detail(e.to_copy);
            },
            [](const event::SyncPaused& e) {
                return "resync paused (sync rate 0)" + detail(e.to_copy);
            },
            [](const event::SyncResumed& e) {
                return "resync resumed at " + std::to_string(e.rate) + " KiB/s" + detail(e.to_copy);
            },
            [](const event::SyncFinished& e) {
                std::string out = "resync finished: " + std::to_string(e.regions_copied) +
                                  " region(s) (" + std::to_string(e.kib_copied) +
                                  " KiB) copied, every healthy leg in sync";
                if (!e.left_out.empty())
                    out += "; " + e.left_out;
                return out;
            },
            [](const event::MetadataChanged& e) {
                if (metadata_state_from_word(e.to) == MetadataState::failed)
                    return "metadata write failed (" + e.from + " -> " + e.to +
                           "): every write fails (reads work) until the metadata device is "
                           "replaced";
                return "metadata state changed from " + e.from + " to " + e.to;
            },
            [](const event::ResyncModeChanged& e) {
                return "resync mode changed from " + e.from + " to " + e.to;
            },
            [](const event::CheckStarted& e) {
                return e.action + " started: comparing " + std::to_string(e.regions) + " regions";
            },
            [](const event::CheckFinished& e) { return describe_check_finished(e); },
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
                          [](const event::Observed& e) {
                              const bool failed = e.status.metadata &&
                                                  e.status.metadata->state == MetadataState::failed;
                              return failed ? LogLevel::error : LogLevel::info;
                          },
                          [](const event::LegStateChanged& e) { return leg_change_severity(e); },
                          [](const event::MetadataChanged& e) {
                              return metadata_state_from_word(e.to) == MetadataState::failed
                                         ? LogLevel::error
                                         : LogLevel::info;
                          },
                          [](const event::CheckFinished& e) {
                              return e.mismatches || e.regions_done < e.regions ? LogLevel::warning
                                                                                : LogLevel::info;
                          },
                          [](const event::SyncStarted& e) {
                              return e.paused ? LogLevel::warning : LogLevel::info;
                          },
                          [](const event::SyncPaused&) { return LogLevel::warning; },
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
    const bool start_over = !last_ || last_->legs.size() != st.legs.size();
    if (start_over) {
        if (last_)
            events.emplace_back(event::LegCountChanged{static_cast<unsigned>(last_->legs.size()),
                                                       static_cast<unsigned>(st.legs.size())});
        events.emplace_back(event::Observed{st});
        if (st.sync) {
            idle_regions_copied_ = st.sync->regions_copied;
            idle_kib_copied_ = st.sync->kib_copied;
        }
        last_ = st;
        return events;
    }

    const Status& prev = *last_;
    for (unsigned i = 0; i < st.legs.size(); i++) {
        const LegStatus& before = prev.legs[i];
        const LegStatus& now = st.legs[i];
        if (before.state_letter != now.state_letter)
            events.emplace_back(event::LegStateChanged{i, before.state_letter, now.state_letter,
                                                       now.out_of_sync_regions,
                                                       st.sync ? st.sync->regions : 0});
    }

    if (weights_of(prev) != weights_of(st))
        events.emplace_back(event::WeightsChanged{weights_of(prev), weights_of(st)});

    observe_sync(prev, st, events);
    observe_metadata(prev, st, events);
    observe_compare(prev, st, events);

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

void StateTracker::observe_sync(const Status& prev, const Status& st, std::vector<Event>& events) {
    if (!st.sync)
        return;
    const SyncStatus& now = *st.sync;
    if (prev.sync) {
        const SyncStatus& before = *prev.sync;
        if (before.rate != now.rate)
            events.emplace_back(event::SyncRateChanged{before.rate, now.rate});

        const bool was_idle = before.action == SyncAction::idle;
        const bool idle = now.action == SyncAction::idle;
        const std::uint64_t regions = rise(idle_regions_copied_, now.regions_copied);
        const std::uint64_t kib = rise(idle_kib_copied_, now.kib_copied);
        if (was_idle && !idle) {
            events.emplace_back(event::SyncStarted{now.action == SyncAction::paused,
                                                   regions_to_copy(st), now.rate});
        } else if (!was_idle && idle) {
            events.emplace_back(event::SyncFinished{regions, kib, failed_legs_out_of_sync(st)});
        } else if (was_idle && idle && regions) {
            // A whole resync ran between the two polls: a leg that was
            // failed or resyncing is in sync now and regions were copied.
            // (Copies counted just after the engine went idle are not.)
            bool leg_caught_up = false;
            for (std::size_t i = 0; i < st.legs.size(); i++)
                leg_caught_up |=
                    prev.legs[i].state != LegState::alive && st.legs[i].state == LegState::alive;
            if (leg_caught_up)
                events.emplace_back(event::SyncFinished{regions, kib, failed_legs_out_of_sync(st)});
        } else if (before.action == SyncAction::resync && now.action == SyncAction::paused) {
            events.emplace_back(event::SyncPaused{regions_to_copy(st)});
        } else if (before.action == SyncAction::paused && now.action == SyncAction::resync) {
            events.emplace_back(event::SyncResumed{regions_to_copy(st), now.rate});
        }
    }
    if (now.action == SyncAction::idle || !prev.sync) {
        idle_regions_copied_ = now.regions_copied;
        idle_kib_copied_ = now.kib_copied;
    }
}

void StateTracker::observe_metadata(const Status& prev, const Status& st,
                                    std::vector<Event>& events) {
    if (prev.metadata && st.metadata && prev.metadata->word != st.metadata->word)
        events.emplace_back(event::MetadataChanged{prev.metadata->word, st.metadata->word});
}

void StateTracker::observe_compare(const Status& prev, const Status& st,
                                   std::vector<Event>& events) {
    if (!prev.compare || !st.compare)
        return;
    const CompareStatus& before = *prev.compare;
    const CompareStatus& now = *st.compare;
    if (before.resync_mode_word != now.resync_mode_word)
        events.emplace_back(
            event::ResyncModeChanged{before.resync_mode_word, now.resync_mode_word});

    const bool was_idle = before.check_action == CheckAction::idle;
    const bool idle = now.check_action == CheckAction::idle;
    const event::CheckFinished finished{
        {}, now.check_regions_done, st.sync->regions, now.check_mismatches};
    if (!idle && (was_idle || before.check_action_word != now.check_action_word)) {
        // (A pass that ended and another that began between two polls:
        // only the new one is known.)
        events.emplace_back(event::CheckStarted{now.check_action_word, st.sync->regions});
    } else if (!was_idle && idle) {
        event::CheckFinished e = finished;
        e.action = before.check_action_word;
        events.emplace_back(std::move(e));
    } else if (was_idle && idle && now.check_regions_done > 0 &&
               (before.check_regions_done != now.check_regions_done ||
                before.check_mismatches != now.check_mismatches)) {
        events.emplace_back(finished);
    }
}

std::vector<Event> StateTracker::observe_failure(const std::string& reason) {
    if (unavailable_)
        return {};
    unavailable_ = true;
    return {event::Unavailable{reason}};
}

} // namespace tandem
