// `gpux journal verify` and `gpux journal dump`: the operator's look into a journal directory
// (docs/journal-tools.md), without a running gpuxd and without changing a byte of it.
#pragma once

#include <cstdint>
#include <string>

#include "engine/types.hpp"

namespace gpux {

struct JournalVerifyOptions {
  std::string dir;
  bool json = false;
};

// 0 when every record checks (a torn last record included: it is reported, not fatal); 1 on a
// damaged record before the tail, a seq gap, a ts going backwards or an unreadable file.
int run_journal_verify(const JournalVerifyOptions& options);

struct JournalDumpOptions {
  std::string dir;
  Seq from = 1;
  Seq to = INT64_MAX;
};

// The commands as order-log lines (docs/order-log.md, with the `disconnect` extension). 0, or 1 after
// naming a damaged record or a command the log format cannot carry.
int run_journal_dump(const JournalDumpOptions& options);

struct JournalStateOptions {
  std::string dir;
  std::string catalog;  // empty: the built-in catalog, as gpuxd
};

// Recovers an engine from the journal as gpuxd does at start-up (the newest good snapshot,
// then the records after it) and prints one JSON line: the seq it ends at and the XXH3-64 of
// its state (Engine::state_digest). Two journals that hold the same history print the same
// line however they got it (replicas, docs/replication.md). 0, or 1 when recovery fails.
int run_journal_state(const JournalStateOptions& options);

}  // namespace gpux
