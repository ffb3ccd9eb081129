// What a call refuses with: the message of the exception it throws, or
// "(accepted)" when it returns.
#pragma once

#include <exception>
#include <string>

namespace tandem::testing {

template <typename F>
std::string error_of(F f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "(accepted)";
}

} // namespace tandem::testing
