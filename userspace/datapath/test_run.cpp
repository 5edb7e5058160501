// SPDX-License-Identifier: GPL-2.0-only
#include "datapath/test_run.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include <algorithm>
#include <cstring>

#include "common/error.h"
#include "datapath/libbpf_log.h"
#include "datapath/maps.h"
#include "empty.skel.h"
#include "lanewarden.h"  // before the skeleton: it embeds struct lw_rodata
#include "lanewarden.skel.h"

namespace lw::datapath {
namespace {

RunResult test_run(int prog_fd, const std::vector<uint8_t>& frame, const RunOptions& o) {
  __sk_buff ctx{};
  ctx.ifindex = o.ifindex;
  ctx.priority = o.priority;
  ctx.tstamp = o.tstamp;
  ctx.gso_segs = o.gso_segs;
  std::vector<uint8_t> out(frame.size() + 256);
  bpf_test_run_opts opts{};
  opts.sz = sizeof(opts);
  opts.data_in = frame.data();
  opts.data_size_in = static_cast<uint32_t>(frame.size());
  opts.data_out = out.data();
  opts.data_size_out = static_cast<uint32_t>(out.size());
  opts.ctx_in = &ctx;
  opts.ctx_size_in = sizeof(ctx);
  opts.ctx_out = &ctx;
  opts.ctx_size_out = sizeof(ctx);
  opts.repeat = o.repeat;
  if (int err = bpf_prog_test_run_opts(prog_fd, &opts))
    throw SystemError("BPF_PROG_TEST_RUN failed", err);
  if (o.data_out) {
    out.resize(opts.data_size_out);
    *o.data_out = std::move(out);
  }
  return {static_cast<int>(opts.retval), opts.duration, ctx.priority, ctx.tstamp};
}

}  // namespace

Sandbox::Sandbox(const SandboxOptions& sopts) {
  install_libbpf_logger();
  skel_ = lanewarden__open();
  if (!skel_) throw SystemError("cannot open the embedded BPF object", errno);
  bpf_map__set_autocreate(skel_->maps.lw_policy_template, false);
  skel_->rodata->lw_cfg.event_interval_ns = sopts.event_interval_ns;
  if (int err = lanewarden__load(skel_)) {
    lanewarden__destroy(skel_);
    throw Error(load_error("lanewarden's BPF programs", err));
  }
  empty_ = empty__open_and_load();
  if (!empty_) {
    lanewarden__destroy(skel_);
    throw Error(load_error("the empty baseline program", errno));
  }
}

Sandbox::~Sandbox() {
  ring_buffer__free(events_);
  empty__destroy(empty_);
  lanewarden__destroy(skel_);
}

void Sandbox::install(const lw_policy& p) {
  swap_policy(bpf_map__fd(skel_->maps.lw_policy_outer), bpf_map__fd(skel_->maps.lw_counters), p);
}

RunResult Sandbox::run(int dir, const std::vector<uint8_t>& frame, const RunOptions& o) {
  auto* prog = dir == LW_DIR_INGRESS ? skel_->progs.lw_ingress : skel_->progs.lw_egress;
  return test_run(bpf_program__fd(prog), frame, o);
}

RunResult Sandbox::run_empty(const std::vector<uint8_t>& frame, const RunOptions& o) {
  return test_run(bpf_program__fd(empty_->progs.lw_empty), frame, o);
}

lw_iface_counters Sandbox::counters(uint32_t slot) const {
  return read_counters(bpf_map__fd(skel_->maps.lw_counters), slot);
}

void Sandbox::reset_counters() {
  for (uint32_t slot = 0; slot <= LW_MAX_IFACES; slot++)
    zero_counters(bpf_map__fd(skel_->maps.lw_counters), slot);
}

lw_violation_counters Sandbox::violations(uint32_t slot) const {
  return read_violations(bpf_map__fd(skel_->maps.lw_violations), slot);
}

size_t Sandbox::consume_events(const std::function<void(const lw_event&)>& sink) {
  if (!events_) {
    auto cb = [](void* ctx, void* data, size_t size) -> int {
      auto* self = static_cast<Sandbox*>(ctx);
      lw_event ev{};
      std::memcpy(&ev, data, std::min(size, sizeof(ev)));
      if (self->sink_) self->sink_(ev);
      return 0;
    };
    events_ = ring_buffer__new(bpf_map__fd(skel_->maps.lw_events), cb, this, nullptr);
    if (!events_) throw SystemError("cannot open the events ring buffer", errno);
  }
  sink_ = sink;
  int n = ring_buffer__consume(events_);
  sink_ = nullptr;
  if (n < 0) throw SystemError("cannot read the events ring buffer", -n);
  return static_cast<size_t>(n);
}

std::vector<lw_event> Sandbox::drain_events() {
  std::vector<lw_event> out;
  consume_events([&out](const lw_event& ev) { out.push_back(ev); });
  return out;
}

int Sandbox::program_fd(int dir) const {
  return bpf_program__fd(dir == LW_DIR_INGRESS ? skel_->progs.lw_ingress : skel_->progs.lw_egress);
}

int Sandbox::empty_program_fd() const { return bpf_program__fd(empty_->progs.lw_empty); }

int Sandbox::map_fd(const char* name) const {
  bpf_map* m = bpf_object__find_map_by_name(skel_->obj, name);
  return m ? bpf_map__fd(m) : -1;
}

}  // namespace lw::datapath
