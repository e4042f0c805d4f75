// A product's one-hour instruments by hour: the instrument P@h+1h, whose hour book holds hour
// h's slices, found with one load instead of formatting and hashing its symbol. A divisible
// order over 720 hours asks for 720 of them, so this matters: a hash lookup per hour would cost
// more than matching an empty hour.
//
// A flat array over the span from the earliest to the latest listed one-hour instrument: 4
// bytes an hour, so at most 105 KB for a product's 26,280-hour horizon (plus the hours since
// the oldest still listed). It re-centres when an hour falls outside and never shrinks, so a
// warm market does not allocate.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "engine/order.hpp"

namespace gpux {

class HourDirectory {
 public:
  std::uint32_t find(std::int64_t hour) const {
    const std::int64_t i = hour - base_;
    return i >= 0 && i < static_cast<std::int64_t>(ids_.size()) ? ids_[static_cast<std::size_t>(i)] : kNil;
  }

  void insert(std::int64_t hour, std::uint32_t id) {
    if (hour < base_ || hour >= base_ + static_cast<std::int64_t>(ids_.size())) cover(hour);
    ids_[static_cast<std::size_t>(hour - base_)] = id;
    ++count_;
  }

  void erase(std::int64_t hour) {
    ids_[static_cast<std::size_t>(hour - base_)] = kNil;
    --count_;
  }

  std::size_t size() const { return count_; }

  // The listed one-hour instruments in ascending hour.
  template <class Fn>
  void each(Fn&& fn) const {
    for (const std::uint32_t id : ids_)
      if (id != kNil) fn(id);
  }

 private:
  // Re-bases the array on the listed hours and `hour`, leaving a day of room on each side, so
  // that hours arriving one at a time at the edges (time passing) re-base once a day. In place:
  // it allocates only when the span outgrows every span before it.
  [[gnu::noinline]] void cover(std::int64_t hour) {
    const auto n = static_cast<std::int64_t>(ids_.size());
    std::int64_t lo = hour;
    std::int64_t hi = hour;
    for (std::int64_t i = 0; i < n; ++i) {
      if (ids_[static_cast<std::size_t>(i)] == kNil) continue;
      lo = std::min(lo, base_ + i);
      hi = std::max(hi, base_ + i);
    }
    constexpr std::int64_t kSlack = 24;
    lo -= kSlack;
    hi += kSlack;
    const std::int64_t shift = base_ - lo;  // where old entry i goes: i + shift
    const std::int64_t size = hi - lo + 1;
    if (count_ == 0) {
      ids_.assign(static_cast<std::size_t>(size), kNil);  // within the capacity, if it suffices
    } else {
      ids_.resize(static_cast<std::size_t>(std::max({n, size, n + shift})), kNil);
      const auto first = ids_.begin();
      if (shift > 0) {
        std::copy_backward(first, first + n, first + n + shift);
        std::fill(first, first + std::min(shift, n), kNil);
      } else if (shift < 0) {
        // What falls off the front holds nothing: lo is at most the earliest listed hour.
        std::copy(first - shift, first + n, first);
        std::fill(first + std::max<std::int64_t>(n + shift, 0), first + n, kNil);
      }
      ids_.resize(static_cast<std::size_t>(size));
    }
    base_ = lo;
  }

  std::int64_t base_ = 0;
  std::vector<std::uint32_t> ids_;
  std::size_t count_ = 0;
};

}  // namespace gpux
