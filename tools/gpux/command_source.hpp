// Where the operator tools' commands come from: a journal directory (binary records, read with
// storage::scan, no JSON on the way in) or an order log (JSON Lines: a file, or "-" for stdin;
// log_reader.hpp). One reader for both keeps replay and the exports agreeing on what a source
// holds.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "engine/command.hpp"

namespace gpux {

struct SourceStatus {
  int exit = 0;         // 0; 1: unreadable, or a damaged journal; 2: an input error in a log
  std::string error;    // names the line (log) or the segment and offset (journal)
  std::string torn_at;  // a journal whose last record is torn, and so not read: where
};

using CommandFn = std::function<void(const Command&)>;
// Runs of commands in order, where they were decoded: a caller that batches anyway (replay, into
// Engine::process) takes them without a copy or a call per command.
using CommandsFn = std::function<void(std::span<const Command>)>;
// Runs hold up to this many commands (a log's and a journal's alike):
// enough for the engine's prefetching to pay.
inline constexpr std::size_t kBatch = 64;

bool is_journal_dir(const std::string& source);

// Feeds `f` the source's commands with seq <= until, in order, and stops at the first problem.
// A journal must start at seq 1: the engine state before a later start is not in it.
SourceStatus read_commands(const std::string& source, Seq until, const CommandFn& f);

// A journal directory's commands in runs of up to kBatch, as they were decoded (nothing copied
// per command), for Engine::process(span); read and checked on a thread of their own, ahead of
// `f` (read_ahead.hpp).
SourceStatus read_journal_runs(const std::string& dir, Seq until, const CommandsFn& f);

// Prints the status's error (or its torn-tail note) on stderr as "gpux TOOL: ..."; returns its exit.
int report(std::string_view tool, const SourceStatus& status);

}  // namespace gpux
