// What to do when a device's shadow turns anomalous, and when it recovers.
// Pure: a Mitigator turns the detector's verdicts (anomaly_detector.h) into
// actions, values the daemon executes (send the dm message, post the
// alert) and then reports back.  Each action fires once per state change,
// never again while the state holds:
//
//   into anomalous    alert "anomalous" with the findings' reasons,
//                     throttle: `class <c> limit iops <n> bw <KiB>`,
//                     rollback request (when asked for)
//   out of anomalous  alert "recovered", and when it throttled, undo:
//                     `class <c> limit iops <n> bw <KiB>` with the limits
//                     the class had before the throttle
//
// An undo reported failed is sent again at each decision until one is
// reported done, and the limits stay saved (and held) meanwhile: a
// throttle must not outlive the anomaly because one message was refused.
//
// The throttle never loosens a class: each limit pushed is the stricter of
// the policy's and the class's own (0 means none).  The class's limits are
// passed in by the caller, who reads them from the status; they are kept
// from the moment of the throttle until the undo.  The target keeps no
// journal of writes, so a rollback can only be reported unavailable.
//
// "detected" counts the anomalies the Mitigator acted on, "enforced" the
// actions the daemon reported done, "failed" those it reported failed.
#pragma once

#include "tandem/anomaly_detector.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tandem {

struct MitigationPolicy {
    // Alert on entering and leaving the anomalous state.
    bool alert = true;
    // Where alerts go: an http:// URL (http_url.h) receiving a JSON POST
    // (empty: none), and a program run with these fixed arguments followed
    // by the device and the state, without a shell (empty: none).  The
    // program is an absolute path.
    std::string webhook_url;
    std::vector<std::string> exec;
    // Limit a class while anomalous, restoring its limits when healthy.
    bool throttle = true;
    std::string throttle_class = "test";
    std::uint32_t throttle_iops = 100; // IO/s, 0: not limited by this policy
    std::uint32_t throttle_bw_kib = 0; // KiB/s, 0: not limited by this policy
    // Request a rollback of the shadow's writes (reported unavailable: the
    // target keeps no journal).
    bool rollback = false;

    bool operator==(const MitigationPolicy&) const = default;
};

// What is wrong with the policy (a webhook URL parse_http_url() refuses,
// an exec program that is not an absolute path, an invalid class name, a
// limit over the kernel's maximum, a throttle with both limits 0); empty
// when it is valid.
std::string mitigation_policy_problem(const MitigationPolicy& policy);

// A class's rate limits, as the status shows them (0: none).
struct ClassLimits {
    std::uint32_t iops = 0;   // IO/s
    std::uint32_t bw_kib = 0; // KiB/s

    bool operator==(const ClassLimits&) const = default;
};

// "iops 100 bw 0 KiB/s", as the log lines say it.
std::string to_string(ClassLimits limits);

enum class ActionKind {
    alert,      // send `alert` to the webhook and the exec hook
    throttle,   // send `message` to the device
    unthrottle, // send `message` to the device
    rollback,   // nothing to send: `available` is false, `alert` says why
};

std::string_view to_string(ActionKind kind);

struct MitigationAction {
    ActionKind kind = ActionKind::alert;
    std::string device;
    AnomalyState state = AnomalyState::normal; // the state entered
    std::string message;                       // the dm message (throttle, unthrottle)
    std::string alert;                         // a one-line human summary
    std::vector<std::string> reasons;          // the findings' reasons (on entering anomalous)
    // Whether the action can be carried out; when false, `alert` says why
    // and the daemon reports it failed.
    bool available = true;
    std::optional<ClassLimits> limits = std::nullopt; // the limits `message` sets

    bool operator==(const MitigationAction&) const = default;
};

// Totals since the Mitigator was made.
struct MitigationCounters {
    std::uint64_t detected = 0;  // entries into anomalous acted on
    std::uint64_t recovered = 0; // exits from anomalous
    std::uint64_t actions = 0;   // actions decided
    std::uint64_t enforced = 0;  // reported done
    std::uint64_t failed = 0;    // reported failed (unavailable included)

    bool operator==(const MitigationCounters&) const = default;
};

// The mitigation of one device.
class Mitigator {
public:
    // Raises UsageError naming the problem for an invalid policy.
    Mitigator(std::string device, MitigationPolicy policy = {});

    // The actions for this verdict: none unless the device entered or left
    // the anomalous state since the last call.  `class_limits` are the
    // throttle class's limits now, nullopt when the device has no such
    // class (the throttle is then unavailable).
    std::vector<MitigationAction> decide(const AnomalyVerdict& verdict,
                                         std::optional<ClassLimits> class_limits);

    // The shadow is gone: the undo of a throttle in force (none without
    // one), and no longer anomalous.
    std::vector<MitigationAction> release();

    // Take over a throttle an earlier run put in force: anomalous, with
    // `saved` the limits to restore when the shadow recovers.  Nothing is
    // sent or alerted on taking it over.
    void resume(ClassLimits saved);

    // The daemon's report on an action it executed.
    void report(const MitigationAction& action, bool succeeded);

    bool anomalous() const { return anomalous_; }
    // The limits to restore, while a throttle is in force (and after an
    // undo that failed).
    const std::optional<ClassLimits>& saved_limits() const { return saved_; }
    const MitigationCounters& counters() const { return counters_; }
    const MitigationPolicy& policy() const { return policy_; }
    const std::string& device() const { return device_; }

private:
    std::vector<MitigationAction> enter(const AnomalyVerdict& verdict,
                                        std::optional<ClassLimits> class_limits);
    std::vector<MitigationAction> leave(AnomalyState state);
    // The undo of the throttle, to saved_; moves saved_ to restoring_.
    MitigationAction restore(AnomalyState state);

    std::string device_;
    MitigationPolicy policy_;
    bool anomalous_ = false;
    std::optional<ClassLimits> saved_;
    std::optional<ClassLimits> restoring_; // an undo decided, not yet reported
    MitigationCounters counters_;
};

} // namespace tandem
