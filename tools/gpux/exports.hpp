// `gpux export trades`, `lobster` and `ledger`: a journal directory or an order log run through
// the engine, its trades, one instrument's book history or the ledger's movements written as
// CSV for analysis tools and audits (docs/exports.md).
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

// `gpux export ledger`: deposits, withdraws, funds and both legs of every trade, with the cash
// balance after each (docs/exports.md).
using LedgerExportOptions = TradesExportOptions;
int run_export_ledger(const LedgerExportOptions& options);

}  // namespace gpux
