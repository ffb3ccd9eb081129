#include "options.h"

#include "tandem/errors.h"

#include <boost/program_options.hpp>

#include <sstream>

namespace po = boost::program_options;

namespace tandem::daemon {

Options parse_options(const std::vector<std::string>& args) {
    Options opts;
    std::string level;
    po::options_description desc("Options");
    const std::string config_help =
        std::string("configuration file (default ") + default_config_path + ")";
    auto add = desc.add_options();
    add("help,h", "show this help");
    add("version", "show the version");
    add("config,c", po::value<std::string>(&opts.config_path)->value_name("FILE"),
        config_help.c_str());
    add("once", po::bool_switch(&opts.once),
        "poll every device once, log what was found, and exit (status 1 if a device could not "
        "be read)");
    bool print_config = false;
    add("print-config", po::bool_switch(&print_config),
        "validate the configuration, print every effective value with its origin (the file's "
        "line and column, or default), and exit");
    add("check-config", po::bool_switch(&opts.check_config), "the same as --print-config");
    add("log-level", po::value<std::string>(&level)->value_name("LEVEL"),
        "error, warning, info or debug; overrides the configuration file");
    std::string timeline;
    add("timeline", po::value<std::string>(&timeline)->value_name("FILE"),
        "write a CSV line per device per poll to FILE (replaced): time, and each leg's read "
        "weight, health, state and reads; scripts/plot-timeline.py draws it");

    po::variables_map vm;
    try {
        po::store(
            po::command_line_parser(args)
                .options(desc)
                .positional(po::positional_options_description{})
                .style(po::command_line_style::unix_style ^ po::command_line_style::allow_guessing)
                .run(),
            vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw UsageError(std::string(e.what()) + "; try 'tandemd --help'");
    }

    if (vm.count("help")) {
        std::ostringstream out;
        out << "usage: tandemd [--config FILE] [--once | --print-config] [--log-level LEVEL]\n"
            << "               [--timeline FILE]\n\n"
            << "Run dm-tandem devices: create the configured ones that are missing, read their\n"
            << "status on each dm event and every poll interval, set read weights from the\n"
            << "nodes' health, class weights from the load, and throttle a class while a\n"
            << "shadow misbehaves; serve /health and /metrics.\n"
            << "SIGHUP reloads the configuration; SIGTERM or SIGINT stops the daemon.\n\n"
            << desc;
        opts.help = out.str();
        return opts;
    }
    if (vm.count("version")) {
        opts.help = std::string("tandemd ") + TANDEM_VERSION + "\n";
        return opts;
    }
    const char* print_option = print_config ? "--print-config" : "--check-config";
    opts.check_config = opts.check_config || print_config;
    if (opts.once && opts.check_config)
        throw UsageError(std::string("--once and ") + print_option + " cannot be combined");
    if (opts.config_path.empty())
        throw UsageError("--config needs a file name");
    if (vm.count("timeline")) {
        if (timeline.empty())
            throw UsageError("--timeline needs a file name");
        if (opts.once || opts.check_config)
            throw UsageError("--timeline cannot be combined with --once or --print-config");
        opts.timeline = timeline;
    }
    if (vm.count("log-level")) {
        opts.log_level = log_level_from_string(level);
        if (!opts.log_level)
            throw UsageError("--log-level: expected error, warning, info or debug, got '" + level +
                             "'");
    }
    return opts;
}

} // namespace tandem::daemon
