// One instrument's price levels: a flat array indexed by tick offset (prices cluster inside the
// band, so insertion near the touch is an array store, not a tree walk), FIFO queues threaded
// through the order pool, and per-side bitmaps that give the best and next level in O(1).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "engine/level_bitmap.hpp"
#include "engine/order.hpp"
#include "engine/types.hpp"

namespace gpux {

struct Level {
  std::uint32_t head;
  std::uint32_t tail;
  Qty qty;              // shown quantity
  std::uint32_t count;  // orders
  Side side;            // meaningful while count > 0
  std::uint8_t dirty;   // bit per side: already reported in this command's depth updates
};

class Book {
 public:
  // Covers at least the tick indices [lo, hi] up front; more is added when a price needs it.
  void init(Price tick, std::int64_t lo, std::int64_t hi) {
    tick_ = tick;
    base_ = lo;
    levels_.assign(static_cast<std::size_t>(hi - lo + 1), empty_level());
    bits_[0].resize(hi - lo + 1);
    bits_[1].resize(hi - lo + 1);
    best_[0] = best_[1] = -1;
  }

  // Frees the level array of an instrument that can never trade again.
  void release() {
    std::vector<Level>().swap(levels_);
    bits_[0].resize(0);
    bits_[1].resize(0);
    best_[0] = best_[1] = -1;
  }

  Price tick() const { return tick_; }
  bool empty(Side s) const { return best_[idx(s)] < 0; }
  std::int64_t best(Side s) const { return best_[idx(s)]; }
  Price price_at(std::int64_t i) const { return (base_ + i) * tick_; }
  std::int64_t index_of(Price p) const { return p / tick_ - base_; }  // of a resting order's price
  Level& at(std::int64_t i) { return levels_[static_cast<std::size_t>(i)]; }
  const Level& at(std::int64_t i) const { return levels_[static_cast<std::size_t>(i)]; }

  // Does a `side` order at `price` cross the other side's best level?
  bool crosses(Side side, Price price) const {
    const std::int64_t b = best_[idx(opposite(side))];
    if (b < 0) return false;
    return side == Side::buy ? price_at(b) <= price : price_at(b) >= price;
  }

  // The level at `price` on `side`, or nullptr when there is none.
  const Level* find(Side side, Price price) const {
    const std::int64_t i = price / tick_ - base_;
    if (i < 0 || i >= static_cast<std::int64_t>(levels_.size())) return nullptr;
    const Level& l = levels_[static_cast<std::size_t>(i)];
    return l.count > 0 && l.side == side ? &l : nullptr;
  }
  Level* find_any(Price price) {
    const std::int64_t i = price / tick_ - base_;
    if (i < 0 || i >= static_cast<std::int64_t>(levels_.size())) return nullptr;
    return &levels_[static_cast<std::size_t>(i)];
  }

  // The level an order of `side` at `price` joins; marks it occupied.
  Level& join(Side side, Price price, std::int64_t& i) {
    i = price / tick_ - base_;
    if (i < 0 || i >= static_cast<std::int64_t>(levels_.size())) {
      grow(price / tick_);
      i = price / tick_ - base_;
    }
    Level& l = levels_[static_cast<std::size_t>(i)];
    if (l.count == 0) {
      l.side = side;
      bits_[idx(side)].set(i);
      std::int64_t& b = best_[idx(side)];
      if (b < 0 || (side == Side::buy ? i > b : i < b)) b = i;
    }
    return l;
  }

  // Call when the level at i has just lost its last order.
  void vacate(Side side, std::int64_t i) {
    bits_[idx(side)].reset(i);
    std::int64_t& b = best_[idx(side)];
    if (b == i) b = next_behind(side, i);
  }

  // The next occupied level of `side` behind level i (worse price), or -1.
  std::int64_t next_behind(Side side, std::int64_t i) const {
    return side == Side::buy ? bits_[0].prev(i - 1) : bits_[1].next(i + 1);
  }

 private:
  static int idx(Side s) { return s == Side::buy ? 0 : 1; }
  static Level empty_level() { return Level{kNil, kNil, 0, 0, Side::buy, 0}; }

  void grow(std::int64_t tick_index) {
    const auto size = static_cast<std::int64_t>(levels_.size());
    const std::int64_t slack = std::max<std::int64_t>(size / 2, 64);
    std::int64_t lo = base_, hi = base_ + size - 1;
    if (tick_index < lo) lo = std::max<std::int64_t>(0, tick_index - slack);
    if (tick_index > hi) hi = tick_index + slack;
    std::vector<Level> bigger(static_cast<std::size_t>(hi - lo + 1), empty_level());
    std::copy(levels_.begin(), levels_.end(), bigger.begin() + (base_ - lo));
    levels_.swap(bigger);
    base_ = lo;
    bits_[0].resize(hi - lo + 1);
    bits_[1].resize(hi - lo + 1);
    best_[0] = best_[1] = -1;
    for (std::int64_t i = 0; i < static_cast<std::int64_t>(levels_.size()); ++i) {
      const Level& l = levels_[static_cast<std::size_t>(i)];
      if (l.count == 0) continue;
      bits_[idx(l.side)].set(i);
      if (l.side == Side::buy) best_[0] = i;
      else if (best_[1] < 0) best_[1] = i;
    }
  }

  Price tick_ = 1;
  std::int64_t base_ = 0;  // tick index of levels_[0]
  std::vector<Level> levels_;
  LevelBitmap bits_[2];
  std::int64_t best_[2] = {-1, -1};  // best bid (highest), best ask (lowest)
};

}  // namespace gpux
