// `gpux-bench e2e`: the load generator. One thread drives every connection with epoll and
// non-blocking sockets; each connection logs in as its own account and sends an order flow
// that keeps a bounded book:
//
//   command n of a connection, with D = `depth`:
//     n < D                    new order, ordinal n
//     n >= D, (n - D) even     cancel of the new order with ordinal (n - D) / 2 (by cl_id)
//     n >= D, (n - D) odd      new order, ordinal D + (n - D) / 2
//
// so once warm every connection has D orders resting and sends new and cancel alternately.
// New orders are gtc limit orders for one lot of H100.MEM1 (the window two days ahead),
// buys below the reference price and sells above it, spread over a few ticks: nothing ever
// crosses, and each command gets exactly one answer naming its cl_id (Accepted or Rejected
// for a new, Canceled or CancelRejected for a cancel). That answer is the command's ack.
#pragma once

#include <sys/types.h>

#include <array>
#include <cstdint>
#include <string>

#include "bench/e2e_histogram.hpp"
#include "bench/e2e_server.hpp"
#include "bench/timing.hpp"

namespace gpux::bench {

struct LoadConfig {
  std::uint16_t port = 0;
  pid_t server_pid = -1;         // for its threads' CPU accounting
  std::uint32_t first_account = 0;  // connection c logs in as bench_account(first_account + c)
  std::uint32_t connections = 8;
  double rate = 0;               // open loop: commands/s over all connections; 0: saturation
  std::uint32_t window = 32;     // saturation: commands outstanding per connection
  std::uint32_t depth = 16;      // resting orders per connection (D above)
  double warmup_seconds = 0.5;   // run but not measured
  double seconds = 2;            // measured
};

struct LoadResult {
  std::string error;  // set when the run could not finish (a connection lost, a login refused)

  // Open loop: ack time - the command's scheduled send time. Saturation: ack time - actual
  // send time. TSC ticks, measured commands only, successful acks only.
  Histogram latency;
  // Open loop: actual send time - scheduled send time (the generator falling behind).
  Histogram slip;
  std::uint64_t late = 0;  // open loop: measured commands sent more than 10 µs behind schedule

  double measured_seconds = 0;    // open loop: first measured due time to last measured ack
  std::uint64_t measured_acks = 0;      // successful acks of measured commands
  std::uint64_t measured_new_acks = 0;  // ... of which new orders (the rest are cancels)
  std::uint64_t sent = 0;
  std::uint64_t accepted = 0, canceled = 0;
  std::uint64_t rejected = 0, cancel_rejected = 0;  // the answers to count as failures
  std::array<std::uint64_t, 64> reject_reasons{};   // by wire::Reason, both kinds
  std::uint64_t unanswered = 0;   // sent but never answered before the drain timeout
  std::uint64_t unexpected = 0;   // frames that answer nothing we sent (fills, unknown cl_ids)
  std::uint64_t protocol_rejects = 0;

  // CPU use over the whole run (warm-up and drain included), `cpu_seconds` long.
  double cpu_seconds = 0;
  ThreadTimes generator;
  ServerTimes server;
  double machine_busy_seconds = 0;  // every CPU's non-idle time, ours and other processes
};

LoadResult run_load(const LoadConfig& config, const TscClock& clock);

// The size of one new-order frame on the wire (the ping-pong baseline sends as much).
std::size_t order_frame_bytes();

}  // namespace gpux::bench
