// The listed instruments by gate (docs/rules.md "Expiry and gate closure"), as a binary
// min-heap on (gate, instrument). Each instrument's heap slot is kept, so an instrument that is
// unlisted before its gate leaves the heap at once instead of leaving a stale entry behind
// (which a reused instrument slot would then inherit). 16 bytes an instrument, plus 4 for its
// slot index.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/order.hpp"
#include "engine/types.hpp"

namespace gpux {

class GateHeap {
 public:
  bool empty() const { return heap_.empty(); }
  Ts top_gate() const { return heap_.front().gate; }
  InstrumentId top() const { return heap_.front().id; }
  bool contains(InstrumentId id) const { return id < pos_.size() && pos_[id] != kNil; }

  // Room for instrument slots 0..n-1, so that push() does not allocate.
  void reserve(std::size_t n) {
    heap_.reserve(n);
    pos_.reserve(n);
  }

  void push(InstrumentId id, Ts gate) {
    if (pos_.size() <= id) pos_.resize(id + 1, kNil);
    heap_.push_back(Entry{gate, id});
    up(heap_.size() - 1);
  }

  // Precondition: contains(id).
  void erase(InstrumentId id) {
    const std::size_t pos = pos_[id];
    pos_[id] = kNil;
    const Entry last = heap_.back();
    heap_.pop_back();
    if (pos == heap_.size()) return;
    heap_[pos] = last;
    pos_[last.id] = static_cast<std::uint32_t>(pos);
    down(up(pos));
  }

 private:
  struct Entry {
    Ts gate;
    InstrumentId id;
  };

  static bool less(const Entry& a, const Entry& b) { return a.gate != b.gate ? a.gate < b.gate : a.id < b.id; }

  void place(std::size_t i, const Entry& e) {
    heap_[i] = e;
    pos_[e.id] = static_cast<std::uint32_t>(i);
  }
  std::size_t up(std::size_t i) {
    const Entry e = heap_[i];
    while (i > 0) {
      const std::size_t parent = (i - 1) / 2;
      if (!less(e, heap_[parent])) break;
      place(i, heap_[parent]);
      i = parent;
    }
    place(i, e);
    return i;
  }
  void down(std::size_t i) {
    const Entry e = heap_[i];
    for (;;) {
      std::size_t child = 2 * i + 1;
      if (child >= heap_.size()) break;
      if (child + 1 < heap_.size() && less(heap_[child + 1], heap_[child])) ++child;
      if (!less(heap_[child], e)) break;
      place(i, heap_[child]);
      i = child;
    }
    place(i, e);
  }

  std::vector<Entry> heap_;
  std::vector<std::uint32_t> pos_;  // by instrument slot: index in heap_, or kNil
};

}  // namespace gpux
