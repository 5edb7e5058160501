// SPDX-License-Identifier: GPL-2.0-only
// The daemon's consumer of the pinned violation ring buffer: every event
// becomes one log line (journald keeps them), in the same text form as
// `lanewarden watch`. The kernel's flood control already folds repeats, so
// the log cannot be flooded by one misplaced flow.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "common/iface_name.h"

struct ring_buffer;

namespace lw::daemon {

class EventLog {
 public:
  explicit EventLog(int events_map_fd);
  ~EventLog();
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;
  int fd() const;      // epoll fd of the ring buffer: readable when events wait
  uint64_t consume();  // logs every waiting event, returns how many
  uint64_t logged() const { return logged_.load(); }  // any thread

 private:
  static int on_sample(void* ctx, void* data, size_t size);
  ring_buffer* rb_ = nullptr;
  int64_t clock_offset_ = 0;
  std::atomic<uint64_t> logged_{0};
  IfaceLabels iface_labels_;
};

}  // namespace lw::daemon
