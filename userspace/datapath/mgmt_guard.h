// SPDX-License-Identifier: GPL-2.0-only
// apply refuses a policy that would drop the SSH connection it runs from:
// the flow in SSH_CONNECTION is run through the real programs (a private
// Sandbox holding the new policy) on the interface that holds the server
// address, both directions.
#pragma once

#include <optional>
#include <string>

#include "datapath/policy_compiler.h"
#include "policy/net.h"

namespace lw::datapath {

struct SshConnection {
  policy::Address client, server;
  uint16_t client_port = 0, server_port = 0;
};

// "client_ip client_port server_ip server_port"; nullopt when malformed.
std::optional<SshConnection> parse_ssh_connection(const std::string& env);

// Why the compiled policy would drop the connection, or nullopt when it would
// not (or when no local interface holds the server address).
std::optional<std::string> management_drop_reason(const CompiledPolicy& compiled,
                                                  const SshConnection& conn);

}  // namespace lw::datapath
