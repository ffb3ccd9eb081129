#include "cli.h"

#include "command_parser.h"
#include "device_status.h"
#include "shadow_view.h"
#include "status_json.h"
#include "sync_progress.h"
#include "uuid_ref.h"

#include "tandem/class_table.h"
#include "tandem/errors.h"
#include "tandem/fields.h"
#include "tandem/limits.h"
#include "tandem/message.h"
#include "tandem/sync_summary.h"

#include <boost/program_options.hpp>

#include <iomanip>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace po = boost::program_options;

namespace tandem::cli {

namespace {

constexpr Spec specs[] = {
    {"create",
     "<dev> --legs <dev0>,<dev1>[,...] [--metadata <dev>|-] [--region-size <size>]\n"
     "<dev> ... [--size <size>] [--nosync] [--sync-rate <KiB/s>] [--resync-mode <mode>]\n"
     "<dev> ... [--read-weights <w0>,<w1>[,...]] [--queue-depth <n>]\n"
     "<dev> --config <file>",
     "Create a tandem device over 2 to 4 legs, leg 0 the source, with uuid TANDEM-<dev>.",
     "The device is as large as its smallest leg unless --size says less. Without --nosync\n"
     "the target copies leg 0 onto the other legs in the background ('tandemctl wait-sync'\n"
     "waits for it); with a blank --metadata device it is formatted, one that holds tandem\n"
     "metadata carries on where it was. --config takes the legs and settings from the\n"
     "device's entry in tandemd's configuration file.\n\n"
     "Exit status: 0 when created, 1 if a device of that name exists or the kernel refused\n"
     "the table (nothing is left behind), 2 for invalid arguments or devices (not a block\n"
     "device, given twice, smaller than --size, a metadata device too small).\n"},
    {"remove", "<dev> [--force]",
     "Remove a tandem device, and the snapshot shadow 'shadow create' made for it.",
     "A device that is not a tandem device is left alone. While the device is open (mounted,\n"
     "or held by another device) it cannot be removed; --force keeps trying for 10 seconds,\n"
     "for an unmount or a close under way.\n"},
    {"list", "[--json]",
     "List the tandem devices: name, uuid, leg states, read weights and resync progress.",
     "A tandem device is one whose uuid starts with TANDEM- or whose table is one tandem\n"
     "line; one line each, sorted by name, nothing when there is none. --json prints an\n"
     "array of {name, uuid, status, error}, status being what 'status --json' prints.\n\n"
     "Exit status: 0, or 1 when a device's status could not be read (its line says why).\n"},
    {"status", "<dev> [--raw | --json]",
     "Show each leg's state, read weight and counters, the resync (with a progress bar while "
     "regions are copied), metadata and verify state, the classes of the scheduler and the "
     "shadow.",
     "--json prints the whole decoded status as one JSON object; a section the target's\n"
     "status version lacks (sync, metadata, compare, scheduler, shadow) is null.\n"},
    {"weights", "<dev> <w0> <w1> [<w2> [<w3>]]",
     "Set the read weights: one percentage per leg, summing to 100."},
    {"fail-leg", "<dev> <leg>", "Fail a leg: no further I/O is sent to it."},
    {"reinstate-leg", "<dev> <leg>",
     "Return a failed leg to service; it serves reads once the regions it missed are resynced."},
    {"resync", "<dev> <leg> [--wait [--timeout <s>] [--quiet]]",
     "Return a failed leg to service and copy onto it what it missed; --wait waits for the copy.",
     "Refused for a leg that is not failed. With --wait, the exit status is wait-sync's.\n"},
    {"wait-sync", "<dev> [--timeout <s>] [--quiet]",
     "Wait until no leg has regions to copy, drawing the progress and the time to go.",
     "On a terminal one progress line is redrawn; otherwise a line is printed for each\n"
     "percent done. --quiet prints nothing unless it fails.\n\n"
     "Exit status: 0 when every leg is healthy and in sync, 1 if nothing more will be copied\n"
     "but a leg is failed (or lacks regions no healthy leg has) or the device went away, 2 for\n"
     "invalid arguments, 4 if --timeout seconds passed first.\n"},
    {"stats", "<dev> [--reset]", "Print the target's statistics, or reset them."},
    {"sync-rate", "<dev> <KiB/s>", "Set the resync rate in KiB/s; 0 pauses the resync."},
    {"resync-mode", "<dev> copy|checksum",
     "How the resync brings a region over: copy all of it, or compare its 4 KiB blocks by "
     "checksum and copy only those that differ."},
    {"verify", "<dev> [--repair] [--wait]",
     "Compare every region of the legs in sync block by block and count the blocks that "
     "differ; --repair also rewrites them from the source.",
     "The pass runs in the target, one at a time, at the sync rate; 'tandemctl status' shows\n"
     "its progress. With --wait the command returns when it has ended (interrupting the wait\n"
     "leaves the pass running).\n\n"
     "Exit status: 0 when the pass started (with --wait: ended with no differing block),\n"
     "1 if the command or the pass failed (a pass stops early when fewer than two legs are\n"
     "in sync), 2 for invalid arguments, 3 with --wait when differing blocks were found\n"
     "(and, with --repair, rewritten).\n"},
    {"queue-depth", "<dev> <n>",
     "Set the class scheduler's in-flight limit, 0..4096; 0 turns the scheduler off.",
     "Past this many bios in flight to the legs, bios wait in one queue per class and are\n"
     "dispatched by class weight. Class limits apply whatever the queue depth.\n"},
    {"class",
     "<dev> add|remove <name>\n<dev> <name> weight <n>\n<dev> <name> limit [--iops <n>] "
     "[--bw <KiB/s>]\n<dev> list",
     "Add or remove a class of the scheduler, set its weight or limits, or list the classes.",
     "critical (weight 200), production (100: bios no rule matches) and test (50) always\n"
     "exist; up to 8 classes in all, named [a-z][a-z0-9_-]*, at most 15 characters, not add or\n"
     "remove. Under saturation a class with bios waiting gets its weight's share of the\n"
     "dispatched I/O; weight 0 runs only while no class with a weight has bios waiting. Limits\n"
     "(0: none) hold a class to IO/s and KiB/s whatever the queue depth; limit changes only\n"
     "the ones given. list shows each class's weight, limits, bios classified, bios queued\n"
     "now and its p50 and p99 latency in microseconds.\n"},
    {"rule",
     "<dev> add <class> [--cgroup <cg>] [--ioprio <prio>] [--op <ops>] [--size <min>-<max>]\n"
     "<dev> add <class> ... [--route legs|shadow]\n<dev> del <index>\n<dev> clear|list",
     "Classify bios: append, delete, clear or list the rules; the first that matches wins.",
     "A rule holds for a bio when all its matches do; a bio no rule matches is production.\n"
     "Up to 32 rules. --cgroup takes a directory of the cgroup2 hierarchy (absolute, or\n"
     "relative to /sys/fs/cgroup), resolved to its id, the directory's inode number, or the\n"
     "id itself; bios carry the cgroup whose io controller applies, so enable it for the\n"
     "subtree. del moves the rules after the deleted one up.\n"},
    {"shadow",
     "<dev> on|off|status\n<dev> sample <n>\n<dev> pool <KiB>\n<dev> mode async|sync|gate\n"
     "create <dev> --cow-size <size> [--cow-file <path>] [--mode <mode>] [--sample <n>]\n"
     "remove|reset <dev>",
     "Give a device a shadow, steer how production bios are cloned to it, show its figures, or "
     "take it away.",
     "create makes a sparse COW file, a loop device over it and <dev>-shadow, a non-persistent\n"
     "snapshot of leg 0 (an overlay: blocks the shadow never wrote read as production's), and\n"
     "reloads the device's table with the shadow. remove reloads the table without it and\n"
     "deletes the rest; reset throws the shadow's changes away (remove, then create with the\n"
     "same file, size, mode and sample). Each completes or leaves things as they were.\n"
     "on and off start and stop cloning; sample clones 1 in n production bios (0..1000000);\n"
     "pool sizes the async mode's copies (0..4194304 KiB); mode is async (production never\n"
     "waits), sync (writes complete after the shadow's) or gate (a write the shadow fails is\n"
     "failed). status shows production and the shadow side by side per operation, with\n"
     "p50/p99 latencies, dropped clones and the reads whose data differed.\n"},
    {"table", "<dev> [--raw]", "Show the device's table, decoded."},
    {"metadata", "dump|check <metadata-device-or-image> [--bits]",
     "Decode (dump) or validate (check) a metadata device or an image of one, read-only.",
     "dump prints the superblock and, per leg, its state, its out-of-sync count and the bits\n"
     "set in its bitmap (--bits: the regions). check validates the magic, the version, the\n"
     "checksum, leg and index of every block, the geometry and the device's size; counts in\n"
     "the superblock that differ from the bitmaps are warnings.\n\n"
     "Exit status: 0 if valid (warnings allowed) or blank, 1 if not (every problem is\n"
     "printed, naming its block) or the device cannot be read, 2 for invalid arguments.\n"
     "dump exits 1 only when the device holds no tandem metadata, or metadata of a version\n"
     "this tandemctl cannot decode.\n"},
};

const Spec* find_spec(std::string_view name) {
    for (const Spec& s : specs) {
        if (s.name == name)
            return &s;
    }
    return nullptr;
}

std::string program_usage() {
    std::ostringstream out;
    out << "usage: tandemctl <command> <dev> [<args>]\n"
        << "       tandemctl list [--json]\n"
        << "       tandemctl metadata dump|check <metadata-device-or-image>\n"
        << "       tandemctl --help | --version\n\n"
        << "Control a dm-tandem device. <dev> is its device-mapper name, or uuid:<UUID> for\n"
        << "the device with that device-mapper uuid (TANDEM-<name> for the devices tandemctl\n"
        << "and tandemd create), whatever it is named now.\n\n"
        << "Commands:\n";
    for (const Spec& s : specs) {
        std::string_view name = s.name;
        for (std::string_view form : synopsis_forms(s)) {
            out << "  " << std::left << std::setw(14) << name << form << "\n";
            name = "";
        }
        out << "  " << std::setw(14) << "" << s.summary << "\n";
    }
    out << "\nRun 'tandemctl <command> --help' for a command's options.\n"
        << "Exit status: 0 on success, 1 if the command failed (or 'metadata check' found the\n"
        << "metadata invalid), 2 for invalid arguments, 3 if 'verify --wait' found blocks that\n"
        << "differ between the legs, 4 if 'wait-sync' or 'resync --wait' timed out.\n";
    return out.str();
}

// A command whose parser registers its options and checks its arguments;
// its help when it returns nullopt.
template <class Flags>
Command parse_with(const Spec& spec, const std::vector<std::string>& args,
                   std::optional<Flags> (*parse)(CommandParser&)) {
    CommandParser p(spec, args);
    std::optional<Flags> flags = parse(p);
    if (!flags)
        return Help{p.help()};
    return *flags;
}

template <class Flags>
Command leg_command(const Spec& spec, const std::vector<std::string>& args) {
    CommandParser p(spec, args);
    if (!p.parse(1))
        return Help{p.help()};
    if (p.extra().empty())
        p.fail("missing <leg>");
    Flags flags;
    flags.device = p.device();
    flags.leg = p.leg(p.extra()[0]);
    return flags;
}

// Refuses a leg index the device does not have.
void check_leg(DeviceMapper& dm, const std::string& device, const char* command, unsigned leg) {
    require_leg(read_status(dm, device), command, device, leg);
}

// Refuse a request a target before status version 4 cannot take.
void require_compare(const Status& st, const std::string& command, const std::string& device) {
    if (!st.compare)
        throw older_target(command, device, st, "checksum resync, verify or repair");
}

std::string role(std::size_t leg) {
    return leg == 0 ? "source" : "target";
}

// The resync lines of the status view (version 2 and newer).
void format_sync_view(const std::string& device, const Status& st,
                      std::optional<std::uint32_t> region_sectors, std::ostream& out) {
    const SyncStatus& sync = *st.sync;
    out << "sync: " << describe_sync(st);
    if (sync.action == SyncAction::paused)
        out << " (resume with 'tandemctl sync-rate " << device << " <KiB/s>')";
    if (std::string failed = failed_legs_out_of_sync(st); !failed.empty())
        out << "; " << failed;
    out << "\n";
    if (const std::optional<SyncProgress> progress = sync_progress(st)) {
        const std::optional<double> eta =
            region_sectors ? eta_at_rate(progress->copies_left, *region_sectors, sync.rate)
                           : std::nullopt;
        out << "progress: " << format_progress(*progress, eta);
        if (sync.action == SyncAction::paused)
            out << " (paused)";
        else if (eta)
            out << " (at " << sync.rate << " KiB/s)";
        out << "\n";
    }
    out << "copied: " << sync.regions_copied << " regions (" << sync.kib_copied
        << " KiB) since the device was created\n";
    if (st.compare)
        out << "resync mode: " << describe_resync_mode(st) << "\n";
    if (st.metadata)
        out << "metadata: " << describe_metadata(st) << "\n";
    if (st.compare)
        out << "check: " << describe_check(st) << "\n";
}

// Refuse a device argument that cannot name a device: "uuid:" alone, or a
// uuid where a new device's name belongs.
void check_device_arg(const Command& cmd, const std::string& command) {
    std::visit(
        [&](const auto& flags) {
            using T = std::decay_t<decltype(flags)>;
            if constexpr (std::is_same_v<T, CreateFlags>) {
                if (is_uuid_ref(flags.request.device))
                    throw UsageError(
                        "create: '" + flags.request.device +
                        "': give the new device's name; its uuid will be TANDEM-<dev>");
            } else if constexpr (requires { flags.device; }) {
                if (std::string problem = uuid_ref_problem(flags.device); !problem.empty())
                    throw UsageError(command + ": " + problem);
            }
        },
        cmd);
}

// Each device given as "uuid:<UUID>" replaced by its name, once.
void resolve_device_arg(Command& cmd, DeviceMapper& dm) {
    std::visit(
        [&](auto& flags) {
            using T = std::decay_t<decltype(flags)>;
            if constexpr (requires { flags.device; })
                flags.device = resolve_device(dm, flags.device);
            if constexpr (std::is_same_v<T, ResyncFlags>)
                flags.wait_flags.device = flags.device;
        },
        cmd);
}

// The command's flags, before the device argument is checked.
Command parse_flags(const std::vector<std::string>& args) {
    if (args.empty())
        throw UsageError("no command given\n" + program_usage());
    const std::string& first = args.front();
    if (first == "--help" || first == "-h" || first == "help")
        return Help{program_usage()};
    if (first == "--version")
        return Help{std::string("tandemctl ") + TANDEM_VERSION + "\n"};
    const Spec* spec = find_spec(first);
    if (!spec) {
        if (!first.empty() && first.front() == '-')
            throw UsageError("unknown option '" + first + "'; try 'tandemctl --help'");
        throw UsageError("unknown command '" + first + "'; try 'tandemctl --help'");
    }
    const std::vector<std::string> rest(args.begin() + 1, args.end());

    if (spec->name == "status" || spec->name == "table") {
        CommandParser p(*spec, rest);
        bool raw = false, json = false;
        p.options()("raw", po::bool_switch(&raw),
                    "print the line exactly as the kernel reports it");
        if (spec->name == "status")
            p.options()("json", po::bool_switch(&json), "print the decoded status as JSON");
        if (!p.parse(0))
            return Help{p.help()};
        if (raw && json)
            p.fail("--raw and --json exclude each other");
        if (spec->name == "status")
            return StatusFlags{p.device(), raw, json};
        return TableFlags{p.device(), raw};
    }
    if (spec->name == "create")
        return parse_with(*spec, rest, parse_create_command);
    if (spec->name == "remove")
        return parse_with(*spec, rest, parse_remove_command);
    if (spec->name == "wait-sync")
        return parse_with(*spec, rest, parse_wait_sync_command);
    if (spec->name == "resync")
        return parse_with(*spec, rest, parse_resync_command);
    if (spec->name == "stats") {
        CommandParser p(*spec, rest);
        bool reset = false;
        p.options()("reset", po::bool_switch(&reset), "zero the counters instead of printing them");
        if (!p.parse(0))
            return Help{p.help()};
        return StatsFlags{p.device(), reset};
    }
    if (spec->name == "weights") {
        CommandParser p(*spec, rest);
        if (!p.parse(-1))
            return Help{p.help()};
        WeightsFlags flags{p.device(), {}};
        for (std::size_t i = 0; i < p.extra().size(); i++)
            flags.weights.push_back(p.number("weight of leg " + std::to_string(i), p.extra()[i]));
        if (std::string problem = weights_problem(flags.weights); !problem.empty())
            p.fail(problem);
        return flags;
    }
    if (spec->name == "sync-rate") {
        CommandParser p(*spec, rest);
        if (!p.parse(1))
            return Help{p.help()};
        if (p.extra().empty())
            p.fail("missing <KiB/s>");
        const std::string& text = p.extra()[0];
        auto rate = parse_uint(text);
        if (!rate)
            p.fail("rate: expected a whole number of KiB/s, got '" + text + "'");
        if (std::string problem = sync_rate_problem(*rate); !problem.empty())
            p.fail(problem);
        return SyncRateFlags{p.device(), *rate};
    }
    if (spec->name == "resync-mode") {
        CommandParser p(*spec, rest);
        if (!p.parse(1))
            return Help{p.help()};
        if (p.extra().empty())
            p.fail("missing copy|checksum");
        const std::string& mode = p.extra()[0];
        if (resync_mode_from_word(mode) == ResyncMode::unknown)
            p.fail("mode: expected copy or checksum, got '" + mode + "'");
        return ResyncModeFlags{p.device(), mode};
    }
    if (spec->name == "verify") {
        CommandParser p(*spec, rest);
        VerifyFlags flags;
        p.options()("repair", po::bool_switch(&flags.repair),
                    "rewrite differing blocks from the source");
        p.options()("wait", po::bool_switch(&flags.wait),
                    "wait until the pass has ended, then print what it found");
        if (!p.parse(0))
            return Help{p.help()};
        flags.device = p.device();
        return flags;
    }
    if (spec->name == "metadata") {
        CommandParser p(*spec, rest, "dump|check");
        MetadataFlags flags;
        p.options()("bits", po::bool_switch(&flags.bits),
                    "dump: list the regions whose bit is set, per leg");
        if (!p.parse(1))
            return Help{p.help()};
        if (p.device() == "dump")
            flags.action = MetadataFlags::Action::dump;
        else if (p.device() == "check")
            flags.action = MetadataFlags::Action::check;
        else
            p.fail("expected dump or check, got '" + p.device() + "'");
        if (p.extra().empty())
            p.fail("missing <metadata-device-or-image>");
        flags.path = p.extra()[0];
        if (flags.bits && flags.action != MetadataFlags::Action::dump)
            p.fail("--bits goes with dump");
        return flags;
    }
    if (spec->name == "queue-depth")
        return parse_with(*spec, rest, parse_queue_depth_command);
    if (spec->name == "class")
        return parse_with(*spec, rest, parse_class_command);
    if (spec->name == "rule")
        return parse_with(*spec, rest, parse_rule_command);
    if (spec->name == "shadow")
        return parse_with(*spec, rest, parse_shadow_command);
    if (spec->name == "list") {
        CommandParser p(*spec, rest, "");
        ListFlags flags;
        p.options()("json", po::bool_switch(&flags.json),
                    "print a JSON array, one object per device");
        if (!p.parse(0))
            return Help{p.help()};
        return flags;
    }
    if (spec->name == "fail-leg")
        return leg_command<FailLegFlags>(*spec, rest);
    return leg_command<ReinstateLegFlags>(*spec, rest);
}

} // namespace

Command parse_command_line(const std::vector<std::string>& args) {
    Command cmd = parse_flags(args);
    check_device_arg(cmd, args.front());
    return cmd;
}

void run_status(const StatusFlags& flags, DeviceMapper& dm, std::ostream& out) {
    if (flags.raw) {
        out << dm.status(flags.device) << "\n";
        return;
    }
    const Status st = read_status(dm, flags.device);
    if (flags.json) {
        out << format_status_json(flags.device, st);
        return;
    }
    // The region size, for the time to go, only while there is a resync.
    std::optional<std::uint32_t> region_sectors;
    if (sync_progress(st)) {
        try {
            region_sectors = parse_table(dm.table(flags.device)).region_sectors;
        } catch (const std::exception&) {
            // Shown without the time to go.
        }
    }
    out << format_status_view(flags.device, st, region_sectors);
}

void run_table(const TableFlags& flags, DeviceMapper& dm, std::ostream& out) {
    std::string line = dm.table(flags.device);
    if (flags.raw) {
        out << line << "\n";
        return;
    }
    TableConfig table;
    try {
        table = parse_table(line);
    } catch (const ParseError& e) {
        throw ParseError(flags.device + ": " + e.what() + " in '" + line + "'");
    }
    out << format_table_view(flags.device, table);
}

void run_weights(const WeightsFlags& flags, DeviceMapper& dm, std::ostream& out) {
    const std::string text = message::weights(flags.weights);
    Status st = read_status(dm, flags.device);
    if (flags.weights.size() != st.legs.size())
        throw UsageError("weights: " + flags.device + " has " + std::to_string(st.legs.size()) +
                         " legs; give one weight per leg (" + std::to_string(flags.weights.size()) +
                         " given)");
    dm.message(flags.device, text);
    out << flags.device << ": read weights set to";
    for (unsigned w : flags.weights)
        out << " " << w;
    out << "\n";
}

void run_fail_leg(const FailLegFlags& flags, DeviceMapper& dm, std::ostream& out) {
    const std::string text = message::fail_leg(flags.leg);
    check_leg(dm, flags.device, "fail-leg", flags.leg);
    dm.message(flags.device, text);
    out << flags.device << ": leg " << flags.leg << " failed\n";
}

void run_reinstate_leg(const ReinstateLegFlags& flags, DeviceMapper& dm, std::ostream& out) {
    const std::string text = message::reinstate_leg(flags.leg);
    check_leg(dm, flags.device, "reinstate-leg", flags.leg);
    dm.message(flags.device, text);
    out << flags.device << ": leg " << flags.leg << " reinstated\n";
}

void run_stats(const StatsFlags& flags, DeviceMapper& dm, std::ostream& out) {
    if (flags.reset) {
        dm.message(flags.device, message::stats_reset());
        out << flags.device << ": statistics reset\n";
        return;
    }
    std::string reply = dm.message(flags.device, message::stats());
    out << reply;
    if (!reply.empty() && reply.back() != '\n')
        out << "\n";
}

void run_sync_rate(const SyncRateFlags& flags, DeviceMapper& dm, std::ostream& out) {
    const std::string text = message::sync_rate(flags.kib_per_s);
    Status st = read_status(dm, flags.device);
    if (!st.sync)
        throw older_target("sync-rate", flags.device, st, "resync");
    dm.message(flags.device, text);
    out << flags.device << ": sync rate set to " << flags.kib_per_s << " KiB/s"
        << (flags.kib_per_s == 0 ? " (resync paused)" : "") << "\n";
}

void run_resync_mode(const ResyncModeFlags& flags, DeviceMapper& dm, std::ostream& out) {
    const std::string text = message::resync_mode(flags.mode);
    Status st = read_status(dm, flags.device);
    require_compare(st, "resync-mode", flags.device);
    dm.message(flags.device, text);
    out << flags.device << ": resync mode set to " << flags.mode
        << (resync_mode_from_word(flags.mode) == ResyncMode::checksum
                ? " (only the 4 KiB blocks that differ are copied)"
                : " (whole regions are copied)")
        << "\n";
}

int run_verify(const VerifyFlags& flags, DeviceMapper& dm, std::ostream& out) {
    const std::string what = flags.repair ? TANDEM_MSG_REPAIR : TANDEM_MSG_VERIFY;
    const std::string text = flags.repair ? message::repair() : message::verify();
    Status st = read_status(dm, flags.device);
    require_compare(st, "verify", flags.device);
    // Taken before the pass starts, so its end cannot slip past the wait.
    std::uint32_t event_nr = dm.info(flags.device).event_nr;
    dm.message(flags.device, text);
    out << flags.device << ": " << what << " started (" << st.sync->regions << " regions)\n";
    if (!flags.wait)
        return exit_ok;
    out.flush();

    while (true) {
        st = read_status(dm, flags.device);
        if (!st.compare)
            throw std::runtime_error(flags.device +
                                     ": its table was replaced by one without "
                                     "verify while waiting for the " +
                                     what);
        if (st.compare->check_action == CheckAction::idle)
            break;
        event_nr = dm.wait_event_for(flags.device, event_nr, check_poll_interval);
    }

    const CompareStatus& cmp = *st.compare;
    const std::string regions =
        std::to_string(cmp.check_regions_done) + "/" + std::to_string(st.sync->regions);
    const std::string blocks = std::to_string(cmp.check_mismatches) + " mismatching block(s)";
    if (cmp.check_regions_done < st.sync->regions)
        throw std::runtime_error(flags.device + ": the " + what + " stopped after " + regions +
                                 " regions, with fewer than two legs in sync; " + blocks +
                                 " found until then");
    out << flags.device << ": " << what << " finished: " << regions << " regions compared, "
        << blocks << (flags.repair && cmp.check_mismatches ? " rewritten from the source" : "")
        << "\n";
    return cmp.check_mismatches ? exit_mismatch : exit_ok;
}

std::string format_status_view(const std::string& device, const Status& st,
                               std::optional<std::uint32_t> region_sectors) {
    constexpr int out_of_sync_width = 13;
    std::ostringstream out;
    out << device << ": " << st.legs.size() << " legs, status version " << st.version;
    if (!st.extra_fields.empty())
        out << " (" << st.extra_fields.size() << " newer field(s) not shown)";
    out << "\n";
    out << std::right << std::setw(4) << "leg"
        << "  " << std::left << std::setw(7) << "role" << std::setw(8) << "state" << std::right
        << std::setw(7) << "weight" << std::setw(14) << "reads" << std::setw(14) << "writes"
        << std::setw(12) << "read_errors" << std::setw(13) << "write_errors";
    if (st.sync)
        out << std::setw(out_of_sync_width) << "out_of_sync";
    out << "\n";
    for (std::size_t i = 0; i < st.legs.size(); i++) {
        const LegStatus& leg = st.legs[i];
        std::string state(to_string(leg.state));
        if (leg.state == LegState::unknown)
            state += " (" + std::string(1, leg.state_letter) + ")";
        out << std::right << std::setw(4) << i << "  " << std::left << std::setw(7) << role(i)
            << std::setw(8) << state << std::right << std::setw(6) << leg.weight << "%"
            << std::setw(14) << leg.reads << std::setw(14) << leg.writes << std::setw(12)
            << leg.read_errors << std::setw(13) << leg.write_errors;
        if (st.sync)
            out << std::setw(out_of_sync_width) << out_of_sync_fraction(st, i);
        out << "\n";
    }
    out << "read retries: " << st.read_retries << "\n";
    if (st.sync)
        format_sync_view(device, st, region_sectors, out);
    if (st.scheduler)
        out << "scheduler: " << describe_scheduler(*st.scheduler) << "\n"
            << format_class_table(*st.scheduler, ClassColumns::full);
    if (st.shadow) {
        out << "shadow: " << describe_shadow(*st.shadow) << "\n";
        if (st.shadow->has_device())
            out << format_shadow_ops(*st.shadow);
    }
    return out.str();
}

std::string format_table_view(const std::string& device, const TableConfig& t) {
    std::ostringstream out;
    out << device << ":\n";
    out << "  metadata:     "
        << (t.metadata_dev ? *t.metadata_dev + " (leg state and write intent kept on disk)"
                           : std::string("- (in-core only: full resync after "
                                         "an unclean start)"))
        << "\n";
    out << "  region size:  " << t.region_sectors << " sectors (" << t.region_sectors / 2
        << " KiB)\n";
    for (std::size_t i = 0; i < t.legs.size(); i++)
        out << "  leg " << i << ":        " << t.legs[i] << " (" << role(i) << ")\n";
    out << "  initial sync: "
        << (t.nosync ? "skipped (nosync)" : "legs 1.. copied from leg 0 when loaded") << "\n";
    out << "  read weights: ";
    if (t.read_weights) {
        for (std::size_t i = 0; i < t.read_weights->size(); i++)
            out << (i ? " " : "") << (*t.read_weights)[i];
        out << "\n";
    } else {
        out << "default\n";
    }
    out << "  sync rate:    ";
    if (!t.sync_rate)
        out << default_sync_rate << " KiB/s (default)\n";
    else
        out << *t.sync_rate << " KiB/s" << (*t.sync_rate == 0 ? " (resync paused)" : "") << "\n";
    out << "  resync mode:  ";
    if (!t.resync_mode)
        out << to_string(ResyncMode::copy) << " (default)\n";
    else if (*t.resync_mode == ResyncMode::checksum)
        out << to_string(*t.resync_mode) << " (only the 4 KiB blocks that differ are copied)\n";
    else
        out << to_string(*t.resync_mode) << "\n";
    out << "  queue depth:  ";
    if (!t.queue_depth || *t.queue_depth == 0)
        out << "0 (" << (t.queue_depth ? "" : "default: ") << "scheduler off)\n";
    else
        out << *t.queue_depth << "\n";
    for (const TableClass& c : t.classes) {
        out << "  class:        " << c.name << " weight " << c.weight;
        if (!c.iops_limit && !c.bw_limit)
            out << ", no limits";
        if (c.iops_limit)
            out << ", " << c.iops_limit << " IO/s";
        if (c.bw_limit)
            out << ", " << c.bw_limit << " KiB/s";
        out << "\n";
    }
    for (std::size_t i = 0; i < t.rules.size(); i++)
        out << "  rule " << std::left << std::setw(9) << std::to_string(i) + ":"
            << format_rule(t.rules[i]) << "\n";
    if (t.shadow_dev) {
        out << "  shadow:       " << *t.shadow_dev << ", mode "
            << (t.shadow_mode ? std::string(to_string(*t.shadow_mode)) : "async (default)") << ", "
            << describe_sample(t.shadow_sample.value_or(1)) << (t.shadow_sample ? "" : " (default)")
            << ", pool " << t.shadow_pool.value_or(default_shadow_pool) << " KiB"
            << (t.shadow_pool ? "" : " (default)") << "\n";
    }
    return out.str();
}

Environment host_environment(DeviceMapperFactory make_dm) {
    Environment env;
    env.make_dm = std::move(make_dm);
    env.make_store = [] {
        return std::make_unique<HostCowStore>();
    };
    env.make_block_devices = [] {
        return std::make_unique<HostBlockDevices>();
    };
    env.now = [] {
        return std::chrono::steady_clock::now();
    };
    env.sleep = [](std::chrono::milliseconds d) {
        std::this_thread::sleep_for(d);
    };
    return env;
}

int main_entry(const std::vector<std::string>& args, const DeviceMapperFactory& make_dm,
               std::ostream& out, std::ostream& err) {
    return main_entry(args, host_environment(make_dm), out, err);
}

int main_entry(const std::vector<std::string>& args, const DeviceMapperFactory& make_dm,
               const CowStoreFactory& make_store, std::ostream& out, std::ostream& err) {
    Environment env = host_environment(make_dm);
    env.make_store = make_store;
    return main_entry(args, env, out, err);
}

int main_entry(const std::vector<std::string>& args, const Environment& given, std::ostream& out,
               std::ostream& err) {
    Environment env = host_environment(given.make_dm);
    if (given.make_store)
        env.make_store = given.make_store;
    if (given.make_block_devices)
        env.make_block_devices = given.make_block_devices;
    if (given.now)
        env.now = given.now;
    if (given.sleep)
        env.sleep = given.sleep;
    env.terminal = given.terminal;
    try {
        Command cmd = parse_command_line(args);
        if (const Help* help = std::get_if<Help>(&cmd)) {
            out << help->text;
            return exit_ok;
        }
        if (const MetadataFlags* md = std::get_if<MetadataFlags>(&cmd))
            return run_metadata(*md, out);
        std::unique_ptr<DeviceMapper> dm = env.make_dm();
        resolve_device_arg(cmd, *dm);
        return std::visit(
            [&](const auto& flags) -> int {
                using T = std::decay_t<decltype(flags)>;
                if constexpr (std::is_same_v<T, StatusFlags>)
                    run_status(flags, *dm, out);
                else if constexpr (std::is_same_v<T, TableFlags>)
                    run_table(flags, *dm, out);
                else if constexpr (std::is_same_v<T, WeightsFlags>)
                    run_weights(flags, *dm, out);
                else if constexpr (std::is_same_v<T, FailLegFlags>)
                    run_fail_leg(flags, *dm, out);
                else if constexpr (std::is_same_v<T, ReinstateLegFlags>)
                    run_reinstate_leg(flags, *dm, out);
                else if constexpr (std::is_same_v<T, StatsFlags>)
                    run_stats(flags, *dm, out);
                else if constexpr (std::is_same_v<T, SyncRateFlags>)
                    run_sync_rate(flags, *dm, out);
                else if constexpr (std::is_same_v<T, ResyncModeFlags>)
                    run_resync_mode(flags, *dm, out);
                else if constexpr (std::is_same_v<T, VerifyFlags>)
                    return run_verify(flags, *dm, out);
                else if constexpr (std::is_same_v<T, QueueDepthFlags>)
                    run_queue_depth(flags, *dm, out);
                else if constexpr (std::is_same_v<T, ClassFlags>)
                    run_class(flags, *dm, out);
                else if constexpr (std::is_same_v<T, RuleFlags>)
                    run_rule(flags, *dm, out);
                else if constexpr (std::is_same_v<T, ShadowFlags>)
                    run_shadow(flags, *dm, *env.make_store(), out);
                else if constexpr (std::is_same_v<T, CreateFlags>)
                    run_create(flags, *dm, *env.make_block_devices(), out);
                else if constexpr (std::is_same_v<T, RemoveFlags>)
                    run_remove(flags, *dm, *env.make_store(), env.sleep, out);
                else if constexpr (std::is_same_v<T, WaitSyncFlags>)
                    return run_wait_sync(flags, *dm, env.now, env.terminal, out);
                else if constexpr (std::is_same_v<T, ResyncFlags>)
                    return run_resync(flags, *dm, env.now, env.terminal, out);
                else if constexpr (std::is_same_v<T, ListFlags>)
                    return run_list(flags, *dm, out);
                // Help and MetadataFlags were handled above.
                return exit_ok;
            },
            cmd);
    } catch (const UsageError& e) {
        err << "tandemctl: " << e.what() << "\n";
        return exit_usage;
    } catch (const ExitStatusError& e) {
        out.flush();
        err << "tandemctl: " << e.what() << "\n";
        return e.status();
    } catch (const std::exception& e) {
        err << "tandemctl: " << e.what() << "\n";
        return exit_failure;
    }
}

} // namespace tandem::cli
