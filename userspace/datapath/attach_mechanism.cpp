// SPDX-License-Identifier: GPL-2.0-only
#include "datapath/attach_mechanism.h"

#include <bpf/bpf.h>
#include <bpf/libbpf_version.h>
#include <fmt/format.h>
#include <sys/utsname.h>

#include <cerrno>
#include <cstring>

#include "common/error.h"

namespace lw::datapath {
namespace {

std::string kernel_release() {
  utsname u{};
  return uname(&u) == 0 ? std::string(u.release) : std::string("unknown");
}

#if LW_HAVE_TCX
// Loopback is ifindex 1 in every network namespace; a query changes nothing.
bool probe_kernel_tcx(std::string& why) {
  struct bpf_prog_query_opts q {};
  q.sz = sizeof(q);
  const int err = bpf_prog_query_opts(1, BPF_TCX_INGRESS, &q);
  if (err == 0) return true;
  why = err == -EINVAL ? std::string("the kernel has no tcx (Linux >= 6.6 has it)")
                       : fmt::format("probing tcx failed: {}", std::strerror(-err));
  return false;
}
#endif

}  // namespace

std::string_view attach_mode_name(AttachMode mode) {
  switch (mode) {
    case AttachMode::automatic:
      return "auto";
    case AttachMode::tcx:
      return "tcx";
    case AttachMode::tc:
      return "tc";
  }
  return "auto";
}

std::optional<AttachMode> parse_attach_mode(std::string_view name) {
  if (name == "auto") return AttachMode::automatic;
  if (name == "tcx") return AttachMode::tcx;
  if (name == "tc") return AttachMode::tc;
  return std::nullopt;
}

std::string_view mechanism_name(Mechanism m) { return m == Mechanism::tcx ? "tcx" : "clsact"; }

Mechanism choose_mechanism(AttachMode mode, const TcxSupport& s) {
  switch (mode) {
    case AttachMode::tc:
      return Mechanism::clsact;
    case AttachMode::automatic:
      return s.built && s.kernel ? Mechanism::tcx : Mechanism::clsact;
    case AttachMode::tcx:
      if (!s.built)
        throw UsageError(fmt::format(
            "--attach tcx: this lanewarden was built against libbpf {}, which has no tcx "
            "API (libbpf >= 1.3: Debian trixie's libbpf 1.5); use --attach tc or auto",
            s.build_libbpf));
      if (!s.kernel)
        throw UsageError(fmt::format("--attach tcx: kernel {}: {}; use --attach tc or auto",
                                     s.kernel_release, s.kernel_why));
      return Mechanism::tcx;
  }
  return Mechanism::clsact;
}

TcxSupport tcx_support() {
  TcxSupport s;
  s.build_libbpf = fmt::format("{}.{}", LIBBPF_MAJOR_VERSION, LIBBPF_MINOR_VERSION);
  s.kernel_release = kernel_release();
#if LW_HAVE_TCX
  s.built = true;
  s.kernel = probe_kernel_tcx(s.kernel_why);
#else
  s.kernel_why = "not probed: this build has no tcx";
#endif
  return s;
}

std::string describe_support(const TcxSupport& s) {
  if (s.built && s.kernel)
    return fmt::format("tcx available (libbpf {}, kernel {})", s.build_libbpf, s.kernel_release);
  if (!s.built)
    return fmt::format("clsact only: built against libbpf {} (tcx needs libbpf >= 1.3)",
                       s.build_libbpf);
  return fmt::format("clsact only: kernel {}: {}", s.kernel_release, s.kernel_why);
}

}  // namespace lw::datapath
