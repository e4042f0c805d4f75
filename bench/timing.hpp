// Clocks for the benchmark: std::chrono::steady_clock for throughput (one pair around a whole
// loop) and the CPU's time-stamp counter for per-command latency (no syscall, ~20 ns a read).
#pragma once

#include <sys/resource.h>
#include <x86intrin.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

namespace gpux::bench {

// Page faults and involuntary context switches of this thread: a timed loop that shows
// either was disturbed (first touches of fresh memory, or another process got the CPU).
struct Disturbance {
  std::int64_t page_faults = 0;
  std::int64_t preemptions = 0;

  static Disturbance now() {
    rusage u{};
    getrusage(RUSAGE_THREAD, &u);
    return {u.ru_minflt + u.ru_majflt, u.ru_nivcsw};
  }
  Disturbance since(const Disturbance& before) const {
    return {page_faults - before.page_faults, preemptions - before.preemptions};
  }
};

// Start of an interval: lfence keeps earlier instructions from drifting past the read.
inline std::uint64_t tsc_begin() {
  _mm_lfence();
  std::uint64_t t = __rdtsc();
  _mm_lfence();
  return t;
}

// End of an interval: rdtscp waits for the measured code to finish before reading.
inline std::uint64_t tsc_end() {
  unsigned aux;
  std::uint64_t t = __rdtscp(&aux);
  _mm_lfence();
  return t;
}

inline std::uint64_t tsc_now() { return __rdtsc(); }

struct TscClock {
  double ticks_per_ns = 1.0;
  double overhead_ns = 0.0;  // the smallest tsc_begin()..tsc_end() interval with nothing inside

  double to_ns(std::uint64_t ticks) const { return static_cast<double>(ticks) / ticks_per_ns; }
  std::uint64_t from_ns(double ns) const { return static_cast<std::uint64_t>(ns * ticks_per_ns); }

  // Counts TSC ticks across `ms` of steady_clock time (the TSC must be invariant:
  // constant_tsc/nonstop_tsc in /proc/cpuinfo).
  static TscClock calibrate(int ms = 200) {
    using clk = std::chrono::steady_clock;
    TscClock c;
    auto c0 = clk::now();
    std::uint64_t t0 = tsc_now();
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    auto c1 = clk::now();
    std::uint64_t t1 = tsc_now();
    double ns = std::chrono::duration<double, std::nano>(c1 - c0).count();
    c.ticks_per_ns = static_cast<double>(t1 - t0) / ns;
    std::uint64_t best = UINT64_MAX;
    for (int i = 0; i < 100000; ++i) {
      std::uint64_t a = tsc_begin();
      std::uint64_t b = tsc_end();
      best = std::min(best, b - a);
    }
    c.overhead_ns = c.to_ns(best);
    return c;
  }
};

// Latency samples in TSC ticks; percentiles by nearest rank.
struct Percentiles {
  double p50 = 0, p90 = 0, p99 = 0, p999 = 0, p9999 = 0, max = 0, mean = 0;
  std::size_t n = 0;

  static Percentiles of(std::vector<std::uint64_t> ticks, const TscClock& clock) {
    Percentiles p;
    p.n = ticks.size();
    if (ticks.empty()) return p;
    std::sort(ticks.begin(), ticks.end());
    auto rank = [&](double q) {
      double r = q * static_cast<double>(ticks.size());
      std::size_t i = static_cast<std::size_t>(r);
      if (static_cast<double>(i) < r) ++i;  // ceil
      if (i == 0) i = 1;
      return clock.to_ns(ticks[std::min(i, ticks.size()) - 1]);
    };
    p.p50 = rank(0.50);
    p.p90 = rank(0.90);
    p.p99 = rank(0.99);
    p.p999 = rank(0.999);
    p.p9999 = rank(0.9999);
    p.max = clock.to_ns(ticks.back());
    long double sum = 0;
    for (auto t : ticks) sum += t;
    p.mean = static_cast<double>(sum / ticks.size()) / clock.ticks_per_ns;
    return p;
  }
};

}  // namespace gpux::bench
