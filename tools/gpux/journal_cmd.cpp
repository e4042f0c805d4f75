#include "tools/gpux/journal_cmd.hpp"

#include <cstdio>
#include <filesystem>
#include <vector>

#include "gateway/storage/files.hpp"
#include "gateway/storage/reader.hpp"
#include "gateway/storage/recovery.hpp"
#include "tools/gpux/load_catalog.hpp"
#include "tools/gpux/progress.hpp"
#include "tools/client/utc_time.hpp"
#include "tools/orderlog/command_parser.hpp"
#include "tools/orderlog/event_writer.hpp"

namespace gpux {

namespace {

constexpr std::size_t kChunk = 1 << 20;

// storage::scan checks framing and seqs; a log also needs ts never to go backwards, or the
// dump of the journal would not replay. The first offence is kept.
class TsOrder {
 public:
  void check(const Command& c) {
    if (c.ts < last_ && error.empty())
      error = "seq " + std::to_string(c.seq) + ": ts " + std::to_string(c.ts) + " is before the previous command's " +
              std::to_string(last_);
    last_ = c.ts;
  }
  std::string error;

 private:
  Ts last_ = INT64_MIN;
};

struct SnapshotCheck {
  Seq seq;  // from the file name
  Ts ts = 0;
  std::string error;  // empty when the file checks
};

std::vector<SnapshotCheck> check_snapshots(const std::string& dir) {
  std::vector<storage::DirEntry> files;
  std::vector<SnapshotCheck> out;
  std::string error;
  if (!storage::list_snapshots(dir, files, error)) return out;
  std::vector<std::uint8_t> state;
  for (const storage::DirEntry& f : files) {
    SnapshotCheck& s = out.emplace_back(SnapshotCheck{f.seq});
    Seq seq = 0;
    if (!storage::read_snapshot(f.path, seq, s.ts, state, s.error)) continue;
    if (seq != f.seq) s.error = f.path + ": header says seq " + std::to_string(seq);
  }
  return out;
}

void print_text(const std::string& dir, const storage::ScanResult& r, Ts first_ts,
                const std::vector<SnapshotCheck>& snapshots) {
  std::printf("journal    %s\n", dir.c_str());
  std::printf("segments   %zu\n", r.segments);
  if (r.records == 0) {
    std::printf("records    0\n");
  } else {
    std::printf("records    %llu, seq %lld to %lld\n", static_cast<unsigned long long>(r.records),
                static_cast<long long>(r.first_seq), static_cast<long long>(r.last_seq));
    std::printf("first ts   %s (%lld)\n", utc_ns(first_ts).c_str(), static_cast<long long>(first_ts));
    std::printf("last ts    %s (%lld)\n", utc_ns(r.last_ts).c_str(), static_cast<long long>(r.last_ts));
  }
  std::printf("bytes      %llu\n", static_cast<unsigned long long>(r.bytes));
  if (snapshots.empty()) std::printf("snapshots  none\n");
  for (const SnapshotCheck& s : snapshots) {
    const auto seq = static_cast<long long>(s.seq);
    if (s.error.empty()) std::printf("snapshot   seq %lld, %s: ok\n", seq, utc_ns(s.ts).c_str());
    else std::printf("snapshot   seq %lld: BAD (%s)\n", seq, s.error.c_str());
  }
  if (r.torn)
    std::printf("tail       TORN: %s (an unfinished last write: not part of the journal; gpuxd drops it at start-up)\n",
                r.torn_at.c_str());
  else std::printf("tail       clean\n");
}

void print_json(const std::string& dir, const storage::ScanResult& r, Ts first_ts,
                const std::vector<SnapshotCheck>& snapshots) {
  std::string out = "{\"dir\":";
  write_json_string(dir, out);
  const auto num = [&](const char* key, long long v) { out += ",\"" + std::string(key) + "\":" + std::to_string(v); };
  const auto str = [&](const char* key, const std::string& v) {
    out += ",\"" + std::string(key) + "\":";
    write_json_string(v, out);
  };
  num("segments", static_cast<long long>(r.segments));
  num("records", static_cast<long long>(r.records));
  if (r.records > 0) {
    num("first_seq", r.first_seq);
    num("last_seq", r.last_seq);
    num("first_ts", first_ts);
    str("first_ts_utc", utc_ns(first_ts));
    num("last_ts", r.last_ts);
    str("last_ts_utc", utc_ns(r.last_ts));
  }
  num("bytes", static_cast<long long>(r.bytes));
  out += ",\"torn\":";
  out += r.torn ? "true" : "false";
  if (r.torn) str("torn_at", r.torn_at);
  out += ",\"snapshots\":[";
  for (std::size_t i = 0; i < snapshots.size(); ++i) {
    const SnapshotCheck& s = snapshots[i];
    out += i ? ",{" : "{";
    out += "\"seq\":" + std::to_string(s.seq);
    if (s.error.empty()) {
      out += ",\"ts\":" + std::to_string(s.ts) + ",\"valid\":true}";
    } else {
      out += ",\"valid\":false,\"error\":";
      write_json_string(s.error, out);
      out += '}';
    }
  }
  out += "]}\n";
  std::fwrite(out.data(), 1, out.size(), stdout);
}

}  // namespace

int run_journal_verify(const JournalVerifyOptions& options) {
  storage::ScanResult result;
  std::string error;
  TsOrder ts_order;
  Ts first_ts = 0;
  bool first = true;
  Progress progress("journal verify");
  const bool ok = storage::scan(
      options.dir, {},
      [&](const storage::Record& r) {
        if (first) first_ts = r.command.ts;
        first = false;
        ts_order.check(r.command);
        progress.add(1, r.command);
      },
      result, error);
  progress.finish();
  if (ok && !ts_order.error.empty()) error = options.dir + ": " + ts_order.error;
  if (!error.empty()) {
    std::fprintf(stderr, "gpux journal verify: %s\n", error.c_str());
    return 1;
  }
  const std::vector<SnapshotCheck> snapshots = check_snapshots(options.dir);
  if (options.json) print_json(options.dir, result, first_ts, snapshots);
  else print_text(options.dir, result, first_ts, snapshots);
  return 0;
}

int run_journal_dump(const JournalDumpOptions& options) {
  storage::ScanOptions scan;
  scan.after = options.from > 0 ? options.from - 1 : 0;
  scan.until = options.to;
  storage::ScanResult result;
  std::string error, unwritable;
  TsOrder ts_order;
  std::string out;
  out.reserve(2 * kChunk);
  const auto flush = [&] {
    std::fwrite(out.data(), 1, out.size(), stdout);
    out.clear();
  };
  // Once a command cannot be dumped, the rest is still scanned but no longer written.
  const bool ok = storage::scan(
      options.dir, scan,
      [&](const storage::Record& r) {
        if (!unwritable.empty() || !ts_order.error.empty()) return;
        ts_order.check(r.command);
        if (!ts_order.error.empty()) return;
        if (!write_command(r.command, out, unwritable)) {
          unwritable = "seq " + std::to_string(r.command.seq) + ": cannot be written as a log line: " + unwritable;
          return;
        }
        if (out.size() >= kChunk) flush();
      },
      result, error);
  flush();
  std::fflush(stdout);
  if (ok && !ts_order.error.empty()) error = options.dir + ": " + ts_order.error;
  if (ok && !unwritable.empty()) error = options.dir + ": " + unwritable;
  if (!error.empty()) {
    std::fprintf(stderr, "gpux journal dump: %s\n", error.c_str());
    return 1;
  }
  if (result.torn)
    std::fprintf(stderr, "gpux journal dump: note: the journal ends in a torn record, not dumped (%s)\n",
                 result.torn_at.c_str());
  return 0;
}

int run_journal_state(const JournalStateOptions& options) {
  std::error_code ec;
  if (!std::filesystem::is_directory(options.dir, ec)) {
    std::fprintf(stderr, "gpux journal state: %s is not a directory\n", options.dir.c_str());
    return 1;
  }
  Catalog catalog;
  if (!load_catalog(options.catalog, "journal state", catalog)) return 1;
  EngineConfig config;
  config.prefault = false;
  Engine engine(std::move(catalog), config);
  storage::Recovered recovered;
  std::string error;
  const auto log = [](std::string_view line) {
    std::fprintf(stderr, "gpux journal state: %.*s\n", static_cast<int>(line.size()), line.data());
  };
  if (!storage::recover(options.dir, engine, recovered, error, log)) {
    std::fprintf(stderr, "gpux journal state: %s\n", error.c_str());
    return 1;
  }
  std::printf("{\"seq\":%lld,\"state_digest\":\"xxh3-64:%016llx\",\"snapshot_seq\":%lld,\"replayed\":%llu}\n",
              static_cast<long long>(recovered.seq), static_cast<unsigned long long>(engine.state_digest()),
              static_cast<long long>(recovered.snapshot_seq), static_cast<unsigned long long>(recovered.replayed));
  return 0;
}

}  // namespace gpux
