#include "wait_sync.h"

#include "command_parser.h"
#include "device_status.h"
#include "exit_codes.h"
#include "sync_progress.h"

#include "tandem/errors.h"
#include "tandem/fields.h"
#include "tandem/message.h"
#include "tandem/sync_summary.h"
#include "tandem/table.h"

#include <algorithm>
#include <ostream>

namespace po = boost::program_options;

namespace tandem::cli {

namespace {

// Registers --timeout and --quiet; `timeout` receives the text.
void add_wait_options(CommandParser& p, std::optional<std::string>& timeout, bool& quiet) {
    p.options()("timeout", optional_value(timeout, "<s>"),
                "give up after this many seconds (exit status 4)");
    p.options()("quiet,q", po::bool_switch(&quiet), "print nothing unless it fails");
}

std::optional<std::uint32_t> checked_timeout(const CommandParser& p,
                                             const std::optional<std::string>& text) {
    if (!text)
        return std::nullopt;
    const auto seconds = parse_uint(*text, UINT32_MAX);
    if (!seconds)
        p.fail("--timeout: expected a whole number of seconds, got '" + *text + "'");
    return static_cast<std::uint32_t>(*seconds);
}

// The version 2 fields are what there is to wait for.
void require_sync(const Status& st, const std::string& command, const std::string& device) {
    if (!st.sync)
        throw older_target(command, device, st, "resync");
}

// The region size, for an estimate from the sync rate; nullopt when the
// table cannot be read.
std::optional<std::uint32_t> region_sectors_of(DeviceMapper& dm, const std::string& device) {
    try {
        return parse_table(dm.table(device)).region_sectors;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

Status read_status_while_waiting(DeviceMapper& dm, const std::string& device) {
    try {
        return read_status(dm, device);
    } catch (const DmError&) {
        if (!dm.info(device).exists)
            throw std::runtime_error("wait-sync: " + device +
                                     " went away while waiting for its resync");
        throw;
    }
}

// "leg 1 failed (lacks 37/256 regions), leg 2 failed".
std::string failed_legs(const Status& st) {
    std::string out;
    for (std::size_t i = 0; i < st.legs.size(); i++) {
        const LegStatus& leg = st.legs[i];
        if (leg.state != LegState::dead)
            continue;
        out += (out.empty() ? "" : ", ") + ("leg " + std::to_string(i) + " failed");
        if (leg.out_of_sync_regions)
            out += " (lacks " + out_of_sync_fraction(st, i) + " regions)";
    }
    return out;
}

// The first failed leg, for the hint.
std::size_t first_failed(const Status& st) {
    for (std::size_t i = 0; i < st.legs.size(); i++) {
        if (st.legs[i].state == LegState::dead)
            return i;
    }
    return 0;
}

// The progress line: redrawn in place on a terminal, else printed when
// another whole percent is done or the resync pauses or resumes.
class ProgressLine {
public:
    ProgressLine(std::ostream& out, bool terminal, bool quiet)
        : out_(out)
        , terminal_(terminal)
        , quiet_(quiet) {}
    ProgressLine(const ProgressLine&) = delete;
    ProgressLine& operator=(const ProgressLine&) = delete;
    ~ProgressLine() { end(); }

    void show(const std::string& device, const Status& st, SyncVerdict verdict,
              const std::optional<SyncProgress>& progress, std::optional<double> eta) {
        if (quiet_ || !progress)
            return;
        const bool paused = verdict == SyncVerdict::paused;
        if (terminal_) {
            std::string text =
                device + ": " + format_progress(*progress, paused ? std::nullopt : eta);
            if (paused)
                text += "  paused (sync rate 0)";
            out_ << "\r" << text << "\033[K" << std::flush;
            drawn_ = true;
            return;
        }
        const auto percent = static_cast<int>(percent_done(progress->fraction()));
        if (percent == last_percent_ && paused == last_paused_)
            return;
        last_percent_ = percent;
        last_paused_ = paused;
        out_ << device << ": " << st.sync->action_word << " "
             << format_percent(progress->fraction()) << "  " << progress->regions_left << "/"
             << progress->regions_total << " regions left";
        if (paused)
            out_ << "; 'tandemctl sync-rate " << device << " <KiB/s>' resumes it";
        else
            out_ << "  ETA " << (eta ? format_duration(*eta) : "-");
        out_ << std::endl;
    }

    // Ends a line drawn in place.
    void end() {
        if (drawn_)
            out_ << "\n" << std::flush;
        drawn_ = false;
    }

private:
    std::ostream& out_;
    bool terminal_;
    bool quiet_;
    bool drawn_ = false;
    int last_percent_ = -1;
    bool last_paused_ = false;
};

} // namespace

SyncVerdict judge_sync(const Status& st) {
    const std::optional<SyncProgress> progress = sync_progress(st);
    const SyncAction action = st.sync ? st.sync->action : SyncAction::idle;
    if (progress) {
        switch (action) {
        case SyncAction::idle:
            return SyncVerdict::stuck;
        case SyncAction::paused:
            return SyncVerdict::paused;
        case SyncAction::resync:
        case SyncAction::unknown:
            break;
        }
        return SyncVerdict::syncing;
    }
    // The last region copied, the action not yet back to idle.
    if (action == SyncAction::resync)
        return SyncVerdict::syncing;
    for (const LegStatus& leg : st.legs) {
        if (leg.state == LegState::dead)
            return SyncVerdict::failed_legs;
    }
    return SyncVerdict::in_sync;
}

std::optional<WaitSyncFlags> parse_wait_sync_command(CommandParser& p) {
    std::optional<std::string> timeout;
    WaitSyncFlags flags;
    add_wait_options(p, timeout, flags.quiet);
    if (!p.parse(0))
        return std::nullopt;
    flags.device = p.device();
    flags.timeout_s = checked_timeout(p, timeout);
    return flags;
}

std::optional<ResyncFlags> parse_resync_command(CommandParser& p) {
    std::optional<std::string> timeout;
    ResyncFlags flags;
    p.options()("wait", po::bool_switch(&flags.wait),
                "then wait until the legs are in sync, like wait-sync");
    add_wait_options(p, timeout, flags.wait_flags.quiet);
    if (!p.parse(1))
        return std::nullopt;
    if (p.extra().empty())
        p.fail("missing <leg>");
    flags.device = p.device();
    flags.wait_flags.device = p.device();
    flags.leg = p.leg(p.extra()[0]);
    flags.wait_flags.timeout_s = checked_timeout(p, timeout);
    if (!flags.wait && (timeout || flags.wait_flags.quiet))
        p.fail("--timeout and --quiet go with --wait");
    return flags;
}

int run_wait_sync(const WaitSyncFlags& flags, DeviceMapper& dm, const Clock& now, bool terminal,
                  std::ostream& out) {
    using Seconds = std::chrono::duration<double>;
    const std::string& device = flags.device;
    const auto start = now();
    const DeviceInfo info = dm.info(device);
    if (!info.exists)
        throw std::runtime_error("wait-sync: there is no device named " + device);
    std::uint32_t event_nr = info.event_nr;
    const std::optional<std::uint32_t> region_sectors = region_sectors_of(dm, device);
    EtaEstimator estimator;
    ProgressLine line(out, terminal, flags.quiet);

    while (true) {
        const Status st = read_status_while_waiting(dm, device);
        require_sync(st, "wait-sync", device);
        const SyncVerdict verdict = judge_sync(st);
        const auto elapsed = now() - start;
        switch (verdict) {
        case SyncVerdict::in_sync:
            line.end();
            if (!flags.quiet)
                out << device << ": in sync: " << st.legs.size() << " legs, " << st.sync->regions
                    << " regions\n";
            return exit_ok;
        case SyncVerdict::failed_legs:
            line.end();
            throw std::runtime_error(device + ": not in sync: " + failed_legs(st) +
                                     "; nothing is copied to a failed leg ('tandemctl resync " +
                                     device + " " + std::to_string(first_failed(st)) +
                                     "' returns it to service)");
        case SyncVerdict::stuck:
            line.end();
            throw std::runtime_error(device + ": not in sync: " + regions_to_copy(st) +
                                     ", but the resync is idle: no healthy leg holds them");
        case SyncVerdict::syncing:
        case SyncVerdict::paused:
            break;
        }

        const std::optional<SyncProgress> progress = sync_progress(st);
        // Time spent paused says nothing of the rate once resumed.
        if (verdict == SyncVerdict::paused)
            estimator = EtaEstimator();
        else
            estimator.add(std::chrono::duration_cast<Seconds>(elapsed).count(),
                          progress ? progress->regions_left : 0);
        std::optional<double> eta = estimator.eta();
        if (!eta && progress && region_sectors)
            eta = eta_at_rate(progress->copies_left, *region_sectors, st.sync->rate);
        line.show(device, st, verdict, progress, eta);

        std::chrono::milliseconds wait = sync_poll_interval;
        if (flags.timeout_s) {
            const auto timeout = std::chrono::seconds(*flags.timeout_s);
            if (elapsed >= timeout) {
                line.end();
                throw ExitStatusError(exit_timeout,
                                      "wait-sync: " + device + " not in sync after " +
                                          std::to_string(*flags.timeout_s) + "s: " +
                                          (progress ? std::to_string(progress->regions_left) + "/" +
                                                          std::to_string(progress->regions_total) +
                                                          " regions left"
                                                    : std::string("the resync is finishing")) +
                                          (verdict == SyncVerdict::paused ? " (paused)" : ""));
            }
            const auto left = std::chrono::ceil<std::chrono::milliseconds>(timeout - elapsed);
            wait = std::min(wait, left);
        }
        event_nr = dm.wait_event_for(device, event_nr, wait);
    }
}

int run_resync(const ResyncFlags& flags, DeviceMapper& dm, const Clock& now, bool terminal,
               std::ostream& out) {
    const std::string& device = flags.device;
    const std::string text = message::reinstate_leg(flags.leg);
    const Status st = read_status(dm, device);
    require_leg(st, "resync", device, flags.leg);
    require_sync(st, "resync", device);
    const LegStatus& leg = st.legs[flags.leg];
    const std::string which = "resync: leg " + std::to_string(flags.leg) + " of " + device;
    switch (leg.state) {
    case LegState::dead:
        break;
    case LegState::alive:
        throw std::runtime_error(which + " is not failed: it is healthy and in sync; there is "
                                         "nothing to resync");
    case LegState::syncing:
        throw std::runtime_error(which + " is not failed: it is resyncing already (" +
                                 out_of_sync_fraction(st, flags.leg) +
                                 " regions left); 'tandemctl wait-sync " + device +
                                 "' waits for it");
    case LegState::unknown:
        throw std::runtime_error(which + " is not failed: its state is '" +
                                 std::string(1, leg.state_letter) + "'");
    }

    dm.message(device, text);
    const Status after = read_status(dm, device);
    out << device << ": leg " << flags.leg << " reinstated; ";
    if (flags.leg < after.legs.size() && after.legs[flags.leg].out_of_sync_regions)
        out << "resyncing the " << out_of_sync_fraction(after, flags.leg) << " regions it missed\n";
    else
        out << "it missed no region\n";
    if (!flags.wait)
        return exit_ok;
    out.flush();
    return run_wait_sync(flags.wait_flags, dm, now, terminal, out);
}

} // namespace tandem::cli
