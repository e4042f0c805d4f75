// Start-up from a journal directory: the newest valid snapshot, then every journal record
// after it run through the engine. The engine ends in the state of a run that never stopped.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "engine/engine.hpp"

namespace gpux::storage {

struct Recovered {
  Seq seq = 0;           // the last command in the recovered state (0: a new journal)
  Ts ts = 0;             // its ts
  Seq snapshot_seq = 0;  // the snapshot it started from (0: none)
  std::uint64_t replayed = 0;  // journal records run after the snapshot
};

using LogFn = std::function<void(std::string_view)>;

// Loads into `engine` the newest snapshot of `dir` with seq <= at_most that passes its checks;
// each one passed over gets a log line. `seq` and `ts` stay 0 when none served. False, with
// `error`, only when the directory cannot be listed.
bool load_newest_snapshot(const std::string& dir, Seq at_most, Engine& engine, Seq& seq, Ts& ts, std::string& error,
                          const LogFn& log);

// `engine` must be fresh. A torn journal tail is truncated with one log line; a snapshot that
// fails its checks is passed over (with a log line) for an older one. False, with `error`, when
// the journal is damaged anywhere but its tail.
bool recover(const std::string& dir, Engine& engine, Recovered& out, std::string& error, const LogFn& log);

}  // namespace gpux::storage
