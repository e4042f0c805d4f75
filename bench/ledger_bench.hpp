// `gpux-bench ledger`: the SPEC §7 ledger (docs/ledger.md). A micro benchmark of the check a
// 720-hour sell needs (HourRuns::min over the window, engine/hour_runs.hpp) against a general
// map holding free capacity per hour, and of a 3-year deposit; then the `hours` engine workload
// run twice in one process, risk checks off and on (every account deposited and funded).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace gpux::bench {

struct LedgerBenchOptions {
  std::string part = "all";      // micro | engine | all
  std::size_t repeat = 11;        // micro: timed batches per figure (the median is reported)
  double batch_ms = 10.0;         // micro: length of one timed batch
  std::size_t n = 200'000;        // engine: measured commands of the hours workload
  std::size_t warmup = 100'000;   // engine: untimed warm-up commands (after the ledger prefix)
  std::size_t engine_repeat = 3;  // engine: throughput passes per mode (the median is reported)
  std::int64_t deposit_qty = 262'144;      // engine: GPUs each account deposits over the horizon
  int deposits = 1;                        // engine: deposits of deposit_qty per account
  std::int64_t fund = 10'000'000'000'000'000;  // engine: $0.0001 each account is funded ($1e12)
  bool depth = true;
  std::uint64_t seed = 42;
  bool json = false;
};

int run_ledger_bench(const LedgerBenchOptions& opt);

}  // namespace gpux::bench
