// SPDX-License-Identifier: GPL-2.0-only
// Fluent builder for Ethernet frames fed to BPF_PROG_TEST_RUN and AF_PACKET
// sockets: `bench`'s representative frames, the SSH guard's probe of the
// management connection, and every crafted frame of the tests. Layers are appended outermost first;
// build() links them (ethertype, protocol / next-header), fills lengths and checksums, then applies
// deliberate damage (overrides, truncate) so malformed-header tests stay exact.
//
//   auto f = PacketBuilder().vlan(20).ipv4("198.51.100.1", "198.51.100.2")
//                .udp(5405, 5405).payload(64).build();
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "frames/address.h"

namespace lw::frames {

using Bytes = std::vector<uint8_t>;

inline constexpr uint16_t kTpid8021Q = 0x8100;
inline constexpr uint16_t kTpid8021ad = 0x88a8;

inline constexpr uint8_t kTcpFin = 0x01, kTcpSyn = 0x02, kTcpRst = 0x04, kTcpPsh = 0x08,
                         kTcpAck = 0x10, kTcpUrg = 0x20, kTcpEce = 0x40, kTcpCwr = 0x80;

struct Ipv4Opts {
  uint8_t ttl = 64;
  uint8_t tos = 0;
  std::optional<uint8_t> dscp;  // if set, replaces the upper six bits of tos
  uint16_t id = 1;
  bool df = false;
  bool mf = false;
  uint16_t frag_offset = 0;  // in 8-byte units, as on the wire
  Bytes options;             // raw option bytes, EOL-padded to 4 bytes; makes ihl > 5
  // Damage applied after all fields are computed (checksum is computed over
  // the damaged header, so only the override itself is wrong):
  std::optional<uint8_t> ihl;       // header length field (4-byte units)
  std::optional<uint8_t> version;   // version field (default 4)
  std::optional<uint16_t> tot_len;  // total length field
  std::optional<uint8_t> protocol;  // default: from the next layer, 253 if none
  bool bad_checksum = false;        // header checksum off by one
};

struct Ipv6Opts {
  uint8_t traffic_class = 0;
  std::optional<uint8_t> dscp;  // if set, replaces the upper six bits of traffic_class
  uint32_t flow_label = 0;
  std::optional<uint8_t> hop_limit;     // default 64, 255 for neighbour discovery
  std::optional<uint16_t> payload_len;  // override
  std::optional<uint8_t> next_header;   // override; default from the next layer, 59 if none
};

struct TcpOpts {
  uint8_t flags = kTcpAck;
  uint32_t seq = 1;
  uint32_t ack = 0;
  uint16_t window = 65535;
  uint16_t urgent = 0;
  Bytes options;                // raw option bytes, EOL-padded to 4 bytes
  std::optional<uint8_t> doff;  // data offset override (malformed doff tests)
  bool bad_checksum = false;
};

struct SctpOpts {
  uint32_t vtag = 1;  // verification tag
  bool bad_checksum = false;
};

struct UdpOpts {
  std::optional<uint16_t> length;  // length field override
  bool zero_checksum = false;      // "no checksum" (valid for IPv4 only)
  bool bad_checksum = false;
};

// TCP timestamp option (kind 8) preceded by two NOPs: 12 bytes, as Linux sends it.
Bytes tcp_option_timestamp(uint32_t tsval, uint32_t tsecr);
// TCP MSS option (kind 2), 4 bytes.
Bytes tcp_option_mss(uint16_t mss);

struct ArpOpts {
  uint16_t op = 1;  // 1 request, 2 reply
  std::string sender_mac = "02:00:00:00:00:01";
  std::string sender_ip = "198.51.100.1";
  std::string target_mac = "00:00:00:00:00:00";
  std::string target_ip = "198.51.100.2";
};

struct LacpOpts {
  std::string actor_system = "02:00:00:00:00:01";
  uint16_t actor_key = 1;
  uint16_t actor_port = 1;
  uint8_t actor_state = 0x3d;  // active, aggregatable, in sync, collecting, distributing
  uint16_t partner_key = 0;
};

struct StpOpts {
  uint8_t flags = 0;
  std::string root_mac = "02:00:00:00:00:01";
  uint16_t root_priority = 0x8000;
  uint32_t root_path_cost = 0;
  uint16_t port_id = 0x8001;
};

class PacketBuilder {
 public:
  // Layer 2. eth() is implicit with default MACs; call it first to choose them.
  PacketBuilder& eth(std::string_view src = "02:00:00:00:00:01",
                     std::string_view dst = "02:00:00:00:00:02");
  // One VLAN tag in the packet (repeat for stacked tags, outermost first).
  PacketBuilder& vlan(uint16_t vid, uint8_t pcp = 0, uint16_t tpid = kTpid8021Q, bool dei = false);
  // 802.1ad outer tag + 802.1Q inner tag.
  PacketBuilder& qinq(uint16_t outer_vid, uint16_t inner_vid);
  // Forces the ethertype after the tags (default: from the next layer).
  PacketBuilder& ethertype(uint16_t type);

  // Layer 3.
  PacketBuilder& ipv4(std::string_view src, std::string_view dst, Ipv4Opts opts = {});
  PacketBuilder& ipv6(std::string_view src, std::string_view dst, Ipv6Opts opts = {});
  // IPv6 extension headers, in chain order after ipv6(). `len8` is the
  // hdr-ext-len field: the header is (len8 + 1) * 8 bytes, PadN-filled.
  PacketBuilder& ext_hop_by_hop(uint8_t len8 = 0);
  PacketBuilder& ext_dest_opts(uint8_t len8 = 0);
  // Routing header with the given addresses (hdr-ext-len = 2 * count).
  PacketBuilder& ext_routing(std::vector<std::string> addresses = {"2001:db8::ff"},
                             uint8_t routing_type = 4, uint8_t segments_left = 0);
  // Fragment header; `offset` in 8-byte units. A non-first fragment has no
  // L4 header to link to: pass the original protocol as `next_header`.
  PacketBuilder& ext_fragment(uint16_t offset, bool more, uint32_t id,
                              std::optional<uint8_t> next_header = std::nullopt);
  PacketBuilder& arp(ArpOpts opts = {});

  // Layer 4.
  PacketBuilder& tcp(uint16_t sport, uint16_t dport, TcpOpts opts = {});
  PacketBuilder& udp(uint16_t sport, uint16_t dport, UdpOpts opts = {});
  // SCTP common header (RFC 9260 3.1) with its CRC32c; chunks go in payload().
  PacketBuilder& sctp(uint16_t sport, uint16_t dport, SctpOpts opts = {});
  PacketBuilder& icmp_echo(uint16_t id, uint16_t seq, bool reply = false);
  // Any ICMP message: type, code and the 4-byte "rest of header".
  PacketBuilder& icmp(uint8_t type, uint8_t code, uint32_t rest = 0);
  // ICMP error quoting `original`'s IP header + first 8 payload bytes.
  PacketBuilder& icmp_error(uint8_t type, uint8_t code, const PacketBuilder& original,
                            uint32_t rest = 0);
  // Destination unreachable, fragmentation needed, with next-hop MTU.
  PacketBuilder& icmp_frag_needed(uint16_t mtu, const PacketBuilder& original);
  PacketBuilder& icmp6_echo(uint16_t id, uint16_t seq, bool reply = false);
  PacketBuilder& icmp6(uint8_t type, uint8_t code, uint32_t rest = 0);
  // ICMPv6 error quoting as much of `original` as fits the 1280-byte minimum MTU.
  PacketBuilder& icmp6_error(uint8_t type, uint8_t code, const PacketBuilder& original,
                             uint32_t rest = 0);
  PacketBuilder& icmp6_packet_too_big(uint32_t mtu, const PacketBuilder& original);
  // Neighbour discovery (RFC 4861); hop limit defaults to 255 as ND requires.
  PacketBuilder& icmp6_neighbor_solicit(std::string_view target,
                                        std::optional<std::string> source_mac = std::nullopt);
  // flags: 0x80 router, 0x40 solicited, 0x20 override.
  PacketBuilder& icmp6_neighbor_advert(std::string_view target, uint8_t flags = 0x60,
                                       std::optional<std::string> target_mac = std::nullopt);
  PacketBuilder& icmp6_router_solicit(std::optional<std::string> source_mac = std::nullopt);
  PacketBuilder& icmp6_router_advert(uint16_t lifetime_s = 1800, uint8_t cur_hop_limit = 64);

  // Link-local control protocols; each sets its standard destination MAC
  // unless eth() chose one.
  PacketBuilder& lldp(std::string_view chassis_mac = "02:00:00:00:00:01",
                      std::string_view port = "lwt0", uint16_t ttl = 120);
  PacketBuilder& lacp(LacpOpts opts = {});
  PacketBuilder& stp(StpOpts opts = {});

  // Payload after the last header: `n` bytes of a counting pattern, or given bytes.
  PacketBuilder& payload(size_t n);
  PacketBuilder& payload(std::span<const uint8_t> bytes);
  PacketBuilder& payload(std::string_view text);

  // Appends zero bytes after the packet until the frame is `n` bytes long
  // (Ethernet minimum is 60 without FCS); lengths inside do not count them.
  PacketBuilder& pad_to(size_t n);
  // Cuts the finished frame to `n` bytes (truncated-header tests).
  PacketBuilder& truncate(size_t n);

  Bytes build() const;
  // The packet from the first L3 header on, without Ethernet/VLAN (for
  // ICMP error quotes and IP-level injection).
  Bytes build_l3() const;

  // Offsets into build()'s frame, from the builder's own layout (so they hold
  // for malformed frames too). Throw std::logic_error if the layer is absent.
  size_t l3_offset() const;                // first byte after the ethertype
  size_t l4_offset() const;                // TCP/UDP/SCTP/ICMP/ICMPv6 header
  size_t payload_offset() const;           // first byte after the last header
  size_t vlan_offset(size_t index) const;  // TPID of tag `index` (0 = outermost)

  // One header as appended: its bytes with computed fields still zero, plus
  // what build() needs to link and finish it. Public only so the builder's
  // .cpp files can share helpers; callers have no reason to touch it.
  struct Layer {
    enum class Kind {
      kVlan,
      kIpv4,
      kIpv6,
      kExt,
      kArp,
      kTcp,
      kUdp,
      kSctp,
      kIcmp,
      kIcmp6,
      kL2,
      kPayload
    };
    Layer(Kind k, Bytes b = {}) : kind(k), bytes(std::move(b)) {}
    Kind kind;
    Bytes bytes;
    uint8_t ip_proto = 0;                  // protocol / next-header value that announces this layer
    uint16_t l2_type = 0;                  // kL2: ethertype, 0 = 802.3 length field (STP)
    bool nd = false;                       // kIcmp6: neighbour discovery (hop limit 255)
    std::optional<uint8_t> next_override;  // kExt: forced next-header value
    std::variant<std::monostate, Ipv4Opts, Ipv6Opts, TcpOpts, UdpOpts, SctpOpts> opts;
  };
  struct Serialized {
    Bytes frame;
    std::vector<size_t> offsets;  // start of each layer in `frame`
    size_t l3 = 0;                // first byte after the ethertype
    size_t end = 0;               // end of the packet proper (before pad_to)
  };

 private:
  PacketBuilder& add(Layer layer);
  Serialized serialize() const;
  void finish_layer(Serialized& s, size_t index) const;

  std::vector<Layer> layers_;
  std::optional<Mac> eth_src_, eth_dst_;
  std::optional<uint16_t> ethertype_;
  std::optional<size_t> pad_to_, truncate_;
};

}  // namespace lw::frames
