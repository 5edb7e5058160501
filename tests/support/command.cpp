// SPDX-License-Identifier: GPL-2.0-only
#include "support/command.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "support/unique_fd.h"

namespace lw::test {

namespace {

std::string describe(const std::string& cmd, const CommandResult& r) {
  std::string msg = "command failed: " + cmd + "\n  ";
  msg += r.timed_out ? "timed out" : "exit " + std::to_string(r.exit_code);
  if (!r.out.empty()) msg += "\n  stdout: " + r.out;
  if (!r.err.empty()) msg += "\n  stderr: " + r.err;
  return msg;
}

// Reads what is available; returns false at EOF or error.
bool drain(int fd, std::string& into) {
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0) {
      into.append(buf, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return n < 0 && errno == EAGAIN;
  }
}

}  // namespace

CommandError::CommandError(const std::string& cmd, CommandResult result)
    : std::runtime_error(describe(cmd, result)), result_(std::move(result)) {}

std::string shell_quote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

CommandResult run(const std::string& cmd, std::chrono::milliseconds timeout) {
  CommandResult r;
  int out_pipe[2], err_pipe[2];
  // O_CLOEXEC so concurrently forked children (other threads) never inherit them.
  if (pipe2(out_pipe, O_CLOEXEC) != 0)
    throw std::runtime_error("pipe2: " + std::string(strerror(errno)));
  UniqueFd out_r(out_pipe[0]), out_w(out_pipe[1]);
  if (pipe2(err_pipe, O_CLOEXEC) != 0)
    throw std::runtime_error("pipe2: " + std::string(strerror(errno)));
  UniqueFd err_r(err_pipe[0]), err_w(err_pipe[1]);
  UniqueFd null_fd(::open("/dev/null", O_RDONLY | O_CLOEXEC));

  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork: " + std::string(strerror(errno)));
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec: the test process
    // may have other threads (sinks, generators).
    setpgid(0, 0);
    dup2(null_fd.get(), 0);
    dup2(out_w.get(), 1);
    dup2(err_w.get(), 2);
    execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  setpgid(pid, pid);  // also here, so a kill(-pid) cannot race the child's own call
  out_w.reset();
  err_w.reset();
  fcntl(out_r.get(), F_SETFL, O_NONBLOCK);
  fcntl(err_r.get(), F_SETFL, O_NONBLOCK);

  auto deadline = std::chrono::steady_clock::now() + timeout;
  bool out_open = true, err_open = true;
  int status = 0;
  bool reaped = false;
  while (!reaped) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      r.timed_out = true;
      kill(-pid, SIGKILL);
      waitpid(pid, &status, 0);
      reaped = true;
      break;
    }
    pollfd fds[2] = {{out_open ? out_r.get() : -1, POLLIN, 0},
                     {err_open ? err_r.get() : -1, POLLIN, 0}};
    // Wake up periodically to notice the shell exiting while a background
    // grandchild still holds the pipes open.
    int wait_ms = static_cast<int>(std::min<long>(left.count(), 50));
    if (poll(fds, 2, wait_ms) < 0 && errno != EINTR) break;
    if (out_open && fds[0].revents) out_open = drain(out_r.get(), r.out);
    if (err_open && fds[1].revents) err_open = drain(err_r.get(), r.err);
    pid_t w = waitpid(pid, &status, WNOHANG);
    if (w == pid) reaped = true;
  }
  if (!reaped) {  // poll failed: never leave a child behind
    kill(-pid, SIGKILL);
    waitpid(pid, &status, 0);
  }
  // Whatever the shell wrote before exiting is in the pipe buffers now.
  if (out_open) drain(out_r.get(), r.out);
  if (err_open) drain(err_r.get(), r.err);
  if (WIFEXITED(status))
    r.exit_code = WEXITSTATUS(status);
  else if (WIFSIGNALED(status))
    r.exit_code = 128 + WTERMSIG(status);
  return r;
}

std::string run_ok(const std::string& cmd, std::chrono::milliseconds timeout) {
  CommandResult r = run(cmd, timeout);
  if (!r.ok()) throw CommandError(cmd, std::move(r));
  return r.out;
}

}  // namespace lw::test
