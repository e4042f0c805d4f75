// `gpux-bench e2e`: gpuxd end to end over TCP on 127.0.0.1, both I/O backends side by side:
// open-loop order→ack latency at fixed offered rates, saturation throughput, and a bare TCP
// ping-pong for scale. See bench/README.md, "End to end".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace gpux::bench {

struct E2eBenchOptions {
  std::vector<std::string> io = {"uring", "epoll"};  // a gpuxd per backend, in this order
  std::vector<std::uint32_t> connections = {8};      // each run below, once per count
  std::vector<double> rates = {50'000, 200'000};     // open-loop runs: commands/s in total
  bool saturate = false;        // add a saturation run per connection count
  std::uint32_t window = 32;    // saturation: commands outstanding per connection
  std::uint32_t depth = 16;     // resting orders per connection
  double seconds = 2;           // measured, per run
  double warmup_seconds = 0.5;  // run before measuring, per run
  bool pingpong = false;
  std::uint64_t pingpong_round_trips = 20'000;
  int gateway_cpu = -1;  // gpuxd --gateway-cpu / --engine-cpu: pin its two threads (-1: no)
  int engine_cpu = -1;
  std::vector<std::string> gpuxd_args;  // passed on to gpuxd as they are
  std::string gpuxd;  // empty: beside gpux-bench
  std::string plot;   // FILE.png; empty: no plot
  bool json = false;
};

int run_e2e_bench(const E2eBenchOptions& opt);

}  // namespace gpux::bench
