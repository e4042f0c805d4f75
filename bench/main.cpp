// gpux-bench: performance measurements of gpux. Modes: `engine` (the matching core alone).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <string>

#include "bench/engine_bench.hpp"

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

  CLI11_PARSE(app, argc, argv);

  if (engine->parsed()) {
    opt.depth = depth == "on";
    opt.prefault = prefault == "on";
    return gpux::bench::run_engine_bench(opt);
  }
  return 0;
}
