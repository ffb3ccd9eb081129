// tandemctl's exit statuses.
#pragma once

#include <stdexcept>
#include <string>

namespace tandem::cli {

inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;  // the command failed at run time; invalid metadata
inline constexpr int exit_usage = 2;    // bad arguments; nothing was changed
inline constexpr int exit_mismatch = 3; // verify --wait: the pass found differing blocks
inline constexpr int exit_timeout = 4;  // wait-sync, resync --wait: not in sync in time

// A failure with an exit status of its own: main_entry() prints it like
// any other and returns the status.
class ExitStatusError : public std::runtime_error {
public:
    ExitStatusError(int status, const std::string& what)
        : std::runtime_error(what)
        , status_(status) {}
    int status() const noexcept { return status_; }

private:
    int status_;
};

} // namespace tandem::cli
