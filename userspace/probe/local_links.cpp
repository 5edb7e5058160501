// SPDX-License-Identifier: GPL-2.0-only
#include "probe/local_links.h"

#include <linux/rtnetlink.h>
#include <netlink/addr.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string_view>

#include "common/error.h"

namespace lw::probe {
namespace {

struct SockDeleter {
  void operator()(nl_sock* s) const { nl_socket_free(s); }
};
struct CacheDeleter {
  void operator()(nl_cache* c) const { nl_cache_free(c); }
};
using Cache = std::unique_ptr<nl_cache, CacheDeleter>;

// Only stacked devices whose IFLA_LINK names a device of this namespace: a
// veth's IFLA_LINK is its peer, usually in another namespace.
bool link_is_parent(rtnl_link* l) {
  const char* type = rtnl_link_get_type(l);
  if (!type) return false;
  std::string_view t(type);
  return t == "vlan" || t == "macvlan" || t == "macvtap" || t == "ipvlan";
}

}  // namespace

const LocalLink* LocalNetwork::link(int ifindex) const {
  for (auto& l : links)
    if (l.ifindex == ifindex) return &l;
  return nullptr;
}

std::vector<const LocalLink*> LocalNetwork::stack_below(int ifindex) const {
  std::vector<const LocalLink*> out;
  std::vector<int> todo{ifindex};
  while (!todo.empty()) {
    int i = todo.front();
    todo.erase(todo.begin());
    const LocalLink* l = link(i);
    if (!l || std::find(out.begin(), out.end(), l) != out.end()) continue;
    out.push_back(l);
    if (l->parent) todo.push_back(l->parent);
    for (auto& port : links)
      if (port.master == i) todo.push_back(port.ifindex);
  }
  return out;
}

bool LocalNetwork::is_local(const lw::Address& a) const {
  return std::any_of(addresses.begin(), addresses.end(),
                     [&](const LocalAddress& l) { return l.addr == a; });
}

LocalNetwork read_local_network() {
  std::unique_ptr<nl_sock, SockDeleter> sock(nl_socket_alloc());
  if (!sock) throw Error("probe: cannot allocate a netlink socket");
  if (int err = nl_connect(sock.get(), NETLINK_ROUTE); err < 0)
    throw Error(std::string("probe: cannot connect to rtnetlink: ") + nl_geterror(err));

  LocalNetwork net;
  nl_cache* raw = nullptr;
  if (int err = rtnl_link_alloc_cache(sock.get(), AF_UNSPEC, &raw); err < 0)
    throw Error(std::string("probe: cannot list interfaces: ") + nl_geterror(err));
  Cache links(raw);
  for (nl_object* o = nl_cache_get_first(links.get()); o; o = nl_cache_get_next(o)) {
    auto* l = reinterpret_cast<rtnl_link*>(o);
    LocalLink ll;
    ll.ifindex = rtnl_link_get_ifindex(l);
    ll.name = rtnl_link_get_name(l) ? rtnl_link_get_name(l) : "";
    ll.parent = link_is_parent(l) ? rtnl_link_get_link(l) : 0;
    ll.master = rtnl_link_get_master(l);
    net.links.push_back(ll);
  }

  raw = nullptr;
  if (int err = rtnl_addr_alloc_cache(sock.get(), &raw); err < 0)
    throw Error(std::string("probe: cannot list addresses: ") + nl_geterror(err));
  Cache addrs(raw);
  for (nl_object* o = nl_cache_get_first(addrs.get()); o; o = nl_cache_get_next(o)) {
    auto* a = reinterpret_cast<rtnl_addr*>(o);
    nl_addr* local = rtnl_addr_get_local(a);
    int family = rtnl_addr_get_family(a);
    if (!local || (family != AF_INET && family != AF_INET6)) continue;
    if (rtnl_addr_get_scope(a) != RT_SCOPE_UNIVERSE) continue;  // not lo, not fe80::
    LocalAddress la;
    la.addr.family = family;
    size_t len = std::min<size_t>(nl_addr_get_len(local), la.addr.bytes.size());
    std::memcpy(la.addr.bytes.data(), nl_addr_get_binary_addr(local), len);
    la.prefix = rtnl_addr_get_prefixlen(a);
    la.ifindex = rtnl_addr_get_ifindex(a);
    net.addresses.push_back(la);
  }
  return net;
}

}  // namespace lw::probe
