// The benchmarks' random numbers: splitmix64, small and fast, and the same stream on every
// platform and compiler, so that a workload is the same commands wherever it is generated.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace gpux::bench {

struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::uint64_t below(std::uint64_t n) { return next() % n; }
  std::int64_t range(std::int64_t lo, std::int64_t hi) {  // inclusive
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo + 1)));
  }
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return unit() < p; }
  // Log-uniform on 1..max: as many 1-10 h windows as 10-100 h ones.
  std::int64_t log_uniform(std::int64_t max) {
    auto v = static_cast<std::int64_t>(std::exp(unit() * std::log(static_cast<double>(max) + 1)));
    return std::clamp<std::int64_t>(v, 1, max);
  }
};

}  // namespace gpux::bench
