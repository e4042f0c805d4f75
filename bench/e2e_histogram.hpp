// A latency histogram with a fixed size: recording is an add to a preallocated array, so the
// load generator's hot path never allocates however long a run lasts. Buckets are
// log-linear (HdrHistogram's layout): exact below 2^kBits ticks, then 2^(kBits-1) buckets per
// power of two, so any value is known to within 1/2^kBits (0.8%).
#pragma once

#include <bit>
#include <cstdint>
#include <vector>

namespace gpux::bench {

class Histogram {
 public:
  void record(std::uint64_t v) {
    ++counts_[index(v)];
    ++count_;
    sum_ += v;
    if (v > max_) max_ = v;
  }

  std::uint64_t count() const { return count_; }
  std::uint64_t max() const { return max_; }
  double mean() const { return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0.0; }

  // The value at quantile q (0..1) by nearest rank: the middle of its bucket, or the exact
  // maximum for the last sample.
  double quantile(double q) const {
    if (count_ == 0) return 0;
    auto rank = static_cast<std::uint64_t>(q * static_cast<double>(count_) + 0.9999999);
    if (rank == 0) rank = 1;
    if (rank >= count_) return static_cast<double>(max_);
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < counts_.size(); ++i) {
      seen += counts_[i];
      if (seen >= rank) return middle(i);
    }
    return static_cast<double>(max_);
  }

 private:
  static constexpr unsigned kBits = 7;
  static constexpr std::uint64_t kLinear = 1u << kBits;       // exact values below this
  static constexpr std::uint64_t kHalf = 1u << (kBits - 1);   // buckets per power of two above
  static constexpr std::size_t kBuckets = kLinear + (64 - kBits) * kHalf;

  static std::size_t index(std::uint64_t v) {
    if (v < kLinear) return static_cast<std::size_t>(v);
    const unsigned shift = static_cast<unsigned>(std::bit_width(v)) - kBits;  // v >> shift is in [kHalf, kLinear)
    return static_cast<std::size_t>(kLinear + (shift - 1) * kHalf + ((v >> shift) - kHalf));
  }
  static double middle(std::size_t i) {
    if (i < kLinear) return static_cast<double>(i);
    const std::uint64_t shift = (i - kLinear) / kHalf + 1;
    const std::uint64_t low = ((i - kLinear) % kHalf + kHalf) << shift;
    return static_cast<double>(low) + static_cast<double>((std::uint64_t{1} << shift) - 1) / 2;
  }

  std::vector<std::uint64_t> counts_ = std::vector<std::uint64_t>(kBuckets, 0);
  std::uint64_t count_ = 0;
  std::uint64_t sum_ = 0;
  std::uint64_t max_ = 0;
};

}  // namespace gpux::bench
