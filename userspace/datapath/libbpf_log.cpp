// SPDX-License-Identifier: GPL-2.0-only
#include "datapath/libbpf_log.h"

#include <bpf/libbpf.h>
#include <spdlog/spdlog.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <sstream>
#include <utility>
#include <vector>

#include "common/logging.h"

namespace lw::datapath {
namespace {

// libbpf retries a failed load with a verifier log and reports it in one
// message between these markers (libbpf.c, bpf_object_load_prog).
constexpr std::string_view kLogBegin = "-- BEGIN PROG LOAD LOG --";
constexpr std::string_view kLogEnd = "-- END PROG LOAD LOG --";

struct RejectedProgram {
  std::string name;  // as libbpf names it: prog 'lw_ingress'
  std::string log;
};

std::mutex rejected_mutex;
RejectedProgram last_rejected;

std::string format(const char* fmt, va_list args) {
  va_list copy;
  va_copy(copy, args);
  const int n = std::vsnprintf(nullptr, 0, fmt, copy);
  va_end(copy);
  if (n <= 0) return {};
  std::string out(static_cast<size_t>(n) + 1, '\0');
  std::vsnprintf(out.data(), out.size(), fmt, args);
  out.resize(static_cast<size_t>(n));
  return out;
}

// "prog 'lw_ingress': -- BEGIN PROG LOAD LOG --\n...-- END PROG LOAD LOG --"
bool keep_verifier_log(const std::string& message) {
  const size_t begin = message.find(kLogBegin);
  if (begin == std::string::npos) return false;
  RejectedProgram r;
  const size_t q1 = message.find('\'');
  const size_t q2 = q1 == std::string::npos ? q1 : message.find('\'', q1 + 1);
  if (q2 != std::string::npos && q2 < begin) r.name = message.substr(q1 + 1, q2 - q1 - 1);
  const size_t body = begin + kLogBegin.size();
  const size_t end = message.find(kLogEnd, body);
  r.log = message.substr(body, end == std::string::npos ? std::string::npos : end - body);
  std::lock_guard lock(rejected_mutex);
  last_rejected = std::move(r);
  return true;
}

int print(enum libbpf_print_level level, const char* fmt, va_list args) {
  std::string line = format(fmt, args);
  while (!line.empty() && line.back() == '\n') line.pop_back();
  if (keep_verifier_log(line)) {
    // The reason goes into the load error; the whole log only with -vv.
    if (log_verbosity() >= 2) spdlog::debug("libbpf: {}", line);
    return 0;
  }
  if (level == LIBBPF_DEBUG && log_verbosity() < 2) return 0;
  // bpf_tc_hook_create() on an interface that already has a clsact qdisc
  // fails with EEXIST, which lanewarden expects and handles; libbpf still
  // prints the kernel's extack for it. It is not worth a warning.
  if (line.find("Exclusivity flag on") != std::string::npos) level = LIBBPF_DEBUG;
  // A failed load is reported once, by load_error(), with the reason.
  if (line.find("failed to load object") != std::string::npos ||
      line.find("BPF program load failed") != std::string::npos ||
      line.find("failed to load program") != std::string::npos)
    level = LIBBPF_DEBUG;
  if (level == LIBBPF_WARN)
    spdlog::warn("libbpf: {}", line);
  else
    spdlog::debug("libbpf: {}", line);
  return 0;
}

bool is_statistics(const std::string& line) {
  for (const char* prefix : {"processed ", "verification time", "stack depth", "mark_precise",
                             "Validating ", "Func#", "func#", "; "})
    if (line.rfind(prefix, 0) == 0) return true;
  return line.empty();
}

// "123: (71) r1 = *(u8 *)(r0 +0)": an instruction of the verifier's trace.
bool is_instruction(const std::string& line) {
  size_t i = 0;
  while (i < line.size() && std::isdigit(static_cast<unsigned char>(line[i]))) i++;
  return i > 0 && line.compare(i, 3, ": (") == 0;
}

std::string kernel_release() {
  struct utsname u {};
  return ::uname(&u) == 0 ? u.release : "(unknown)";
}

}  // namespace

void install_libbpf_logger() { libbpf_set_print(print); }

std::string verifier_reason(const std::string& log) {
  std::vector<std::string> lines;
  std::istringstream in(log);
  for (std::string l; std::getline(in, l);) {
    while (!l.empty() && (l.back() == '\r' || l.back() == ' ')) l.pop_back();
    lines.push_back(l);
  }
  for (size_t i = lines.size(); i-- > 0;) {
    if (is_statistics(lines[i]) || is_instruction(lines[i])) continue;
    std::string reason = lines[i];
    if (i > 0 && is_instruction(lines[i - 1])) reason += " (at " + lines[i - 1] + ")";
    return reason;
  }
  return {};
}

std::string load_error(const std::string& what, int err) {
  const int e = err < 0 ? -err : err;
  RejectedProgram r;
  {
    std::lock_guard lock(rejected_mutex);
    r = std::exchange(last_rejected, {});
  }
  std::string msg = "kernel " + kernel_release() + " rejected " + what;
  if (!r.name.empty()) msg += ", program " + r.name;
  if (const std::string reason = verifier_reason(r.log); !reason.empty()) {
    msg += ": " + reason;
  } else if (e == EPERM || e == EACCES) {
    msg += ::geteuid() == 0
               ? ": " + std::string(std::strerror(e)) +
                     " although this is root (kernel lockdown, an LSM or a seccomp filter?)"
               : ": " + std::string(std::strerror(e)) +
                     " (needs root, or CAP_BPF, CAP_NET_ADMIN and CAP_PERFMON)";
  } else {
    msg += ": " + std::string(std::strerror(e));
  }
  return msg + "; run with -vv for the whole verifier log";
}

}  // namespace lw::datapath
