// SPDX-License-Identifier: GPL-2.0-only
// Non-IP frames the datapath must classify as infra: ARP, LLDP, LACP, STP.
#include "frames/bytes.h"
#include "frames/packet_builder.h"

namespace lw::frames {

using namespace bytes;
using Kind = PacketBuilder::Layer::Kind;

PacketBuilder& PacketBuilder::arp(ArpOpts o) {
  // A request goes to broadcast unless eth() chose a destination.
  if (!eth_dst_ && o.op == 1) eth_dst_ = parse_mac("ff:ff:ff:ff:ff:ff");
  Layer l{Kind::kArp, {}};
  append16(l.bytes, 1);       // hardware type Ethernet
  append16(l.bytes, 0x0800);  // protocol type IPv4
  append8(l.bytes, 6);
  append8(l.bytes, 4);
  append16(l.bytes, o.op);
  append(l.bytes, parse_mac(o.sender_mac));
  append(l.bytes, parse_ipv4(o.sender_ip));
  append(l.bytes, parse_mac(o.target_mac));
  append(l.bytes, parse_ipv4(o.target_ip));
  return add(std::move(l));
}

namespace {

// LLDP TLV header: 7-bit type, 9-bit length (IEEE 802.1AB 8.4).
void lldp_tlv(Bytes& b, uint8_t type, std::span<const uint8_t> value) {
  append16(b, static_cast<uint16_t>(type << 9 | value.size()));
  append(b, value);
}

// LACP actor/partner information TLV (IEEE 802.1AX 6.4.2.3), 20 bytes.
void lacp_port_info(Bytes& b, uint8_t type, const Mac& system, uint16_t key, uint16_t port,
                    uint8_t state) {
  append8(b, type);
  append8(b, 20);
  append16(b, 0x8000);  // system priority
  append(b, system);
  append16(b, key);
  append16(b, 0x8000);  // port priority
  append16(b, port);
  append8(b, state);
  b.insert(b.end(), 3, 0);
}

}  // namespace

PacketBuilder& PacketBuilder::lldp(std::string_view chassis_mac, std::string_view port,
                                   uint16_t ttl) {
  // Nearest-bridge group address: never forwarded by 802.1D bridges.
  if (!eth_dst_) eth_dst_ = parse_mac("01:80:c2:00:00:0e");
  Layer l{Kind::kL2, {}};
  l.l2_type = 0x88cc;
  Bytes chassis{4};  // subtype 4: MAC address
  append(chassis, parse_mac(chassis_mac));
  lldp_tlv(l.bytes, 1, chassis);
  Bytes port_id{5};  // subtype 5: interface name
  port_id.insert(port_id.end(), port.begin(), port.end());
  lldp_tlv(l.bytes, 2, port_id);
  Bytes ttl_value;
  append16(ttl_value, ttl);
  lldp_tlv(l.bytes, 3, ttl_value);
  lldp_tlv(l.bytes, 0, {});  // end of LLDPDU
  return add(std::move(l));
}

PacketBuilder& PacketBuilder::lacp(LacpOpts o) {
  // Slow protocols multicast address (IEEE 802.3 Annex 57A).
  if (!eth_dst_) eth_dst_ = parse_mac("01:80:c2:00:00:02");
  Layer l{Kind::kL2, {}};
  l.l2_type = 0x8809;
  append8(l.bytes, 1);  // subtype LACP
  append8(l.bytes, 1);  // version
  lacp_port_info(l.bytes, 1, parse_mac(o.actor_system), o.actor_key, o.actor_port, o.actor_state);
  lacp_port_info(l.bytes, 2, Mac{}, o.partner_key, 0, 0);
  append8(l.bytes, 3);  // collector information
  append8(l.bytes, 16);
  l.bytes.insert(l.bytes.end(), 14, 0);  // max delay + reserved
  append8(l.bytes, 0);                   // terminator
  append8(l.bytes, 0);
  l.bytes.insert(l.bytes.end(), 50, 0);  // reserved: LACPDU is 110 bytes
  return add(std::move(l));
}

PacketBuilder& PacketBuilder::stp(StpOpts o) {
  if (!eth_dst_) eth_dst_ = parse_mac("01:80:c2:00:00:00");
  Layer l{Kind::kL2, {}};
  l.l2_type = 0;           // 802.3 length field, filled by serialize()
  append8(l.bytes, 0x42);  // LLC DSAP: spanning tree
  append8(l.bytes, 0x42);  // LLC SSAP
  append8(l.bytes, 0x03);  // LLC control: UI
  append16(l.bytes, 0);    // protocol id
  append8(l.bytes, 0);     // version: STP
  append8(l.bytes, 0);     // BPDU type: configuration
  append8(l.bytes, o.flags);
  Mac root = parse_mac(o.root_mac);
  append16(l.bytes, o.root_priority);
  append(l.bytes, root);
  append32(l.bytes, o.root_path_cost);
  append16(l.bytes, o.root_priority);  // bridge id: this bridge is the root
  append(l.bytes, root);
  append16(l.bytes, o.port_id);
  append16(l.bytes, 0);         // message age
  append16(l.bytes, 20 * 256);  // max age, in 1/256 s
  append16(l.bytes, 2 * 256);   // hello time
  append16(l.bytes, 15 * 256);  // forward delay
  return add(std::move(l));
}

}  // namespace lw::frames
