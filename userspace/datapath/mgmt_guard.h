// SPDX-License-Identifier: GPL-2.0-only
// apply refuses a policy that would drop the SSH connection it runs from:
// the flow in SSH_CONNECTION is run through the real programs (a private
// Sandbox holding the new policy) on the interface that holds the server
// address, both directions. `apply` and `run` share guard_ssh_session.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "common/net.h"
#include "datapath/policy_compiler.h"

namespace lw::datapath {

struct SshConnection {
  lw::Address client, server;
  uint16_t client_port = 0, server_port = 0;
};

// "client_ip client_port server_ip server_port"; nullopt when malformed.
std::optional<SshConnection> parse_ssh_connection(const std::string& env);

// Why the compiled policy would drop the connection, or nullopt when it would
// not (or when no local interface holds the server address).
std::optional<std::string> management_drop_reason(const CompiledPolicy& compiled,
                                                  const SshConnection& conn);

// Why a policy would drop `conn` (management_drop_reason of the policy as
// compiled for this node), or nullopt.
using DropReasonFn = std::function<std::optional<std::string>(const SshConnection&)>;

// The decision on the SSH session a command runs in. `ssh_connection` is the
// value of SSH_CONNECTION (null or empty: not over SSH, nothing to check; a
// value that does not parse is warned about and not checked). A policy that
// would drop the session throws UsageError (exit 2), or with `force` is only
// warned about.
void guard_ssh_session(const char* ssh_connection, bool force, const DropReasonFn& drop_reason);

// guard_ssh_session for `policy` compiled against this node's interfaces,
// with this process's SSH_CONNECTION: what `apply` and `run` call before
// they change anything.
void guard_ssh_session(const policy::Policy& policy, const std::string& pin_dir, bool force);

}  // namespace lw::datapath
