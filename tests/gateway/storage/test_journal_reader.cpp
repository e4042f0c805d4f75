// The journal reader on segments larger than the blocks it reads them in (256 KiB): records that
// straddle two blocks arrive whole, damage at any block boundary is found at its record's offset,
// and scan_batches (replay and recovery) delivers exactly what scan does, in runs.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "gateway/storage/files.hpp"
#include "gateway/storage/reader.hpp"
#include "gateway/storage/record.hpp"
#include "gateway/storage/writer.hpp"
#include "tests/gateway/storage/journal_fixtures.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

using namespace gpux;
using namespace gpux::storage;
using namespace gpux::test;
using Bytes = std::vector<std::uint8_t>;
namespace fs = std::filesystem;

// 9,000 records of ~240 bytes (2.2 MB): a first segment of ~1.5 MB (six blocks and more) and
// the rest, ~0.7 MB, in a second, the last.
constexpr std::size_t kRecords = 9000;
constexpr std::uint64_t kSegmentBytes = 1'500'000;

// Written in appends of 50 records with one sync at the end: write_journal's sync per group
// commit would take seconds for this many on a real disk.
void write_large(const std::string& dir, std::span<const Entry> entries) {
  SegmentWriter w;
  std::string error;
  INFO(error);
  REQUIRE(w.open(dir, entries.front().command.seq, kSegmentBytes, error));
  for (std::size_t i = 0; i < entries.size(); i += 50) {
    Bytes batch;
    for (std::size_t j = i; j < std::min(i + 50, entries.size()); ++j)
      append_record(entries[j].command, entries[j].session, batch);
    REQUIRE(w.append(batch, entries[i].command.seq, error));
  }
  REQUIRE(w.sync(error));
  w.close();
}

// Rewrites a file in place (no truncation to zero first: ext4 would flush it on close).
void write_bytes(const std::string& path, const Bytes& b) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  std::string error;
  REQUIRE(write_all(fd, b, error));
  ::close(fd);
}

Bytes read_all(const std::string& path) {
  Bytes b;
  std::string error;
  INFO(error);
  REQUIRE(read_file(path, b, error));
  return b;
}

std::vector<std::size_t> record_offsets(const std::string& path) {
  const Bytes b = read_all(path);
  std::vector<std::size_t> out;
  for (std::size_t offset = kSegmentHeader; offset < b.size();) {
    Record r;
    std::size_t size = 0;
    REQUIRE(read_record(std::span<const std::uint8_t>(b).subspan(offset), r, size) == Check::ok);
    out.push_back(offset);
    offset += size;
  }
  return out;
}

// The record holding byte `offset` of its segment.
std::size_t record_at(const std::vector<std::size_t>& offsets, std::size_t offset) {
  return static_cast<std::size_t>(std::upper_bound(offsets.begin(), offsets.end(), offset) - offsets.begin()) - 1;
}

struct Batches {
  bool ok = false;
  std::string error;
  ScanResult result;
  std::vector<Command> commands;
  std::vector<std::size_t> runs;  // each run's length
};

Batches scan_runs(const std::string& dir, const ScanOptions& options = {}) {
  Batches b;
  b.ok = scan_batches(
      dir, options,
      [&](std::span<const Command> run) {
        b.runs.push_back(run.size());
        b.commands.insert(b.commands.end(), run.begin(), run.end());
      },
      b.result, b.error);
  return b;
}

std::vector<Command> scan_each(const std::string& dir, ScanResult& result, std::string& error, bool& ok,
                               const ScanOptions& options = {}) {
  std::vector<Command> out;
  ok = scan(dir, options, [&](const Record& r) { out.push_back(r.command); }, result, error);
  return out;
}

void check_commands(std::span<const Command> got, std::span<const Entry> want) {
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    INFO("command " << i);
    REQUIRE(command_diff(got[i], want[i].command) == "");
  }
}

std::string at(const std::string& path, std::size_t offset) { return path + " at offset " + std::to_string(offset); }

struct Large {
  TempDir orig{"gpux-journal-reader"};
  std::vector<Entry> entries = random_entries(kRecords, 61);
  std::vector<DirEntry> segments;

  Large() {
    write_large(orig.path(), entries);
    std::string error;
    REQUIRE(list_segments(orig.path(), segments, error));
    REQUIRE(segments.size() == 2);
    REQUIRE(fs::file_size(segments[0].path) > 5 * (256u << 10));
    REQUIRE(fs::file_size(segments[1].path) > 2 * (256u << 10));
  }

  // The index in `entries` of the segment's first record.
  std::size_t first_index(std::size_t segment) const { return static_cast<std::size_t>(segments[segment].seq - 1); }

  // A copy of the journal to damage; `segment`: the copy's path of that segment.
  std::string copy(const TempDir& to, std::size_t segment) const {
    fs::copy(orig.path(), to.path(), fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    return to / fs::path(segments[segment].path).filename().string();
  }
};

}  // namespace

TEST_CASE("journal reader: records across read blocks arrive whole, one by one or in runs", "[journal]") {
  const Large j;
  ScanResult each_result;
  std::string error;
  bool ok = false;
  const std::vector<Command> each = scan_each(j.orig.path(), each_result, error, ok);
  INFO(error);
  REQUIRE(ok);
  check_commands(each, j.entries);

  const Batches runs = scan_runs(j.orig.path());
  INFO(runs.error);
  REQUIRE(runs.ok);
  check_commands(runs.commands, j.entries);
  CHECK(runs.result.records == each_result.records);
  CHECK(runs.result.bytes == each_result.bytes);
  CHECK(runs.result.last_seq == static_cast<Seq>(kRecords));
  CHECK(runs.result.last_ts == j.entries.back().command.ts);
  CHECK(runs.result.segments == 2);
  // Full runs, the rest at the end.
  for (std::size_t i = 0; i + 1 < runs.runs.size(); ++i) REQUIRE(runs.runs[i] == kScanBatch);
  CHECK(runs.runs.back() >= 1);
  CHECK(runs.runs.back() <= kScanBatch);

  // after/until as scan has them, across the segment boundary and within each segment.
  const Seq second = j.segments[1].seq;
  const auto last = static_cast<Seq>(kRecords);
  for (const auto& [after, until] : std::vector<std::pair<Seq, Seq>>{
           {0, 1}, {1000, 1100}, {second - 2, second + 1}, {second - 1, second - 1}, {7000, INT64_MAX}, {last - 1, last}}) {
    ScanOptions o;
    o.after = after;
    o.until = until;
    const Batches b = scan_runs(j.orig.path(), o);
    INFO("after " << after << ", until " << until << ": " << b.error);
    REQUIRE(b.ok);
    const auto lo = static_cast<std::size_t>(after);
    const auto hi = static_cast<std::size_t>(std::min<Seq>(until, static_cast<Seq>(kRecords)));
    check_commands(b.commands, std::span<const Entry>(j.entries).subspan(lo, hi - lo));
  }
}

TEST_CASE("journal reader: damage at any read-block boundary is an error at its record", "[journal]") {
  const Large j;
  for (const std::size_t segment : {0, 1}) {
    const auto offsets = record_offsets(j.segments[segment].path);
    const std::size_t size = fs::file_size(j.segments[segment].path);
    // Every 64 KiB: a boundary of any block size from 64 KiB up. The record holding it gets one
    // byte flipped: in its length, its checksum, its payload at the boundary.
    for (std::size_t boundary = 64 << 10; boundary < size; boundary += 64 << 10) {
      const std::size_t r = record_at(offsets, boundary);
      if (segment == 1 && r + 1 == offsets.size()) continue;  // the last record: a torn tail
      for (const std::size_t byte : {offsets[r] + 1, offsets[r] + 9, boundary}) {
        TempDir dir("gpux-journal-reader");
        const std::string path = j.copy(dir, segment);
        Bytes b = read_all(path);
        b[byte] ^= 0x20;
        write_bytes(path, b);
        const Batches runs = scan_runs(dir.path());
        INFO("segment " << segment << ", boundary " << boundary << ", byte " << byte << ": " << runs.error);
        REQUIRE_FALSE(runs.ok);
        CHECK(runs.error.rfind(at(path, offsets[r]), 0) == 0);
        // Every record before the damage was delivered, and none after it.
        check_commands(runs.commands, std::span<const Entry>(j.entries).first(j.first_index(segment) + r));
      }
    }
  }
}

TEST_CASE("journal reader: a large segment cut inside a record that straddles two blocks", "[journal]") {
  const Large j;
  for (const std::size_t segment : {0, 1}) {
    const auto offsets = record_offsets(j.segments[segment].path);
    const std::size_t r = record_at(offsets, 256 << 10);
    const std::size_t next = r + 1 < offsets.size() ? offsets[r + 1] : fs::file_size(j.segments[segment].path);
    REQUIRE(next > (256u << 10));
    for (const std::size_t cut : {offsets[r] + 5, (std::size_t{256} << 10), next - 1}) {
      if (cut <= offsets[r]) continue;  // the boundary falls between two records: a clean cut
      TempDir dir("gpux-journal-reader");
      const std::string path = j.copy(dir, segment);
      fs::resize_file(path, cut);
      const std::size_t kept = j.first_index(segment) + r;
      INFO("segment " << segment << ", cut at " << cut);
      if (segment == 0) {  // a middle segment cut short: damage
        const Batches runs = scan_runs(dir.path());
        REQUIRE_FALSE(runs.ok);
        CHECK(runs.error.rfind(at(path, offsets[r]), 0) == 0);
        check_commands(runs.commands, std::span<const Entry>(j.entries).first(kept));
        continue;
      }
      // The last segment: a torn tail, reported, then repaired.
      for (const bool repair : {false, true}) {
        ScanOptions o;
        o.repair = repair;
        const Batches runs = scan_runs(dir.path(), o);
        INFO(runs.error);
        REQUIRE(runs.ok);
        CHECK(runs.result.torn);
        CHECK(runs.result.torn_at.rfind(at(path, offsets[r]), 0) == 0);
        check_commands(runs.commands, std::span<const Entry>(j.entries).first(kept));
        CHECK(fs::file_size(path) == (repair ? offsets[r] : cut));
      }
    }
  }
}

TEST_CASE("journal reader: scan_into fills the buffers it is lent and stops when the caller does", "[journal]") {
  const Large j;
  // Two buffers of an odd size, alternated, as a reader thread's ring lends them.
  std::vector<Command> a(37), b(37);
  std::vector<Command> got;
  std::vector<std::size_t> runs;
  bool use_b = true;
  std::size_t stop_after = SIZE_MAX;  // runs
  const storage::HandOn hand_on = [&](std::size_t n) {
    const std::vector<Command>& filled = use_b ? a : b;
    got.insert(got.end(), filled.begin(), filled.begin() + static_cast<std::ptrdiff_t>(n));
    runs.push_back(n);
    if (runs.size() == stop_after) return std::span<Command>();
    std::vector<Command>& next = use_b ? b : a;
    use_b = !use_b;
    return std::span<Command>(next);
  };
  ScanResult result;
  std::string error;
  REQUIRE(scan_into(j.orig.path(), ScanOptions{}, a, hand_on, result, error));
  check_commands(got, j.entries);
  for (std::size_t i = 0; i + 1 < runs.size(); ++i) REQUIRE(runs[i] == 37);
  CHECK(result.records == kRecords);

  // The caller stops after three runs: the scan ends there, with no error and nothing more.
  got.clear();
  runs.clear();
  use_b = true;
  stop_after = 3;
  REQUIRE(scan_into(j.orig.path(), ScanOptions{}, a, hand_on, result, error));
  CHECK(runs.size() == 3);
  check_commands(got, std::span<const Entry>(j.entries).first(3 * 37));
  CHECK(result.records < kRecords);
}
