// Typed builders for the target's messages (`dmsetup message <dev> 0 ...`).
// Each returns the message text; each validates its arguments against the
// limits of include/dm-tandem/tandem.h and raises UsageError otherwise, so
// an invalid request never reaches the kernel.  The kernel checks again
// against the live device (e.g. a leg index beyond the device's legs).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace tandem::message {

// "weights <w0> <w1>...": 2..4 values, each 0..100, summing to 100.
std::string weights(std::span<const unsigned> weights);

// "fail_leg <i>" / "reinstate_leg <i>": i < TANDEM_MAX_LEGS.
std::string fail_leg(unsigned leg);
std::string reinstate_leg(unsigned leg);

// "sync_rate <KiB/s>": the resync rate, 0..TANDEM_MAX_SYNC_RATE; 0 pauses
// the resync.
std::string sync_rate(std::uint64_t kib_per_s);

// "resync_mode copy|checksum": how the resync brings a region over, the
// whole region or only the 4 KiB blocks whose checksums differ.
std::string resync_mode(std::string_view mode);

// "verify": start a pass comparing every region of the legs in sync block
// by block, counting the blocks that differ.  "repair": the same pass,
// rewriting differing blocks from the source.  One pass runs at a time.
std::string verify();
std::string repair();

// "stats": the target answers with its counters as text.
std::string stats();
// "stats reset": zero the counters.
std::string stats_reset();

} // namespace tandem::message
