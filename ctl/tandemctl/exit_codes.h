// tandemctl's exit statuses.
#pragma once

namespace tandem::cli {

inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;  // the command failed at run time; invalid metadata
inline constexpr int exit_usage = 2;    // bad arguments; nothing was changed
inline constexpr int exit_mismatch = 3; // verify --wait: the pass found differing blocks

} // namespace tandem::cli
