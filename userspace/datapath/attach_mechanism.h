// SPDX-License-Identifier: GPL-2.0-only
// Which tc hook lanewarden attaches through (docs/attach.md): tcx links
// (Linux >= 6.6, built against libbpf >= 1.3) or clsact with cls_bpf
// filters, everywhere else. `--attach auto` (the default) takes tcx where
// both the build and the kernel have it; `--attach tcx` refuses with the
// reason where either lacks it; `--attach tc` keeps clsact.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lw::datapath {

enum class AttachMode { automatic, tcx, tc };  // what was asked for
enum class Mechanism { clsact, tcx };          // what is used

// "auto", "tcx", "tc" (the CLI and the state record spell them so).
std::string_view attach_mode_name(AttachMode mode);
std::optional<AttachMode> parse_attach_mode(std::string_view name);
// "tcx" or "clsact", as status prints it.
std::string_view mechanism_name(Mechanism m);

// What this build and this kernel offer, and why not where they do not.
struct TcxSupport {
  bool built = false;          // compiled with libbpf >= 1.3 (LW_HAVE_TCX)
  std::string build_libbpf;    // libbpf version the build was compiled against
  bool kernel = false;         // BPF_PROG_QUERY knows BPF_TCX_INGRESS
  std::string kernel_why;      // when !kernel: the probe's answer
  std::string kernel_release;  // uname -r
};

// The mechanism for `mode` given `support`. Throws UsageError for `tcx`
// when the build or the kernel lacks it, saying which and why.
Mechanism choose_mechanism(AttachMode mode, const TcxSupport& support);

// This build and the running kernel (the kernel probe is read-only: a
// BPF_PROG_QUERY of loopback's tcx ingress, which kernels before 6.6 refuse
// with EINVAL).
TcxSupport tcx_support();

// One line for logs and `status`: "tcx (libbpf 1.5, kernel 6.18.0)" or
// "clsact: <why tcx is not used>".
std::string describe_support(const TcxSupport& support);

}  // namespace lw::datapath
