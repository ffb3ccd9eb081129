// Version 2 status lines (legs and resync, no later sections) for the
// tests of tandemctl's resync progress and waits.
#pragma once

#include <string>
#include <vector>

namespace tandem::testing {

// A version 2 status line of 256 regions: one leg per letter of `states`,
// leg 0 taking every read, no I/O counted, each leg's regions still to
// copy, then the sync action and rate with nothing copied yet.
inline std::string v2_status(const std::string& states, const std::vector<unsigned>& out_of_sync,
                             const std::string& action = "resync", unsigned rate = 65536) {
    std::string line = "2 " + std::to_string(states.size()) + " " + states;
    for (std::size_t i = 0; i < states.size(); i++)
        line += i == 0 ? " 100" : " 0";
    for (std::size_t i = 0; i < states.size(); i++)
        line += " 0 0 0 0";
    line += " 0 256";
    for (unsigned n : out_of_sync)
        line += " " + std::to_string(n);
    return line + " " + action + " " + std::to_string(rate) + " 0 0";
}

} // namespace tandem::testing
