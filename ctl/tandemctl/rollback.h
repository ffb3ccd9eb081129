// Undoing a command that changes several things: each step that succeeds
// says how to undo it; when a later one fails, the undo steps run, last
// first, so the command leaves things as they were.
#pragma once

#include <exception>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace tandem::cli {

class Rollback {
public:
    void add(std::string what, std::function<void()> undo) {
        steps_.push_back(Step{std::move(what), std::move(undo)});
    }

    // Undo every step, last first, going on past failures; returns what
    // could not be undone, empty when everything was.
    std::string run() {
        std::string failed;
        for (auto it = steps_.rbegin(); it != steps_.rend(); ++it) {
            try {
                it->undo();
            } catch (const std::exception& e) {
                failed += (failed.empty() ? "" : "; ") + it->what + ": " + e.what();
            }
        }
        steps_.clear();
        return failed;
    }

    // Undo, then raise `failure` again, saying whether it was all undone.
    [[noreturn]] void fail(const std::exception& failure) {
        const std::string left = run();
        if (left.empty())
            throw std::runtime_error(std::string(failure.what()) + " (undone: nothing changed)");
        throw std::runtime_error(std::string(failure.what()) + "; undoing failed too: " + left);
    }

private:
    struct Step {
        std::string what;
        std::function<void()> undo;
    };
    std::vector<Step> steps_;
};

} // namespace tandem::cli
