// gpux-bench: performance measurements of gpux. Modes: `engine` (the matching core alone),
// `ring` (the gateway's SPSC ring and wait strategy), `e2e` (gpuxd over TCP, both backends),
// `journal` (the journal's durable and async throughput, replay speed), `ledger` (SPEC §7: the
// capacity check over runs against a per-hour map, and the hours workload with risk checks on).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <string>

#include "bench/e2e_bench.hpp"
#include "bench/engine_bench.hpp"
#include "bench/journal_bench.hpp"
#include "bench/ledger_bench.hpp"
#include "bench/ring_bench.hpp"

int main(int argc, char** argv) {
  CLI::App app{"gpux-bench: performance measurements of gpux"};
  app.require_subcommand(1);

  gpux::bench::EngineBenchOptions opt;
  std::string depth = "on";
  std::string prefault = "on";
  auto* engine = app.add_subcommand(
      "engine", "The matching engine alone: pre-generated commands, one thread, no I/O");
  engine
      ->add_option("--workload,-w", opt.workload,
                   "add-only (Liquibook-style adds), mixed (exchange-core-style), blocks "
                   "(GPU-hour blocks, every order feature), all (those three), or hours "
                   "(divisible orders in hour books, block sweeps, standing blocks; 720 h)")
      ->check(CLI::IsMember({"add-only", "mixed", "blocks", "all", "hours"}))
      ->capture_default_str();
  engine->add_option("--n,-n", opt.n,
                     "Measured commands (add-only: orders); default 1000000 for each workload, "
                     "200000 for hours");
  engine->add_option("--depth", depth, "L2 depth updates on or off")
      ->check(CLI::IsMember({"on", "off"}))
      ->capture_default_str();
  engine
      ->add_option("--prefault", prefault,
                   "EngineConfig::prefault: touch the order pool and indexes before timing")
      ->check(CLI::IsMember({"on", "off"}))
      ->capture_default_str();
  engine->add_flag("--json", opt.json, "Print one JSON object instead of human lines");
  engine
      ->add_option("--rates", opt.rates,
                   "Offered rates (commands/s) for the open-loop latency runs (mixed, blocks)")
      ->delimiter(',')
      ->capture_default_str();
  engine->add_option("--rate-seconds", opt.rate_seconds,
                     "Length of each open-loop run, seconds (at most --n commands)")
      ->capture_default_str();
  engine->add_option("--warmup", opt.warmup, "Untimed warm-up commands before each pass")
      ->capture_default_str();
  engine->add_option("--repeat", opt.repeat,
                     "Throughput passes per mode (the median is the headline figure)")
      ->capture_default_str();
  engine->add_option("--batch", opt.batch,
                     "Commands per process(span) call in the extra batched throughput pass "
                     "(0: no batched pass)")
      ->capture_default_str();
  engine->add_option("--seed", opt.seed, "Seed of the mixed, blocks and hours generators")
      ->capture_default_str();
  engine->add_option("--pin", opt.pin_cpu, "Pin to this CPU (default: not pinned)");

  gpux::bench::RingBenchOptions ring_opt;
  auto* ring = app.add_subcommand(
      "ring", "The gateway's SPSC ring and wait strategy: throughput and ping-pong latency");
  ring->add_option("--n,-n", ring_opt.n,
                   "Items per 8-byte throughput run (the 328-byte runs move a quarter)")
      ->capture_default_str();
  ring->add_option("--capacity", ring_opt.capacity, "Ring capacity (rounded up to a power of two)")
      ->capture_default_str();
  ring->add_option("--repeat", ring_opt.repeat, "Runs per throughput figure (median reported)")
      ->capture_default_str();
  ring->add_option("--round-trips", ring_opt.round_trips,
                   "Round trips of the back-to-back spinning ping-pong")
      ->capture_default_str();
  ring->add_option("--idle-round-trips", ring_opt.idle_round_trips,
                   "Round trips of each idle-gap ping-pong (spinning, parked on futex, eventfd)")
      ->capture_default_str();
  ring->add_option("--idle-gap-us", ring_opt.idle_gap_us,
                   "Sleep before each ping in the idle-gap runs, microseconds")
      ->capture_default_str();
  ring->add_option("--pin", ring_opt.pin, "Pin the two threads to these CPUs, e.g. --pin 0,1")
      ->delimiter(',')
      ->expected(2);
  ring->add_flag("--json", ring_opt.json, "Print one JSON object instead of human lines");

  gpux::bench::E2eBenchOptions e2e_opt;
  auto* e2e = app.add_subcommand(
      "e2e", "gpuxd end to end over TCP: order->ack latency at fixed rates, saturation throughput, "
             "uring and epoll side by side");
  e2e->add_option("--io", e2e_opt.io, "Backends, each in its own gpuxd, in this order")
      ->delimiter(',')
      ->check(CLI::IsMember({"uring", "epoll"}))
      ->capture_default_str();
  e2e->add_option("--connections,-c", e2e_opt.connections, "Connection counts, e.g. 1,8,64; every run once per count")
      ->delimiter(',')
      ->check(CLI::Range(1u, 1000u))
      ->capture_default_str();
  auto* rates = e2e->add_option("--rate", e2e_opt.rates,
                                "Open-loop offered rates, commands/s over all connections (default 50000,200000 "
                                "unless --saturate is given alone)")
                    ->delimiter(',')
                    ->check(CLI::PositiveNumber);
  e2e->add_flag("--saturate", e2e_opt.saturate, "Add a saturation run: each connection keeps --window commands outstanding");
  e2e->add_option("--window", e2e_opt.window, "Saturation: commands outstanding per connection")
      ->check(CLI::Range(1u, 1024u))
      ->capture_default_str();
  e2e->add_option("--depth", e2e_opt.depth, "Resting orders per connection (the book stays at connections x depth)")
      ->check(CLI::Range(1u, 100000u))
      ->capture_default_str();
  e2e->add_option("--seconds", e2e_opt.seconds, "Measured length of each run")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  e2e->add_option("--warmup", e2e_opt.warmup_seconds, "Unmeasured start of each run, seconds")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  e2e->add_flag("--pingpong", e2e_opt.pingpong, "Also measure a bare TCP ping-pong on 127.0.0.1, for scale");
  e2e->add_option("--pingpong-round-trips", e2e_opt.pingpong_round_trips)->capture_default_str();
  e2e->add_option("--gateway-cpu", e2e_opt.gateway_cpu, "Pin gpuxd's gateway thread to this CPU (-1: no)")
      ->capture_default_str();
  e2e->add_option("--engine-cpu", e2e_opt.engine_cpu, "Pin gpuxd's engine thread to this CPU (-1: no)")
      ->capture_default_str();
  e2e->add_option("--gpuxd-arg", e2e_opt.gpuxd_args,
                  "An extra argument for gpuxd, e.g. --gpuxd-arg=--gateway-spin-us --gpuxd-arg=20 (repeatable)")
      ->allow_extra_args(false);
  e2e->add_option("--gpuxd", e2e_opt.gpuxd, "The gpuxd to run (default: beside gpux-bench, or one directory up)");
  e2e->add_option("--plot", e2e_opt.plot, "Draw latency by percentile into FILE.png with gnuplot (FILE.dat, FILE.gp beside it)");
  e2e->add_flag("--json", e2e_opt.json, "Print one JSON object instead of human lines and a table");

  gpux::bench::JournalBenchOptions journal_opt;
  auto* journal = app.add_subcommand(
      "journal", "The journal: engine pipeline throughput in durable and async modes, fdatasync times, replay speed");
  journal->add_option("--n,-n", journal_opt.n, "Commands per mode")->capture_default_str();
  journal->add_option("--dir", journal_opt.dir, "Directory for the journals (default: TMPDIR or /tmp)");
  journal->add_flag("--json", journal_opt.json, "Print one JSON object instead of human lines");
  journal->add_flag("--keep", journal_opt.keep, "Keep the durable journal (replay.dir names it) for `gpux replay DIR`");

  gpux::bench::LedgerBenchOptions ledger_opt;
  auto* ledger = app.add_subcommand(
      "ledger", "The SPEC 7 ledger: a 720-hour sell's capacity check over runs vs a per-hour map, 3-year "
                "deposits, and the hours workload with risk checks off and on");
  ledger->add_option("--part", ledger_opt.part, "micro, engine or all")
      ->check(CLI::IsMember({"micro", "engine", "all"}))
      ->capture_default_str();
  ledger->add_option("--repeat", ledger_opt.repeat, "Micro: timed batches per figure (median reported)")
      ->check(CLI::Range(1u, 1000u))
      ->capture_default_str();
  ledger->add_option("--batch-ms", ledger_opt.batch_ms, "Micro: length of one timed batch, ms")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  ledger->add_option("--n,-n", ledger_opt.n, "Engine: measured commands of the hours workload")->capture_default_str();
  ledger->add_option("--warmup", ledger_opt.warmup, "Engine: untimed warm-up commands")->capture_default_str();
  ledger->add_option("--engine-repeat", ledger_opt.engine_repeat,
                     "Engine: throughput passes per mode (median reported)")
      ->check(CLI::Range(1u, 100u))
      ->capture_default_str();
  ledger->add_option("--deposit-qty", ledger_opt.deposit_qty,
                     "Engine: GPUs each account deposits over the horizon (a lot multiple, <= max_qty)")
      ->capture_default_str();
  ledger->add_option("--deposits", ledger_opt.deposits, "Engine: deposits of --deposit-qty per account")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  ledger->add_option("--fund", ledger_opt.fund, "Engine: cash each account is funded with, $0.0001")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  std::string ledger_depth = "on";
  ledger->add_option("--depth", ledger_depth, "Engine: L2 depth updates on or off")
      ->check(CLI::IsMember({"on", "off"}))
      ->capture_default_str();
  ledger->add_option("--seed", ledger_opt.seed, "Seed of the starts, values and the hours workload")->capture_default_str();
  ledger->add_flag("--json", ledger_opt.json, "Print one JSON object instead of human lines");

  CLI11_PARSE(app, argc, argv);

  if (engine->parsed()) {
    opt.depth = depth == "on";
    opt.prefault = prefault == "on";
    return gpux::bench::run_engine_bench(opt);
  }
  if (ring->parsed()) return gpux::bench::run_ring_bench(ring_opt);
  if (journal->parsed()) return gpux::bench::run_journal_bench(journal_opt);
  if (ledger->parsed()) {
    ledger_opt.depth = ledger_depth == "on";
    return gpux::bench::run_ledger_bench(ledger_opt);
  }
  if (e2e->parsed()) {
    if (e2e_opt.saturate && rates->count() == 0) e2e_opt.rates.clear();
    return gpux::bench::run_e2e_bench(e2e_opt);
  }
  return 0;
}
