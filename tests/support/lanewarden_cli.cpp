// SPDX-License-Identifier: GPL-2.0-only
#include "support/lanewarden_cli.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace lw::test {

LanewardenNode::LanewardenNode(std::string binary, std::string netns, const std::string& pin_name)
    : binary_(std::move(binary)), netns_(std::move(netns)) {
  if (pin_name.rfind("lwt", 0) != 0) throw std::invalid_argument("pin dir must start with lwt");
  pin_dir_ = "/sys/fs/bpf/" + pin_name;
  policy_file_ = "/tmp/" + pin_name + "-" + std::to_string(::getpid()) + ".toml";
}

LanewardenNode::~LanewardenNode() {
  run("detach");
  std::error_code ec;
  std::filesystem::remove_all(pin_dir_, ec);
  std::filesystem::remove(policy_file_, ec);
}

CommandResult LanewardenNode::run(const std::string& args,
                                  std::chrono::milliseconds timeout) const {
  return lw::test::run(shell_quote(binary_) + " --netns " + shell_quote(netns_) + " --pin-dir " +
                           shell_quote(pin_dir_) + " " + args,
                       timeout);
}

void LanewardenNode::apply(const std::string& toml, const std::string& extra_args) const {
  {
    std::ofstream f(policy_file_);
    f << toml;
  }
  auto r = run("apply " + shell_quote(policy_file_) + " " + extra_args);
  if (!r.ok())
    throw std::runtime_error("apply failed (" + std::to_string(r.exit_code) + "): " + r.err +
                             r.out);
}

std::vector<nlohmann::json> LanewardenNode::status() const {
  auto r = run("status --format json");
  if (!r.ok()) throw std::runtime_error("status failed: " + r.err);
  return json_lines(r.out);
}

std::vector<nlohmann::json> json_lines(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] == '{') out.push_back(nlohmann::json::parse(line));
  return out;
}

uint64_t counted_packets(const nlohmann::json& iface, const std::string& dir,
                         const std::string& cls, const std::string& verdict) {
  uint64_t n = 0;
  for (const auto& c : iface.at("counters"))
    if (c.at("dir") == dir && c.at("class") == cls &&
        (verdict.empty() || c.at("verdict") == verdict))
      n += c.at("packets").get<uint64_t>();
  return n;
}

uint64_t LanewardenNode::packets(const std::string& iface, const std::string& dir,
                                 const std::string& cls, const std::string& verdict) const {
  for (const auto& obj : status())
    if (obj.value("type", "") == "iface" && obj.value("iface", "") == iface)
      return counted_packets(obj, dir, cls, verdict);
  throw std::runtime_error("status does not list interface " + iface);
}

}  // namespace lw::test
