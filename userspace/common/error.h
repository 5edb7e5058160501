// SPDX-License-Identifier: GPL-2.0-only
// Errors carry their context and the exit code the CLI should return; they
// are thrown where the problem is found and caught only in main().
#pragma once

#include <stdexcept>
#include <string>

namespace lw {

// Exit codes of the command line contract (docs/architecture.md "Contracts").
enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,  // findings (check) or runtime failure
  kExitUsage = 2,    // bad usage or invalid policy
};

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what, int exit_code = kExitFailure)
      : std::runtime_error(what), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }

 private:
  int exit_code_;
};

// Bad usage or invalid input: exit code 2.
class UsageError : public Error {
 public:
  explicit UsageError(const std::string& what) : Error(what, kExitUsage) {}
};

// A failed system or library call: message plus strerror(errno) of `err`.
class SystemError : public Error {
 public:
  SystemError(const std::string& what, int err);
  int err() const { return err_; }

 private:
  int err_;
};

}  // namespace lw
