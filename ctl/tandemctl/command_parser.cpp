#include "command_parser.h"

#include "tandem/errors.h"
#include "tandem/fields.h"
#include "tandem/limits.h"

#include <climits>
#include <sstream>

namespace po = boost::program_options;

namespace tandem::cli {

std::string usage_line(const Spec& spec) {
    std::string out;
    for (std::string_view form : synopsis_forms(spec))
        out += std::string(out.empty() ? "usage: " : "\n       ") + "tandemctl " +
               std::string(spec.name) + " " + std::string(form);
    return out;
}

std::vector<std::string_view> synopsis_forms(const Spec& spec) {
    std::vector<std::string_view> forms;
    std::string_view rest = spec.synopsis;
    while (true) {
        const std::size_t newline = rest.find('\n');
        forms.push_back(rest.substr(0, newline));
        if (newline == std::string_view::npos)
            return forms;
        rest.remove_prefix(newline + 1);
    }
}

po::typed_value<std::string>* optional_value(std::optional<std::string>& target,
                                             const char* value_name) {
    return po::value<std::string>()
        ->value_name(value_name)
        ->notifier([&target](const std::string& v) { target = v; });
}

CommandParser::CommandParser(const Spec& spec, std::vector<std::string> args,
                             std::string_view first)
    : spec_(spec)
    , args_(std::move(args))
    , first_(first)
    , visible_("Options") {
    visible_.add_options()("help,h", "show this help");
}

bool CommandParser::parse(int extra_args) {
    po::options_description hidden;
    hidden.add_options()("device", po::value<std::string>(&device_))(
        "args", po::value<std::vector<std::string>>(&extra_));
    po::options_description all;
    all.add(visible_).add(hidden);
    po::positional_options_description pos;
    if (!first_.empty()) {
        pos.add("device", 1);
        if (extra_args != 0)
            pos.add("args", extra_args);
    }

    // Boost would take "-5" for an option; say what is wrong with it.
    for (const std::string& arg : args_) {
        if (arg.size() > 1 && arg[0] == '-' && arg[1] >= '0' && arg[1] <= '9')
            fail("'" + arg + "' is negative; numbers here are whole numbers from 0 up");
    }

    try {
        po::variables_map vm;
        po::store(
            po::command_line_parser(args_)
                .options(all)
                .positional(pos)
                .style(po::command_line_style::unix_style ^ po::command_line_style::allow_guessing)
                .run(),
            vm);
        po::notify(vm);
        if (vm.count("help"))
            return false;
    } catch (const po::too_many_positional_options_error&) {
        fail(first_.empty() ? "takes no device" : "too many arguments");
    } catch (const po::error& e) {
        fail(e.what());
    }

    if (first_.empty())
        return true;
    if (device_.empty())
        fail("missing " + first_);
    if (first_ == "<dev>") {
        if (std::string problem = device_name_problem(device_); !problem.empty())
            fail(problem);
    }
    return true;
}

std::string CommandParser::help() const {
    std::ostringstream out;
    out << usage_line(spec_) << "\n\n" << spec_.summary << "\n\n";
    if (!spec_.details.empty())
        out << spec_.details << "\n";
    out << visible_;
    return out.str();
}

void CommandParser::fail(const std::string& problem) const {
    throw UsageError(std::string(spec_.name) + ": " + problem + "\n" + usage_line(spec_));
}

unsigned CommandParser::number(const std::string& what, const std::string& text) const {
    auto value = parse_uint(text, UINT_MAX);
    if (!value)
        fail(what + ": expected a whole number, got '" + text + "'");
    return static_cast<unsigned>(*value);
}

unsigned CommandParser::leg(const std::string& text) const {
    const unsigned index = number("leg", text);
    if (index >= max_legs)
        fail("leg index must be 0.." + std::to_string(max_legs - 1) + ", got " +
             std::to_string(index));
    return index;
}

std::uint64_t CommandParser::checked_number(const std::string& what, const std::string& text,
                                            std::string (*problem)(std::uint64_t)) const {
    auto value = parse_uint(text);
    if (!value)
        fail(what + ": expected a whole number, got '" + text + "'");
    if (std::string bad = problem(*value); !bad.empty())
        fail(bad);
    return *value;
}

void CommandParser::expect_args(std::size_t count, const std::string& missing) const {
    if (extra_.size() < count)
        fail("missing " + missing);
    if (extra_.size() > count)
        fail("too many arguments");
}

} // namespace tandem::cli
