// The exec hook: fork and execv a program with fixed arguments, no shell.
// The child runs in its own process group, so a program killed at the
// timeout takes whatever it started with it.  Whether execv itself failed
// comes back through a close-on-exec pipe: the pipe closes on a
// successful exec, and carries errno otherwise.
#include "tandem/alert_hooks.h"

#include "tandem/errors.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <thread>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace tandem {

namespace {

void check_argv(const std::vector<std::string>& argv) {
    if (argv.empty())
        throw UsageError("exec hook: no program given");
    if (argv[0].empty() || argv[0][0] != '/')
        throw UsageError("exec hook: the program must be an absolute path, got '" + argv[0] + "'");
}

ExecResult ended(int status) {
    if (WIFEXITED(status))
        return {ExecResult::Outcome::exited, WEXITSTATUS(status),
                "exit status " + std::to_string(WEXITSTATUS(status))};
    return {ExecResult::Outcome::signalled, WTERMSIG(status),
            "killed by signal " + std::to_string(WTERMSIG(status))};
}

// In the child, between fork and exec: async-signal-safe calls only.
[[noreturn]] void exec_child(const std::vector<char*>& args, int error_pipe) {
    setpgid(0, 0);
    // The daemon blocks SIGTERM, SIGINT and SIGHUP to wait for them; a
    // blocked mask survives exec, and the program must not inherit it.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    const int null = open("/dev/null", O_RDONLY);
    if (null >= 0) {
        dup2(null, STDIN_FILENO);
        if (null != STDIN_FILENO)
            close(null);
    }
    execv(args[0], args.data());
    const int error = errno;
    ssize_t ignored = write(error_pipe, &error, sizeof error);
    (void)ignored;
    _exit(127);
}

} // namespace

ExecResult run_program(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
    check_argv(argv);
    std::vector<char*> args;
    for (const std::string& arg : argv)
        args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);

    int error_pipe[2];
    if (pipe2(error_pipe, O_CLOEXEC) != 0)
        return {ExecResult::Outcome::not_started, 0,
                "cannot run " + argv[0] + ": pipe: " + std::strerror(errno)};
    const pid_t pid = fork();
    if (pid < 0) {
        const int error = errno;
        close(error_pipe[0]);
        close(error_pipe[1]);
        return {ExecResult::Outcome::not_started, 0,
                "cannot run " + argv[0] + ": fork: " + std::strerror(error)};
    }
    if (pid == 0)
        exec_child(args, error_pipe[1]);
    setpgid(pid, pid); // also here, so the kill below finds the group either way
    close(error_pipe[1]);

    int exec_error = 0;
    ssize_t got;
    do
        got = read(error_pipe[0], &exec_error, sizeof exec_error);
    while (got < 0 && errno == EINTR);
    close(error_pipe[0]);
    if (got == static_cast<ssize_t>(sizeof exec_error)) {
        waitpid(pid, nullptr, 0);
        return {ExecResult::Outcome::not_started, 0,
                "cannot run " + argv[0] + ": " + std::strerror(exec_error)};
    }

    const auto deadline = std::chrono::steady_clock::now() + timeout;
    auto pause = std::chrono::milliseconds(1);
    for (;;) {
        int status = 0;
        const pid_t done = waitpid(pid, &status, WNOHANG);
        if (done == pid)
            return ended(status);
        if (done < 0 && errno != EINTR)
            return {ExecResult::Outcome::exited, -1,
                    "started, exit status unknown: waitpid: " + std::string(std::strerror(errno))};
        if (std::chrono::steady_clock::now() >= deadline)
            break;
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::milliseconds(20));
    }
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    return {ExecResult::Outcome::timed_out, SIGKILL,
            "timed out after " + std::to_string(timeout.count()) + " ms, killed"};
}

ExecHook::ExecHook(std::vector<std::string> argv, std::chrono::milliseconds timeout)
    : argv_(std::move(argv))
    , timeout_(timeout) {
    check_argv(argv_);
}

HookResult ExecHook::send(const Alert& alert) {
    std::vector<std::string> argv = argv_;
    argv.push_back(alert.device);
    argv.push_back(alert.state);
    const ExecResult result = run_program(argv, timeout_);
    return {result.ok(), argv_[0] + ": " + result.detail};
}

} // namespace tandem
