#include "tools/journal/reader.hpp"

#include <unistd.h>

#include <algorithm>
#include <vector>

#include "tools/journal/files.hpp"

namespace gpux::journal {

namespace {

std::string at(const std::string& path, std::size_t offset) {
  return path + " at offset " + std::to_string(offset);
}

// A crash mid-write leaves either a record cut short or, once the file system extended the
// file before the data reached it, zeros. A bad record with anything else after it is damage.
bool torn_tail(std::span<const std::uint8_t> rest, Check check) {
  if (check == Check::truncated) return true;
  if (std::all_of(rest.begin(), rest.end(), [](std::uint8_t b) { return b == 0; })) return true;
  if (rest.size() < kRecordHeader) return true;
  const std::size_t length = std::size_t{rest[0]} | std::size_t{rest[1]} << 8 | std::size_t{rest[2]} << 16 |
                             std::size_t{rest[3]} << 24;
  // The last record of the file, written only in part.
  return check == Check::bad_checksum && kRecordHeader + length == rest.size();
}

}  // namespace

bool scan(const std::string& dir, const ScanOptions& options, const RecordFn& f, ScanResult& result,
          std::string& error) {
  result = ScanResult{};
  std::vector<DirEntry> segments;
  if (!list_segments(dir, segments, error)) return false;
  std::vector<std::uint8_t> bytes;
  Seq expected = 0;  // the next seq; 0 until the first record
  for (std::size_t si = 0; si < segments.size(); ++si) {
    const DirEntry& segment = segments[si];
    const bool last = si + 1 == segments.size();
    // Every record of this segment is older than wanted when the next one starts early enough:
    // it is not read (nor counted in the result).
    if (!last && segments[si + 1].seq <= options.after + 1 && expected == 0) continue;
    if (segment.seq > options.until && expected != 0) break;
    if (!read_file(segment.path, bytes, error)) return false;
    ++result.segments;
    Seq first = 0;
    std::string why;
    if (!parse_segment_header(bytes, first, why)) {
      if (last && bytes.size() < kSegmentHeader) {  // created, then the crash: nothing in it
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
    std::size_t offset = kSegmentHeader;
    Record record;
    while (offset < bytes.size()) {
      std::size_t size = 0;
      const auto rest = std::span<const std::uint8_t>(bytes).subspan(offset);
      const Check check = read_record(rest, record, size);
      if (check != Check::ok) {
        if (last && torn_tail(rest, check)) {
          result.torn = true;
          result.torn_at = at(segment.path, offset) + ": " + to_string(check);
          if (options.repair && ::truncate(segment.path.c_str(), static_cast<off_t>(offset)) != 0) {
            error = errno_text("truncate " + segment.path, errno);
            return false;
          }
          break;
        }
        error = at(segment.path, offset) + ": " + to_string(check);
        return false;
      }
      const Seq seq = record.command.seq;
      if (seq != (expected == 0 ? first : expected)) {
        error = at(segment.path, offset) + ": seq gap: expected " + std::to_string(expected == 0 ? first : expected) +
                ", found " + std::to_string(seq);
        return false;
      }
      if (result.records == 0) result.first_seq = seq;
      expected = seq + 1;
      result.last_seq = seq;
      result.last_ts = record.command.ts;
      ++result.records;
      result.bytes += size;
      offset += size;
      if (seq > options.after && seq <= options.until) f(record);
    }
  }
  return true;
}

}  // namespace gpux::journal
