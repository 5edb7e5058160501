// SPDX-License-Identifier: GPL-2.0-only
#include "pve/node.h"

#include <unistd.h>

#include <climits>

#include "pve/live_addrs.h"

namespace lw::pve {
namespace {

std::string short_name(std::string_view name) {
  name = trim(name);
  return std::string(name.substr(0, name.find('.')));
}

}  // namespace

NodeConfig load_node(const std::filesystem::path& root_in, bool kernel) {
  bool live_system = root_in.empty() || root_in == "/";
  std::filesystem::path root = live_system ? std::filesystem::path("/") : root_in;
  if (!live_system && !std::filesystem::is_directory(root))
    throw lw::UsageError("--root " + root.string() + ": not a directory");
  NodeConfig n;
  n.root = root;

  auto hostname_path = root / "etc/hostname";
  if (auto text = read_optional(hostname_path)) {
    n.hostname = short_name(*text);
    if (n.hostname.empty()) throw ConfigError({hostname_path.string(), 1}, "empty host name");
  } else if (live_system) {
    char buf[HOST_NAME_MAX + 1] = {};
    if (gethostname(buf, sizeof(buf)) != 0) throw lw::SystemError("gethostname", errno);
    n.hostname = short_name(buf);
  } else {
    throw ConfigError({hostname_path.string(), 0}, "missing: cannot tell which node this is");
  }

  n.interfaces = read_interfaces(root);
  auto path = [&](const char* rel) { return root / rel; };
  if (auto t = read_optional(path("etc/pve/corosync.conf")))
    n.corosync = parse_corosync_conf(*t, path("etc/pve/corosync.conf").string());
  if (auto t = read_optional(path("etc/pve/ceph.conf")))
    n.ceph = parse_ceph_conf(*t, path("etc/pve/ceph.conf").string());
  if (auto t = read_optional(path("etc/pve/datacenter.cfg")))
    n.datacenter = parse_datacenter_cfg(*t, path("etc/pve/datacenter.cfg").string());
  if (auto t = read_optional(path("etc/pve/storage.cfg")))
    n.storage = parse_storage_cfg(*t, path("etc/pve/storage.cfg").string());
  if (auto t = read_optional(path("etc/pve/sdn/fabrics.cfg")))
    n.fabrics = parse_fabrics_cfg(*t, path("etc/pve/sdn/fabrics.cfg").string());
  if (auto t = read_optional(path("etc/frr/frr.conf"))) {
    n.frr = parse_frr_conf(*t, path("etc/frr/frr.conf").string());
    if (auto d = read_optional(path("etc/frr/daemons")))
      parse_frr_daemons(*d, path("etc/frr/daemons").string(), *n.frr);
    merge_frr_addresses(*n.frr, n.interfaces);
  }
  if (auto t = read_optional(path("etc/hosts")))
    n.hosts = parse_hosts(*t, path("etc/hosts").string());
  n.link_pins = read_link_pins(root);
  n.live = read_live_state(root);
  n.packages = read_packages(root);
  if (live_system || kernel) {
    n.live.kernel = true;
    n.live.address_devices = read_address_devices();
    n.live.link_macs = read_link_macs();
    n.live.udev_names = read_udev_names();
  }
  return n;
}

}  // namespace lw::pve
