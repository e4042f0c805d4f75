// The journal thread of gpuxd: takes sequenced commands from the pipeline, appends them to the
// journal with group commit (one fdatasync for everything that arrived meanwhile), releases
// their output to clients once kept, and writes the snapshots the engine thread hands over.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "gateway/pipeline/journal_link.hpp"
#include "gateway/storage/writer.hpp"

namespace gpux::gateway {

struct JournalConfig {
  std::string dir;
  // Durable: a command's output is released after the fdatasync that holds it. Otherwise
  // after the write (the page cache), with an fdatasync about once a second.
  bool durable = true;
  std::uint64_t segment_bytes = 256u << 20;
  int keep_snapshots = 2;
};

// A run of whole records in a batch and the commands they hold: one message of the
// replicated log (docs/replication.md).
struct RecordRun {
  std::size_t begin;
  std::size_t end;
  Seq first;
  Seq last;
};
// Half of JetStream's 1 MiB message limit as gpux configures it: a group commit of 4096 new
// orders (~130-byte records) is one run, a larger batch two or three.
inline constexpr std::size_t kMaxRunBytes = 512 << 10;

class Journaler {
 public:
  using LogFn = std::function<void(std::string_view)>;
  // Replication: publishes the runs of a batch to the replicated log and returns once it holds
  // them; false (with the reason) when it cannot, and then nothing of the batch is kept locally
  // or released.
  using PublishFn = std::function<bool(std::span<const std::uint8_t>, std::span<const RecordRun>, std::string&)>;

  Journaler(JournalLink& link, JournalConfig config, LogFn log);
  ~Journaler();
  Journaler(const Journaler&) = delete;
  Journaler& operator=(const Journaler&) = delete;

  // Before the pipeline starts: the next command appended will be `next_seq`.
  bool open(Seq next_seq, std::string& error);
  // Before start(): a primary's commands go to the replicated log before the local journal,
  // which is then always a prefix of the log. A standby's (replicated entries) are only kept.
  void replicate(PublishFn publish) { publish_ = std::move(publish); }
  void start();
  // After the pipeline stopped: writes and syncs what is left, then joins.
  void stop();

  std::uint64_t syncs() const { return syncs_.load(std::memory_order_relaxed); }

  // One group commit: how long its fdatasync took and how many commands it made durable.
  // The first kMaxSyncStats are kept (for the benchmark); read them after stop().
  struct SyncStat {
    std::int64_t ns;
    std::uint32_t commands;
  };
  static constexpr std::size_t kMaxSyncStats = 1 << 20;
  const std::vector<SyncStat>& sync_stats() const { return sync_stats_; }

 private:
  void run();
  bool keep(std::string& error);  // write the batch, sync if due
  void fail(const std::string& why);

  JournalLink& link_;
  JournalConfig config_;
  LogFn log_;
  storage::SegmentWriter writer_;
  std::thread thread_;
  std::vector<std::uint8_t> batch_;
  PublishFn publish_;
  std::vector<RecordRun> runs_;  // the batch's records to publish first
  Seq batch_first_ = 0;
  Seq batch_last_ = 0;
  bool failed_ = false;
  std::atomic<std::uint64_t> syncs_{0};
  std::vector<SyncStat> sync_stats_;
};

}  // namespace gpux::gateway
