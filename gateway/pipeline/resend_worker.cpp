#include "gateway/pipeline/resend_worker.hpp"

#include <algorithm>
#include <vector>

#include "schemas/reports.hpp"
#include "gateway/storage/reader.hpp"
#include "gateway/storage/recovery.hpp"

namespace gpux::gateway {

using namespace protocol;
using namespace storage;

ResendWorker::ResendWorker(std::string dir, Catalog catalog, EngineConfig engine_config,
                               std::function<void()> wake)
    : dir_(std::move(dir)),
      catalog_(std::move(catalog)),
      engine_config_(engine_config),
      wake_(std::move(wake)),
      thread_([this] { run(); }) {
  engine_config_.prefault = false;
}

ResendWorker::~ResendWorker() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  work_.notify_one();
  thread_.join();
}

void ResendWorker::request(ResendRequest request) {
  {
    std::lock_guard lock(mutex_);
    todo_.push_back(std::move(request));
  }
  work_.notify_one();
}

void ResendWorker::poll(const std::function<void(ResendResult&)>& f) {
  std::deque<ResendResult> ready;
  {
    std::lock_guard lock(mutex_);
    ready.swap(done_);
  }
  for (ResendResult& r : ready) f(r);
}

void ResendWorker::run() {
  for (;;) {
    ResendResult result;
    {
      std::unique_lock lock(mutex_);
      work_.wait(lock, [this] { return stop_ || !todo_.empty(); });
      if (stop_) return;
      result.request = std::move(todo_.front());
      todo_.pop_front();
    }
    answer(result);
    {
      std::lock_guard lock(mutex_);
      done_.push_back(std::move(result));
    }
    wake_();
  }
}

void ResendWorker::answer(ResendResult& result) const {
  const ResendRequest& r = result.request;
  Engine engine(catalog_, engine_config_);
  // The newest snapshot at or before `since`: only what follows it needs replaying. Without
  // one (or an unreadable directory) the replay starts from the journal's beginning.
  Seq start = 0;
  Ts start_ts = 0;
  load_newest_snapshot(dir_, r.since, engine, start, start_ts, result.error, [](std::string_view) {});
  result.error.clear();
  ScanOptions options;
  options.after = start;
  options.until = r.through;
  ScanResult scanned;
  EventBuffer events;
  protocol::ServerEncoder encoder;
  Seq first = 0;
  const bool ok = scan(
      dir_, options,
      [&](const Record& record) {
        if (first == 0) first = record.command.seq;
        events.clear();
        engine.process(record.command, events);
        if (record.command.seq <= r.since) return;
        for (const Event& e : events) {
          const protocol::ReportNames names = protocol::report_names(engine, e);
          protocol::execution_reports(encoder, e, names.instrument, names.account, names.counterparty,
                                     [&](Audience audience, std::string_view to, std::span<const std::uint8_t> frame) {
                                       // A drop copy gets everything; a risk event only it.
                                       if (r.everyone || audience == Audience::everyone ||
                                           (audience == Audience::account && to == r.account))
                                         result.frames.insert(result.frames.end(), frame.begin(), frame.end());
                                     });
        }
      },
      scanned, result.error);
  if (!ok) return;
  if (first != start + 1 && !(first == 0 && start == r.through)) {
    result.error = "the journal does not reach back to seq " + std::to_string(start + 1);
  } else if (std::max(start, scanned.last_seq) < r.through) {
    result.error = "the journal ends at seq " + std::to_string(scanned.last_seq) + ", before " +
                   std::to_string(r.through);
  }
  if (!result.error.empty()) result.frames.clear();
}

}  // namespace gpux::gateway
