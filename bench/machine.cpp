#include "bench/machine.hpp"

#include <fstream>
#include <string>
#include <thread>

namespace gpux::bench {
namespace {

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      auto p = line.find(':');
      if (p != std::string::npos) return line.substr(line.find_first_not_of(' ', p + 1));
    }
  }
  return "unknown";
}

}  // namespace

Report& put_machine(Report& root, const TscClock& clock) {
  Report& m = root.child("machine");
  m.text("cpu", cpu_model());
  m.integer("cpus", static_cast<std::int64_t>(std::thread::hardware_concurrency()));
  m.number("tsc_mhz", clock.ticks_per_ns * 1000.0);
  m.number("timer_overhead_ns", clock.overhead_ns, "included in every latency figure");
  m.text("compiler", __VERSION__);
#if GPUX_BENCH_JEMALLOC
  m.text("allocator", "jemalloc");
#else
  m.text("allocator", "glibc malloc");
#endif
  std::ifstream la("/proc/loadavg");
  std::string load1;
  if (la >> load1) m.text("loadavg_1min_at_start", load1);
  return m;
}

CpuJiffies CpuJiffies::now() {
  std::ifstream in("/proc/stat");
  std::string cpu;
  std::uint64_t v[8] = {};
  CpuJiffies j;
  in >> cpu;
  for (auto& x : v) {
    in >> x;
    j.all += x;
  }
  j.idle = v[3] + v[4];
  j.steal = v[7];
  return j;
}

void put_steal(Report& machine, const CpuJiffies& start) {
  const CpuJiffies end = CpuJiffies::now();
  if (end.all <= start.all) return;
  machine.number("steal_pct_during_run",
                 100.0 * static_cast<double>(end.steal - start.steal) / static_cast<double>(end.all - start.all),
                 "system-wide share of CPU time the hypervisor took");
}

}  // namespace gpux::bench
