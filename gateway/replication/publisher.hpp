// The primary's side of the replicated command log: batches of journal records published to
// the JetStream stream, each message fenced with Nats-Expected-Last-Sequence so that only the
// holder of the stream's tip can append (docs/replication.md, "Fencing").
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string_view>
#include <span>
#include <string>

#include "engine/types.hpp"
#include "gateway/pipeline/journaler.hpp"
#include "gateway/replication/nats_link.hpp"

namespace gpux::replication {

// The message headers of the log. A batch holds the records of commands first..last; an epoch
// marker holds none and says a new primary's history starts after `last`.
inline constexpr const char* kHeaderFirst = "Gpux-First";
inline constexpr const char* kHeaderLast = "Gpux-Last";
inline constexpr const char* kHeaderEpoch = "Gpux-Epoch";
inline constexpr const char* kHeaderMarker = "Gpux-Marker";
// The record format of a message's payload (gateway/storage/record.hpp): a standby refuses a
// version it does not know rather than misread it.
inline constexpr const char* kHeaderVersion = "Gpux-Record-Version";

class Publisher {
 public:
  enum class Result { ok, fenced, stopped };

  using LogFn = std::function<void(std::string_view)>;
  Publisher(NatsLink& link, LogFn log) : link_(link), log_(std::move(log)) {}

  // The stream's tip this publisher appends after (its own epoch marker) and its epoch.
  void begin(std::uint64_t stream_seq, std::uint64_t epoch) {
    tip_ = stream_seq;
    epoch_ = epoch;
  }
  // Journal thread. Each run becomes one message expecting the previous one's stream seq.
  // A failed publish (a NATS node lost, a timeout) is retried with the same Nats-Msg-Id, so a
  // message that landed but whose ack was lost is answered as a duplicate, not appended twice.
  // `fenced`: another writer appended (this primary is deposed). `stopped`: stop() was called
  // while retrying.
  Result publish(std::span<const std::uint8_t> bytes, std::span<const gateway::RecordRun> runs, std::string& error);
  // A new primary's first message: an epoch marker after `expected` (the last stream seq it
  // applied). `fenced` if the stream moved on meanwhile: drain again and retry.
  Result publish_marker(std::uint64_t expected, Seq last_seq, std::uint64_t epoch, std::uint64_t& stream_seq,
                        std::string& error);
  // Any thread: a retry loop in publish gives up.
  void stop() { stopped_.store(true, std::memory_order_release); }

  std::uint64_t tip() const { return tip_; }
  // Figures for the benchmark and the log: publishes made and the time spent waiting for acks.
  std::uint64_t messages() const { return messages_; }
  std::uint64_t retries() const { return retries_; }

 private:
  Result send(const void* data, std::size_t size, Seq first, Seq last, bool marker, std::uint64_t epoch,
              std::uint64_t expected, std::uint64_t& stream_seq, std::string& error);

  NatsLink& link_;
  LogFn log_;  // a stall of publishes past a second, and its end
  std::uint64_t tip_ = 0;
  std::uint64_t epoch_ = 0;
  std::atomic<bool> stopped_{false};
  std::uint64_t messages_ = 0;
  std::uint64_t retries_ = 0;
};

}  // namespace gpux::replication
