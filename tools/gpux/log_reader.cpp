#include "tools/gpux/log_reader.hpp"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "tools/orderlog/command_parser.hpp"

namespace gpux {

namespace {

constexpr std::size_t kChunk = 1 << 20;  // bytes a read
// Commands a hand-over between the reading thread and the caller's, and runs in flight (8 runs
// of 256 commands of 424 bytes: 870 KB). When the caller falls behind, the reader sleeps until
// half the ring is free again, so the threads wake each other once per ~1,000 commands (~250 us
// of the caller's work in replay), not once per run.
constexpr std::size_t kRun = 256;
constexpr std::size_t kRuns = 8;

// Decodes a log line by line into a buffer of commands, handing it on when full; LINE in error
// messages counts every line, blank ones included.
class LogLines {
 public:
  // Passes on the first `n` commands of the buffer; returns the buffer to fill next, or an
  // empty one to stop reading.
  using HandOn = std::function<std::span<Command>(std::size_t n)>;

  LogLines(std::string_view name, Seq until, std::span<Command> buffer, HandOn hand_on)
      : name_(name), until_(until), buffer_(buffer), hand_on_(std::move(hand_on)) {}

  // False to stop reading: an input error (in status), a command past `until`, or the reader
  // told to stop. `padded`: the line is followed by kLinePadding readable bytes, so it is
  // parsed where it lies.
  bool line(std::string_view text, bool padded) {
    ++line_no_;
    Command& c = buffer_[pending_];
    switch (padded ? parser_.parse_padded(text, c) : parser_.parse(text, c)) {
      case ParseResult::blank: return true;
      case ParseResult::error:
        status.exit = 2;
        status.error = name_ + ":" + std::to_string(line_no_) + ": " + parser_.error();
        return false;
      case ParseResult::command: break;
    }
    if (c.seq > until_) return false;
    if (++pending_ == buffer_.size()) flush();
    return !buffer_.empty();
  }

  // Hands on the commands decoded so far; called when reading stops, whatever the reason.
  void flush() {
    if (pending_ > 0 && !buffer_.empty()) buffer_ = hand_on_(pending_);
    pending_ = 0;
  }

  SourceStatus status;

 private:
  std::string name_;
  Seq until_;
  std::span<Command> buffer_;
  HandOn hand_on_;
  CommandParser parser_;
  std::size_t pending_ = 0;
  std::uint64_t line_no_ = 0;
};

// The first '\n' in [from, end), or nullptr. 32 bytes a step with SSE2, where memchr's fixed
// cost per call (~20 ns) was a fifth of the reading thread's time on ~150-byte lines.
const char* next_newline(const char* from, const char* end) {
#if defined(__SSE2__)
  const __m128i nl = _mm_set1_epi8('\n');
  for (; end - from >= 32; from += 32) {
    const auto* p = reinterpret_cast<const __m128i*>(from);
    const unsigned lo = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(p), nl)));
    const unsigned hi = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(p + 1), nl)));
    if ((lo | hi) != 0) return from + std::countr_zero(lo | hi << 16);
  }
#endif
  return static_cast<const char*>(std::memchr(from, '\n', static_cast<std::size_t>(end - from)));
}

// Reads `file` in large blocks, with kLinePadding bytes to spare after the data: each line is
// parsed in the block, the bytes after it (the next lines, or spaces after the last) as its
// padding. A line may straddle two blocks, so the unfinished tail moves to the front.
void read_lines(std::FILE* file, const std::string& path, LogLines& lines) {
  std::vector<char> buf(kChunk + kLinePadding);
  std::size_t have = 0;
  bool more = true;
  while (more) {
    if (have + kLinePadding == buf.size()) buf.resize(buf.size() * 2);  // a line longer than the block
    const std::size_t got = std::fread(buf.data() + have, 1, buf.size() - kLinePadding - have, file);
    if (got == 0 && std::ferror(file)) {
      lines.status = {1, "read error on " + path, {}};
      return;
    }
    have += got;
    std::size_t start = 0;
    while (more) {
      const char* nl = next_newline(buf.data() + start, buf.data() + have);
      if (nl == nullptr) break;
      const auto end = static_cast<std::size_t>(nl - buf.data());
      more = lines.line(std::string_view(buf.data() + start, end - start), true);
      start = end + 1;
    }
    std::memmove(buf.data(), buf.data() + start, have - start);
    have -= start;
    if (got == 0) {
      std::memset(buf.data() + have, ' ', kLinePadding);
      if (more && have > 0) lines.line(std::string_view(buf.data(), have), true);
      return;
    }
  }
}

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

// Parsing (~170 ns a line) overlaps the caller's work (in replay the engine and the event
// writer, ~300 ns a line): on two cores a 3M-line log replays in about the time of the
// caller's part alone.
SourceStatus read_log(const std::string& path, Seq until, const CommandsFn& f) {
  const bool from_stdin = path == "-";
  std::FILE* file = from_stdin ? stdin : std::fopen(path.c_str(), "rb");
  if (file == nullptr) return {1, "cannot read " + path + ": " + std::strerror(errno), {}};
  RunRing ring;
  SourceStatus status;
  std::thread reader([&] {
    LogLines lines(from_stdin ? "<stdin>" : path, until, ring.first(), [&](std::size_t n) { return ring.publish(n); });
    read_lines(file, path, lines);
    lines.flush();
    if (!from_stdin) std::fclose(file);
    status = std::move(lines.status);
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

SourceStatus read_log_text(std::string_view text, std::string_view name, Seq until, const CommandsFn& f) {
  std::vector<Command> batch(kBatch);
  LogLines lines(name, until, batch, [&](std::size_t n) {
    f(std::span<const Command>(batch.data(), n));
    return std::span<Command>(batch);
  });
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    if (!lines.line(text.substr(0, nl), false)) break;
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
  }
  lines.flush();
  return lines.status;
}

}  // namespace gpux
