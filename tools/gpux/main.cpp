// The `gpux` command line.
#include <CLI/CLI.hpp>

#include "tools/gpux/replay.hpp"
#include "tools/gpux/sample_log.hpp"
#include "tools/gpux/trade.hpp"

int main(int argc, char** argv) {
  CLI::App app{"gpux: an exchange for blocks of GPU-hours"};
  app.require_subcommand(1);

  gpux::ReplayOptions replay;
  CLI::App* r = app.add_subcommand("replay", "Replay an order log (JSON Lines) and print its events");
  r->add_option("FILE", replay.input, "The order log, or - for standard input")->required();
  r->add_option("--catalog", replay.catalog, "A product catalog file (JSON) instead of the built-in one");
  r->add_flag("--book", replay.book, "Print every instrument's book at the end");
  r->add_flag("--orders", replay.orders, "With the book, list each resting order");
  r->add_flag("--digest", replay.digest, "Print a hash of the event stream instead of the events");

  gpux::ReplayOptions demo;
  demo.book = true;
  CLI::App* d = app.add_subcommand("demo", "Replay the built-in sample log of a small market and show the books");
  d->add_flag("--orders", demo.orders, "List each resting order in the books");

  gpux::TradeCommands trade(app);

  CLI11_PARSE(app, argc, argv);
  if (r->parsed()) return gpux::run_replay(replay);
  if (d->parsed()) return gpux::run_replay_text(gpux::sample_log(), "<sample>", demo);
  return trade.run().value_or(1);
}
