// The "machine" section every gpux-bench mode prints first: what ran the figures, and how busy
// the machine was, so that a figure can be read against its conditions.
#pragma once

#include <cstdint>

#include "bench/report.hpp"
#include "bench/timing.hpp"

namespace gpux::bench {

// CPU model, CPUs, TSC rate, timer overhead, compiler, allocator and the load at start.
Report& put_machine(Report& root, const TscClock& clock);

// System-wide CPU time from /proc/stat, in jiffies. In a VM, steal is time the hypervisor ran
// something else on our vCPUs; the guest sees no context switch for it.
struct CpuJiffies {
  std::uint64_t all = 0;
  std::uint64_t idle = 0;  // idle and iowait
  std::uint64_t steal = 0;
  static CpuJiffies now();
};

// Adds steal_pct_during_run: the share of CPU time the hypervisor took since `start`.
void put_steal(Report& machine, const CpuJiffies& start);

}  // namespace gpux::bench
