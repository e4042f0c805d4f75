// Resends from the journal: on a thread of its own, rebuilds the engine from the newest snapshot
// at or before the requested seq, replays the journal up to the resend's end, and keeps the
// reports of the asking account. Slow for a long way back (it replays), but it never touches
// the matching thread and is exact: the engine is deterministic.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "engine/engine.hpp"
#include "gateway/pipeline/history.hpp"

namespace gpux::gateway {

class ResendWorker final : public History {
 public:
  // `wake` tells the gateway an answer is ready (its transport's wake()).
  ResendWorker(std::string dir, Catalog catalog, EngineConfig engine_config, std::function<void()> wake);
  ~ResendWorker() override;

  void request(ResendRequest request) override;
  void poll(const std::function<void(ResendResult&)>& f) override;

 private:
  void run();
  void answer(ResendResult& result) const;

  std::string dir_;
  Catalog catalog_;
  EngineConfig engine_config_;
  std::function<void()> wake_;
  std::mutex mutex_;  // guards the two queues; off the order path
  std::condition_variable work_;
  std::deque<ResendRequest> todo_;
  std::deque<ResendResult> done_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace gpux::gateway
