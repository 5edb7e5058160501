// SPDX-License-Identifier: GPL-2.0-only
// Prometheus metric families built from the kernel's exact counters as they
// are at scrape time. Pure functions over datapath::Status (unit-tested
// without a kernel); collector.h reads the pins and calls them.
#pragma once

#include <prometheus/metric_family.h>

#include <string>
#include <vector>

#include "datapath/datapath.h"
#include "policy/policy.h"

namespace lw::metrics {

using Families = std::vector<prometheus::MetricFamily>;
using Labels = std::vector<prometheus::ClientMetric::Label>;

// A family of one type; add samples with add_counter/add_gauge.
prometheus::MetricFamily family(std::string name, std::string help, prometheus::MetricType type);
void add_counter(prometheus::MetricFamily& f, Labels labels, double value);
void add_gauge(prometheus::MetricFamily& f, Labels labels, double value);

// lanewarden_packets_total / _bytes_total {iface,dir,class,verdict},
// lanewarden_dropped_packets_total {iface,dir,class}, violations by kind,
// event accounting (written, suppressed, lost), parse errors by reason,
// packets on interfaces the policy does not list, and the policy in force.
// Zero samples are left out except where an alert needs the series to exist.
Families status_families(const datapath::Status& s);

// lanewarden_class_cap_bytes_per_second{class,mode},
// lanewarden_class_enforced{class} and
// lanewarden_class_latency_alarm_seconds{class} for the policy the daemon
// applied.
Families policy_families(const policy::Policy& p);

}  // namespace lw::metrics
