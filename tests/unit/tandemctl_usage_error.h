// The error tandemctl's parser gives a command line, for tables of bad
// arguments and the text each must be refused with.
#pragma once

#include "cli.h"

#include "tandem/errors.h"

#include <string>
#include <vector>

namespace tandem::testing {

// The UsageError parse_command_line() raises for `args`, or "(accepted)".
inline std::string usage_error(const std::vector<std::string>& args) {
    try {
        cli::parse_command_line(args);
    } catch (const UsageError& e) {
        return e.what();
    }
    return "(accepted)";
}

} // namespace tandem::testing
