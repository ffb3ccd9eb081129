#include "tandem/log.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace tandem {

std::string_view to_string(LogLevel level) {
    switch (level) {
    case LogLevel::error:
        return "error";
    case LogLevel::warning:
        return "warning";
    case LogLevel::info:
        return "info";
    case LogLevel::debug:
        break;
    }
    return "debug";
}

std::optional<LogLevel> log_level_from_string(std::string_view text) {
    if (text == "error")
        return LogLevel::error;
    if (text == "warning" || text == "warn")
        return LogLevel::warning;
    if (text == "info")
        return LogLevel::info;
    if (text == "debug")
        return LogLevel::debug;
    return std::nullopt;
}

namespace log {

namespace {

struct State {
    std::atomic<LogLevel> level{LogLevel::info};
    std::mutex mutex; // protects ident and sink
    std::string ident;
    Sink sink;
    // stderr goes to the journal: prefix lines with their syslog priority.
    bool journal = std::getenv("JOURNAL_STREAM") != nullptr;
};

// Never destroyed: libdevmapper may still log from its exit destructor.
State& state() {
    static State* s = new State;
    return *s;
}

int syslog_priority(LogLevel level) {
    switch (level) {
    case LogLevel::error:
        return 3;
    case LogLevel::warning:
        return 4;
    case LogLevel::info:
        return 6;
    case LogLevel::debug:
        break;
    }
    return 7;
}

} // namespace

void set_level(LogLevel level) {
    state().level.store(level);
}

LogLevel level() {
    return state().level.load();
}

bool enabled(LogLevel lvl) {
    return static_cast<int>(lvl) <= static_cast<int>(level());
}

void set_ident(std::string ident) {
    std::lock_guard lock(state().mutex);
    state().ident = std::move(ident);
}

void set_sink(Sink sink) {
    std::lock_guard lock(state().mutex);
    state().sink = std::move(sink);
}

void write(LogLevel lvl, std::string_view message) {
    if (!enabled(lvl))
        return;
    State& s = state();
    std::lock_guard lock(s.mutex);
    if (s.sink) {
        s.sink(lvl, message);
        return;
    }
    std::string line;
    if (s.journal)
        line += "<" + std::to_string(syslog_priority(lvl)) + ">";
    if (!s.ident.empty())
        line += s.ident + ": ";
    if (lvl != LogLevel::info)
        line += std::string(to_string(lvl)) + ": ";
    line += message;
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stderr);
}

} // namespace log
} // namespace tandem
