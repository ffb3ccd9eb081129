#include "shadow_command.h"

#include "command_parser.h"
#include "device_status.h"
#include "shadow_view.h"

#include "tandem/byte_size.h"
#include "tandem/errors.h"
#include "tandem/limits.h"
#include "tandem/message.h"
#include "tandem/stats_reply.h"

#include <ostream>

namespace tandem::cli {

namespace {

using Action = ShadowFlags::Action;

ShadowMode checked_mode(const CommandParser& p, const std::string& text) {
    if (std::string problem = shadow_mode_problem(text); !problem.empty())
        p.fail(problem);
    return shadow_mode_from_word(text);
}

void check_device(const CommandParser& p, const std::string& device) {
    if (std::string problem = device_name_problem(device); !problem.empty())
        p.fail(problem);
    // The shadow's own device-mapper name must be valid too.
    if (std::string problem = device_name_problem(shadow_device_name(device)); !problem.empty())
        p.fail("the shadow of '" + device + "' would be named '" + shadow_device_name(device) +
               "': " + problem);
}

std::uint64_t checked_cow_size(const CommandParser& p, const std::string& text) {
    auto bytes = parse_byte_size(text);
    if (!bytes)
        p.fail("--cow-size: expected a size such as 512M or 2G (bytes, or K, M, G, T), got '" +
               text + "'");
    if (*bytes < min_cow_bytes)
        p.fail("--cow-size: " + text + " is too small; a COW file needs at least 1M");
    if (*bytes % (snapshot_chunk_sectors * 512))
        p.fail("--cow-size: " + text + " is not a whole number of 4 KiB chunks");
    return *bytes;
}

// A settings message's device status: it must have a shadow.
void require_shadow(DeviceMapper& dm, const std::string& device) {
    const Status st = read_status(dm, device);
    if (!st.shadow)
        throw older_target("shadow", device, st, "the shadow");
    if (!st.shadow->has_device())
        throw UsageError("shadow: " + device + " has no shadow; 'tandemctl shadow create " +
                         device + " --cow-size <size>' makes one");
}

void print_status(const std::string& device, DeviceMapper& dm, std::ostream& out) {
    const Status st = read_status(dm, device);
    if (!st.shadow)
        throw older_target("shadow", device, st, "the shadow");
    if (!st.shadow->has_device()) {
        out << device << ": shadow: " << describe_shadow(*st.shadow) << "\n";
        return;
    }
    const std::string reply = dm.message(device, message::stats());
    std::optional<ShadowStats> stats;
    try {
        stats = parse_shadow_stats(reply);
    } catch (const ParseError& e) {
        throw ParseError(device + ": " + e.what());
    }
    if (!stats)
        throw ParseError(device + ": the stats reply has no shadow lines, though the status "
                                  "names a shadow");
    out << device << ": shadow " << describe_shadow(stats->status) << "\n";
    if (!stats->mismatch_sectors.empty()) {
        out << "first mismatching reads at sector(s)";
        for (std::size_t i = 0; i < stats->mismatch_sectors.size(); i++)
            out << (i ? "," : " ") << stats->mismatch_sectors[i];
        out << "\n";
    }
    out << format_shadow_ops(*stats);
}

} // namespace

std::optional<ShadowFlags> parse_shadow_command(CommandParser& p) {
    std::optional<std::string> cow_size, cow_file, mode, sample;
    p.options()("cow-size", optional_value(cow_size, "<size>"),
                "create: the COW file's size, bytes or K, M, G, T: how much the shadow can write "
                "before it fails");
    p.options()("cow-file", optional_value(cow_file, "<path>"),
                "create: where the COW file goes (default /var/lib/tandem/<dev>-cow.img)");
    p.options()("mode", optional_value(mode, "async|sync|gate"),
                "create: how production bios are cloned (default async)");
    p.options()("sample", optional_value(sample, "<n>"),
                "create: clone 1 in n production bios, 0 none (default 1: every bio)");
    if (!p.parse(-1))
        return std::nullopt;

    ShadowFlags flags;
    const std::vector<std::string>& a = p.extra();
    const std::string& first = p.device();
    if (first == "create" || first == "remove" || first == "reset") {
        flags.action = first == "create"   ? Action::create
                       : first == "remove" ? Action::remove
                                           : Action::reset;
        p.expect_args(1, "<dev> after " + first);
        flags.device = a[0];
        check_device(p, flags.device);
    } else {
        flags.device = first;
        if (a.empty())
            p.fail("missing on, off, sample, pool, mode or status after the device");
        const std::string& action = a[0];
        if (action == TANDEM_SHADOW_ON || action == TANDEM_SHADOW_OFF || action == "status") {
            flags.action = action == TANDEM_SHADOW_ON    ? Action::on
                           : action == TANDEM_SHADOW_OFF ? Action::off
                                                         : Action::status;
            p.expect_args(1, "");
        } else if (action == TANDEM_SHADOW_SAMPLE) {
            flags.action = Action::sample;
            p.expect_args(2, "<n> after sample");
            flags.value =
                static_cast<std::uint32_t>(p.checked_number("sample", a[1], shadow_sample_problem));
        } else if (action == TANDEM_SHADOW_POOL) {
            flags.action = Action::pool;
            p.expect_args(2, "<KiB> after pool");
            flags.value =
                static_cast<std::uint32_t>(p.checked_number("pool", a[1], shadow_pool_problem));
        } else if (action == "mode") {
            flags.action = Action::mode;
            p.expect_args(2, "async, sync or gate after mode");
            flags.mode = checked_mode(p, a[1]);
        } else {
            p.fail("expected on, off, sample, pool, mode or status after the device, got '" +
                   action + "'");
        }
    }

    if (flags.action != Action::create) {
        if (cow_size || cow_file || mode || sample)
            p.fail("--cow-size, --cow-file, --mode and --sample go with create");
        return flags;
    }
    if (!cow_size)
        p.fail("create needs --cow-size");
    ShadowRequest& r = flags.request;
    r.device = flags.device;
    r.cow_bytes = checked_cow_size(p, *cow_size);
    r.cow_file = cow_file ? *cow_file : default_cow_file(flags.device);
    if (r.cow_file.empty() || r.cow_file.front() != '/')
        p.fail("--cow-file: expected an absolute path, got '" + r.cow_file + "'");
    if (mode)
        r.mode = checked_mode(p, *mode);
    if (sample)
        r.sample = static_cast<std::uint32_t>(
            p.checked_number("--sample", *sample, shadow_sample_problem));
    return flags;
}

void run_shadow(const ShadowFlags& flags, DeviceMapper& dm, CowStore& store, std::ostream& out) {
    const std::string& device = flags.device;
    std::string text;
    switch (flags.action) {
    case Action::create:
        create_shadow(flags.request, dm, store, out);
        return;
    case Action::remove:
        remove_shadow(device, dm, store, out);
        return;
    case Action::reset:
        reset_shadow(device, dm, store, out);
        return;
    case Action::status:
        print_status(device, dm, out);
        return;
    case Action::on:
        text = message::shadow_on();
        break;
    case Action::off:
        text = message::shadow_off();
        break;
    case Action::sample:
        text = message::shadow_sample(flags.value);
        break;
    case Action::pool:
        text = message::shadow_pool(flags.value);
        break;
    case Action::mode:
        text = message::shadow_mode(to_string(flags.mode));
        break;
    }

    require_shadow(dm, device);
    dm.message(device, text);
    out << device << ": ";
    switch (flags.action) {
    case Action::on:
        out << "shadow cloning on again, at the last sample rate\n";
        break;
    case Action::off:
        out << "shadow cloning off (bios routed to the shadow still go there)\n";
        break;
    case Action::sample:
        out << "shadow sample set to " << flags.value << ": " << describe_sample(flags.value)
            << "\n";
        break;
    case Action::pool:
        out << "shadow pool set to " << flags.value << " KiB\n";
        break;
    case Action::mode:
        out << "shadow mode set to " << to_string(flags.mode) << "\n";
        break;
    default:
        break;
    }
}

} // namespace tandem::cli
