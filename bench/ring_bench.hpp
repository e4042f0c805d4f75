// `gpux-bench ring`: the gateway's SPSC ring and wait strategy between two threads.
#pragma once

#include <cstddef>
#include <vector>

namespace gpux::bench {

struct RingBenchOptions {
  std::size_t n = 10'000'000;  // items per 8-byte throughput run; the 328-byte runs move n / 4
  std::size_t capacity = 4096;
  std::size_t repeat = 3;               // runs per throughput figure; the median is reported
  std::size_t round_trips = 200'000;    // back-to-back ping-pong, both sides spinning
  std::size_t idle_round_trips = 2'000;  // pings after an idle gap, per run
  double idle_gap_us = 200;              // the gap: long enough for the responder to park
  bool json = false;
  std::vector<int> pin;  // {first thread's CPU, second thread's CPU}; empty: not pinned
};

int run_ring_bench(const RingBenchOptions& opt);

}  // namespace gpux::bench
