#include "gateway/pipeline/journaler.hpp"

#include <chrono>

#include "gateway/storage/files.hpp"
#include "gateway/storage/record.hpp"

namespace gpux::gateway {

using namespace storage;

Journaler::Journaler(JournalLink& link, JournalConfig config, LogFn log)
    : link_(link), config_(std::move(config)), log_(std::move(log)) {
  batch_.reserve(1 << 20);
  sync_stats_.reserve(kMaxSyncStats);
}

Journaler::~Journaler() { stop(); }

bool Journaler::open(Seq next_seq, std::string& error) {
  return writer_.open(config_.dir, next_seq, config_.segment_bytes, error);
}

void Journaler::start() {
  thread_ = std::thread([this] { run(); });
}

void Journaler::stop() {
  if (thread_.joinable()) thread_.join();
}

void Journaler::fail(const std::string& why) {
  failed_ = true;
  link_.fail();
  log_("journal failed, refusing new commands: " + why);
}

bool Journaler::keep(std::string& error) {
  if (batch_.empty()) return true;
  if (!runs_.empty()) {
    const bool published = publish_(batch_, runs_, error);
    runs_.clear();
    if (!published) {
      batch_.clear();
      return false;
    }
  }
  if (!writer_.append(batch_, batch_first_, error)) return false;
  batch_.clear();
  if (config_.durable) {
    const auto started = std::chrono::steady_clock::now();
    if (!writer_.sync(error)) return false;
    syncs_.fetch_add(1, std::memory_order_relaxed);
    if (sync_stats_.size() < kMaxSyncStats)
      sync_stats_.push_back({std::chrono::duration_cast<std::chrono::nanoseconds>(
                                 std::chrono::steady_clock::now() - started)
                                 .count(),
                             static_cast<std::uint32_t>(batch_last_ - batch_first_ + 1)});
  }
  link_.release(batch_last_);
  return true;
}

void Journaler::run() {
  using Clock = std::chrono::steady_clock;
  Clock::time_point synced = Clock::now();
  std::string error;
  while (link_.wait()) {
    Seq snapshot_seq = 0;
    Ts snapshot_ts = 0;
    link_.take(
        [&](const JournalEntry& e) {
          if (failed_) return;  // drained so that matching never waits, but never released
          if (e.snapshot) {
            snapshot_seq = e.command.seq;
            snapshot_ts = e.command.ts;
            return;
          }
          if (batch_.empty()) batch_first_ = e.command.seq;
          batch_last_ = e.command.seq;
          const std::size_t at = batch_.size();
          append_record(e.command, e.session, batch_);
          if (!publish_ || e.replicated) return;
          if (runs_.empty() || batch_.size() - runs_.back().begin > kMaxRunBytes)
            runs_.push_back(RecordRun{at, batch_.size(), e.command.seq, e.command.seq});
          runs_.back().end = batch_.size();
          runs_.back().last = e.command.seq;
        },
        4096);
    if (failed_) {
      if (snapshot_seq) link_.snapshot_written();
      continue;
    }
    if (!keep(error)) {
      fail(error);
      if (snapshot_seq) link_.snapshot_written();
      continue;
    }
    if (!config_.durable && Clock::now() - synced > std::chrono::seconds(1)) {
      synced = Clock::now();
      if (!writer_.sync(error)) fail(error);
    }
    if (snapshot_seq != 0) {
      // Every record up to the snapshot is on disk first, so the journal never has a gap
      // below a snapshot it sits beside.
      if (!config_.durable && !writer_.sync(error)) fail(error);
      if (!failed_ && !write_snapshot(config_.dir, snapshot_seq, snapshot_ts, link_.snapshot_bytes(),
                                      config_.keep_snapshots, error))
        log_("snapshot at seq " + std::to_string(snapshot_seq) + " not written: " + error);
      link_.snapshot_written();
    }
  }
  if (!failed_ && !config_.durable && !writer_.sync(error)) log_("journal: final sync failed: " + error);
  writer_.close();
}

}  // namespace gpux::gateway
