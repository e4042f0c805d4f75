// A gpuxd's part in replication (docs/replication.md), on a thread of its own. As a standby it
// follows the replicated log and hands every command to the engine thread, which applies it
// with the seq and ts the primary gave it, and it watches the lease. When the lease is free it
// takes it, applies the rest of the log, appends an epoch marker after the last message it
// applied (fenced: it fails if anyone appended meanwhile) and promotes the pipeline, which
// then sequences clients' commands; the journal thread publishes them (publish()). As primary
// it renews the lease. A primary that loses the lease, or whose publish is fenced, is deposed:
// it stops sequencing at once and tells gpuxd, which exits.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <thread>

#include "gateway/pipeline/journaler.hpp"
#include "gateway/pipeline/pipeline.hpp"
#include "gateway/replication/lease.hpp"
#include "gateway/replication/nats_link.hpp"
#include "gateway/replication/publisher.hpp"

struct __natsSubscription;
struct __natsMsg;

namespace gpux::replication {

class Replicator {
 public:
  using LogFn = std::function<void(std::string_view)>;
  using DeposedFn = std::function<void(const std::string&)>;
  enum class Role { standby, primary, deposed };

  Replicator(NatsLink& link, gateway::Pipeline& pipeline, std::string node, LogFn log, DeposedFn deposed);
  ~Replicator();
  Replicator(const Replicator&) = delete;
  Replicator& operator=(const Replicator&) = delete;

  // Before start(): the local state ends at `applied` (its ts `applied_ts`); finds where the
  // log continues it. Refuses a local journal the log does not continue (ahead of the log, or
  // the log begins after it), which would fork the history.
  bool open(Seq applied, std::string& error);
  void start();
  void stop();

  // The journal thread's Journaler::PublishFn. A fenced publish deposes this node.
  bool publish(std::span<const std::uint8_t> bytes, std::span<const gateway::RecordRun> runs, std::string& error);

  // After stop(): what the journal thread published as primary.
  const Publisher& publisher() const { return publisher_; }
  Role role() const { return role_.load(std::memory_order_acquire); }
  std::uint64_t epoch() const { return epoch_.load(std::memory_order_relaxed); }
  // The last stream seq applied (standby) or appended (primary).
  std::uint64_t stream_seq() const { return stream_seq_.load(std::memory_order_relaxed); }

 private:
  void run();
  bool subscribe(std::uint64_t from, std::string& error);
  bool resubscribe(const std::string& why);  // from the next stream seq due; false when stopping
  // Applies the log's messages for up to `budget`; false on a message it cannot apply.
  bool follow(std::chrono::milliseconds budget);
  bool apply(__natsMsg* msg, std::string& error);
  bool take_over();  // the lease is ours: drain, mark, promote
  void depose(const std::string& why);
  std::uint64_t last_stream_seq(bool& ok);
  std::string lease_value() const;

  NatsLink& link_;
  gateway::Pipeline& pipeline_;
  std::string node_;
  LogFn log_;
  DeposedFn deposed_;
  Publisher publisher_;
  Lease lease_;
  __natsSubscription* sub_ = nullptr;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<Role> role_{Role::standby};
  std::atomic<std::uint64_t> epoch_{0};
  std::atomic<std::uint64_t> stream_seq_{0};
  std::uint64_t follow_from_ = 1;  // stream seq of the first message to read
  Seq applied_ = 0;                 // last command handed to the engine
  std::chrono::milliseconds lease_period_;
  std::chrono::steady_clock::time_point progress_;  // the last message applied (or subscription)
};

}  // namespace gpux::replication
