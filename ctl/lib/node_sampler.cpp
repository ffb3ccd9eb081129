#include "tandem/node_metrics.h"

namespace tandem {

NodeSampler::NodeSampler(NodeSources sources)
    : sources_(std::move(sources)) {}

std::optional<NodeWindow> NodeSampler::sample(std::chrono::steady_clock::time_point now) {
    NodeSample current = read_node_sample(sources_, now);
    problems_ = current.problems;
    std::optional<NodeWindow> window;
    if (previous_)
        window = node_window(*previous_, current);
    previous_ = std::move(current);
    return window;
}

void NodeSampler::set_sources(NodeSources sources) {
    sources_ = std::move(sources);
    previous_.reset();
}

const std::vector<std::string>& NodeSampler::problems() const {
    return problems_;
}

} // namespace tandem
