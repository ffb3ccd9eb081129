// The exec hook: real programs run without a shell, their ends reported.
#include "hook_result_printer.h"

#include "tandem/alert_hooks.h"
#include "tandem/errors.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace tandem;
using namespace std::chrono_literals;
using ::testing::HasSubstr;

namespace {

using Outcome = ExecResult::Outcome;

std::string usage_error(const std::vector<std::string>& argv) {
    try {
        run_program(argv, 1s);
    } catch (const UsageError& e) {
        return e.what();
    }
    return "(accepted)";
}

Alert alert(std::string device, std::string state) {
    return {std::move(device), std::move(state), {"write shadow p99 ..."}, {}};
}

// A fresh, empty directory for the test.
std::filesystem::path scratch_dir(const std::string& name) {
    const std::filesystem::path dir =
        std::filesystem::temp_directory_path() /
        ("tandem-exec-hook-" + name + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

} // namespace

TEST(RunProgram, ReportsHowItEnded) {
    struct Case {
        std::vector<std::string> argv;
        Outcome outcome;
        int code;
        std::string detail;
        bool ok;
    };
    const Case cases[] = {
        {{"/bin/true"}, Outcome::exited, 0, "exit status 0", true},
        {{"/bin/false"}, Outcome::exited, 1, "exit status 1", false},
        {{"/bin/sleep", "0.01"}, Outcome::exited, 0, "exit status 0", true},
        {{"/usr/bin/test", "1", "=", "2"}, Outcome::exited, 1, "exit status 1", false},
        // Its own process group is all kill 0 reaches: the program alone.
        {{"/bin/kill", "-s", "KILL", "0"},
         Outcome::signalled,
         SIGKILL,
         "killed by signal 9",
         false},
        {{"/nonexistent/tandem-hook"},
         Outcome::not_started,
         0,
         "cannot run /nonexistent/tandem-hook: No such file or directory",
         false},
        {{"/etc"}, Outcome::not_started, 0, "cannot run /etc: Permission denied", false},
    };
    for (const Case& c : cases) {
        const ExecResult r = run_program(c.argv, 10s);
        EXPECT_EQ(r.outcome, c.outcome) << c.argv[0] << ": " << r.detail;
        EXPECT_EQ(r.code, c.code) << c.argv[0];
        EXPECT_EQ(r.detail, c.detail) << c.argv[0];
        EXPECT_EQ(r.ok(), c.ok) << c.argv[0];
    }
}

TEST(RunProgram, NoShellInterpretsTheArguments) {
    // With a shell, "; /bin/false" would run false; here it is one argument
    // to true, which ignores it.
    EXPECT_TRUE(run_program({"/bin/true", "; /bin/false", "$(exit 3)"}, 10s).ok());
}

TEST(RunProgram, KillsAProgramAtTheTimeout) {
    const auto start = std::chrono::steady_clock::now();
    const ExecResult r = run_program({"/bin/sleep", "30"}, 200ms);
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(r.outcome, Outcome::timed_out);
    EXPECT_EQ(r.detail, "timed out after 200 ms, killed");
    EXPECT_FALSE(r.ok());
    EXPECT_GE(took, 200ms);
    EXPECT_LT(took, 5s);
}

TEST(RunProgram, TheProgramDoesNotInheritBlockedSignals) {
    // The daemon's threads block SIGTERM to wait for it; a program that
    // inherited the mask would ignore its own SIGTERM.  grep exits 0 when
    // the program's mask of blocked signals is empty.
    sigset_t term, old;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    ASSERT_EQ(pthread_sigmask(SIG_BLOCK, &term, &old), 0);
    const ExecResult r =
        run_program({"/bin/grep", "-qE", "^SigBlk:\\s+0+$", "/proc/self/status"}, 10s);
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    EXPECT_EQ(r.detail, "exit status 0");
}

TEST(RunProgram, RefusesWhatItCannotRunWithoutAShell) {
    EXPECT_EQ(usage_error({}), "exec hook: no program given");
    EXPECT_EQ(usage_error({"true"}), "exec hook: the program must be an absolute path, got 'true'");
    EXPECT_EQ(usage_error({""}), "exec hook: the program must be an absolute path, got ''");
}

TEST(ExecHook, AppendsTheDeviceAndTheState) {
    // env -C <dir> touch <device> <state>: the two appended arguments
    // become files in <dir>.
    const std::filesystem::path dir = scratch_dir("args");
    ExecHook hook({"/usr/bin/env", "-C", dir.string(), "/usr/bin/touch"}, 10s);
    const HookResult r = hook.send(alert("tandem0", "anomalous"));
    EXPECT_EQ(r, (HookResult{true, "/usr/bin/env: exit status 0"}));
    EXPECT_TRUE(std::filesystem::exists(dir / "tandem0"));
    EXPECT_TRUE(std::filesystem::exists(dir / "anomalous"));
    std::filesystem::remove_all(dir);
}

TEST(ExecHook, ReportsAFailingOrMissingProgram) {
    EXPECT_EQ(ExecHook({"/bin/false"}, 10s).send(alert("tandem0", "recovered")),
              (HookResult{false, "/bin/false: exit status 1"}));
    EXPECT_EQ(ExecHook({"/nonexistent/hook", "--flag"}, 10s).send(alert("tandem0", "anomalous")),
              (HookResult{false, "/nonexistent/hook: cannot run /nonexistent/hook: No such file "
                                 "or directory"}));
}

TEST(ExecHook, KillsAHookAtTheTimeout) {
    // env -C <dir> tail -q -f /dev/null <device> <state>: follows the three
    // files (the last two made beforehand) until killed.
    const std::filesystem::path dir = scratch_dir("timeout");
    for (const char* name : {"tandem0", "anomalous"})
        std::ofstream(dir / name).flush();
    ExecHook hook({"/usr/bin/env", "-C", dir.string(), "/usr/bin/tail", "-q", "-f", "/dev/null"},
                  100ms);
    EXPECT_EQ(hook.send(alert("tandem0", "anomalous")),
              (HookResult{false, "/usr/bin/env: timed out after 100 ms, killed"}));
    std::filesystem::remove_all(dir);
}

TEST(ExecHook, RefusesARelativeProgram) {
    EXPECT_THROW(ExecHook({"hook.sh"}, 1s), UsageError);
    EXPECT_THROW(ExecHook({}, 1s), UsageError);
}

TEST(AlertHooks, PolicyChoosesTheHooks) {
    MitigationPolicy p;
    EXPECT_TRUE(make_alert_hooks(p, 1s).empty());
    p.exec = {"/bin/true"};
    p.webhook_url = "http://127.0.0.1:9/hook";
    EXPECT_EQ(make_alert_hooks(p, 1s).size(), 2u);
    p.alert = false;
    EXPECT_TRUE(make_alert_hooks(p, 1s).empty());
    p.alert = true;
    p.webhook_url = "ftp://x";
    EXPECT_THROW(make_alert_hooks(p, 1s), UsageError);
}
