// `gpux-bench e2e --pingpong`: the bare TCP round trip on this machine, for scale. An echo
// thread and one client on 127.0.0.1, TCP_NODELAY on both ends. The client polls epoll without
// sleeping, as the open-loop generator does while an ack is due, and the echo sleeps in read()
// as gpuxd's gateway sleeps in io_uring_enter or epoll_wait: the order→ack round trip minus
// this is what gpuxd itself adds. (A sleeping client would add the wake-up of an idle vCPU,
// tens of µs on a KVM guest, to the baseline alone.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "bench/e2e_histogram.hpp"
#include "bench/e2e_server.hpp"
#include "bench/timing.hpp"

namespace gpux::bench {

struct PingPongResult {
  std::string error;
  Histogram rtt;  // TSC ticks, from write() of the ping to the read() that completed the pong
  ThreadTimes client;
};

// `round_trips` timed round trips of `bytes` each way, after 1,000 untimed ones.
PingPongResult run_pingpong(std::size_t bytes, std::uint64_t round_trips);

}  // namespace gpux::bench
