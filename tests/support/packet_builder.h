// SPDX-License-Identifier: GPL-2.0-only
// The frame builder of userspace/frames/ (the one bench and the SSH guard
// use), named as the tests name it (lw::test::PacketBuilder), with the
// parser that checks what it built and the designated-initializer fix its
// options need.
#pragma once

#include "frames/checksum.h"
#include "frames/packet_builder.h"
#include "support/designated_init.h"
#include "support/frame_parser.h"

namespace lw::test {

using namespace lw::frames;

}  // namespace lw::test
