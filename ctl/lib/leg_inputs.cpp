#include "tandem/node_metrics.h"

#include <algorithm>

namespace tandem {

std::optional<double> leg_error_rate(const LegStatus& before, const LegStatus& after) {
    const std::uint64_t bios_before = before.reads + before.writes;
    const std::uint64_t bios_after = after.reads + after.writes;
    const std::uint64_t errors_before = before.read_errors + before.write_errors;
    const std::uint64_t errors_after = after.read_errors + after.write_errors;
    if (bios_after <= bios_before || errors_after < errors_before)
        return std::nullopt;
    return std::min(1.0, static_cast<double>(errors_after - errors_before) /
                             static_cast<double>(bios_after - bios_before));
}

void set_probe_inputs(HealthInputs& inputs, const ProbeSummary& probes) {
    inputs.probe_success = probes.success_fraction;
    inputs.probe_latency_ms = probes.mean_latency_ms;
}

} // namespace tandem
