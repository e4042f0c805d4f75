// An open-addressing hash index from a key to an order's pool slot, sized once for the pool
// (load factor <= 1/2), so lookups, inserts and erases never allocate. Keys live in the orders
// themselves: a lookup passes a predicate that compares the key with a candidate order.
#pragma once

#include <cstdint>

#include "engine/huge_array.hpp"
#include "engine/order.hpp"

namespace gpux {

class OrderIndex {
  struct Slot {
    std::uint32_t ref;  // pool slot + 1; 0 = empty
    std::uint32_t hash;
  };

 public:
  // Fresh pages are zero, and a zero slot is empty.
  explicit OrderIndex(std::uint32_t max_entries)
      : mask_(capacity_for(max_entries) - 1), slots_(mask_ + 1) {}

  void prefault() { slots_.prefault(); }

  // Starts pulling the key's home slot into the cache: a lookup soon after is then a hit.
  // An asm statement, because GCC 12 at -O3 silently drops a __builtin_prefetch that sits
  // behind a branch here (seen in the assembly of Engine::prefetch).
  void prefetch(std::uint32_t hash) const {
    const Slot* s = slots_.get() + (hash & mask_);
#if defined(__x86_64__)
    asm volatile("prefetcht0 %0" : : "m"(*s));
#else
    __builtin_prefetch(s);
#endif
  }

  template <class Match>
  std::uint32_t find(std::uint32_t hash, Match&& match) const {
    for (std::uint64_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Slot s = slots_.get()[i];
      if (s.ref == 0) return kNil;
      if (s.hash == hash && match(s.ref - 1)) return s.ref - 1;
    }
  }

  void insert(std::uint32_t hash, std::uint32_t order) {
    std::uint64_t i = hash & mask_;
    while (slots_.get()[i].ref != 0) i = (i + 1) & mask_;
    slots_.get()[i] = Slot{order + 1, hash};
  }

  // Backward-shift deletion keeps probe chains intact without tombstones.
  void erase(std::uint32_t hash, std::uint32_t order) {
    Slot* s = slots_.get();
    std::uint64_t i = hash & mask_;
    while (s[i].ref != order + 1) i = (i + 1) & mask_;
    for (std::uint64_t j = (i + 1) & mask_;; j = (j + 1) & mask_) {
      if (s[j].ref == 0) break;
      const std::uint64_t home = s[j].hash & mask_;
      // s[j] may move into the hole at i only if its home is not cyclically inside (i, j].
      const bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
      if (!stays) {
        s[i] = s[j];
        i = j;
      }
    }
    s[i] = Slot{0, 0};
  }

 private:
  static std::uint64_t capacity_for(std::uint32_t max_entries) {
    std::uint64_t n = 16;
    while (n < 2 * static_cast<std::uint64_t>(max_entries)) n <<= 1;
    return n;
  }
  std::uint64_t mask_;
  HugeArray<Slot> slots_;
};

}  // namespace gpux
