// `gpux export trades` and `gpux export lobster`: a journal directory or an order log run
// through the engine, its trades or one instrument's book history written as CSV for
// analysis tools (docs/exports.md).
#pragma once

#include <string>

namespace gpux {

struct TradesExportOptions {
  std::string source;   // a journal directory, a log file, or "-"
  std::string catalog;  // empty: the built-in catalog
  std::string out;      // empty: stdout
};

// 0, or 1 / 2 as `gpux replay` (an unreadable or damaged source, an input error in a log).
int run_export_trades(const TradesExportOptions& options);

struct LobsterExportOptions {
  std::string source;
  std::string catalog;
  std::string instrument;  // the canonical symbol
  std::string out_dir;
  int levels = 10;
};

int run_export_lobster(const LobsterExportOptions& options);

}  // namespace gpux
