// Price levels come in pages of 64 ticks, taken from one engine-wide pool when an order first
// rests on one of a page's ticks and given back when none of them holds orders. So a book costs
// what its resting prices span, not what its band spans: a fresh H100.MEM1 window with one order
// holds one 1.5 KiB page where a band-wide array held 2,101 levels (49 KiB).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

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

// One bitmap word's worth of levels (engine/level_bitmap.hpp): a page is free exactly when its
// word is zero on both sides.
constexpr std::int64_t kLevelsPerPage = 64;
constexpr int kPageShift = 6;

struct LevelPage {
  Level levels[kLevelsPerPage];
};
static_assert(sizeof(LevelPage) == 1536);

class LevelPagePool {
 public:
  // Spare pages kept for reuse after they are given back: enough that the books of a busy
  // market take and give pages without touching the heap (a page changes hands when a level
  // 64 ticks from any other opens or closes, and a month-long divisible order rests in 720
  // hour books at once, a page each when the hours are otherwise empty), small enough that a
  // burst's pages go back to the allocator: 8,192 pages are 12 MiB. Pages beyond it are deleted.
  static constexpr std::size_t kMaxSpare = 8192;

  LevelPagePool() { spare_.reserve(kMaxSpare); }
  ~LevelPagePool() {
    for (LevelPage* p : spare_) delete p;
  }
  LevelPagePool(const LevelPagePool&) = delete;
  LevelPagePool& operator=(const LevelPagePool&) = delete;

  // A page whose levels are all empty, none marked for depth.
  LevelPage* take() {
    ++in_use_;
    if (spare_.empty()) {
      auto* p = new LevelPage;
      std::fill(std::begin(p->levels), std::end(p->levels), Level{kNil, kNil, 0, 0, Side::buy, 0});
      return p;
    }
    LevelPage* p = spare_.back();
    spare_.pop_back();
    return p;
  }

  // Precondition: no level holds orders, and none is marked for depth (books give pages back
  // only at the end of a command, after its depth updates). A level that lost its last order
  // is as take() makes one: no head, no tail, no quantity. So a spare page needs no clearing.
  void give(LevelPage* p) {
    --in_use_;
    if (spare_.size() < kMaxSpare) spare_.push_back(p);
    else delete p;
  }

  std::size_t in_use() const { return in_use_; }
  std::size_t spare() const { return spare_.size(); }

 private:
  std::vector<LevelPage*> spare_;
  std::size_t in_use_ = 0;
};

}  // namespace gpux
