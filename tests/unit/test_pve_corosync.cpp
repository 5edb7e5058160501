// SPDX-License-Identifier: GPL-2.0-only
#include <gtest/gtest.h>

#include "pve/corosync_conf.h"

namespace {

using lw::pve::ConfigError;
using lw::pve::parse_corosync_conf;

constexpr const char* kConf = R"(# comment line
totem {
  cluster_name: lab
  token: 3000          # inline comment, as in some articles
  consensus: 3600
  secauth: on
  crypto_cipher: aes256
  crypto_hash: sha256
  interface {
    linknumber: 0
    knet_link_priority: 10
  }
  interface {
    ringnumber: 1
    knet_link_priority: 20
  }
}
nodelist {
  node {
    name: pve1
    nodeid: 1
    ring0_addr: 10.10.10.1
    ring1_addr: pve1-link1
  }
  node {
    name: pve2
    nodeid: 2
    ring0_addr: fd00::2
  }
}
quorum {
  provider: corosync_votequorum
  two_node: 1
}
)";

TEST(PveCorosync, ReadsNodelistTotemAndInterfaces) {
  auto c = parse_corosync_conf(kConf, "corosync.conf");
  EXPECT_EQ(c.cluster_name, "lab");
  EXPECT_EQ(c.int_value(c.token), 3000);
  EXPECT_EQ(c.int_value(c.consensus), 3600);
  EXPECT_EQ(c.token->where.line, 4);
  EXPECT_EQ(c.crypto_cipher->text, "aes256");
  ASSERT_EQ(c.interfaces.size(), 2u);
  EXPECT_EQ(c.interfaces[1].link, 1);  // ringnumber, the older spelling
  EXPECT_EQ(c.interfaces[1].knet_link_priority, 20);
  ASSERT_EQ(c.nodes.size(), 2u);
  auto* n = c.node("pve1");
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->ring_addr.at(0).text, "10.10.10.1");
  EXPECT_EQ(n->ring_addr.at(1).text, "pve1-link1");  // names are allowed
  EXPECT_EQ(n->ring_addr.at(1).where.line, 23);
  EXPECT_EQ(c.node("pve2")->ring_addr.at(0).text, "fd00::2");
  EXPECT_TRUE(c.two_node);
  EXPECT_EQ(c.links(), (std::vector<int>{0, 1}));
  EXPECT_EQ(c.primary_link(), 1);  // higher knet_link_priority wins (pvecm docs)
}

TEST(PveCorosync, PrimaryLinkDefaultsToLowestNumber) {
  auto c = parse_corosync_conf(
      "nodelist {\n node {\n name: a\n ring1_addr: 10.0.1.1\n ring0_addr: 10.0.0.1\n }\n}\n", "f");
  EXPECT_EQ(c.primary_link(), 0);
  EXPECT_FALSE(c.token);
}

void expect_error(const char* text, const std::string& where, const std::string& what) {
  try {
    parse_corosync_conf(text, "/etc/pve/corosync.conf");
    FAIL() << "no error for: " << text;
  } catch (const ConfigError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("/etc/pve/corosync.conf:" + where + ":"), std::string::npos) << msg;
    EXPECT_NE(msg.find(what), std::string::npos) << msg;
    EXPECT_EQ(e.exit_code(), 2);
  }
}

// As `pvecm qdevice setup` writes it (PVE::Corosync::write_conf sorts keys).
constexpr const char* kQdevice = R"(nodelist {
  node {
    name: pve1
    ring0_addr: 10.10.10.1
  }
}

quorum {
  device {
    model: net
    net {
      algorithm: ffsplit
      host: 10.10.10.5
      tls: on
    }
    votes: 1
  }
  provider: corosync_votequorum
}

totem {
  interface {
    knet_transport: sctp
    linknumber: 0
  }
}
)";

TEST(PveCorosync, ReadsQdeviceAndTransport) {
  auto c = parse_corosync_conf(kQdevice, "corosync.conf");
  ASSERT_TRUE(c.qdevice);
  EXPECT_EQ(c.qdevice->model, "net");
  ASSERT_TRUE(c.qdevice->host);
  EXPECT_EQ(c.qdevice->host->text, "10.10.10.5");
  EXPECT_EQ(c.qdevice->host->where.line, 13);
  EXPECT_EQ(c.qdevice->port, 5403);  // corosync-qdevice(8) default
  EXPECT_EQ(c.qdevice->algorithm->text, "ffsplit");
  EXPECT_FALSE(c.two_node);
  EXPECT_EQ(c.quorum_where.line, 8);
  ASSERT_EQ(c.interfaces.size(), 1u);
  EXPECT_TRUE(c.interfaces[0].sctp());

  auto port = parse_corosync_conf(
      "quorum {\n device {\n  model: net\n  net {\n   host: q.example\n   port: 5500\n  }\n "
      "}\n}\n",
      "f");
  EXPECT_EQ(port.qdevice->port, 5500);
  EXPECT_FALSE(parse_corosync_conf("totem {\n interface {\n  linknumber: 0\n }\n}\n", "f")
                   .interfaces[0]
                   .sctp());  // udp is the default
  EXPECT_EQ(parse_corosync_conf("", "f").quorum_where.line, 0);
}

TEST(PveCorosync, MalformedInputNamesFileAndLine) {
  expect_error("totem {\n  token: 3000\n", "1", "never closed");
  expect_error("totem {\n}\n}\n", "3", "without an open section");
  expect_error("totem {\n  token 3000\n}\n", "2", "expected 'key: value'");
  expect_error("totem {\n  token: 3s\n}\n", "2", "not a number");
  expect_error("totem {\n interface {\n  linknumber: 9\n }\n}\n", "3", "0..7");
  expect_error("nodelist {\n node {\n  ring9_addr: 10.0.0.1\n }\n}\n", "3", "0..7");
  expect_error("nodelist {\n node {\n  ring0_addr:\n }\n}\n", "3", "empty");
  expect_error("bad name {\n}\n", "1", "bad section name");
  expect_error("totem {\n interface {\n  knet_transport: tcp\n }\n}\n", "3",
               "neither udp nor sctp");
  expect_error("quorum {\n device {\n  net {\n   port: 70000\n  }\n }\n}\n", "4", "1..65535");
}

TEST(PveCorosync, EmptyAndCommentOnlyFilesParse) {
  EXPECT_TRUE(parse_corosync_conf("", "f").nodes.empty());
  EXPECT_TRUE(parse_corosync_conf("# nothing\n\n   # at all\n", "f").interfaces.empty());
}

}  // namespace
