// Plain-language views of the shadow's figures, shared by `tandemctl
// status` (status version 6) and `tandemctl shadow <dev> status` (the
// stats reply, with p50 and the mismatching sectors), e.g.
//
//   shadow: 253:2, mode gate, cloning every bio, pool 64 of 8192 KiB in use
//   dropped 0, gate failures 0, reads compared 100 (3 differed), confined 1 (0 failed)
//                    production                          shadow
//   op               count  errors  p50_us  p99_us       count  errors  p50_us  p99_us
//   read               100       0     512     512         100       1     128     128
#pragma once

#include "tandem/stats_reply.h"
#include "tandem/status.h"

#include <cstdint>
#include <string>

namespace tandem::cli {

// "cloning every bio", "cloning 1 in 10 bios", "cloning off (sample 0)".
std::string describe_sample(std::uint32_t sample);

// The summary lines (without a trailing newline on the last): the device,
// mode, sample and pool, then the counters.  "none" when the device has
// no shadow, with the bios that were meant for it and failed.
std::string describe_shadow(const ShadowStatus& shadow);

// Production and shadow side by side, one line per operation, with a
// header; latencies of 0 (nothing measured yet) show as "-".
std::string format_shadow_ops(const ShadowStatus& shadow);
std::string format_shadow_ops(const ShadowStats& stats); // with p50_us

} // namespace tandem::cli
