// tandemd: the dm-tandem daemon.  main() only wires the adapters
// (libdevmapper, signals, dm event waiters, systemd) to the state machine
// in daemon.h.
#include "alert_dispatch.h"
#include "background_network.h"
#include "daemon.h"
#include "event_waiters.h"
#include "host_metrics.h"
#include "options.h"
#include "signal_waiter.h"

#include "tandem/block_devices.h"
#include "tandem/config.h"
#include "tandem/dm_client.h"
#include "tandem/errors.h"
#include "tandem/log.h"
#include "tandem/sd_notify.h"

#include <fstream>
#include <iostream>

namespace {

tandem::Config load(const tandem::daemon::Options& opts) {
    tandem::Config cfg = tandem::load_config(opts.config_path);
    if (opts.log_level)
        cfg.log_level = {*opts.log_level, "command line (--log-level)"};
    return cfg;
}

} // namespace

int main(int argc, char** argv) {
    using namespace tandem;
    log::set_ident("tandemd");

    daemon::Options opts;
    try {
        opts = daemon::parse_options(std::vector<std::string>(argv + 1, argv + argc));
    } catch (const UsageError& e) {
        std::cerr << "tandemd: " << e.what() << "\n";
        return 2;
    }
    if (opts.help) {
        std::cout << *opts.help;
        return 0;
    }
    if (opts.log_level)
        log::set_level(*opts.log_level);

    try {
        if (opts.check_config) {
            std::cout << format_config(load(opts));
            return 0;
        }
        DmClient dm;
        daemon::SignalWaiter waiter; // first: threads started later inherit its signal mask
        daemon::EventWaiters events(dm, [&] { waiter.wake(); });
        daemon::HostMetrics metrics;
        daemon::BackgroundNetwork network;
        daemon::BackgroundAlerts alerts;
        daemon::Adapters adapters;
        adapters.local_metrics = &metrics;
        adapters.network = &network;
        adapters.alerts = &alerts;
        HostBlockDevices block_devices;
        adapters.block_devices = &block_devices;
        adapters.serve_http = true;
        daemon::DiskStateFiles state_files;
        adapters.state_files = &state_files;
        std::ofstream timeline;
        if (opts.timeline) {
            timeline.open(*opts.timeline, std::ios::trunc);
            if (!timeline) {
                log::error("--timeline " + *opts.timeline + ": cannot be written");
                return 1;
            }
            adapters.timeline = &timeline;
        }
        daemon::Daemon d([&] { return load(opts); }, dm, waiter, events,
                         [](std::string_view state) { sd_notify(state); }, opts.once, adapters);
        return d.run();
    } catch (const std::exception& e) {
        log::error(e.what());
        return 1;
    }
}
