// The control plane's log: one level, one sink (stderr unless replaced).
// libdevmapper's own messages are routed here by DmClient.  Thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace tandem {

enum class LogLevel { error, warning, info, debug };

std::string_view to_string(LogLevel level);
// "error", "warning" (or "warn"), "info", "debug".
std::optional<LogLevel> log_level_from_string(std::string_view text);

namespace log {

void set_level(LogLevel level);
LogLevel level();
bool enabled(LogLevel level);

// Prefix of each line on stderr, e.g. "tandemctl".
void set_ident(std::string ident);

// Replace the sink (tests capture lines with it); nullptr restores stderr.
// Lines below the level never reach the sink.
using Sink = std::function<void(LogLevel, std::string_view)>;
void set_sink(Sink sink);

void write(LogLevel level, std::string_view message);

inline void error(std::string_view message) {
    write(LogLevel::error, message);
}
inline void warning(std::string_view message) {
    write(LogLevel::warning, message);
}
inline void info(std::string_view message) {
    write(LogLevel::info, message);
}
inline void debug(std::string_view message) {
    write(LogLevel::debug, message);
}

} // namespace log
} // namespace tandem
