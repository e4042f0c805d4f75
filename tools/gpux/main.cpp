// The `gpux` command line.
#include <CLI/CLI.hpp>

#include "tools/gpux/exports.hpp"
#include "tools/gpux/journal_cmd.hpp"
#include "tools/gpux/replay.hpp"
#include "tools/gpux/sample_log.hpp"
#include "tools/gpux/trade.hpp"

int main(int argc, char** argv) {
  CLI::App app{"gpux: an exchange for blocks of GPU-hours"};
  app.require_subcommand(1);
  app.footer(
      "Example: gpux buy H100.MEM1 64 --start tomorrow --for 3d @2.20   (a block of 64 GPUs for 72 hours, as lab-x)\n"
      "Every command's --help shows an example of its own.");

  gpux::ReplayOptions replay;
  CLI::App* r = app.add_subcommand("replay", "Replay an order log (JSON Lines) or a journal and print its events");
  r->footer("Example: gpux replay orders.jsonl --digest   (a progress line on stderr when it is a terminal)");
  r->add_option("FILE", replay.input, "The order log, - for standard input, or a gpuxd journal directory")->required();
  r->add_option("--catalog", replay.catalog, "A product catalog file (JSON) instead of the built-in one");
  r->add_flag("--book", replay.book, "Print every instrument's book at the end");
  r->add_flag("--orders", replay.orders, "With the book, list each resting order");
  r->add_flag("--digest", replay.digest, "Print a hash of the event stream instead of the events");
  r->add_option("--until", replay.until, "Stop after the command with this seq (the books are as of it)");
  r->add_flag("--quiet", replay.quiet, "Run the commands but write no events (--book still prints the books)")
      ->excludes("--digest");
  r->add_flag("--stats", replay.stats, "Say on standard error how many commands ran, how long, and commands/s");

  gpux::ReplayOptions demo;
  demo.book = true;
  CLI::App* d = app.add_subcommand("demo", "Replay the built-in sample log of a small market and show the books");
  d->footer("Example: gpux demo --orders");
  d->add_flag("--orders", demo.orders, "List each resting order in the books");

  CLI::App* journal = app.add_subcommand("journal", "Inspect a gpuxd journal directory");
  journal->require_subcommand(1);
  journal->footer("Example: gpux journal verify /var/lib/gpux");
  gpux::JournalVerifyOptions verify;
  CLI::App* jv = journal->add_subcommand("verify", "Check every record and summarise the journal");
  jv->footer("Example: gpux journal verify /var/lib/gpux --json");
  jv->add_option("DIR", verify.dir, "The journal directory")->required();
  jv->add_flag("--json", verify.json, "Print the summary as one JSON object");
  gpux::JournalDumpOptions dump;
  CLI::App* jd = journal->add_subcommand("dump", "Print the journal's commands as an order log (JSON Lines)");
  jd->footer("Example: gpux journal dump /var/lib/gpux --from 1000 --to 2000 > part.jsonl");
  jd->add_option("DIR", dump.dir, "The journal directory")->required();
  jd->add_option("--from", dump.from, "First seq to print");
  jd->add_option("--to", dump.to, "Last seq to print");
  gpux::JournalStateOptions state;
  CLI::App* js = journal->add_subcommand(
      "state", "Recover the engine as gpuxd would and print its seq and state digest (replicas agree on it)");
  js->footer("Example: gpux journal state /var/lib/gpux   (the same line on every replica at the same seq)");
  js->add_option("DIR", state.dir, "The journal directory")->required();
  js->add_option("--catalog", state.catalog, "Product catalog file (JSON); default: the built-in catalog");

  CLI::App* exports = app.add_subcommand("export", "Write trades or an instrument's book history as CSV");
  exports->require_subcommand(1);
  exports->footer("Example: gpux export trades /var/lib/gpux --out trades.csv");
  gpux::TradesExportOptions trades;
  CLI::App* et = exports->add_subcommand("trades", "Every trade, one CSV row each");
  et->footer("Example: gpux export trades /var/lib/gpux --out trades.csv");
  et->add_option("SOURCE", trades.source, "A journal directory, an order log, or - for standard input")->required();
  et->add_option("--out", trades.out, "Output file (default: standard output)");
  et->add_option("--catalog", trades.catalog, "A product catalog file (JSON) instead of the built-in one");
  gpux::LobsterExportOptions lobster;
  CLI::App* el = exports->add_subcommand("lobster", "One instrument's messages and book levels, LOBSTER-style");
  el->footer("Example: gpux export lobster orders.jsonl --instrument H100.MEM1@2026-12-15T00Z+24h --out-dir lob/");
  el->add_option("SOURCE", lobster.source, "A journal directory, an order log, or - for standard input")->required();
  el->add_option("--instrument", lobster.instrument, "The instrument symbol, PRODUCT@YYYY-MM-DDTHHZ+Nh")->required();
  el->add_option("--out-dir", lobster.out_dir, "Directory for the files (created if missing)")->required();
  el->add_option("--levels", lobster.levels, "Book levels per side in the orderbook file")->capture_default_str();
  el->add_option("--catalog", lobster.catalog, "A product catalog file (JSON) instead of the built-in one");
  gpux::LedgerExportOptions ledger;
  CLI::App* eg = exports->add_subcommand("ledger", "Every deposit, withdraw, fund and trade leg, with the cash after");
  eg->footer("Example: gpux export ledger /var/lib/gpux --out ledger.csv");
  eg->add_option("SOURCE", ledger.source, "A journal directory, an order log, or - for standard input")->required();
  eg->add_option("--out", ledger.out, "Output file (default: standard output)");
  eg->add_option("--catalog", ledger.catalog, "A product catalog file (JSON) instead of the built-in one");

  gpux::TradeCommands trade(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help is not an error; any other argument error exits 2, as every command's help says.
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (r->parsed()) return gpux::run_replay(replay);
  if (d->parsed()) return gpux::run_replay_text(gpux::sample_log(), "<sample>", demo);
  if (jv->parsed()) return gpux::run_journal_verify(verify);
  if (jd->parsed()) return gpux::run_journal_dump(dump);
  if (js->parsed()) return gpux::run_journal_state(state);
  if (et->parsed()) return gpux::run_export_trades(trades);
  if (el->parsed()) return gpux::run_export_lobster(lobster);
  if (eg->parsed()) return gpux::run_export_ledger(ledger);
  return trade.run().value_or(1);
}
