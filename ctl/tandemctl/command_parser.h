// One tandemctl command's options and positional arguments, parsed by
// Boost.Program_options, with errors that name the command and show its
// usage line.
#pragma once

#include <boost/program_options.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::cli {

// A command as `tandemctl --help` and `tandemctl <command> --help` show it.
struct Spec {
    std::string_view name;
    std::string_view synopsis; // forms of the command, one per line
    std::string_view summary;
    std::string_view details = {}; // shown by '<command> --help' only
};

// "usage: tandemctl <name> <synopsis>", a line per form.
std::string usage_line(const Spec& spec);

// The forms of the synopsis.
std::vector<std::string_view> synopsis_forms(const Spec& spec);

// A string option that remembers whether it was given at all, so that an
// empty value ("--op ''") is refused rather than taken for absent.
boost::program_options::typed_value<std::string>* optional_value(std::optional<std::string>& target,
                                                                 const char* value_name);

class CommandParser {
public:
    // `first`: what the first positional argument is; only "<dev>" is
    // checked as a device-mapper name.  Empty: the command takes no
    // positional arguments at all.
    CommandParser(const Spec& spec, std::vector<std::string> args,
                  std::string_view first = "<dev>");

    boost::program_options::options_description_easy_init options() {
        return visible_.add_options();
    }

    // Parse with `extra_args` positional values after <dev> (-1: any
    // number; ignored for a command without positional arguments).
    // Returns false when --help was given.
    bool parse(int extra_args);

    std::string help() const;

    const std::string& device() const { return device_; }
    const std::vector<std::string>& extra() const { return extra_; }

    // Raise UsageError: "<command>: <problem>" and the usage line.
    [[noreturn]] void fail(const std::string& problem) const;

    // A whole number 0..UINT_MAX; `what` names it in the error.
    unsigned number(const std::string& what, const std::string& text) const;

    // A leg index, 0..max_legs - 1: one some device could have.
    unsigned leg(const std::string& text) const;

    // A whole number that `problem` (e.g. queue_depth_problem) finds
    // nothing wrong with; otherwise fail() with "<what>: expected a whole
    // number, got '<text>'" or with the problem.
    std::uint64_t checked_number(const std::string& what, const std::string& text,
                                 std::string (*problem)(std::uint64_t)) const;

    // Exactly `count` values after <dev>: fail() with "missing <missing>"
    // or "too many arguments" otherwise.
    void expect_args(std::size_t count, const std::string& missing) const;

private:
    const Spec& spec_;
    std::vector<std::string> args_;
    std::string first_;
    boost::program_options::options_description visible_;
    std::string device_;
    std::vector<std::string> extra_;
};

} // namespace tandem::cli
