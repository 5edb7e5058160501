// SPDX-License-Identifier: GPL-2.0-only
#include "bench/hook_bench.h"

#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <exception>
#include <thread>

#include "bench/frames.h"
#include "common/error.h"
#include "common/fd.h"
#include "datapath/attach_mechanism.h"
#include "datapath/policy_compiler.h"
#include "datapath/test_run.h"
#include "policy/parse.h"

namespace lw::bench {
namespace {

constexpr int kLo = 1;  // loopback's ifindex in every network namespace

enum class Hook { clsact, tcx };

// Programs on both hooks of lo while the object lives.
class Attached {
 public:
  Attached(Hook hook, int ingress_fd, int egress_fd) : hook_(hook) {
    if (hook == Hook::clsact) {
      bpf_tc_hook h = tc_hook();
      if (int err = bpf_tc_hook_create(&h); err && err != -EEXIST)
        throw SystemError("bench: cannot create clsact on lo", err);
      for (auto [point, fd] : {std::pair{BPF_TC_INGRESS, ingress_fd}, {BPF_TC_EGRESS, egress_fd}}) {
        bpf_tc_hook hp = tc_hook();
        hp.attach_point = point;
        bpf_tc_opts opts{};
        opts.sz = sizeof(opts);
        opts.handle = 1;
        opts.priority = 1;
        opts.prog_fd = fd;
        if (int err = bpf_tc_attach(&hp, &opts)) throw SystemError("bench: cannot attach", err);
      }
      return;
    }
#if LW_HAVE_TCX
    for (auto [type, fd] : {std::pair{BPF_TCX_INGRESS, ingress_fd}, {BPF_TCX_EGRESS, egress_fd}}) {
      UniqueFd link(bpf_link_create(fd, kLo, type, nullptr));
      if (!link) throw SystemError("bench: cannot attach a tcx link to lo", errno);
      links_.push_back(std::move(link));
    }
#else
    (void)ingress_fd;
    (void)egress_fd;
    throw Error("bench: this build has no tcx");
#endif
  }
  ~Attached() {
    if (hook_ != Hook::clsact) return;  // the links detach as they close
    bpf_tc_hook h = tc_hook();
    bpf_tc_hook_destroy(&h);
  }
  Attached(const Attached&) = delete;
  Attached& operator=(const Attached&) = delete;

 private:
  static bpf_tc_hook tc_hook() {
    bpf_tc_hook h{};
    h.sz = sizeof(h);
    h.ifindex = kLo;
    h.attach_point = static_cast<bpf_tc_attach_point>(BPF_TC_INGRESS | BPF_TC_EGRESS);
    return h;
  }
  Hook hook_;
  std::vector<UniqueFd> links_;
};

void bring_lo_up() {
  UniqueFd s(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  ifreq req{};
  std::strcpy(req.ifr_name, "lo");
  if (!s || ioctl(s.get(), SIOCGIFFLAGS, &req) != 0) throw SystemError("bench: lo flags", errno);
  req.ifr_flags |= IFF_UP;
  if (ioctl(s.get(), SIOCSIFFLAGS, &req) != 0)
    throw SystemError("bench: cannot bring lo up", errno);
}

// ns per frame of `n` frames sent on lo through a packet socket: each one
// passes lo's egress hook, then (looped back) its ingress hook.
double send_frames(int sock, const std::vector<uint8_t>& frame, uint32_t n) {
  sockaddr_ll to{};
  to.sll_family = AF_PACKET;
  to.sll_ifindex = kLo;
  to.sll_halen = 6;
  std::memcpy(to.sll_addr, frame.data(), 6);
  const auto t0 = std::chrono::steady_clock::now();
  for (uint32_t i = 0; i < n; i++)
    if (::sendto(sock, frame.data(), frame.size(), 0, reinterpret_cast<sockaddr*>(&to),
                 sizeof(to)) < 0)
      throw SystemError("bench: sendto on lo", errno);
  const auto t1 = std::chrono::steady_clock::now();
  return static_cast<double>(
             std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count()) /
         n;
}

std::vector<HookResult> measure(const HookBenchOptions& o, bool with_tcx) {
  if (::unshare(CLONE_NEWNET) != 0)
    throw SystemError("bench: cannot make a private network namespace", errno);
  bring_lo_up();
  datapath::Sandbox sandbox;
  policy::Policy p = policy::parse_string(bench_policy_toml(), "<bench policy>");
  auto compiled = datapath::compile_policy(
      p,
      [](const std::string& n) -> std::optional<uint32_t> {
        return n == "lo" ? std::optional<uint32_t>(kLo) : std::nullopt;
      },
      {}, 1);
  sandbox.install(*compiled.value);
  // The Corosync frame: classified by ports and both addresses, the common
  // case on a lane; looped back it is not for this namespace and is dropped
  // by IP after the ingress hook.
  const auto frames = representative_frames();
  const auto& frame = frames.front().bytes;
  UniqueFd sock(::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0));
  if (!sock) throw SystemError("bench: packet socket", errno);

  std::vector<Hook> hooks = {Hook::clsact};
  if (with_tcx) hooks.push_back(Hook::tcx);
  std::vector<HookResult> results;
  for (Hook h : hooks) results.push_back({h == Hook::tcx ? "tcx" : "clsact"});
  for (auto& r : results) r.none_ns = r.empty_ns = r.lanewarden_ns = 1e300;
  for (uint32_t round = 0; round < o.rounds; round++) {
    // Interleaved: drift on the machine hits every configuration alike.
    for (size_t i = 0; i < hooks.size(); i++) {
      HookResult& r = results[i];
      r.none_ns = std::min(r.none_ns, send_frames(sock.get(), frame, o.frames));
      {
        Attached a(hooks[i], sandbox.empty_program_fd(), sandbox.empty_program_fd());
        r.empty_ns = std::min(r.empty_ns, send_frames(sock.get(), frame, o.frames));
      }
      {
        Attached a(hooks[i], sandbox.program_fd(LW_DIR_INGRESS), sandbox.program_fd(LW_DIR_EGRESS));
        r.lanewarden_ns = std::min(r.lanewarden_ns, send_frames(sock.get(), frame, o.frames));
      }
    }
  }
  return results;
}

}  // namespace

std::vector<HookResult> run_hook_bench(const HookBenchOptions& o, std::string& unavailable) {
  const datapath::TcxSupport support = datapath::tcx_support();
  const bool with_tcx = support.built && support.kernel;
  if (!with_tcx) unavailable = datapath::describe_support(support);
  std::vector<HookResult> results;
  std::exception_ptr failed;
  // A thread of its own: unshare() moves only it into the private network
  // namespace, which goes, lo and all, when the thread ends.
  std::thread worker([&] {
    try {
      results = measure(o, with_tcx);
    } catch (...) {
      failed = std::current_exception();
    }
  });
  worker.join();
  if (failed) std::rethrow_exception(failed);
  return results;
}

}  // namespace lw::bench
