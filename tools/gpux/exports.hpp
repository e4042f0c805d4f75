// `gpux export trades`, `lobster` and `ledger`: a journal directory or an order log run through
// the engine, its trades, one instrument's book history or the ledger's movements written as
// CSV for analysis tools and audits (docs/exports.md).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "engine/engine.hpp"

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

// What the trades and ledger exports share: the source run through an engine, `header`, then
// what `row` appends for each event (engine: for names), written to options.out. Returns as
// run_export_trades does.
using EventRow = std::function<void(const Engine& engine, const Event& e, std::string& out)>;
int run_event_export(const TradesExportOptions& options, std::string_view header, const EventRow& row);

}  // namespace gpux
