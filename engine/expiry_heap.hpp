// Resting gtd orders that expire before their instrument's gate closes, as a binary min-heap on
// (expire_ts, order_id). Each order knows its heap slot, so a cancel or fill removes it in
// O(log n) instead of leaving a stale entry behind.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/order.hpp"

namespace gpux {

class ExpiryHeap {
 public:
  explicit ExpiryHeap(OrderPool& pool) : pool_(pool) {}

  bool empty() const { return heap_.empty(); }
  std::uint32_t top() const { return heap_.front(); }
  Ts top_deadline() const { return pool_[heap_.front()].expire_ts; }

  void push(std::uint32_t o) {
    heap_.push_back(o);
    up(heap_.size() - 1);
  }
  void erase(std::uint32_t o) {
    const std::size_t pos = pool_[o].heap_pos;
    pool_[o].heap_pos = kNil;
    const std::uint32_t last = heap_.back();
    heap_.pop_back();
    if (pos == heap_.size()) return;
    heap_[pos] = last;
    pool_[last].heap_pos = static_cast<std::uint32_t>(pos);
    down(up(pos));
  }

 private:
  bool less(std::uint32_t a, std::uint32_t b) const {
    const Order& x = pool_[a];
    const Order& y = pool_[b];
    return x.expire_ts != y.expire_ts ? x.expire_ts < y.expire_ts : x.id < y.id;
  }
  std::size_t up(std::size_t i) {
    const std::uint32_t o = heap_[i];
    while (i > 0) {
      const std::size_t parent = (i - 1) / 2;
      if (!less(o, heap_[parent])) break;
      heap_[i] = heap_[parent];
      pool_[heap_[i]].heap_pos = static_cast<std::uint32_t>(i);
      i = parent;
    }
    heap_[i] = o;
    pool_[o].heap_pos = static_cast<std::uint32_t>(i);
    return i;
  }
  void down(std::size_t i) {
    const std::uint32_t o = heap_[i];
    for (;;) {
      std::size_t child = 2 * i + 1;
      if (child >= heap_.size()) break;
      if (child + 1 < heap_.size() && less(heap_[child + 1], heap_[child])) ++child;
      if (!less(heap_[child], o)) break;
      heap_[i] = heap_[child];
      pool_[heap_[i]].heap_pos = static_cast<std::uint32_t>(i);
      i = child;
    }
    heap_[i] = o;
    pool_[o].heap_pos = static_cast<std::uint32_t>(i);
  }

  OrderPool& pool_;
  std::vector<std::uint32_t> heap_;
};

}  // namespace gpux
