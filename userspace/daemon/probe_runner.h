// SPDX-License-Identifier: GPL-2.0-only
// The daemon's Corosync echo probes: started from the policy in force and
// restarted only when a reload changes what is probed, so a reload that
// touches other settings does not reset the per-peer counts. A peer that
// cannot be probed safely is logged and left out: the daemon enforces the
// policy either way, and the probe counts show what is measured.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "metrics/families.h"
#include "policy/policy.h"
#include "probe/plan.h"
#include "probe/prober.h"

namespace lw::daemon {

class ProbeRunner {
 public:
  ~ProbeRunner();

  // Called after every successful apply (start and reloads).
  void reconfigure(const policy::Policy& p);
  void stop();

  // lanewarden_probes_{sent,answered,lost,send_errors}_total{link,local,peer}.
  void families(metrics::Families& out) const;

 private:
  mutable std::mutex mu_;
  std::unique_ptr<probe::Prober> prober_;
  std::string signature_;  // the targets and interval the running prober uses
};

}  // namespace lw::daemon
