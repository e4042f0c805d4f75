// A quantity per hour for one account and product (docs/ledger.md, SPEC §7): holdings, or free
// capacity. Kept as runs of equal value, not an entry per hour: a deposit of 4,096 GPUs over
// three years is one run, and checking a 720-hour sell against it reads the runs its window
// crosses, not 720 entries.
//
// The function is 0 everywhere except where runs say otherwise: `runs_[i]` gives the value
// from its hour up to the next run's hour (the last one's reaches to the end of time, and is
// always 0). Adjacent runs always differ, so the runs are as few as the function allows.
// Costs, for R runs: value() and min() O(log R + runs in range); add() the same plus moving
// the vector's tail when it splits a run. The vector keeps its capacity: an account whose
// ledger has taken its shape allocates no more.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

namespace gpux {

class HourRuns {
 public:
  struct Run {
    std::int64_t hour;   // from this hour on
    std::int64_t value;  // until the next run's hour
  };

  std::int64_t value(std::int64_t hour) const {
    const auto it = after(hour);
    return it == runs_.begin() ? 0 : std::prev(it)->value;
  }

  // The smallest value over [first, first + hours).
  std::int64_t min(std::int64_t first, std::int64_t hours) const {
    const std::int64_t end = first + hours;
    auto it = after(first);
    std::int64_t m = it == runs_.begin() ? 0 : std::prev(it)->value;
    for (; it != runs_.end() && it->hour < end; ++it) m = std::min(m, it->value);
    return m;
  }

  // Adds `delta` over [first, first + hours). False, changing nothing, when a value would
  // leave int64.
  // One binary search, for `first`; the window's end is found walking on from there, since the
  // overflow check walks the window's runs anyway (most updates cover an hour or a few runs).
  bool add(std::int64_t first, std::int64_t hours, std::int64_t delta) {
    if (delta == 0 || hours <= 0) return true;
    const std::int64_t end = first + hours;
    std::size_t i = static_cast<std::size_t>(after(first) - runs_.begin());
    const std::int64_t before = i == 0 ? 0 : runs_[i - 1].value;
    std::int64_t sum;
    if (__builtin_add_overflow(before, delta, &sum)) return false;
    std::size_t j = i;
    for (; j < runs_.size() && runs_[j].hour < end; ++j)
      if (__builtin_add_overflow(runs_[j].value, delta, &sum)) return false;
    // Runs start exactly at `first` and at `end`: [lo, hi) are the window's.
    std::size_t lo = i;
    if (i > 0 && runs_[i - 1].hour == first) {
      lo = i - 1;
    } else {
      runs_.insert(runs_.begin() + static_cast<std::ptrdiff_t>(i), Run{first, before});
      ++j;
    }
    if (j == runs_.size() || runs_[j].hour != end)
      runs_.insert(runs_.begin() + static_cast<std::ptrdiff_t>(j), Run{end, runs_[j - 1].value});
    for (std::size_t k = lo; k < j; ++k) runs_[k].value += delta;
    merge(lo, j);
    return true;
  }

  // The first hour after `hour` where the value may change (INT64_MAX when none does).
  std::int64_t next_change(std::int64_t hour) const {
    const auto it = after(hour);
    return it == runs_.end() ? std::numeric_limits<std::int64_t>::max() : it->hour;
  }

  // Replaces the runs with `runs`, which must already be minimal (a snapshot's): ascending
  // hours, adjacent values different, a non-zero first value and a zero last one. False, with
  // nothing replaced, when they are not.
  bool assign(const std::vector<Run>& runs) {
    for (std::size_t i = 0; i < runs.size(); ++i) {
      const std::int64_t before = i == 0 ? 0 : runs[i - 1].value;
      if ((i > 0 && runs[i].hour <= runs[i - 1].hour) || runs[i].value == before) return false;
    }
    if (!runs.empty() && runs.back().value != 0) return false;
    runs_.assign(runs.begin(), runs.end());
    return true;
  }

  const std::vector<Run>& runs() const { return runs_; }
  bool empty() const { return runs_.empty(); }
  void clear() { runs_.clear(); }

 private:
  // The first run starting after `hour`.
  std::vector<Run>::const_iterator after(std::int64_t hour) const {
    return std::upper_bound(runs_.begin(), runs_.end(), hour,
                            [](std::int64_t h, const Run& r) { return h < r.hour; });
  }

  // Drops runs made redundant around [lo, hi]: equal to the run before, or a leading 0.
  void merge(std::size_t lo, std::size_t hi) {
    const std::size_t from = lo == 0 ? 0 : lo - 1;
    const std::size_t to = std::min(hi + 1, runs_.size());
    std::size_t out = from;
    for (std::size_t i = from; i < to; ++i) {
      const std::int64_t before = out == 0 ? 0 : runs_[out - 1].value;
      if (runs_[i].value == before && (out > 0 || runs_[i].value == 0)) continue;
      runs_[out++] = runs_[i];
    }
    runs_.erase(runs_.begin() + static_cast<std::ptrdiff_t>(out), runs_.begin() + static_cast<std::ptrdiff_t>(to));
  }

  std::vector<Run> runs_;
};

}  // namespace gpux
