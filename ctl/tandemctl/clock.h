// Time as the commands that wait see it: read and slept through these, so
// tests run them on simulated time.
#pragma once

#include <chrono>
#include <functional>

namespace tandem::cli {

using Clock = std::function<std::chrono::steady_clock::time_point()>;
using Sleep = std::function<void(std::chrono::milliseconds)>;

} // namespace tandem::cli
