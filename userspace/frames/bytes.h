// SPDX-License-Identifier: GPL-2.0-only
// Big-endian byte writers shared by the packet builder's .cpp files.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace lw::frames::bytes {

inline void put16(std::vector<uint8_t>& b, size_t off, uint16_t v) {
  b[off] = static_cast<uint8_t>(v >> 8);
  b[off + 1] = static_cast<uint8_t>(v);
}
inline void put32(std::vector<uint8_t>& b, size_t off, uint32_t v) {
  put16(b, off, static_cast<uint16_t>(v >> 16));
  put16(b, off + 2, static_cast<uint16_t>(v));
}
inline void append8(std::vector<uint8_t>& b, uint8_t v) { b.push_back(v); }
inline void append16(std::vector<uint8_t>& b, uint16_t v) {
  b.push_back(static_cast<uint8_t>(v >> 8));
  b.push_back(static_cast<uint8_t>(v));
}
inline void append32(std::vector<uint8_t>& b, uint32_t v) {
  append16(b, static_cast<uint16_t>(v >> 16));
  append16(b, static_cast<uint16_t>(v));
}
inline void append(std::vector<uint8_t>& b, std::span<const uint8_t> data) {
  b.insert(b.end(), data.begin(), data.end());
}

}  // namespace lw::frames::bytes
