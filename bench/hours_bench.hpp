// `gpux-bench engine --workload hours`: the hour books of docs/hours.md under a market-shaped
// load (bench/hours_workload.hpp), with the v2 targets printed beside the figures.
#pragma once

#include "bench/engine_bench.hpp"
#include "bench/report.hpp"
#include "bench/timing.hpp"

namespace gpux::bench {

void bench_hours(const EngineBenchOptions& opt, const TscClock& clock, Report& r);

}  // namespace gpux::bench
