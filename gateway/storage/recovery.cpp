#include "gateway/storage/recovery.hpp"

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "gateway/storage/files.hpp"
#include "gateway/storage/reader.hpp"

namespace gpux::storage {

bool load_newest_snapshot(const std::string& dir, Seq at_most, Engine& engine, Seq& seq, Ts& ts, std::string& error,
                          const LogFn& log) {
  seq = 0;
  ts = 0;
  std::vector<DirEntry> snapshots;
  if (!list_snapshots(dir, snapshots, error)) return false;
  std::vector<std::uint8_t> state;
  for (auto it = snapshots.rbegin(); it != snapshots.rend(); ++it) {
    if (it->seq > at_most) continue;
    Seq header_seq = 0;
    Ts header_ts = 0;
    std::string why;
    if (read_snapshot(it->path, header_seq, header_ts, state, why) && header_seq != it->seq)
      why = "its name and its header disagree on the seq";
    if (!why.empty() || !engine.load_state(state, why)) {
      log("passing over snapshot " + it->path + ": " + why);
      continue;
    }
    seq = header_seq;
    ts = header_ts;
    return true;
  }
  return true;
}

bool recover(const std::string& dir, Engine& engine, Recovered& out, std::string& error, const LogFn& log) {
  out = Recovered{};
  if (!std::filesystem::exists(dir)) return true;  // a new journal
  if (!load_newest_snapshot(dir, INT64_MAX, engine, out.snapshot_seq, out.ts, error, log)) return false;
  out.seq = out.snapshot_seq;
  EventBuffer events;
  ScanOptions options;
  options.after = out.snapshot_seq;
  options.repair = true;
  ScanResult scanned;
  const bool ok = scan_batches(
      dir, options,
      [&](std::span<const Command> commands) {
        events.clear();
        engine.process(commands, events);
        out.replayed += commands.size();
      },
      scanned, error);
  if (!ok) return false;
  if (scanned.torn) log("journal: truncated a torn last record: " + scanned.torn_at);
  if (scanned.last_seq > out.seq) {
    out.seq = scanned.last_seq;
    out.ts = scanned.last_ts;
  }
  if (scanned.records > 0 && scanned.first_seq > out.snapshot_seq + 1) {
    error = dir + ": the journal resumes at seq " + std::to_string(scanned.first_seq) + " but the snapshot is as of " +
            std::to_string(out.snapshot_seq);
    return false;
  }
  return true;
}

}  // namespace gpux::storage
