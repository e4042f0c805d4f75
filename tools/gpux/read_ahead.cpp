#include "tools/gpux/read_ahead.hpp"

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace gpux {

namespace {

// Commands a hand-over between the reading thread and the caller's, and runs in flight (8 runs
// of 256 commands of 424 bytes: 870 KB). When the caller falls behind, the reader sleeps until
// half the ring is free again, so the threads wake each other once per ~1,000 commands (~250 us
// of the caller's work in replay), not once per run.
constexpr std::size_t kRun = 256;
constexpr std::size_t kRuns = 8;

// Runs of commands from the reading thread to the caller's, in order, through kRuns buffers.
// Published runs are [head_, head_ + count_); the reader fills run (head_ + count_) % kRuns.
class RunRing {
 public:
  RunRing() : runs_(kRuns, std::vector<Command>(kRun)) {}

  // The reader's side.
  std::span<Command> first() { return runs_[0]; }
  // Publishes the reader's run of `n` commands; returns the next run to fill, or an empty span
  // when the caller has stopped.
  std::span<Command> publish(std::size_t n) {
    std::unique_lock lock(m_);
    sizes_[(head_ + count_) % kRuns] = n;
    ++count_;
    if (taker_waits_) taken_or_put_.notify_one();
    if (count_ == kRuns) {
      giver_waits_ = true;
      given_back_.wait(lock, [&] { return stopped_ || count_ <= kRuns / 2; });
      giver_waits_ = false;
    }
    if (stopped_) return {};
    return runs_[(head_ + count_) % kRuns];
  }
  void close() {
    const std::lock_guard lock(m_);
    closed_ = true;
    taken_or_put_.notify_one();
  }

  // The caller's side: the oldest published run, held until give_back(); nullopt once the
  // reader has closed and every run was taken.
  std::optional<std::span<const Command>> take() {
    std::unique_lock lock(m_);
    taker_waits_ = true;
    taken_or_put_.wait(lock, [&] { return count_ > 0 || closed_; });
    taker_waits_ = false;
    if (count_ == 0) return std::nullopt;
    return std::span<const Command>(runs_[head_].data(), sizes_[head_]);
  }
  void give_back() {
    const std::lock_guard lock(m_);
    head_ = (head_ + 1) % kRuns;
    --count_;
    if (giver_waits_ && count_ <= kRuns / 2) given_back_.notify_one();
  }
  // The caller stops early (an exception on its side): the reader stops at its next hand-over
  // (or at the end of a read that is waiting for stdin).
  void stop() {
    const std::lock_guard lock(m_);
    stopped_ = true;
    given_back_.notify_one();
  }

 private:
  std::mutex m_;
  std::condition_variable taken_or_put_;
  std::condition_variable given_back_;
  std::vector<std::vector<Command>> runs_;
  std::size_t sizes_[kRuns] = {};
  std::size_t head_ = 0;
  std::size_t count_ = 0;
  bool closed_ = false;
  bool stopped_ = false;
  bool taker_waits_ = false;
  bool giver_waits_ = false;
};

}  // namespace

SourceStatus read_ahead(const Produce& produce, const CommandsFn& f) {
  RunRing ring;
  SourceStatus status;
  std::thread reader([&] {
    status = produce(ring.first(), [&](std::size_t n) { return ring.publish(n); });
    ring.close();
  });
  struct Join {
    RunRing& ring;
    std::thread& reader;
    ~Join() {
      ring.stop();
      reader.join();
    }
  };
  {
    const Join join{ring, reader};
    while (const auto run = ring.take()) {
      for (std::size_t at = 0; at < run->size(); at += kBatch) f(run->subspan(at, std::min(kBatch, run->size() - at)));
      ring.give_back();
    }
  }
  return status;
}

}  // namespace gpux
