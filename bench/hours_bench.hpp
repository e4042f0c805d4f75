// `gpux-bench engine --workload hours`: the hour books of docs/hours.md under a market-shaped
// load (bench/hours_workload.hpp), with the v2 targets printed beside the figures.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "bench/engine_bench.hpp"
#include "bench/hours_workload.hpp"
#include "bench/report.hpp"
#include "bench/timing.hpp"
#include "bench/workloads.hpp"
#include "engine/engine.hpp"

namespace gpux::bench {

// One throughput pass over the workload's measured commands, on a fresh engine that has run
// the untimed prefix: one steady_clock pair around the loop.
struct HoursThroughput {
  double seconds;
  std::size_t resting_at_end;
  Disturbance disturbance;
};
HoursThroughput hours_throughput_pass(const HoursWorkload& hw, const EngineBenchOptions& opt);

// One service-time pass (TSC around each process call), on a fresh engine likewise.
struct HoursService {
  std::vector<std::uint64_t> ticks;
  std::vector<std::uint32_t> events;
  std::vector<bool> traded;  // the command produced at least one trade
  EventTally tally;
  std::size_t resting_at_end = 0;
  Disturbance disturbance;
  EngineMemory memory{};
  std::size_t hour_book_pages = 0;  // estimated: distinct 64-tick ranges holding slices, per hour book
};
HoursService hours_service_pass(const HoursWorkload& hw, const EngineBenchOptions& opt);

void bench_hours(const EngineBenchOptions& opt, const TscClock& clock, Report& r);

}  // namespace gpux::bench
