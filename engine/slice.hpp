// A slice: one hour of a divisible order (docs/hours.md). Slices live in their own pool, apart
// from orders, so that a divisible order over 720 hours costs one Order and 720 slices of 40
// bytes, not 720 copies of the order's 128 bytes and not 720 heap allocations. A slice links
// into its hour book's level FIFO and into its order's list of slices (ascending hour), both by
// pool index; what it shares with its order (account, side, price, tif...) stays in the Order.
#pragma once

#include <cstdint>

#include "engine/huge_array.hpp"
#include "engine/order.hpp"
#include "engine/types.hpp"

namespace gpux {

struct Slice {
  std::uint32_t prev;  // hour book level FIFO
  std::uint32_t next;
  std::uint32_t order_prev;  // the order's slices, ascending hour
  std::uint32_t order_next;
  std::uint32_t order;  // in the OrderPool
  std::uint32_t book;   // the instrument P@h+1h whose hour book holds it
  Qty open;
  std::uint64_t priority;  // time priority, comparable across every book
};
static_assert(sizeof(Slice) == 40);

class SlicePool {
 public:
  // Pages are mapped lazily, as the order pool's are.
  explicit SlicePool(std::uint32_t capacity) : slices_(capacity), capacity_(capacity) {}

  void prefault() { slices_.prefault(); }

  Slice& operator[](std::uint32_t i) { return slices_[i]; }
  const Slice& operator[](std::uint32_t i) const { return slices_[i]; }

  std::size_t live() const { return live_; }
  std::size_t available() const { return capacity_ - live_; }

  // Precondition: available() > 0.
  std::uint32_t allocate() {
    ++live_;
    if (free_ != kNil) {
      const std::uint32_t i = free_;
      free_ = slices_[i].next;
      return i;
    }
    return used_++;
  }
  void release(std::uint32_t i) {
    --live_;
    slices_[i].next = free_;
    free_ = i;
  }

 private:
  HugeArray<Slice> slices_;
  std::uint32_t capacity_;
  std::uint32_t used_ = 0;
  std::uint32_t free_ = kNil;
  std::size_t live_ = 0;
};

}  // namespace gpux
