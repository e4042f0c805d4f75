// The journal library (gateway/storage, docs/journal.md) on real files: the record codec, the
// segment files a SegmentWriter rotates through, scan() with its torn-tail rule (a record cut
// short at the very end is a crash; any other damage is an error naming segment and offset),
// and snapshot files. Everything is written to a fresh temp directory per test.
#include <fcntl.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "engine/command.hpp"
#include "tests/gateway/storage/journal_fixtures.hpp"
#include "tests/support/temp_dir.hpp"
#include "gateway/storage/files.hpp"
#include "gateway/storage/reader.hpp"
#include "gateway/storage/record.hpp"
#include "gateway/storage/writer.hpp"

namespace {

using namespace gpux;
using namespace gpux::storage;
using namespace gpux::test;
using Bytes = std::vector<std::uint8_t>;
namespace fs = std::filesystem;

Bytes encode(const Command& c, std::uint32_t session) {
  Bytes b;
  append_record(c, session, b);
  return b;
}

// The record as a version 1 or 2 segment held it: without version 3's amount value and text
// (the command must have none: 0 and ""), resealed.
Bytes encode_before_v3(const Command& c, std::uint32_t session) {
  REQUIRE(c.amount.value == 0);
  REQUIRE(c.amount_text.view().empty());
  Bytes b = encode(c, session);
  b.resize(b.size() - 9);  // the i64 amount and the empty string's length byte
  const std::uint32_t length = static_cast<std::uint32_t>(b.size() - kRecordHeader);
  for (int i = 0; i < 4; ++i) b[i] = static_cast<std::uint8_t>(length >> (8 * i));
  const std::uint64_t sum = XXH3_64bits(b.data() + kRecordHeader, length);
  for (int i = 0; i < 8; ++i) b[8 + i] = static_cast<std::uint8_t>(sum >> (8 * i));
  return b;
}

struct Scanned {
  bool ok = false;
  std::string error;
  ScanResult result;
  std::vector<Record> records;
};

Scanned scan_dir(const std::string& dir, const ScanOptions& options = {}) {
  Scanned s;
  s.ok = scan(dir, options, [&](const Record& r) { s.records.push_back(r); }, s.result, s.error);
  return s;
}

std::vector<DirEntry> segments_of(const std::string& dir) {
  std::vector<DirEntry> out;
  std::string error;
  INFO(error);
  REQUIRE(list_segments(dir, out, error));
  return out;
}

std::uintmax_t size_of(const std::string& path) { return fs::file_size(path); }

void truncate_to(const std::string& path, std::uintmax_t size) { fs::resize_file(path, size); }

Bytes read_all(const std::string& path) {
  Bytes b;
  std::string error;
  INFO(error);
  REQUIRE(read_file(path, b, error));
  return b;
}

// Rewrites a file in place (no truncation to zero first: ext4 would flush it on close).
void write_bytes(const std::string& path, const Bytes& b) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  REQUIRE(fd >= 0);
  std::string error;
  REQUIRE(write_all(fd, b, error));
  REQUIRE(::ftruncate(fd, static_cast<off_t>(b.size())) == 0);
  ::close(fd);
}

void flip(const std::string& path, std::size_t offset, std::uint8_t mask = 0x01) {
  Bytes b = read_all(path);
  REQUIRE(offset < b.size());
  b[offset] ^= mask;
  write_bytes(path, b);
}

void append_bytes(const std::string& path, const Bytes& more) {
  Bytes b = read_all(path);
  b.insert(b.end(), more.begin(), more.end());
  write_bytes(path, b);
}

// The offset of every record in a segment file, and the file's size at the end.
std::vector<std::size_t> record_offsets(const std::string& path) {
  const Bytes b = read_all(path);
  std::vector<std::size_t> out;
  std::size_t offset = kSegmentHeader;
  while (offset < b.size()) {
    Record r;
    std::size_t size = 0;
    REQUIRE(read_record(std::span<const std::uint8_t>(b).subspan(offset), r, size) == Check::ok);
    out.push_back(offset);
    offset += size;
  }
  return out;
}

// The scan delivered exactly `entries`, in order, with every field.
void check_delivered(const Scanned& s, std::span<const Entry> entries) {
  REQUIRE(s.records.size() == entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    INFO("record " << i << " (seq " << entries[i].command.seq << ")");
    REQUIRE(command_diff(s.records[i].command, entries[i].command) == "");
    REQUIRE(s.records[i].session == entries[i].session);
  }
}

std::string at(const std::string& path, std::size_t offset) {
  return path + " at offset " + std::to_string(offset);
}

}  // namespace

// ---- the record codec ------------------------------------------------------------------------

TEST_CASE("journal: every command type and field survives a record round trip", "[journal]") {
  std::mt19937_64 rng(7);
  std::size_t checked = 0;
  for (const CommandType type : kAllTypes) {
    for (int i = 0; i < 200; ++i) {
      const Seq seq = i % 3 == 0 ? std::numeric_limits<Seq>::max() - i : 1 + static_cast<Seq>(rng() % 1'000'000'000);
      const Command c = full_command(rng, type, seq, random_i64(rng), i % 5 == 0);
      const std::uint32_t session = i % 4 == 0 ? std::numeric_limits<std::uint32_t>::max() : static_cast<std::uint32_t>(rng());
      const Bytes b = encode(c, session);
      REQUIRE(b.size() > kRecordHeader);
      REQUIRE(b.size() <= kRecordHeader + kMaxPayload);
      Record r;
      std::size_t size = 0;
      REQUIRE(read_record(b, r, size) == Check::ok);
      INFO("type " << static_cast<int>(type) << ", case " << i);
      CHECK(size == b.size());
      CHECK(command_diff(r.command, c) == "");
      CHECK(r.session == session);
      ++checked;
    }
  }
  // Records back to back: each read takes exactly its own bytes.
  Bytes all;
  std::vector<Command> cmds;
  for (int i = 0; i < 50; ++i) {
    cmds.push_back(full_command(rng, kAllTypes[i % std::size(kAllTypes)], i + 1, i));
    append_record(cmds.back(), static_cast<std::uint32_t>(i), all);
  }
  std::size_t offset = 0;
  for (int i = 0; i < 50; ++i) {
    Record r;
    std::size_t size = 0;
    REQUIRE(read_record(std::span<const std::uint8_t>(all).subspan(offset), r, size) == Check::ok);
    CHECK(command_diff(r.command, cmds[i]) == "");
    CHECK(r.session == static_cast<std::uint32_t>(i));
    offset += size;
  }
  CHECK(offset == all.size());
  CHECK(checked == 200 * std::size(kAllTypes));
}

TEST_CASE("journal: divisible is a version 2 flag — version 1 records are read without it", "[journal]") {
  std::mt19937_64 rng(11);
  Command c = full_command(rng, CommandType::new_order, 5, 6);
  c.risk_on = false;
  c.amount = AmountField{false, 0};
  c.amount_text.assign("");
  c.divisible = true;
  const Bytes with = encode_before_v3(c, 1);
  c.divisible = false;
  const Bytes without = encode_before_v3(c, 1);
  Record r;
  std::size_t size = 0;
  // Version 2: both ways.
  REQUIRE(read_record(with, r, size, 2) == Check::ok);
  CHECK(r.command.divisible);
  REQUIRE(read_record(without, r, size, 2) == Check::ok);
  CHECK_FALSE(r.command.divisible);
  // Version 1 (before divisible orders): a record without the flag is read as ever; one with
  // it cannot have been written then, so it is damage.
  REQUIRE(read_record(without, r, size, 1) == Check::ok);
  CHECK(command_diff(r.command, c) == "");
  CHECK(read_record(with, r, size, 1) == Check::bad_payload);
}

TEST_CASE("journal: the ledger commands are version 3 — older records are read without them", "[journal]") {
  std::mt19937_64 rng(13);
  // A version 3 record of each ledger command keeps mode, amount and text.
  Command fund = full_command(rng, CommandType::fund, 9, 10);
  fund.amount = AmountField{true, -5'000'000};
  fund.amount_text.assign("-500");
  Command risk = full_command(rng, CommandType::risk, 11, 12);
  risk.risk_on = true;
  Record r;
  std::size_t size = 0;
  for (const Command& c : {fund, risk}) {
    const Bytes b = encode(c, 3);
    REQUIRE(read_record(b, r, size, 3) == Check::ok);
    CHECK(command_diff(r.command, c) == "");
    // A version 1 or 2 segment cannot hold it: its payload is longer than theirs, and its type
    // and flags did not exist.
    CHECK(read_record(b, r, size, 2) == Check::bad_payload);
    CHECK(read_record(b, r, size, 1) == Check::bad_payload);
  }
  // A version 2 record (no amount fields) is read, with no amount and risk off.
  Command old = full_command(rng, CommandType::cancel, 13, 14);
  old.divisible = false;
  old.risk_on = false;
  old.amount = AmountField{false, 0};
  old.amount_text.assign("");
  const Bytes b2 = encode_before_v3(old, 4);
  REQUIRE(read_record(b2, r, size, 2) == Check::ok);
  CHECK(command_diff(r.command, old) == "");
  CHECK(size == b2.size());
  // ...but not as version 3 (it ends early).
  CHECK(read_record(b2, r, size, 3) == Check::bad_payload);
  // A ledger type or flag in a version 2 record is damage.
  Command typed = old;
  typed.type = CommandType::deposit;
  CHECK(read_record(encode_before_v3(typed, 4), r, size, 2) == Check::bad_payload);
  Command flagged = old;
  flagged.risk_on = true;
  CHECK(read_record(encode_before_v3(flagged, 4), r, size, 2) == Check::bad_payload);
  REQUIRE(read_record(encode_before_v3(typed, 4), r, size, 3) == Check::bad_payload);
}

TEST_CASE("journal: segment headers of versions 1 to 4 are read, others refused by number", "[journal]") {
  for (const std::uint32_t version : {0u, 1u, 2u, 3u, 4u, 5u}) {
    Bytes h = segment_header(42);
    h[8] = static_cast<std::uint8_t>(version);
    const std::uint64_t sum = XXH3_64bits(h.data(), 24);
    for (int i = 0; i < 8; ++i) h[24 + i] = static_cast<std::uint8_t>(sum >> (8 * i));
    Seq first = 0;
    std::uint32_t read_version = 0;
    std::string error;
    INFO("version " << version);
    const bool ok = parse_segment_header(h, first, read_version, error);
    CHECK(ok == (version >= 1 && version <= 4));
    if (ok) {
      CHECK(first == 42);
      CHECK(read_version == version);
    } else {
      CHECK(error == "unsupported journal format version " + std::to_string(version) + " (this gpux reads 1 to 4)");
    }
  }
  // What gpuxd writes now.
  Seq first = 0;
  std::uint32_t version = 0;
  std::string error;
  REQUIRE(parse_segment_header(segment_header(7), first, version, error));
  CHECK(version == kFormatVersion);
  CHECK(kFormatVersion == 4);
}

TEST_CASE("journal: a record cut short anywhere reads as truncated", "[journal]") {
  std::mt19937_64 rng(11);
  for (const CommandType type : kAllTypes) {
    const Bytes b = encode(full_command(rng, type, 42, 43, true), 9);
    for (std::size_t k = 0; k < b.size(); ++k) {
      Record r;
      std::size_t size = 0;
      INFO("type " << static_cast<int>(type) << ", " << k << " of " << b.size() << " bytes");
      REQUIRE(read_record(std::span<const std::uint8_t>(b).first(k), r, size) == Check::truncated);
    }
  }
}

TEST_CASE("journal: any single byte flipped in a record is caught", "[journal]") {
  std::mt19937_64 rng(13);
  const std::uint8_t masks[] = {0x01, 0x10, 0x80, 0xff};
  for (const CommandType type : kAllTypes) {
    const Bytes b = encode(full_command(rng, type, 1000 + static_cast<Seq>(type), 5, false), 3);
    // Alone, and with a valid record after it (so a length made larger is not merely "truncated").
    Bytes followed = b;
    append_record(full_command(rng, CommandType::clock, 2000, 6), 0, followed);
    for (const bool with_next : {false, true}) {
      for (std::size_t i = 0; i < b.size(); ++i) {
        for (const std::uint8_t mask : masks) {
          Bytes bad = with_next ? followed : b;
          bad[i] ^= mask;
          Record r;
          std::size_t size = 0;
          const Check check = read_record(bad, r, size);
          INFO("type " << static_cast<int>(type) << ", byte " << i << " ^ " << int{mask} << (with_next ? ", followed" : "")
                       << ": " << to_string(check));
          REQUIRE(check != Check::ok);
          if (i >= 8) REQUIRE(check == Check::bad_checksum);  // the checksum and the payload
        }
      }
    }
  }
}

TEST_CASE("journal: random bytes and well-sealed garbage payloads never decode nor crash", "[journal]") {
  std::mt19937_64 rng(17);
  Record r;
  std::size_t size = 0;
  for (int i = 0; i < 20000; ++i) {
    Bytes b(rng() % 600);
    for (auto& x : b) x = static_cast<std::uint8_t>(rng());
    CHECK(read_record(b, r, size) != Check::ok);
  }
  // A valid frame (length, zero, matching XXH3) around random payload bytes: only the payload
  // decoder stands between them and the engine. It may accept a payload that happens to be
  // well formed, but must never read past it.
  std::size_t ok = 0;
  for (int i = 0; i < 20000; ++i) {
    const Bytes real = encode(full_command(rng, kAllTypes[rng() % std::size(kAllTypes)], 1 + rng() % 100, 1), 1);
    Bytes payload(real.begin() + kRecordHeader, real.end());
    // Damage the payload a little (a few bytes), or replace it by noise of any length.
    if (rng() % 2) {
      for (int k = 0; k < 1 + static_cast<int>(rng() % 4); ++k) payload[rng() % payload.size()] = static_cast<std::uint8_t>(rng());
    } else {
      payload.resize(1 + rng() % kMaxPayload);
      for (auto& x : payload) x = static_cast<std::uint8_t>(rng());
    }
    // Reseal: length, reserved 0, XXH3-64 of the payload (record.hpp's framing).
    Bytes framed(kRecordHeader);
    const auto n = static_cast<std::uint32_t>(payload.size());
    for (int k = 0; k < 4; ++k) framed[k] = static_cast<std::uint8_t>(n >> (8 * k));
    framed.insert(framed.end(), payload.begin(), payload.end());
    const std::uint64_t sum = XXH3_64bits(payload.data(), payload.size());
    for (int k = 0; k < 8; ++k) framed[8 + k] = static_cast<std::uint8_t>(sum >> (8 * k));
    const Check check = read_record(framed, r, size);
    CHECK((check == Check::ok || check == Check::bad_payload));
    if (check == Check::ok) {
      ++ok;
      CHECK(size == framed.size());
    }
  }
  // The damaged real payloads that still decode: a changed number or letter is well formed.
  CHECK(ok > 0);
}

// ---- segments and scan ---------------------------------------------------------------------

TEST_CASE("journal: a scan over rotated segments delivers every record in order", "[journal]") {
  TempDir dir("gpux-journal");
  const auto entries = random_entries(300, 21);
  write_journal(dir.path(), entries, 1000);  // a few records per segment
  const auto segments = segments_of(dir.path());
  REQUIRE(segments.size() > 20);
  REQUIRE(segments.front().seq == 1);
  for (std::size_t i = 0; i < segments.size(); ++i) {
    CHECK(fs::path(segments[i].path).filename() == segment_name(segments[i].seq));
    if (i > 0) CHECK(segments[i].seq > segments[i - 1].seq);
  }

  const Scanned all = scan_dir(dir.path());
  INFO(all.error);
  REQUIRE(all.ok);
  check_delivered(all, entries);
  CHECK(all.result.first_seq == 1);
  CHECK(all.result.last_seq == 300);
  CHECK(all.result.last_ts == entries.back().command.ts);
  CHECK(all.result.records == 300);
  CHECK(all.result.segments == segments.size());
  CHECK_FALSE(all.result.torn);
  std::uint64_t bytes = 0;
  for (const auto& s : segments) bytes += size_of(s.path) - kSegmentHeader;
  CHECK(all.result.bytes == bytes);

  // after/until: exactly the records in (after, until], whatever the segment boundaries.
  std::mt19937_64 rng(5);
  std::vector<std::pair<Seq, Seq>> ranges = {{0, 0}, {0, 1}, {299, INT64_MAX}, {300, INT64_MAX}, {0, 300}, {150, 150}};
  for (const auto& s : segments) ranges.push_back({s.seq - 1, s.seq});  // a boundary on each side
  for (int i = 0; i < 40; ++i) {
    const Seq a = static_cast<Seq>(rng() % 301);
    ranges.push_back({a, a + static_cast<Seq>(rng() % 40)});
  }
  for (const auto& [after, until] : ranges) {
    ScanOptions o;
    o.after = after;
    o.until = until;
    const Scanned s = scan_dir(dir.path(), o);
    INFO("after " << after << ", until " << until << ": " << s.error);
    REQUIRE(s.ok);
    const std::size_t lo = static_cast<std::size_t>(std::min<Seq>(after, 300));
    const std::size_t hi = static_cast<std::size_t>(std::clamp<Seq>(until, lo, 300));
    check_delivered(s, std::span<const Entry>(entries).subspan(lo, hi - lo));
    CHECK_FALSE(s.result.torn);
    if (until >= 300) CHECK(s.result.last_seq == 300);
  }

  // An empty or missing directory holds no record.
  TempDir empty("gpux-journal");
  const Scanned none = scan_dir(empty.path());
  REQUIRE(none.ok);
  CHECK(none.records.empty());
  CHECK(none.result.last_seq == 0);
  CHECK(none.result.segments == 0);
}

TEST_CASE("journal: a writer reopened after the last record goes on in a new segment", "[journal]") {
  TempDir dir("gpux-journal");
  const auto entries = random_entries(120, 23);
  const std::span<const Entry> all(entries);
  write_journal(dir.path(), all.first(40), 1 << 20);
  write_journal(dir.path(), all.subspan(40, 50), 1 << 20, 2);
  write_journal(dir.path(), all.subspan(90), 1 << 20, 3);
  const auto segments = segments_of(dir.path());
  REQUIRE(segments.size() == 3);
  CHECK(segments[1].seq == 41);
  CHECK(segments[2].seq == 91);
  const Scanned s = scan_dir(dir.path());
  INFO(s.error);
  REQUIRE(s.ok);
  check_delivered(s, all);
}

TEST_CASE("journal: a torn tail is reported, and repaired when asked", "[journal]") {
  TempDir orig("gpux-journal");
  const auto entries = random_entries(60, 31);
  write_journal(orig.path(), entries, 2000);
  const auto segments = segments_of(orig.path());
  REQUIRE(segments.size() >= 3);
  const std::string last_name = fs::path(segments.back().path).filename().string();
  const auto offsets = record_offsets(segments.back().path);
  REQUIRE(offsets.size() >= 2);
  const std::size_t last_at = offsets.back();
  const std::size_t end = size_of(segments.back().path);
  const std::span<const Entry> all(entries);

  // Each case damages a fresh copy of the journal's last segment, then: the scan reports the
  // tear and delivers everything before it; repair truncates the file there; the next scan is
  // clean; a writer goes on from the first seq lost.
  const auto check_torn = [&](const std::function<void(const std::string&)>& damage, std::size_t keep_records,
                              std::size_t torn_offset, bool go_on = true) {
    TempDir dir("gpux-journal");
    fs::copy(orig.path(), dir.path(), fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    const std::string last = dir / last_name;
    damage(last);
    const std::uintmax_t damaged_size = size_of(last);

    const Scanned seen = scan_dir(dir.path());
    INFO(seen.error);
    REQUIRE(seen.ok);
    CHECK(seen.result.torn);
    CHECK(seen.result.torn_at.rfind(at(last, torn_offset), 0) == 0);
    INFO("torn at: " << seen.result.torn_at);
    check_delivered(seen, all.first(keep_records));
    CHECK(size_of(last) == damaged_size);  // reported, not repaired

    ScanOptions repair;
    repair.repair = true;
    const Scanned repaired = scan_dir(dir.path(), repair);
    REQUIRE(repaired.ok);
    CHECK(repaired.result.torn);
    check_delivered(repaired, all.first(keep_records));
    CHECK(size_of(last) == torn_offset);

    const Scanned clean = scan_dir(dir.path(), repair);
    REQUIRE(clean.ok);
    CHECK_FALSE(clean.result.torn);
    CHECK(clean.result.last_seq == static_cast<Seq>(keep_records));
    check_delivered(clean, all.first(keep_records));

    // The journal goes on after the repair: the lost records written again.
    if (!go_on || keep_records == all.size()) return;
    write_journal(dir.path(), all.subspan(keep_records), 2000, 9);
    const Scanned again = scan_dir(dir.path());
    INFO(again.error);
    REQUIRE(again.ok);
    CHECK_FALSE(again.result.torn);
    check_delivered(again, all);
  };

  SECTION("the last record cut short at every length") {
    for (std::size_t cut = last_at + 1; cut < end; ++cut) {
      INFO("cut at " << cut);
      check_torn([&](const std::string& p) { truncate_to(p, cut); }, entries.size() - 1, last_at,
                 (cut - last_at) % 16 == 1);
    }
  }
  SECTION("zeros after the last record (the file grew before its data reached it)") {
    for (const std::size_t n : {1, 15, 16, 100, 4096}) {
      INFO(n << " zeros");
      check_torn([&](const std::string& p) { append_bytes(p, Bytes(n, 0)); }, entries.size(), end);
    }
  }
  SECTION("zeros in place of the last record's end") {
    for (const std::size_t from : {last_at, last_at + 4, last_at + 16, end - 1}) {
      INFO("zeros from " << from);
      check_torn(
          [&](const std::string& p) {
            Bytes b = read_all(p);
            std::fill(b.begin() + static_cast<std::ptrdiff_t>(from), b.end(), 0);
            write_bytes(p, b);
          },
          entries.size() - 1, last_at);
    }
  }
  SECTION("a half-written last record after a whole one") {
    check_torn(
        [&](const std::string& p) {
          Bytes more;
          append_record(entries.front().command, 0, more);  // any bytes that are not zeros
          more.resize(more.size() / 2);
          append_bytes(p, more);
        },
        entries.size(), end);
  }
  SECTION("a cut exactly between records is no tear") {
    TempDir dir("gpux-journal");
    fs::copy(orig.path(), dir.path(), fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    truncate_to(dir / last_name, last_at);
    const Scanned s = scan_dir(dir.path());
    REQUIRE(s.ok);
    CHECK_FALSE(s.result.torn);
    check_delivered(s, all.first(entries.size() - 1));
  }
}

TEST_CASE("journal: damage before the tail is an error naming the segment and offset", "[journal]") {
  TempDir orig("gpux-journal");
  const auto entries = random_entries(80, 41);
  write_journal(orig.path(), entries, 2500);
  const auto segments = segments_of(orig.path());
  REQUIRE(segments.size() >= 3);
  std::mt19937_64 rng(3);

  const auto check_damaged = [&](std::size_t segment, std::size_t record, std::size_t byte_in_record) {
    TempDir dir("gpux-journal");
    fs::copy(orig.path(), dir.path(), fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    const std::string path = dir / fs::path(segments[segment].path).filename().string();
    const auto offsets = record_offsets(path);
    REQUIRE(record < offsets.size());
    flip(path, offsets[record] + byte_in_record, static_cast<std::uint8_t>(1 + rng() % 255));
    const auto before = read_all(path);
    for (const bool repair : {false, true}) {
      ScanOptions o;
      o.repair = repair;
      const Scanned s = scan_dir(dir.path(), o);
      INFO("segment " << segment << ", record " << record << ", byte " << byte_in_record << ": " << s.error);
      REQUIRE_FALSE(s.ok);
      CHECK(s.error.rfind(at(path, offsets[record]), 0) == 0);
      CHECK(read_all(path) == before);  // damage is never "repaired" away
    }
  };

  const std::size_t last = segments.size() - 1;
  const std::size_t last_records = record_offsets(segments[last].path).size();
  REQUIRE(last_records >= 3);
  SECTION("a flipped payload byte in a record of the last segment with records after it") {
    for (std::size_t r = 0; r + 1 < last_records; ++r) check_damaged(last, r, kRecordHeader + rng() % 20);
  }
  SECTION("a flipped checksum byte in a record of the last segment with records after it") {
    for (std::size_t r = 0; r + 1 < last_records; ++r) check_damaged(last, r, 8 + rng() % 8);
  }
  SECTION("a flipped byte in the last record of a segment that is not the last") {
    for (std::size_t s = 0; s < last; ++s) {
      const std::size_t n = record_offsets(segments[s].path).size();
      check_damaged(s, n - 1, kRecordHeader + rng() % 20);
      check_damaged(s, n - 1, rng() % 8 == 0 ? 4 : 12);  // the reserved word or the checksum
    }
  }
  SECTION("a flipped byte anywhere in a record of a middle segment") {
    const std::size_t s = last / 2;
    const auto offsets = record_offsets(segments[s].path);
    const std::size_t r = offsets.size() / 2;
    const std::size_t len = (r + 1 < offsets.size() ? offsets[r + 1] : size_of(segments[s].path)) - offsets[r];
    for (std::size_t b = 0; b < len; ++b) check_damaged(s, r, b);
  }
  SECTION("a middle segment cut short") {
    TempDir dir("gpux-journal");
    fs::copy(orig.path(), dir.path(), fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    const std::string path = dir / fs::path(segments[1].path).filename().string();
    const auto offsets = record_offsets(path);
    truncate_to(path, offsets.back() + 5);
    const Scanned s = scan_dir(dir.path());
    REQUIRE_FALSE(s.ok);
    CHECK(s.error.rfind(at(path, offsets.back()), 0) == 0);
  }
}

// A flipped bit in the length word of one of the last few records (but not the last) makes the
// length run past the end of the file: that must still be damage, not a torn tail, because whole
// records follow it. Repairing it as a tear would cut acknowledged records off the journal.
TEST_CASE("journal: a damaged length in a record before the last is an error, not a torn tail", "[journal]") {
  TempDir orig("gpux-journal");
  const auto entries = random_entries(20, 43);
  write_journal(orig.path(), entries, 1 << 20);
  const auto segments = segments_of(orig.path());
  REQUIRE(segments.size() == 1);
  const std::string name = fs::path(segments[0].path).filename().string();
  const auto offsets = record_offsets(segments[0].path);
  REQUIRE(offsets.size() == 20);
  const std::size_t victim = offsets.size() - 2;  // the record before the last
  for (int bit = 0; bit < 16; ++bit) {
    const std::size_t byte = static_cast<std::size_t>(bit / 8);
    const auto mask = static_cast<std::uint8_t>(1 << (bit % 8));
    TempDir dir("gpux-journal");
    fs::copy(orig.path(), dir.path(), fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    const std::string path = dir / name;
    flip(path, offsets[victim] + byte, mask);  // the two low bytes of the length
    const auto size = size_of(path);
    ScanOptions repair;
    repair.repair = true;
    const Scanned s = scan_dir(dir.path(), repair);
    INFO("length bit " << bit << ": ok " << s.ok << ", torn " << s.result.torn << " (" << s.result.torn_at
                     << "), error: " << s.error);
    CHECK_FALSE(s.ok);
    CHECK(size_of(path) == size);  // the record after it is still there
  }
}

TEST_CASE("journal: a missing segment or record is a seq gap naming where", "[journal]") {
  TempDir dir("gpux-journal");
  const auto entries = random_entries(60, 51);
  write_journal(dir.path(), entries, 1500);
  const auto segments = segments_of(dir.path());
  REQUIRE(segments.size() >= 4);

  SECTION("a middle segment deleted") {
    const std::size_t k = segments.size() / 2;
    fs::remove(segments[k].path);
    const Scanned s = scan_dir(dir.path());
    INFO(s.error);
    REQUIRE_FALSE(s.ok);
    CHECK(s.error.rfind(at(segments[k + 1].path, 0), 0) == 0);
    CHECK(s.error.find("seq gap") != std::string::npos);
    CHECK(s.error.find("expected " + std::to_string(segments[k].seq)) != std::string::npos);
    // A scan that starts after the hole does not need the missing records.
    ScanOptions o;
    o.after = segments[k + 1].seq - 1;
    const Scanned later = scan_dir(dir.path(), o);
    INFO(later.error);
    CHECK(later.ok);
    CHECK(later.result.last_seq == 60);
  }
  SECTION("a segment renamed so its name and header disagree") {
    const std::string renamed = dir / segment_name(segments[1].seq + 1);
    fs::rename(segments[1].path, renamed);
    const Scanned s = scan_dir(dir.path());
    INFO(s.error);
    REQUIRE_FALSE(s.ok);
    CHECK(s.error.rfind(at(renamed, 0), 0) == 0);
  }
  SECTION("a record missing inside a segment") {
    TempDir gap("gpux-journal");
    std::vector<Entry> holed(entries.begin(), entries.begin() + 10);
    holed.erase(holed.begin() + 6);  // seq 7 never written
    SegmentWriter w;
    std::string error;
    REQUIRE(w.open(gap.path(), 1, 1 << 20, error));
    Bytes b;
    for (const Entry& e : holed) append_record(e.command, e.session, b);
    REQUIRE(w.append(b, 1, error));
    REQUIRE(w.sync(error));
    w.close();
    const std::string path = gap / segment_name(1);
    const auto offsets = record_offsets(path);
    const Scanned s = scan_dir(gap.path());
    INFO(s.error);
    REQUIRE_FALSE(s.ok);
    CHECK(s.error.rfind(at(path, offsets[6]), 0) == 0);
    CHECK(s.error.find("seq gap") != std::string::npos);
  }
}

TEST_CASE("journal: a segment header cut short is torn in the last segment, an error in a middle one", "[journal]") {
  TempDir orig("gpux-journal");
  const auto entries = random_entries(40, 61);
  write_journal(orig.path(), entries, 1500);
  const auto segments = segments_of(orig.path());
  REQUIRE(segments.size() >= 3);
  const std::span<const Entry> all(entries);

  SECTION("the last segment: a crash right after it was created") {
    for (const std::size_t keep : {std::size_t{0}, std::size_t{1}, std::size_t{8}, kSegmentHeader - 1}) {
      TempDir dir("gpux-journal");
      fs::copy(orig.path(), dir.path(), fs::copy_options::recursive | fs::copy_options::overwrite_existing);
      const std::string last = dir / fs::path(segments.back().path).filename().string();
      truncate_to(last, keep);
      const std::size_t before = static_cast<std::size_t>(segments.back().seq - 1);
      const Scanned s = scan_dir(dir.path());
      INFO(keep << " header bytes: " << s.error);
      REQUIRE(s.ok);
      CHECK(s.result.torn);
      CHECK(s.result.torn_at.rfind(at(last, 0), 0) == 0);
      check_delivered(s, all.first(before));
      CHECK(fs::exists(last));
      ScanOptions repair;
      repair.repair = true;
      const Scanned r = scan_dir(dir.path(), repair);
      REQUIRE(r.ok);
      CHECK_FALSE(fs::exists(last));  // an empty segment is removed, so a writer can create it again
      const Scanned clean = scan_dir(dir.path());
      REQUIRE(clean.ok);
      CHECK_FALSE(clean.result.torn);
      check_delivered(clean, all.first(before));
      write_journal(dir.path(), all.subspan(before), 1500, 4);
      const Scanned again = scan_dir(dir.path());
      INFO(again.error);
      REQUIRE(again.ok);
      check_delivered(again, all);
    }
  }
  SECTION("a middle segment") {
    for (const std::size_t keep : {std::size_t{0}, std::size_t{10}, kSegmentHeader - 1}) {
      TempDir dir("gpux-journal");
      fs::copy(orig.path(), dir.path(), fs::copy_options::recursive | fs::copy_options::overwrite_existing);
      const std::string middle = dir / fs::path(segments[1].path).filename().string();
      truncate_to(middle, keep);
      for (const bool repair : {false, true}) {
        ScanOptions o;
        o.repair = repair;
        const Scanned s = scan_dir(dir.path(), o);
        INFO(keep << " header bytes: " << s.error);
        REQUIRE_FALSE(s.ok);
        CHECK(s.error.rfind(at(middle, 0), 0) == 0);
        CHECK(fs::exists(middle));
      }
    }
  }
  SECTION("a damaged header is an error even in the last segment") {
    TempDir dir("gpux-journal");
    fs::copy(orig.path(), dir.path(), fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    const std::string last = dir / fs::path(segments.back().path).filename().string();
    flip(last, 3);
    const Scanned s = scan_dir(dir.path());
    INFO(s.error);
    REQUIRE_FALSE(s.ok);
    CHECK(s.error.rfind(at(last, 0), 0) == 0);
  }
}

// ---- snapshot files --------------------------------------------------------------------------

namespace {

Bytes random_state(std::mt19937_64& rng, std::size_t n) {
  Bytes b(n);
  for (auto& x : b) x = static_cast<std::uint8_t>(rng());
  return b;
}

std::vector<Seq> snapshot_seqs(const std::string& dir) {
  std::vector<DirEntry> list;
  std::string error;
  REQUIRE(list_snapshots(dir, list, error));
  std::vector<Seq> out;
  for (const auto& e : list) out.push_back(e.seq);
  return out;
}

}  // namespace

TEST_CASE("journal: snapshot files round trip and keep only the newest", "[journal]") {
  TempDir dir("gpux-journal");
  std::mt19937_64 rng(71);
  std::string error;
  for (const std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{1000}, std::size_t{300000}}) {
    const Bytes state = random_state(rng, n);
    const Seq seq = 100 + static_cast<Seq>(n);
    const Ts ts = 1'700'000'000'000'000'000 + static_cast<Ts>(n);
    INFO(n << " bytes: " << error);
    REQUIRE(write_snapshot(dir.path(), seq, ts, state, 10, error));
    Seq got_seq = 0;
    Ts got_ts = 0;
    Bytes got;
    REQUIRE(read_snapshot(dir / snapshot_name(seq), got_seq, got_ts, got, error));
    CHECK(got_seq == seq);
    CHECK(got_ts == ts);
    CHECK(got == state);
    CHECK(size_of(dir / snapshot_name(seq)) == kSnapshotHeader + n);
  }

  TempDir pruned("gpux-journal");
  for (Seq s = 10; s <= 60; s += 10) {
    REQUIRE(write_snapshot(pruned.path(), s, s, random_state(rng, 64), 2, error));
    CHECK(snapshot_seqs(pruned.path()) == (s == 10 ? std::vector<Seq>{10} : std::vector<Seq>{s - 10, s}));
  }
  REQUIRE(write_snapshot(pruned.path(), 70, 70, random_state(rng, 64), 1, error));
  CHECK(snapshot_seqs(pruned.path()) == std::vector<Seq>{70});
  // No temporary file is left behind, and the journal's segments are not snapshots.
  for (const auto& f : fs::directory_iterator(pruned.path()))
    CHECK(f.path().filename().string() == snapshot_name(70));
}

TEST_CASE("journal: a damaged snapshot file is refused", "[journal]") {
  TempDir dir("gpux-journal");
  std::mt19937_64 rng(73);
  std::string error;
  const Bytes state = random_state(rng, 2000);
  REQUIRE(write_snapshot(dir.path(), 4242, 99, state, 2, error));
  const std::string path = dir / snapshot_name(4242);
  const Bytes good = read_all(path);
  Seq seq;
  Ts ts;
  Bytes got;

  SECTION("a flipped byte in the state is a checksum error") {
    for (int i = 0; i < 200; ++i) {
      Bytes bad = good;
      bad[kSnapshotHeader + rng() % state.size()] ^= static_cast<std::uint8_t>(1 + rng() % 255);
      write_bytes(path, bad);
      error.clear();
      REQUIRE_FALSE(read_snapshot(path, seq, ts, got, error));
      CHECK(error.find("checksum") != std::string::npos);
      CHECK(error.find(path) != std::string::npos);
    }
  }
  SECTION("cut short or grown") {
    for (const std::size_t n : {std::size_t{0}, std::size_t{10}, kSnapshotHeader - 1, kSnapshotHeader, good.size() - 1}) {
      write_bytes(path, Bytes(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(n)));
      INFO(n << " bytes");
      REQUIRE_FALSE(read_snapshot(path, seq, ts, got, error));
    }
    Bytes longer = good;
    longer.push_back(0);
    write_bytes(path, longer);
    REQUIRE_FALSE(read_snapshot(path, seq, ts, got, error));
  }
  SECTION("a flipped byte in the magic, version, header size or length") {
    for (std::size_t i : {0, 7, 8, 12, 32, 39}) {
      Bytes bad = good;
      bad[i] ^= 0x04;
      write_bytes(path, bad);
      INFO("byte " << i);
      REQUIRE_FALSE(read_snapshot(path, seq, ts, got, error));
    }
  }
}

// The header's seq and ts say where recovery resumes the journal: a flipped bit there must not
// pass as a good snapshot, or recovery would replay from the wrong place.
TEST_CASE("journal: a flipped byte anywhere in a snapshot file is refused", "[journal]") {
  TempDir dir("gpux-journal");
  std::mt19937_64 rng(79);
  std::string error;
  const Bytes state = random_state(rng, 256);
  REQUIRE(write_snapshot(dir.path(), 4242, 1'700'000'000'000'000'000, state, 2, error));
  const std::string path = dir / snapshot_name(4242);
  const Bytes good = read_all(path);
  std::vector<std::size_t> missed;
  for (std::size_t i = 0; i < good.size(); ++i) {
    Bytes bad = good;
    bad[i] ^= 0x01;
    write_bytes(path, bad);
    Seq seq;
    Ts ts;
    Bytes got;
    if (read_snapshot(path, seq, ts, got, error)) missed.push_back(i);
  }
  std::string list;
  for (const std::size_t i : missed) list += " " + std::to_string(i);
  INFO("flips read as a good snapshot at bytes:" << list);
  CHECK(missed.empty());
}
