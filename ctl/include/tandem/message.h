// Typed builders for the target's messages (`dmsetup message <dev> 0 ...`).
// Each returns the message text; each validates its arguments against the
// limits of include/dm-tandem/tandem.h and raises UsageError otherwise, so
// an invalid request never reaches the kernel.  The kernel checks again
// against the live device (e.g. a leg index beyond the device's legs).
#pragma once

#include "tandem/rule.h"

#include <cstdint>
#include <optional>
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

// The class scheduler.  Class names follow class_name_problem() (limits.h).

// "queue_depth <n>": the in-flight limit, 0..TANDEM_MAX_QUEUE_DEPTH; 0
// turns the scheduler off.
std::string queue_depth(std::uint64_t depth);

// "class add <name>" (weight 100, no limits) / "class remove <name>".
std::string class_add(std::string_view name);
std::string class_remove(std::string_view name);

// "class <name> weight <n>": 0..TANDEM_MAX_CLASS_WEIGHT.
std::string class_weight(std::string_view name, std::uint64_t weight);

// "class <name> limit [iops <n>] [bw <KiB/s>]": either limit or both (0:
// none), up to TANDEM_MAX_IOPS_LIMIT and TANDEM_MAX_BW_LIMIT; the one not
// given stays as it is.  At least one must be given.
std::string class_limit(std::string_view name, std::optional<std::uint64_t> iops,
                        std::optional<std::uint64_t> bw_kib_per_s);

// "rule add <class> [<match>...]": append a rule (see rule.h).
std::string rule_add(const Rule& rule);

// "rule del <index>": index < TANDEM_MAX_RULES; those after it move up.
std::string rule_del(std::uint64_t index);

// "rule clear": delete every rule.  "rule list": the target answers with
// one line per rule (parse_rule_list() in rule.h).
std::string rule_clear();
std::string rule_list();

// The shadow.  The kernel refuses each of these on a device without one.

// "shadow on": clone again at the last sample rate that was not 0.
// "shadow off": stop cloning (bios confined to the shadow still go there).
std::string shadow_on();
std::string shadow_off();

// "shadow sample <n>": clone 1 in n production bios, 0..TANDEM_MAX_SHADOW_SAMPLE;
// 0 stops cloning.
std::string shadow_sample(std::uint64_t sample);

// "shadow pool <KiB>": the async pool, 0..TANDEM_MAX_SHADOW_POOL KiB.
std::string shadow_pool(std::uint64_t kib);

// "shadow_mode async|sync|gate": how production bios are cloned.
std::string shadow_mode(std::string_view mode);

} // namespace tandem::message
