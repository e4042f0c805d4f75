// A resting (or incoming) order and the fixed-capacity pool that holds them. Orders link into
// their price level's FIFO and their account's list by pool index, never by pointer, so the
// pool stays one flat array and a level's page can be reused without fixing anything up.
#pragma once

#include <cstdint>

#include "engine/fixed_string.hpp"
#include "engine/huge_array.hpp"
#include "engine/limits.hpp"
#include "engine/types.hpp"

namespace gpux {

constexpr std::uint32_t kNil = 0xFFFF'FFFF;

struct Order {
  // A block: its price level's FIFO. A divisible order rests in no level itself: these are its
  // first and last slice (engine/slice.hpp), ascending hour.
  std::uint32_t prev;
  std::uint32_t next;
  std::uint32_t account_prev;  // the account's resting orders, ascending order_id
  std::uint32_t account_next;
  Price price;
  Qty open;     // whole open quantity; a divisible order's: its quantity per hour as last set
  Qty shown;    // what the book shows: open, or an iceberg's current clip
  Qty display;  // iceberg clip size; 0 for a plain order
  OrderId id;
  Ts expire_ts;  // gtd only
  AccountId account;
  InstrumentId instrument;
  std::uint32_t heap_pos;  // slot in the gtd expiry heap, or kNil
  Side side;
  Tif tif;
  Stp stp;
  // Bit-fields, so the order stays 128 bytes with its cl_id padded (engine/fixed_string.hpp).
  bool post_only : 1;
  bool divisible : 1;  // a divisible order: its hours rest as slices in the hour books
  FixedString<kMaxClIdLen> cl_id;
  // When it joined the back of its level (arrival, iceberg refill, replace losing priority), on
  // one clock for every book and slice, so that a block and a slice can be compared.
  std::uint64_t priority;
};
static_assert(sizeof(Order) == 128);

class OrderPool {
 public:
  // Pages are mapped lazily, so an idle large pool costs address space, not memory.
  explicit OrderPool(std::uint32_t capacity) : orders_(capacity), capacity_(capacity) {}

  void prefault() { orders_.prefault(); }

  Order& operator[](std::uint32_t i) { return orders_[i]; }
  const Order& operator[](std::uint32_t i) const { return orders_[i]; }

  bool full() const { return free_ == kNil && used_ == capacity_; }
  std::size_t live() const { return live_; }

  // Precondition: !full().
  std::uint32_t allocate() {
    ++live_;
    if (free_ != kNil) {
      const std::uint32_t i = free_;
      free_ = orders_[i].next;
      return i;
    }
    return used_++;
  }
  void release(std::uint32_t i) {
    --live_;
    orders_[i].next = free_;
    free_ = i;
  }

 private:
  HugeArray<Order> orders_;
  std::uint32_t capacity_;
  std::uint32_t used_ = 0;  // slots ever handed out; the rest were never touched
  std::uint32_t free_ = kNil;
  std::size_t live_ = 0;
};

}  // namespace gpux
