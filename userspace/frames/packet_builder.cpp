// SPDX-License-Identifier: GPL-2.0-only
// Builder core: Ethernet/VLAN, IPv4, IPv6 and its extension headers, TCP,
// UDP, payload, and the build pass that links and finishes the layers.
// ICMP lives in packet_builder_icmp.cpp, link-local control protocols in
// packet_builder_l2.cpp.
#include "frames/packet_builder.h"

#include <algorithm>
#include <stdexcept>

#include "frames/bytes.h"
#include "frames/checksum.h"

namespace lw::frames {

using namespace bytes;
using Kind = PacketBuilder::Layer::Kind;

namespace {

bool is_l3(Kind k) {
  return k == Kind::kIpv4 || k == Kind::kIpv6 || k == Kind::kArp || k == Kind::kL2;
}
bool is_l4(Kind k) {
  return k == Kind::kTcp || k == Kind::kUdp || k == Kind::kSctp || k == Kind::kIcmp ||
         k == Kind::kIcmp6;
}

// Options are padded with EOL (0) to the 4-byte multiple the length fields need.
Bytes pad4(Bytes b) {
  while (b.size() % 4) b.push_back(0);
  return b;
}

uint8_t with_dscp(uint8_t tos, std::optional<uint8_t> dscp) {
  return dscp ? static_cast<uint8_t>((*dscp << 2) | (tos & 0x3)) : tos;
}

}  // namespace

Bytes tcp_option_timestamp(uint32_t tsval, uint32_t tsecr) {
  Bytes b{1, 1, 8, 10};
  append32(b, tsval);
  append32(b, tsecr);
  return b;
}

Bytes tcp_option_mss(uint16_t mss) {
  Bytes b{2, 4};
  append16(b, mss);
  return b;
}

PacketBuilder& PacketBuilder::add(Layer layer) {
  Kind k = layer.kind;
  auto has = [&](auto pred) { return std::any_of(layers_.begin(), layers_.end(), pred); };
  bool any_l3 = has([](const Layer& l) { return is_l3(l.kind); });
  bool any_l4 = has([](const Layer& l) { return is_l4(l.kind); });
  bool any_payload = has([](const Layer& l) { return l.kind == Kind::kPayload; });
  Kind last = layers_.empty() ? Kind::kVlan : layers_.back().kind;
  // Misordered calls are caller bugs: fail loudly instead of crafting nonsense.
  if (any_payload && k != Kind::kPayload)
    throw std::logic_error("PacketBuilder: headers cannot follow payload()");
  if (k == Kind::kVlan && any_l3) throw std::logic_error("PacketBuilder: vlan() after L3");
  if (is_l3(k) && any_l3) throw std::logic_error("PacketBuilder: only one L3 header");
  if (k == Kind::kExt && last != Kind::kIpv6 && last != Kind::kExt)
    throw std::logic_error("PacketBuilder: extension header must follow ipv6() or another one");
  if (is_l4(k)) {
    if (any_l4) throw std::logic_error("PacketBuilder: only one L4 header");
    bool v4 = has([](const Layer& l) { return l.kind == Kind::kIpv4; });
    bool v6 = has([](const Layer& l) { return l.kind == Kind::kIpv6; });
    if ((k == Kind::kIcmp && !v4) || (k == Kind::kIcmp6 && !v6) || (!v4 && !v6))
      throw std::logic_error("PacketBuilder: L4 header needs a matching ipv4()/ipv6()");
  }
  layers_.push_back(std::move(layer));
  return *this;
}

PacketBuilder& PacketBuilder::eth(std::string_view src, std::string_view dst) {
  if (!layers_.empty()) throw std::logic_error("PacketBuilder: eth() must come first");
  eth_src_ = parse_mac(src);
  eth_dst_ = parse_mac(dst);
  return *this;
}

PacketBuilder& PacketBuilder::vlan(uint16_t vid, uint8_t pcp, uint16_t tpid, bool dei) {
  if (vid > 0xfff || pcp > 7) throw std::invalid_argument("PacketBuilder: VID or PCP out of range");
  Layer l{Kind::kVlan, {}};
  append16(l.bytes, tpid);
  append16(l.bytes, static_cast<uint16_t>(pcp << 13 | (dei ? 0x1000 : 0) | vid));
  return add(std::move(l));
}

PacketBuilder& PacketBuilder::qinq(uint16_t outer_vid, uint16_t inner_vid) {
  return vlan(outer_vid, 0, kTpid8021ad).vlan(inner_vid, 0, kTpid8021Q);
}

PacketBuilder& PacketBuilder::ethertype(uint16_t type) {
  ethertype_ = type;
  return *this;
}

PacketBuilder& PacketBuilder::ipv4(std::string_view src, std::string_view dst, Ipv4Opts opts) {
  if (opts.frag_offset > 0x1fff) throw std::invalid_argument("PacketBuilder: fragment offset");
  opts.options = pad4(std::move(opts.options));
  if (opts.options.size() > 40) throw std::invalid_argument("PacketBuilder: IPv4 options > 40");
  Layer l{Kind::kIpv4, Bytes(20, 0)};
  l.bytes[1] = with_dscp(opts.tos, opts.dscp);
  put16(l.bytes, 4, opts.id);
  put16(l.bytes, 6,
        static_cast<uint16_t>((opts.df ? 0x4000 : 0) | (opts.mf ? 0x2000 : 0) | opts.frag_offset));
  l.bytes[8] = opts.ttl;
  auto s = parse_ipv4(src), d = parse_ipv4(dst);
  std::copy(s.begin(), s.end(), l.bytes.begin() + 12);
  std::copy(d.begin(), d.end(), l.bytes.begin() + 16);
  append(l.bytes, opts.options);
  l.opts = std::move(opts);
  return add(std::move(l));
}

PacketBuilder& PacketBuilder::ipv6(std::string_view src, std::string_view dst, Ipv6Opts opts) {
  Layer l{Kind::kIpv6, Bytes(40, 0)};
  uint8_t tc = with_dscp(opts.traffic_class, opts.dscp);
  put32(l.bytes, 0, 6u << 28 | uint32_t{tc} << 20 | (opts.flow_label & 0xfffff));
  auto s = parse_ipv6(src), d = parse_ipv6(dst);
  std::copy(s.begin(), s.end(), l.bytes.begin() + 8);
  std::copy(d.begin(), d.end(), l.bytes.begin() + 24);
  l.opts = std::move(opts);
  return add(std::move(l));
}

namespace {

// Hop-by-hop and destination options: header + one PadN option filling it.
Bytes options_ext(uint8_t len8) {
  Bytes b((len8 + 1u) * 8, 0);
  b[1] = len8;
  b[2] = 1;  // PadN
  b[3] = static_cast<uint8_t>(b.size() - 4);
  return b;
}

}  // namespace

PacketBuilder& PacketBuilder::ext_hop_by_hop(uint8_t len8) {
  Layer l{Kind::kExt, options_ext(len8)};
  l.ip_proto = 0;
  return add(std::move(l));
}

PacketBuilder& PacketBuilder::ext_dest_opts(uint8_t len8) {
  Layer l{Kind::kExt, options_ext(len8)};
  l.ip_proto = 60;
  return add(std::move(l));
}

PacketBuilder& PacketBuilder::ext_routing(std::vector<std::string> addresses, uint8_t type,
                                          uint8_t segments_left) {
  Layer l{Kind::kExt, Bytes(8, 0)};
  l.ip_proto = 43;
  l.bytes[1] = static_cast<uint8_t>(2 * addresses.size());
  l.bytes[2] = type;
  l.bytes[3] = segments_left;
  if (type == 4 && !addresses.empty()) l.bytes[4] = static_cast<uint8_t>(addresses.size() - 1);
  for (const auto& a : addresses) append(l.bytes, parse_ipv6(a));
  return add(std::move(l));
}

PacketBuilder& PacketBuilder::ext_fragment(uint16_t offset, bool more, uint32_t id,
                                           std::optional<uint8_t> next_header) {
  if (offset > 0x1fff) throw std::invalid_argument("PacketBuilder: fragment offset");
  Layer l{Kind::kExt, Bytes(8, 0)};
  l.ip_proto = 44;
  put16(l.bytes, 2, static_cast<uint16_t>(offset << 3 | (more ? 1 : 0)));
  put32(l.bytes, 4, id);
  l.next_override = next_header;
  return add(std::move(l));
}

PacketBuilder& PacketBuilder::tcp(uint16_t sport, uint16_t dport, TcpOpts opts) {
  opts.options = pad4(std::move(opts.options));
  if (opts.options.size() > 40) throw std::invalid_argument("PacketBuilder: TCP options > 40");
  Layer l{Kind::kTcp, Bytes(20, 0)};
  l.ip_proto = 6;
  put16(l.bytes, 0, sport);
  put16(l.bytes, 2, dport);
  put32(l.bytes, 4, opts.seq);
  put32(l.bytes, 8, opts.ack);
  l.bytes[13] = opts.flags;
  put16(l.bytes, 14, opts.window);
  put16(l.bytes, 18, opts.urgent);
  append(l.bytes, opts.options);
  l.opts = std::move(opts);
  return add(std::move(l));
}

PacketBuilder& PacketBuilder::udp(uint16_t sport, uint16_t dport, UdpOpts opts) {
  Layer l{Kind::kUdp, Bytes(8, 0)};
  l.ip_proto = 17;
  put16(l.bytes, 0, sport);
  put16(l.bytes, 2, dport);
  l.opts = std::move(opts);
  return add(std::move(l));
}

PacketBuilder& PacketBuilder::sctp(uint16_t sport, uint16_t dport, SctpOpts opts) {
  Layer l{Kind::kSctp, Bytes(12, 0)};
  l.ip_proto = 132;
  put16(l.bytes, 0, sport);
  put16(l.bytes, 2, dport);
  put32(l.bytes, 4, opts.vtag);
  l.opts = opts;
  return add(std::move(l));
}

PacketBuilder& PacketBuilder::payload(size_t n) {
  Layer l{Kind::kPayload, Bytes(n)};
  for (size_t i = 0; i < n; ++i) l.bytes[i] = static_cast<uint8_t>(i);
  return add(std::move(l));
}

PacketBuilder& PacketBuilder::payload(std::span<const uint8_t> data) {
  return add(Layer{Kind::kPayload, Bytes(data.begin(), data.end())});
}

PacketBuilder& PacketBuilder::payload(std::string_view text) {
  return add(Layer{Kind::kPayload, Bytes(text.begin(), text.end())});
}

PacketBuilder& PacketBuilder::pad_to(size_t n) {
  pad_to_ = n;
  return *this;
}

PacketBuilder& PacketBuilder::truncate(size_t n) {
  truncate_ = n;
  return *this;
}

PacketBuilder::Serialized PacketBuilder::serialize() const {
  Serialized s;
  Mac dst = eth_dst_.value_or(parse_mac("02:00:00:00:00:02"));
  Mac src = eth_src_.value_or(parse_mac("02:00:00:00:00:01"));
  append(s.frame, dst);
  append(s.frame, src);
  size_t i = 0;
  for (; i < layers_.size() && layers_[i].kind == Kind::kVlan; ++i) {
    s.offsets.push_back(s.frame.size());
    append(s.frame, layers_[i].bytes);
  }
  size_t type_off = s.frame.size();
  append16(s.frame, 0);
  s.l3 = s.frame.size();
  for (; i < layers_.size(); ++i) {
    s.offsets.push_back(s.frame.size());
    append(s.frame, layers_[i].bytes);
  }
  s.end = s.frame.size();

  // Ethertype from the first header after the tags; 0x88b5 (IEEE local
  // experimental) when only payload follows.
  uint16_t type = 0x88b5;
  auto first = std::find_if(layers_.begin(), layers_.end(),
                            [](const Layer& l) { return l.kind != Kind::kVlan; });
  if (first != layers_.end()) {
    switch (first->kind) {
      case Kind::kIpv4:
        type = 0x0800;
        break;
      case Kind::kIpv6:
        type = 0x86dd;
        break;
      case Kind::kArp:
        type = 0x0806;
        break;
      case Kind::kL2:
        // 802.3 frames (STP) carry the LLC length instead of a type.
        type = first->l2_type ? first->l2_type : static_cast<uint16_t>(s.end - s.l3);
        break;
      default:
        break;
    }
  }
  put16(s.frame, type_off, ethertype_.value_or(type));

  // Innermost first: L4 checksums must be final before IP lengths/checksums
  // are computed around them (lengths do not depend on them, but keep the
  // order obvious).
  for (size_t k = layers_.size(); k-- > 0;) finish_layer(s, k);
  return s;
}

void PacketBuilder::finish_layer(Serialized& s, size_t index) const {
  const Layer& l = layers_[index];
  size_t off = s.offsets[index];
  Bytes& f = s.frame;
  auto next_proto = [&](uint8_t none) -> uint8_t {
    if (index + 1 < layers_.size() && layers_[index + 1].kind != Kind::kPayload)
      return layers_[index + 1].ip_proto;
    return none;
  };
  // Pseudo-header sum for an L4 layer, from the nearest IP header before it.
  auto pseudo = [&](uint8_t proto) -> uint32_t {
    uint32_t len = static_cast<uint32_t>(s.end - off);
    for (size_t j = index; j-- > 0;) {
      size_t ip = s.offsets[j];
      if (layers_[j].kind == Kind::kIpv4) {
        Ipv4Addr a, b;
        std::copy_n(f.begin() + ip + 12, 4, a.begin());
        std::copy_n(f.begin() + ip + 16, 4, b.begin());
        return pseudo_header_v4(a, b, proto, len);
      }
      if (layers_[j].kind == Kind::kIpv6) {
        Ipv6Addr a, b;
        std::copy_n(f.begin() + ip + 8, 16, a.begin());
        size_t dst = ip + 24;
        // A routing header with segments left: the pseudo header uses the
        // final destination (RFC 8200 8.1), like the tests' frame parser checks it.
        for (size_t r = j + 1; r < index; ++r) {
          const Bytes& rb = layers_[r].bytes;
          if (layers_[r].ip_proto == 43 && rb[3] > 0 && rb.size() >= 24)
            dst = s.offsets[r] + (rb[2] == 4 ? 8 : rb.size() - 16);
        }
        std::copy_n(f.begin() + dst, 16, b.begin());
        return pseudo_header_v6(a, b, proto, len);
      }
    }
    return 0;
  };
  auto l4_sum = [&](uint32_t initial, size_t field) {
    put16(f, off + field, 0);
    uint16_t c = checksum_finish(
        checksum_add(std::span<const uint8_t>(f).subspan(off, s.end - off), initial));
    put16(f, off + field, c);
    return c;
  };

  switch (l.kind) {
    case Kind::kIpv4: {
      const auto& o = std::get<Ipv4Opts>(l.opts);
      size_t hlen = l.bytes.size();
      f[off] = static_cast<uint8_t>(o.version.value_or(4) << 4 | (o.ihl.value_or(hlen / 4) & 0xf));
      put16(f, off + 2, o.tot_len.value_or(static_cast<uint16_t>(s.end - off)));
      f[off + 9] = o.protocol.value_or(next_proto(253));
      put16(f, off + 10, 0);
      uint16_t c = inet_checksum(std::span<const uint8_t>(f).subspan(off, hlen));
      put16(f, off + 10, o.bad_checksum ? static_cast<uint16_t>(c + 1) : c);
      break;
    }
    case Kind::kIpv6: {
      const auto& o = std::get<Ipv6Opts>(l.opts);
      bool nd = std::any_of(layers_.begin(), layers_.end(), [](const Layer& x) { return x.nd; });
      put16(f, off + 4, o.payload_len.value_or(static_cast<uint16_t>(s.end - off - 40)));
      f[off + 6] = o.next_header.value_or(next_proto(59));
      f[off + 7] = o.hop_limit.value_or(nd ? 255 : 64);
      break;
    }
    case Kind::kExt:
      f[off] = l.next_override.value_or(next_proto(59));
      break;
    case Kind::kTcp: {
      const auto& o = std::get<TcpOpts>(l.opts);
      f[off + 12] = static_cast<uint8_t>(o.doff.value_or(l.bytes.size() / 4) << 4);
      uint16_t c = l4_sum(pseudo(6), 16);
      if (o.bad_checksum) put16(f, off + 16, static_cast<uint16_t>(c + 1));
      break;
    }
    case Kind::kUdp: {
      const auto& o = std::get<UdpOpts>(l.opts);
      put16(f, off + 4, o.length.value_or(static_cast<uint16_t>(s.end - off)));
      uint16_t c = l4_sum(pseudo(17), 6);
      // A computed 0 is sent as 0xffff: 0 means "no checksum" (RFC 768).
      if (c == 0) c = 0xffff;
      if (o.bad_checksum) c = static_cast<uint16_t>(c + 1);
      if (o.zero_checksum) c = 0;
      put16(f, off + 6, c);
      break;
    }
    case Kind::kSctp: {
      // CRC32c over the whole packet, stored little-endian (RFC 9260 appendix A).
      put32(f, off + 8, 0);
      uint32_t c = crc32c(std::span<const uint8_t>(f).subspan(off, s.end - off));
      if (std::get<SctpOpts>(l.opts).bad_checksum) c ^= 1;
      for (int i = 0; i < 4; ++i) f[off + 8 + i] = static_cast<uint8_t>(c >> (8 * i));
      break;
    }
    case Kind::kIcmp:
      l4_sum(0, 2);
      break;
    case Kind::kIcmp6:
      l4_sum(pseudo(58), 2);
      break;
    default:
      break;
  }
}

Bytes PacketBuilder::build() const {
  Serialized s = serialize();
  if (pad_to_ && s.frame.size() < *pad_to_) s.frame.resize(*pad_to_, 0);
  if (truncate_ && s.frame.size() > *truncate_) s.frame.resize(*truncate_);
  return std::move(s.frame);
}

Bytes PacketBuilder::build_l3() const {
  Serialized s = serialize();
  Bytes out(s.frame.begin() + s.l3, s.frame.begin() + s.end);
  if (truncate_ && s.frame.size() > *truncate_)
    out.resize(*truncate_ > s.l3 ? *truncate_ - s.l3 : 0);
  return out;
}

size_t PacketBuilder::l3_offset() const { return serialize().l3; }

size_t PacketBuilder::l4_offset() const {
  Serialized s = serialize();
  for (size_t i = 0; i < layers_.size(); ++i)
    if (is_l4(layers_[i].kind)) return s.offsets[i];
  throw std::logic_error("PacketBuilder: no L4 header");
}

size_t PacketBuilder::payload_offset() const {
  Serialized s = serialize();
  for (size_t i = 0; i < layers_.size(); ++i)
    if (layers_[i].kind == Kind::kPayload) return s.offsets[i];
  return s.end;
}

size_t PacketBuilder::vlan_offset(size_t index) const {
  Serialized s = serialize();
  size_t seen = 0;
  for (size_t i = 0; i < layers_.size(); ++i)
    if (layers_[i].kind == Kind::kVlan && seen++ == index) return s.offsets[i];
  throw std::logic_error("PacketBuilder: no such VLAN tag");
}

}  // namespace lw::frames
