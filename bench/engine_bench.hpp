// `gpux-bench engine`: the matching engine alone, fed pre-generated commands in one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace gpux::bench {

struct EngineBenchOptions {
  std::string workload = "all";  // add-only | mixed | blocks | all | hours (not part of all)
  std::size_t n = 0;             // measured commands; 0: the workload's default (1,000,000; hours 200,000)
  bool depth = true;             // L2 depth updates on (a DepthBuffer is passed) or off
  bool json = false;
  bool prefault = true;  // EngineConfig::prefault: pool and indexes touched before timing
  std::vector<double> rates = {125'000, 1'000'000, 5'000'000};  // open-loop offered rates
  double rate_seconds = 1.0;  // open-loop run length per rate (at most n commands)
  std::size_t warmup = 100'000;
  std::size_t repeat = 3;  // throughput passes per mode; the median is reported
  std::size_t batch = 64;   // batched throughput pass: commands per process(span); 0: skip it
  std::uint64_t seed = 42;  // mixed, blocks and hours generators (add-only is srand(3) by definition)
  int pin_cpu = -1;         // pin the process to this CPU when >= 0
};

int run_engine_bench(const EngineBenchOptions& opt);

}  // namespace gpux::bench
