#include "gateway/storage/reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "gateway/storage/files.hpp"

namespace gpux::storage {

namespace {

constexpr std::size_t kMaxRecord = kRecordHeader + kMaxPayload;
// Segments are read through one reused buffer in blocks of this size: 1,024 read() calls for a
// 256 MiB segment, and each block stays in a core's 2 MiB L2 while its ~1,800 records (~147
// bytes each in the bench's flow) are decoded. Reading a whole segment into one vector cost a
// 256 MiB allocation the kernel zeroed page by page: 10% of `gpux replay DIR --digest`'s time.
// (mmap instead saved the copy, ~8% of a --quiet replay, but paid as much in page walks and
// misses on the mapping, and turns an I/O error or a file cut short by another process into
// SIGBUS.)
constexpr std::size_t kBlock = 256 << 10;

std::string at(const std::string& path, std::uint64_t offset) {
  return path + " at offset " + std::to_string(offset);
}

// A crash mid-write leaves one record cut short, perhaps followed by zeros (the file system
// extended the file before the data reached it), and nothing valid after it. Damage in the
// middle leaves valid records behind the bad one, even when it is a length that seems to run
// past the end: look for one at every later offset (a false match needs a 64-bit checksum to
// agree by chance). Only on the failure path.
bool torn_tail(std::span<const std::uint8_t> rest, std::uint32_t version) {
  Record record;
  std::size_t size = 0;
  for (std::size_t offset = 1; offset + kRecordHeader <= rest.size(); ++offset)
    if (read_record(rest.subspan(offset), record, size, version) == Check::ok) return false;
  return true;
}

// One segment, front to back, through a window on the reused buffer. Its size is taken when it
// is opened: a segment still being appended to (a resend's scan) is read as it was then.
class SegmentFile {
 public:
  explicit SegmentFile(std::vector<std::uint8_t>& buffer) : buf_(buffer) {}
  SegmentFile(const SegmentFile&) = delete;
  SegmentFile& operator=(const SegmentFile&) = delete;
  ~SegmentFile() {
    if (fd_ >= 0) ::close(fd_);
  }

  bool open(const std::string& path, std::string& error) {
    path_ = path;
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd_ < 0 || ::fstat(fd_, &st) != 0) {
      error = errno_text(path, errno);
      return false;
    }
    size_ = static_cast<std::uint64_t>(st.st_size);
    ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);  // a hint for a cold cache: larger readahead
    return true;
  }

  std::uint64_t size() const { return size_; }
  bool at_end() const { return read_ == size_; }
  std::span<const std::uint8_t> window() const { return {buf_.data() + begin_, end_ - begin_}; }
  std::uint64_t offset() const { return read_ - (end_ - begin_); }  // of the window's start
  void consume(std::size_t n) { begin_ += n; }

  // Makes the window hold at least `want` bytes (<= kBlock), or all that is left of the file.
  bool fill(std::size_t want, std::string& error) {
    if (end_ - begin_ >= want || at_end()) return true;
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
    while (end_ < want && !at_end()) {
      const std::size_t room = static_cast<std::size_t>(std::min<std::uint64_t>(buf_.size() - end_, size_ - read_));
      const ssize_t n = ::read(fd_, buf_.data() + end_, room);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        error = errno_text("read " + path_, errno);
        return false;
      }
      if (n == 0) size_ = read_;  // shorter than it was: cut by someone else, read as it is now
      end_ += static_cast<std::size_t>(n);
      read_ += static_cast<std::uint64_t>(n);
    }
    return true;
  }

  // The rest of the file from `offset` on, for the failure path.
  bool rest(std::uint64_t offset, std::vector<std::uint8_t>& out, std::string& error) const {
    out.resize(static_cast<std::size_t>(size_ - offset));
    std::size_t done = 0;
    while (done < out.size()) {
      const ssize_t n = ::pread(fd_, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        error = errno_text("read " + path_, errno);
        return false;
      }
      if (n == 0) break;
      done += static_cast<std::size_t>(n);
    }
    out.resize(done);
    return true;
  }

 private:
  std::vector<std::uint8_t>& buf_;
  std::string path_;
  int fd_ = -1;
  std::size_t begin_ = 0, end_ = 0;  // the window: buf_[begin_, end_)
  std::uint64_t size_ = 0, read_ = 0;
};

// Where scan_with decodes each record, and what becomes of one that is wanted.
class RecordSink {
 public:
  explicit RecordSink(const RecordFn& f) : f_(f) {}
  Command& command() { return record_.command; }
  std::uint32_t& session() { return record_.session; }
  bool keep() {
    f_(record_);
    return true;
  }

 private:
  const RecordFn& f_;
  Record record_{};
};

// Decodes into the buffer it was lent, handing it on when full. The session is not part of a
// batch: replay and recovery do not use it.
class BatchSink {
 public:
  BatchSink(std::span<Command> buffer, const HandOn& hand_on) : buffer_(buffer), hand_on_(hand_on) {}
  Command& command() { return buffer_[n_]; }
  std::uint32_t& session() { return session_; }
  // False once the caller has stopped taking runs.
  bool keep() {
    if (++n_ == buffer_.size()) flush();
    return !buffer_.empty();
  }
  void flush() {
    if (n_ > 0 && !buffer_.empty()) buffer_ = hand_on_(n_);
    n_ = 0;
  }

 private:
  std::span<Command> buffer_;
  const HandOn& hand_on_;
  std::size_t n_ = 0;
  std::uint32_t session_ = 0;
};

template <class Sink>
bool scan_with(const std::string& dir, const ScanOptions& options, Sink& sink, ScanResult& result,
               std::string& error) {
  result = ScanResult{};
  std::vector<DirEntry> segments;
  if (!list_segments(dir, segments, error)) return false;
  std::vector<std::uint8_t> buffer(kBlock);
  std::vector<std::uint8_t> rest;
  Seq expected = 0;  // the next seq; 0 until the first record
  for (std::size_t si = 0; si < segments.size(); ++si) {
    const DirEntry& segment = segments[si];
    const bool last = si + 1 == segments.size();
    // Every record of this segment is older than wanted when the next one starts early enough:
    // it is not read (nor counted in the result).
    if (!last && segments[si + 1].seq <= options.after + 1 && expected == 0) continue;
    if (segment.seq > options.until && expected != 0) break;
    SegmentFile file(buffer);
    if (!file.open(segment.path, error) || !file.fill(kSegmentHeader, error)) return false;
    ++result.segments;
    Seq first = 0;
    std::uint32_t version = 0;
    std::string why;
    if (!parse_segment_header(file.window(), first, version, why)) {
      if (last && file.size() < kSegmentHeader) {  // created, then the crash: nothing in it
        result.torn = true;
        result.torn_at = at(segment.path, 0) + ": " + why;
        if (options.repair && ::unlink(segment.path.c_str()) != 0) {
          error = errno_text("unlink " + segment.path, errno);
          return false;
        }
        break;
      }
      error = at(segment.path, 0) + ": " + why;
      return false;
    }
    if (first != segment.seq) {
      error = at(segment.path, 0) + ": header says first seq " + std::to_string(first) + ", name says " +
              std::to_string(segment.seq);
      return false;
    }
    if (expected != 0 && first != expected) {
      error = at(segment.path, 0) + ": seq gap: expected " + std::to_string(expected) + ", segment starts at " +
              std::to_string(first);
      return false;
    }
    file.consume(kSegmentHeader);
    for (bool more = true; more;) {
      if (!file.fill(kMaxRecord, error)) return false;
      const std::span<const std::uint8_t> window = file.window();
      // A record near the window's end may run on past it: it waits for the next fill, unless
      // the file ends here and it is torn.
      const std::size_t stop = file.at_end() ? window.size() : window.size() - kMaxRecord + 1;
      more = !file.at_end();
      std::size_t pos = 0;
      while (pos < stop) {
        std::size_t size = 0;
        const Check check = read_record(window.subspan(pos), sink.command(), sink.session(), size, version);
        if (check != Check::ok) {
          const std::uint64_t offset = file.offset() + pos;
          if (last) {
            if (!file.rest(offset, rest, error)) return false;
            if (torn_tail(rest, version)) {
              result.torn = true;
              result.torn_at = at(segment.path, offset) + ": " + to_string(check);
              if (options.repair && ::truncate(segment.path.c_str(), static_cast<off_t>(offset)) != 0) {
                error = errno_text("truncate " + segment.path, errno);
                return false;
              }
              return true;
            }
          }
          error = at(segment.path, offset) + ": " + to_string(check);
          return false;
        }
        const Seq seq = sink.command().seq;
        const Seq want = expected == 0 ? first : expected;
        if (seq != want) {
          error = at(segment.path, file.offset() + pos) + ": seq gap: expected " + std::to_string(want) +
                  ", found " + std::to_string(seq);
          return false;
        }
        if (result.records == 0) result.first_seq = seq;
        expected = seq + 1;
        result.last_seq = seq;
        result.last_ts = sink.command().ts;
        ++result.records;
        result.bytes += size;
        pos += size;
        if (seq > options.after && seq <= options.until && !sink.keep()) return true;
      }
      file.consume(pos);
    }
  }
  return true;
}

}  // namespace

bool scan(const std::string& dir, const ScanOptions& options, const RecordFn& f, ScanResult& result,
          std::string& error) {
  RecordSink sink(f);
  return scan_with(dir, options, sink, result, error);
}

bool scan_batches(const std::string& dir, const ScanOptions& options, const BatchFn& f, ScanResult& result,
                  std::string& error) {
  // Value-initialised once; each record then sets every field.
  std::vector<Command> commands(kScanBatch);
  const HandOn hand_on = [&](std::size_t n) {
    f({commands.data(), n});
    return std::span<Command>(commands);
  };
  return scan_into(dir, options, commands, hand_on, result, error);
}

bool scan_into(const std::string& dir, const ScanOptions& options, std::span<Command> buffer, const HandOn& hand_on,
               ScanResult& result, std::string& error) {
  BatchSink sink(buffer, hand_on);
  const bool ok = scan_with(dir, options, sink, result, error);
  sink.flush();  // the records read before the end, or before the damage
  return ok;
}

}  // namespace gpux::storage
