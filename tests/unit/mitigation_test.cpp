// Mitigation: the detector's verdicts into actions, once per state change.
#include "tandem/errors.h"
#include "tandem/http_url.h"
#include "tandem/limits.h"
#include "tandem/mitigation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace tandem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

namespace {

AnomalyVerdict verdict(AnomalyState state, std::vector<std::string> reasons = {}) {
    AnomalyVerdict v;
    v.state = state;
    for (std::string& reason : reasons) {
        AnomalyFinding f;
        f.reason = std::move(reason);
        v.findings.push_back(std::move(f));
    }
    return v;
}

const AnomalyVerdict anomalous =
    verdict(AnomalyState::anomalous, {"write shadow p99 10000 us > 2.0 x baseline 1000 us for 3 "
                                      "windows"});
const AnomalyVerdict normal = verdict(AnomalyState::normal);

std::vector<ActionKind> kinds(const std::vector<MitigationAction>& actions) {
    std::vector<ActionKind> out;
    for (const MitigationAction& a : actions)
        out.push_back(a.kind);
    return out;
}

std::string policy_problem(void (*change)(MitigationPolicy&)) {
    MitigationPolicy p;
    change(p);
    return mitigation_policy_problem(p);
}

// What parse_http_url() says of a URL.
std::string url_problem(const std::string& url) {
    try {
        parse_http_url(url);
    } catch (const UsageError& e) {
        return e.what();
    }
    return "(accepted)";
}

} // namespace

TEST(MitigationPolicy, DefaultsAreValid) {
    EXPECT_EQ(mitigation_policy_problem({}), "");
}

TEST(MitigationPolicy, NamesWhatIsWrong) {
    EXPECT_EQ(policy_problem([](MitigationPolicy& p) { p.webhook_url = "https://x/hook"; }),
              "webhook_url: " + url_problem("https://x/hook"));
    EXPECT_THAT(url_problem("https://x/hook"), HasSubstr("https"));
    EXPECT_EQ(policy_problem([](MitigationPolicy& p) { p.webhook_url = "http://"; }),
              "webhook_url: " + url_problem("http://"));
    EXPECT_THAT(url_problem("http://"), HasSubstr("no host"));
    EXPECT_EQ(policy_problem([](MitigationPolicy& p) { p.webhook_url = "http://[::1]:9/h"; }), "");
    EXPECT_EQ(policy_problem([](MitigationPolicy& p) {
                  p.exec = {"notify-send", "x"};
              }),
              "exec: the program must be an absolute path, got 'notify-send'");
    EXPECT_EQ(policy_problem([](MitigationPolicy& p) { p.throttle_class = "Test"; }),
              "throttle_class: " + class_name_problem("Test"));
    EXPECT_EQ(policy_problem([](MitigationPolicy& p) { p.throttle_iops = 20'000'000; }),
              "throttle_iops: " + iops_limit_problem(20'000'000));
    EXPECT_EQ(policy_problem([](MitigationPolicy& p) { p.throttle_iops = 0; }),
              "throttle needs throttle_iops or throttle_bw_kib above 0");
    EXPECT_EQ(policy_problem([](MitigationPolicy& p) {
                  p.throttle_iops = 0;
                  p.throttle = false;
              }),
              "");
    EXPECT_EQ(policy_problem([](MitigationPolicy& p) { p.exec = {"/usr/bin/logger", "-t"}; }), "");
}

TEST(MitigationPolicy, MitigatorRefusesAnInvalidPolicy) {
    MitigationPolicy p;
    p.exec = {"hook.sh"};
    try {
        Mitigator m("tandem0", p);
        FAIL() << "accepted";
    } catch (const UsageError& e) {
        EXPECT_STREQ(e.what(), "mitigation policy: exec: the program must be an absolute path, "
                               "got 'hook.sh'");
    }
}

TEST(Mitigator, EnteringAnomalousAlertsAndThrottlesOnce) {
    Mitigator m("tandem0");
    EXPECT_TRUE(m.decide(verdict(AnomalyState::learning), ClassLimits{}).empty());
    EXPECT_TRUE(m.decide(normal, ClassLimits{}).empty());

    std::vector<MitigationAction> actions = m.decide(anomalous, ClassLimits{0, 2048});
    ASSERT_EQ(actions.size(), 2u);
    EXPECT_EQ(actions[0],
              (MitigationAction{ActionKind::alert, "tandem0", AnomalyState::anomalous, "",
                                "tandem0: shadow anomalous: write shadow p99 10000 us > 2.0 x "
                                "baseline 1000 us for 3 windows",
                                anomalous.reasons(), true}));
    EXPECT_EQ(actions[1], (MitigationAction{ActionKind::throttle,
                                            "tandem0",
                                            AnomalyState::anomalous,
                                            "class test limit iops 100 bw 2048",
                                            "tandem0: class test limited to iops 100 bw 2048 KiB/s "
                                            "(was iops 0 bw 2048 KiB/s)",
                                            {},
                                            true,
                                            ClassLimits{100, 2048}}));
    EXPECT_TRUE(m.anomalous());
    EXPECT_EQ(m.saved_limits(), (ClassLimits{0, 2048}));

    // Still anomalous: nothing more, whatever the class's limits are now.
    for (int i = 0; i < 5; i++)
        EXPECT_TRUE(m.decide(anomalous, ClassLimits{100, 2048}).empty());
    EXPECT_EQ(m.counters().detected, 1u);
    EXPECT_EQ(m.counters().actions, 2u);
}

TEST(Mitigator, LeavingAlertsRecoveredAndRestoresThePreviousLimits) {
    Mitigator m("tandem0");
    m.decide(anomalous, ClassLimits{500, 4096});
    // The status now shows the throttle's limits; the undo restores the
    // ones saved before it.
    std::vector<MitigationAction> actions = m.decide(normal, ClassLimits{100, 4096});
    ASSERT_EQ(actions.size(), 2u);
    EXPECT_EQ(actions[0], (MitigationAction{ActionKind::alert,
                                            "tandem0",
                                            AnomalyState::normal,
                                            "",
                                            "tandem0: shadow recovered",
                                            {},
                                            true}));
    EXPECT_EQ(actions[1],
              (MitigationAction{ActionKind::unthrottle,
                                "tandem0",
                                AnomalyState::normal,
                                "class test limit iops 500 bw 4096",
                                "tandem0: class test limits restored to iops 500 bw 4096 KiB/s",
                                {},
                                true,
                                ClassLimits{500, 4096}}));
    EXPECT_FALSE(m.anomalous());
    EXPECT_FALSE(m.saved_limits());
    EXPECT_TRUE(m.decide(normal, ClassLimits{500, 4096}).empty());
    EXPECT_EQ(m.counters().recovered, 1u);

    // A second episode saves the limits again.
    EXPECT_EQ(m.decide(anomalous, ClassLimits{0, 0})[1].message, "class test limit iops 100 bw 0");
    EXPECT_EQ(m.decide(normal, ClassLimits{100, 0})[1].message, "class test limit iops 0 bw 0");
    EXPECT_EQ(m.counters().detected, 2u);
    EXPECT_EQ(m.counters().recovered, 2u);
    EXPECT_EQ(m.counters().actions, 8u);
}

TEST(Mitigator, ThrottleNeverLoosensAClass) {
    // Each limit pushed is the stricter of the policy's and the class's.
    struct Case {
        std::uint32_t policy_iops, policy_bw, class_iops, class_bw;
        std::string message;
    };
    const Case cases[] = {
        {100, 0, 0, 0, "class test limit iops 100 bw 0"},
        {100, 0, 50, 0, "class test limit iops 50 bw 0"},
        {100, 0, 500, 1024, "class test limit iops 100 bw 1024"},
        {0, 2048, 0, 1024, "class test limit iops 0 bw 1024"},
        {0, 2048, 300, 8192, "class test limit iops 300 bw 2048"},
        {100, 2048, 0, 0, "class test limit iops 100 bw 2048"},
    };
    for (const Case& c : cases) {
        MitigationPolicy p;
        p.throttle_iops = c.policy_iops;
        p.throttle_bw_kib = c.policy_bw;
        Mitigator m("tandem0", p);
        std::vector<MitigationAction> actions =
            m.decide(anomalous, ClassLimits{c.class_iops, c.class_bw});
        ASSERT_EQ(actions.size(), 2u);
        EXPECT_EQ(actions[1].message, c.message);
    }
}

TEST(Mitigator, ThrottleOfAMissingClassIsUnavailable) {
    Mitigator m("tandem0");
    std::vector<MitigationAction> actions = m.decide(anomalous, std::nullopt);
    ASSERT_EQ(actions.size(), 2u);
    EXPECT_EQ(actions[1].kind, ActionKind::throttle);
    EXPECT_FALSE(actions[1].available);
    EXPECT_EQ(actions[1].message, "");
    EXPECT_EQ(actions[1].alert, "tandem0: not throttled: the device has no class test");
    // Nothing to undo.
    EXPECT_THAT(kinds(m.decide(normal, ClassLimits{})), ElementsAre(ActionKind::alert));
}

TEST(Mitigator, RollbackIsReportedUnavailable) {
    MitigationPolicy p;
    p.rollback = true;
    Mitigator m("tandem0", p);
    std::vector<MitigationAction> actions = m.decide(anomalous, ClassLimits{});
    EXPECT_THAT(kinds(actions),
                ElementsAre(ActionKind::alert, ActionKind::throttle, ActionKind::rollback));
    EXPECT_FALSE(actions[2].available);
    EXPECT_EQ(actions[2].alert, "tandem0: rollback unavailable: the target keeps no journal of "
                                "the shadow's writes");
    for (const MitigationAction& a : actions)
        m.report(a, true);
    // Reported done or not, an unavailable action counts as failed.
    EXPECT_EQ(m.counters().enforced, 2u);
    EXPECT_EQ(m.counters().failed, 1u);
}

TEST(Mitigator, PolicyChoosesTheActions) {
    MitigationPolicy quiet;
    quiet.alert = false;
    quiet.throttle = false;
    Mitigator none("tandem0", quiet);
    EXPECT_TRUE(none.decide(anomalous, ClassLimits{}).empty());
    EXPECT_TRUE(none.anomalous());
    EXPECT_EQ(none.counters().detected, 1u); // detected, nothing to enforce
    EXPECT_TRUE(none.decide(normal, ClassLimits{}).empty());

    MitigationPolicy alert_only;
    alert_only.throttle = false;
    Mitigator alerts("tandem0", alert_only);
    EXPECT_THAT(kinds(alerts.decide(anomalous, ClassLimits{})), ElementsAre(ActionKind::alert));
    EXPECT_THAT(kinds(alerts.decide(normal, ClassLimits{})), ElementsAre(ActionKind::alert));

    MitigationPolicy other_class;
    other_class.throttle_class = "batch";
    other_class.throttle_iops = 0;
    other_class.throttle_bw_kib = 1024;
    Mitigator batch("tandem0", other_class);
    EXPECT_EQ(batch.decide(anomalous, ClassLimits{})[1].message,
              "class batch limit iops 0 bw 1024");
}

TEST(Mitigator, LearningAfterAnomalousIsALeave) {
    // A detector made anew (e.g. the daemon reconfigured) starts learning;
    // the throttle it left behind is undone.
    Mitigator m("tandem0");
    m.decide(anomalous, ClassLimits{7, 0});
    std::vector<MitigationAction> actions =
        m.decide(verdict(AnomalyState::learning), ClassLimits{7, 0});
    EXPECT_THAT(kinds(actions), ElementsAre(ActionKind::alert, ActionKind::unthrottle));
    EXPECT_EQ(actions[0].state, AnomalyState::learning);
    EXPECT_EQ(actions[1].message, "class test limit iops 7 bw 0");
}

TEST(Mitigator, DetectedAndEnforcedAreCountedApart) {
    Mitigator m("tandem0");
    std::vector<MitigationAction> actions = m.decide(anomalous, ClassLimits{});
    m.report(actions[0], true);  // alert posted
    m.report(actions[1], false); // the kernel refused the limit
    EXPECT_EQ(m.counters(), (MitigationCounters{1, 0, 2, 1, 1}));
}

TEST(Mitigator, ActionKindNames) {
    EXPECT_EQ(to_string(ActionKind::alert), "alert");
    EXPECT_EQ(to_string(ActionKind::throttle), "throttle");
    EXPECT_EQ(to_string(ActionKind::unthrottle), "unthrottle");
    EXPECT_EQ(to_string(ActionKind::rollback), "rollback");
}

TEST(Mitigator, ARefusedRestoreIsTriedAgainUntilItIsDone) {
    Mitigator m("tandem0");
    m.decide(anomalous, ClassLimits{500, 4096});
    std::vector<MitigationAction> actions = m.decide(normal, ClassLimits{100, 4096});
    ASSERT_THAT(kinds(actions), ElementsAre(ActionKind::alert, ActionKind::unthrottle));
    m.report(actions[1], false); // the kernel refused the old limits
    // The throttle is still in force: its limits stay held.
    EXPECT_EQ(m.saved_limits(), (ClassLimits{500, 4096}));

    actions = m.decide(normal, ClassLimits{100, 4096});
    ASSERT_THAT(kinds(actions), ElementsAre(ActionKind::unthrottle));
    EXPECT_EQ(actions[0].message, "class test limit iops 500 bw 4096");
    m.report(actions[0], true);
    EXPECT_FALSE(m.saved_limits());
    EXPECT_TRUE(m.decide(normal, ClassLimits{500, 4096}).empty());
}

TEST(Mitigator, AnAnomalyAfterARefusedRestoreKeepsTheClassOwnLimits) {
    Mitigator m("tandem0");
    m.decide(anomalous, ClassLimits{500, 4096});
    m.report(m.decide(normal, ClassLimits{100, 4096})[1], false);
    // The status shows the throttle's limits; the class's own are 500/4096.
    std::vector<MitigationAction> actions = m.decide(anomalous, ClassLimits{100, 4096});
    ASSERT_THAT(kinds(actions), ElementsAre(ActionKind::alert, ActionKind::throttle));
    EXPECT_EQ(m.saved_limits(), (ClassLimits{500, 4096}));
    actions = m.decide(normal, ClassLimits{100, 4096});
    EXPECT_EQ(actions[1].message, "class test limit iops 500 bw 4096");
}

TEST(Mitigator, ResumedThrottleIsRestoredOnRecoveryWithoutAnotherThrottle) {
    Mitigator m("tandem0");
    m.resume(ClassLimits{500, 0});
    EXPECT_TRUE(m.anomalous());
    EXPECT_EQ(m.saved_limits(), (ClassLimits{500, 0}));
    // Still anomalous: nothing sent again.
    EXPECT_TRUE(m.decide(anomalous, ClassLimits{100, 0}).empty());
    std::vector<MitigationAction> actions = m.decide(normal, ClassLimits{100, 0});
    ASSERT_EQ(actions.size(), 2u);
    EXPECT_EQ(actions[0].alert, "tandem0: shadow recovered");
    EXPECT_EQ(actions[1].message, "class test limit iops 500 bw 0");
    EXPECT_EQ(actions[1].limits, (ClassLimits{500, 0}));
    EXPECT_EQ(m.counters().detected, 0u);
    EXPECT_EQ(m.counters().recovered, 1u);
}
