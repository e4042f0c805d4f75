#include "tools/gpux/log_reader.hpp"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>
#include <span>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "tools/gpux/read_ahead.hpp"
#include "tools/orderlog/command_parser.hpp"

namespace gpux {

namespace {

constexpr std::size_t kChunk = 1 << 20;  // bytes a read

// Decodes a log line by line into a buffer of commands, handing it on when full; LINE in error
// messages counts every line, blank ones included.
class LogLines {
 public:
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

}  // namespace

// Parsing (~170 ns a line) overlaps the caller's work (in replay the engine and the event
// writer, ~300 ns a line): on two cores a 3M-line log replays in about the time of the
// caller's part alone.
SourceStatus read_log(const std::string& path, Seq until, const CommandsFn& f) {
  const bool from_stdin = path == "-";
  std::FILE* file = from_stdin ? stdin : std::fopen(path.c_str(), "rb");
  if (file == nullptr) return {1, "cannot read " + path + ": " + std::strerror(errno), {}};
  return read_ahead(
      [&](std::span<Command> first, const HandOn& hand_on) {
        LogLines lines(from_stdin ? "<stdin>" : path, until, first, hand_on);
        read_lines(file, path, lines);
        lines.flush();
        if (!from_stdin) std::fclose(file);
        return std::move(lines.status);
      },
      f);
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
