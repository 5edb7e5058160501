// SPDX-License-Identifier: GPL-2.0-only
#include "support/iperf.h"

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

namespace lw::test {

IperfResult run_iperf3(const NetNs& client, const NetNs& server, const IperfOptions& o) {
  IperfResult out;
  const int total = o.seconds + o.omit;
  const std::string port = std::to_string(o.port);
  const std::string srv_cmd =
      "timeout " + std::to_string(total + 10) + " iperf3 -s -1 -p " + port + " -B " + o.server_addr;
  std::thread srv([&] { server.exec(srv_cmd, std::chrono::seconds(total + 12)); });
  CommandResult r;
  // The server needs a moment to listen: retry the connect a few times.
  for (int attempt = 0; attempt < 10; attempt++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    r = client.exec("timeout " + std::to_string(total + 8) + " iperf3 -J -c " + o.server_addr +
                        " -p " + port + " -t " + std::to_string(o.seconds) + " -O " +
                        std::to_string(o.omit),
                    std::chrono::seconds(total + 10));
    if (r.ok() || r.out.find("Connection refused") == std::string::npos) break;
  }
  srv.join();
  try {
    const auto j = nlohmann::json::parse(r.out);
    if (j.contains("error")) {
      out.error = j["error"].get<std::string>();
      return out;
    }
    out.bits_per_second = j.at("end").at("sum_received").at("bits_per_second").get<double>();
    out.retransmits = j.at("end").at("sum_sent").value("retransmits", uint64_t{0});
    out.ok = true;
  } catch (const std::exception& e) {
    out.error = std::string(e.what()) + ": " + r.out.substr(0, 400) + r.err;
  }
  return out;
}

}  // namespace lw::test
