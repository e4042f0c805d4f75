// gpux-bench: performance measurements of gpux. Modes: `engine` (the matching core alone),
// `ring` (the gateway's SPSC ring and wait strategy).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <string>

#include "bench/engine_bench.hpp"
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
                   "(GPU-hour blocks, every order feature), or all")
      ->check(CLI::IsMember({"add-only", "mixed", "blocks", "all"}))
      ->capture_default_str();
  engine->add_option("--n,-n", opt.n,
                     "Measured commands (add-only: orders); default 1000000 for each workload");
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
  engine->add_option("--seed", opt.seed, "Seed of the mixed and blocks generators")
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

  CLI11_PARSE(app, argc, argv);

  if (engine->parsed()) {
    opt.depth = depth == "on";
    opt.prefault = prefault == "on";
    return gpux::bench::run_engine_bench(opt);
  }
  if (ring->parsed()) return gpux::bench::run_ring_bench(ring_opt);
  return 0;
}
