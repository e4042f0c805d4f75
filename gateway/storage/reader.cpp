#include "gateway/storage/reader.hpp"

#include <unistd.h>

#include <algorithm>
#include <vector>

#include "gateway/storage/files.hpp"

namespace gpux::storage {

namespace {

std::string at(const std::string& path, std::size_t offset) {
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
    std::uint32_t version = 0;
    std::string why;
    if (!parse_segment_header(bytes, first, version, why)) {
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
      const Check check = read_record(rest, record, size, version);
      if (check != Check::ok) {
        if (last && torn_tail(rest, version)) {
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

}  // namespace gpux::storage
