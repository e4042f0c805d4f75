// One instrument's price levels: pages of 64 levels (engine/level_pages.hpp) under a directory
// indexed by tick offset, FIFO queues threaded through the order pool, and per-side bitmaps that
// give the best and next level in a couple of count-zero instructions. A level is found with
// two loads (its page's pointer, then the level), and insertion near the touch is still a
// store, not a tree walk. Memory follows the resting prices: a page exists while one of its 64
// ticks holds orders, and the directory (8 bytes a page, plus 8 a side for the bitmaps) spans
// the resting prices with some slack, from the first order on. An empty book holds no pages and
// an empty directory, whose capacity it keeps so that reusing it allocates nothing.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "engine/level_bitmap.hpp"
#include "engine/level_pages.hpp"
#include "engine/types.hpp"

namespace gpux {

class Book {
 public:
  Book() = default;
  Book(const Book&) = delete;
  Book& operator=(const Book&) = delete;
  // Books move only when the engine's instrument slots grow. The pages go with the directory,
  // and a moved-from vector is empty, so the moved-from book gives nothing back.
  Book(Book&& o) noexcept
      : pool_(o.pool_), tick_(o.tick_), base_(o.base_), pages_(std::move(o.pages_)),
        bits_{std::move(o.bits_[0]), std::move(o.bits_[1])}, best_{o.best_[0], o.best_[1]} {}
  Book& operator=(Book&&) = delete;
  ~Book() { clear(); }

  // An empty book drawing its pages from `pool`. Allocates nothing.
  void init(LevelPagePool& pool, Price tick) {
    pool_ = &pool;
    tick_ = tick;
  }

  // Room for the directory a book's first order makes, so that the book never allocates unless
  // its prices spread past it: for a new instrument slot, which every later listing reuses.
  void reserve_first_directory() {
    constexpr auto kPages = static_cast<std::size_t>(2 * kMinSlackPages + 1);
    pages_.reserve(kPages);
    bits_[0].reserve(kPages);
    bits_[1].reserve(kPages);
  }

  Price tick() const { return tick_; }
  bool empty() const { return best_[0] < 0 && best_[1] < 0; }
  bool empty(Side s) const { return best_[idx(s)] < 0; }
  std::int64_t best(Side s) const { return best_[idx(s)]; }
  // Level indices count ticks from the directory's first; they move when the directory grows,
  // so keep one only while no order joins the book.
  Price price_at(std::int64_t i) const { return (base_ + i) * tick_; }
  std::int64_t index_of(Price p) const { return p / tick_ - base_; }  // of a resting order's price
  Level& at(std::int64_t i) { return pages_[page(i)]->levels[i & (kLevelsPerPage - 1)]; }
  const Level& at(std::int64_t i) const { return pages_[page(i)]->levels[i & (kLevelsPerPage - 1)]; }

  // Does a `side` order at `price` cross the other side's best level?
  bool crosses(Side side, Price price) const {
    const std::int64_t b = best_[idx(opposite(side))];
    if (b < 0) return false;
    return side == Side::buy ? price_at(b) <= price : price_at(b) >= price;
  }

  // The level at `price`, or nullptr when its page is not held.
  Level* find_any(Price price) {
    const std::int64_t i = price / tick_ - base_;
    if (i < 0 || i >= span()) return nullptr;
    LevelPage* p = pages_[page(i)];
    return p ? &p->levels[i & (kLevelsPerPage - 1)] : nullptr;
  }

  // The level an order of `side` at `price` joins; marks it occupied.
  Level& join(Side side, Price price, std::int64_t& i) {
    i = price / tick_ - base_;
    if (i < 0 || i >= span()) [[unlikely]] {
      grow(price / tick_);
      i = price / tick_ - base_;
    }
    LevelPage* p = pages_[page(i)];
    if (p == nullptr) [[unlikely]] p = take_page(i);
    Level& l = p->levels[i & (kLevelsPerPage - 1)];
    if (l.count == 0) {
      l.side = side;
      bits_[idx(side)].set(i);
      std::int64_t& b = best_[idx(side)];
      if (b < 0 || (side == Side::buy ? i > b : i < b)) b = i;
    }
    return l;
  }

  // Call when the level at i has just lost its last order. True when its page now holds no
  // orders at all: pass page_of(i) to release_if_empty() once the command's depth is out.
  bool vacate(Side side, std::int64_t i) {
    bits_[idx(side)].reset(i);
    std::int64_t& b = best_[idx(side)];
    if (b == i) b = next_behind(side, i);
    const auto w = static_cast<std::size_t>(page(i));
    return (bits_[0].word(w) | bits_[1].word(w)) == 0;
  }

  // The next occupied level of `side` behind level i (worse price), or -1.
  std::int64_t next_behind(Side side, std::int64_t i) const {
    return side == Side::buy ? bits_[0].prev(i - 1) : bits_[1].next(i + 1);
  }

  // The page holding level i, as a number that survives the directory growing.
  std::int64_t page_of(std::int64_t i) const { return (base_ >> kPageShift) + page(i); }

  // Gives page `n` (from page_of) back to the pool if it is held and none of its levels holds
  // orders. Run at the end of a command: a page given back and taken again within one would
  // lose its levels' depth marks.
  void release_if_empty(std::int64_t n) {
    const std::int64_t w = n - (base_ >> kPageShift);
    if (w < 0 || w >= static_cast<std::int64_t>(pages_.size())) return;
    const auto i = static_cast<std::size_t>(w);
    if (pages_[i] == nullptr || (bits_[0].word(i) | bits_[1].word(i)) != 0) return;
    pool_->give(pages_[i]);
    pages_[i] = nullptr;
  }

  // Gives every page back and empties the directory (keeping its capacity), so the next order
  // centres it on its own price. For a book without orders, at the end of a command.
  void clear() {
    for (LevelPage*& p : pages_)
      if (p != nullptr) pool_->give(p);
    pages_.clear();
    bits_[0].clear();
    bits_[1].clear();
    base_ = 0;
    best_[0] = best_[1] = -1;
  }

  std::size_t directory_pages() const { return pages_.size(); }

 private:
  // Slack on each side of the resting prices when the directory grows: at least 8 pages, so a
  // book's first directory spans 17 pages around its first order, ±512 ticks (±25 % of
  // H100.MEM1's reference price) for 24 * 17 = 408 bytes. Few books ever outgrow it, so a
  // reused slot's capacity nearly always suffices and a warm engine does not allocate.
  static constexpr std::int64_t kMinSlackPages = 8;

  static int idx(Side s) { return s == Side::buy ? 0 : 1; }
  static std::size_t page(std::int64_t i) { return static_cast<std::size_t>(i >> kPageShift); }
  std::int64_t span() const { return static_cast<std::int64_t>(pages_.size()) << kPageShift; }

  // Out of line, like grow(): join() runs for every resting order and should stay small.
  [[gnu::noinline]] LevelPage* take_page(std::int64_t i) { return pages_[page(i)] = pool_->take(); }

  // Re-centres the directory over its old pages and the page of tick `t`, with slack of half
  // the new span on each side. Pages do not move, so Level references stay valid.
  [[gnu::noinline]] void grow(std::int64_t t) {
    const std::int64_t want = t >> kPageShift;
    const std::int64_t first = base_ >> kPageShift;
    const auto n = static_cast<std::int64_t>(pages_.size());
    std::int64_t lo = n ? std::min(first, want) : want;
    std::int64_t hi = n ? std::max(first + n - 1, want) : want;
    const std::int64_t slack = std::max((hi - lo + 1) / 2, kMinSlackPages);
    lo = std::max<std::int64_t>(0, lo - slack);
    hi += slack;
    const auto shift = static_cast<std::size_t>(n ? first - lo : 0);
    const auto size = static_cast<std::size_t>(hi - lo + 1);
    pages_.resize(size, nullptr);
    std::move_backward(pages_.begin(), pages_.begin() + n, pages_.begin() + n + static_cast<std::int64_t>(shift));
    std::fill(pages_.begin(), pages_.begin() + static_cast<std::int64_t>(std::min(shift, size)), nullptr);
    bits_[0].recenter(size, shift);
    bits_[1].recenter(size, shift);
    for (std::int64_t& b : best_)
      if (b >= 0) b += static_cast<std::int64_t>(shift) << kPageShift;
    base_ = lo << kPageShift;
  }

  LevelPagePool* pool_ = nullptr;
  Price tick_ = 1;
  std::int64_t base_ = 0;  // tick index of level 0: a whole page's first tick
  std::vector<LevelPage*> pages_;  // the directory; nullptr where no level holds orders
  LevelBitmap bits_[2];
  std::int64_t best_[2] = {-1, -1};  // best bid (highest), best ask (lowest)
};

}  // namespace gpux
