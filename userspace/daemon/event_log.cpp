// SPDX-License-Identifier: GPL-2.0-only
#include "daemon/event_log.h"

#include <bpf/libbpf.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/error.h"
#include "telemetry/event_format.h"

namespace lw::daemon {

EventLog::EventLog(int events_map_fd) : clock_offset_(telemetry::monotonic_to_realtime_offset()) {
  rb_ = ring_buffer__new(events_map_fd, &EventLog::on_sample, this, nullptr);
  if (!rb_) throw SystemError("cannot open the pinned events ring buffer", errno);
}

EventLog::~EventLog() { ring_buffer__free(rb_); }

int EventLog::fd() const { return ring_buffer__epoll_fd(rb_); }

uint64_t EventLog::consume() {
  const uint64_t before = logged_;
  int n = ring_buffer__consume(rb_);
  if (n < 0 && n != -EINTR) spdlog::warn("reading the events ring buffer failed: {}", strerror(-n));
  return logged_ - before;
}

int EventLog::on_sample(void* ctx, void* data, size_t size) {
  auto* self = static_cast<EventLog*>(ctx);
  lw_event ev{};
  std::memcpy(&ev, data, std::min(size, sizeof(ev)));
  auto namer = [self](uint32_t i) { return self->iface_labels_(i); };
  spdlog::warn("violation: {}", telemetry::event_text(ev, namer, self->clock_offset_));
  self->logged_++;
  return 0;
}

}  // namespace lw::daemon
