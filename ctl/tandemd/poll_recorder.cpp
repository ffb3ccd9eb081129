#include "poll_recorder.h"

#include <algorithm>
#include <utility>

namespace tandem::daemon {

std::vector<std::string> PollRecorder::take() {
    return std::exchange(polled_, {});
}

std::string PollRecorder::status(const std::string& name) {
    if (std::find(polled_.begin(), polled_.end(), name) == polled_.end())
        polled_.push_back(name);
    return inner_.status(name);
}

} // namespace tandem::daemon
