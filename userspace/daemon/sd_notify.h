// SPDX-License-Identifier: GPL-2.0-only
// The sd_notify protocol (one datagram to $NOTIFY_SOCKET), written out so
// that Type=notify needs no libsystemd: READY=1 once the policy is in force
// and metrics are served, RELOADING=1 / READY=1 around a reload, STOPPING=1.
#pragma once

#include <string>

namespace lw::daemon {

// Sends `state` when started by systemd with Type=notify; a no-op otherwise.
void sd_notify(const std::string& state);

}  // namespace lw::daemon
