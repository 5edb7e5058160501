// SPDX-License-Identifier: GPL-2.0-only
#include "datapath/shaping_binding.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include "common/error.h"
#include "shaping/htb.h"

namespace lw::datapath {
namespace {

const IfaceBinding* binding(const std::vector<IfaceBinding>& ifaces, const std::string& name) {
  for (const auto& b : ifaces)
    if (b.name == name) return &b;
  return nullptr;
}

bool kernel_has_fq() {
  struct stat st {};
  return ::stat("/sys/module/sch_fq", &st) == 0;
}

}  // namespace

void bind_shaping(lw_policy& p, const shaping::ShapingPlan& plan,
                  const std::vector<IfaceBinding>& ifaces) {
  for (int c = 0; c < LW_NR_CLASSES; c++) p.cls[c].skb_priority = plan.skb_priority[c];
  for (const auto& ip : plan.interfaces) {
    const IfaceBinding* b = binding(ifaces, ip.interface);
    if (!b) continue;
    for (uint32_t i = 0; i < p.n_ifaces && i < LW_MAX_IFACES; i++)
      if (p.ifaces[i].ifindex == b->ifindex) p.ifaces[i].lane_flags |= LW_IFACE_SHAPED;
  }
}

void check_shaping_possible(const policy::Policy& policy, const shaping::ShapingPlan& plan,
                            const std::vector<IfaceBinding>& ifaces) {
  for (const auto& ip : plan.interfaces) {
    const IfaceBinding* b = binding(ifaces, ip.interface);
    if (!b) continue;
    if (auto root = shaping::foreign_root_qdisc(b->ifindex))
      throw UsageError(fmt::format(
          "{}: {} has a root qdisc '{}' that lanewarden did not create and will not replace; "
          "the policy needs lanewarden's HTB there (Corosync priority, shape caps or link_rate)",
          policy.source, ip.interface, *root));
  }
  for (int c = 0; c < LW_NR_CLASSES; c++) {
    const auto& cls = policy.classes[c];
    if (!cls.cap || cls.cap_mode != policy::CapMode::pace) continue;
    if (!kernel_has_fq())
      throw UsageError(fmt::format(
          "{}: class {} uses cap_mode = \"pace\", which needs the fq qdisc (it is what honours "
          "the departure times the datapath writes), and this kernel has no sch_fq. "
          "Use cap_mode = \"shape\" (HTB) or \"police\" instead",
          cls.where.str(), policy::kClassNames[c]));
    for (const auto& b : ifaces) {
      const std::string root = shaping::describe_root_qdisc(b.ifindex);
      if (root.rfind("fq ", 0) != 0)
        throw UsageError(
            fmt::format("{}: class {} uses cap_mode = \"pace\": {} needs fq as its root qdisc "
                        "(tc qdisc replace dev {} root fq); it has '{}'",
                        cls.where.str(), policy::kClassNames[c], b.name, b.name, root));
    }
  }
}

void install_shaping(const shaping::ShapingPlan& plan, const std::vector<IfaceBinding>& ifaces) {
  for (const auto& b : ifaces) {
    bool planned = false;
    for (const auto& ip : plan.interfaces) {
      if (ip.interface != b.name) continue;
      shaping::apply_htb(b.ifindex, ip);
      planned = true;
    }
    if (!planned) shaping::remove_htb(b.ifindex);
  }
}

}  // namespace lw::datapath
