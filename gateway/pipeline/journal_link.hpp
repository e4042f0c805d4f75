// The hand-off between the engine thread and the journal thread: every sequenced command in
// seq order over an SPSC ring, now and then a snapshot of the engine's state, and back the
// other way the seq up to which output may be released (written, and synced when durable).
// The Pipeline owns one when it runs with a journal; the Journaler is its only consumer.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "engine/command.hpp"
#include "gateway/pipeline/spsc_ring.hpp"
#include "gateway/pipeline/wait.hpp"

namespace gpux::gateway {

using SessionId = std::uint32_t;

// A command as sequenced, or (snapshot) a marker saying the snapshot buffer holds the state as
// of `command.seq`. `replicated`: a standby's command, read from the replicated log, which the
// journal thread keeps locally but does not publish again.
struct JournalEntry {
  Command command;
  SessionId session;
  bool snapshot;
  bool replicated = false;
};

class JournalLink {
 public:
  // `release` publishes the seq up to which output may reach clients (the pipeline's gate).
  JournalLink(std::size_t capacity, WaitPolicy wait, std::function<void(Seq)> release)
      : ring_(capacity), wait_(wait), release_(std::move(release)) {}

  // ---- engine thread ----
  // A full ring means the disk is behind: matching waits for it rather than run ahead of what
  // can be kept (and the ring bounds the memory this takes). False once the link is closed.
  bool push(const JournalEntry& entry) {
    while (!ring_.try_push(entry)) {
      entries_bell_.notify();
      if (!wait_until(space_bell_, wait_, [this] { return !ring_.full(); })) return false;
    }
    pushed_ = true;
    return true;
  }
  // Wakes the journal thread once for everything pushed since the last call.
  void flush() {
    if (!pushed_) return;
    pushed_ = false;
    entries_bell_.notify();
  }
  // The previous snapshot is still being written while this is false.
  bool snapshot_free() const { return !snapshot_busy_.load(std::memory_order_acquire); }
  // Fill it only while snapshot_free(), then hand it over with snapshot_taken().
  std::vector<std::uint8_t>& snapshot_buffer() { return snapshot_; }
  void snapshot_taken(Seq seq, Ts ts) {
    snapshot_busy_.store(true, std::memory_order_release);
    push(JournalEntry{make_command(CommandType::clock, seq, ts), 0, true});
  }
  // The engine thread stops: a push waiting for space gives up.
  void close_engine_side() { space_bell_.close(); }

  // ---- journal thread ----
  // False once the engine side stopped (close_journal_side) and the ring is empty.
  bool wait() { return wait_until(entries_bell_, wait_, [this] { return !ring_.empty(); }) || !ring_.empty(); }
  template <class F>
  std::size_t take(F&& f, std::size_t max) {
    const std::size_t n = ring_.consume(std::forward<F>(f), max);
    if (n) space_bell_.notify();
    return n;
  }
  void release(Seq seq) { release_(seq); }
  std::span<const std::uint8_t> snapshot_bytes() const { return snapshot_; }
  void snapshot_written() { snapshot_busy_.store(false, std::memory_order_release); }
  // Nothing more can be kept: the gateway refuses new commands from now on.
  void fail() { failed_.store(true, std::memory_order_release); }
  bool failed() const { return failed_.load(std::memory_order_acquire); }
  // After the engine thread joined: the journal thread drains what is left, then ends.
  void close_journal_side() { entries_bell_.close(); }

 private:
  SpscRing<JournalEntry> ring_;
  WaitPolicy wait_;
  std::function<void(Seq)> release_;
  Doorbell entries_bell_;  // the journal thread waits here for entries
  Doorbell space_bell_;    // the engine thread waits here for ring space
  bool pushed_ = false;    // engine thread: entries pushed since the bell last rang
  std::atomic<bool> failed_{false};
  std::vector<std::uint8_t> snapshot_;  // the engine thread's; the journal thread's while busy
  std::atomic<bool> snapshot_busy_{false};
};

}  // namespace gpux::gateway
