// `gpux replay`: an order log or a journal directory in, SPEC §4 events out.
#pragma once

#include <cstdint>
#include <string>

#include "engine/types.hpp"

namespace gpux {

struct ReplayOptions {
  std::string input;    // a log file, "-" for stdin, or a journal directory
  std::string catalog;  // a catalog file; empty for the built-in one
  bool book = false;
  bool orders = false;
  bool digest = false;
  bool quiet = false;  // run the commands, write no events (timing a replay)
  bool stats = false;  // then say on stderr how many commands, how long, commands/s
  Seq until = INT64_MAX;  // stop after this seq
};

// Returns the process exit status: 0, 2 on an input error, 1 when a file can't be read or a
// journal is damaged.
int run_replay(const ReplayOptions& options);

// Replays an in-memory log (the built-in sample) the same way.
int run_replay_text(std::string_view log, std::string_view name, const ReplayOptions& options);

}  // namespace gpux
