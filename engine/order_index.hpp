// An open-addressing hash index from a key to an order's pool slot (load factor <= 1/2). Keys
// live in the orders themselves: a lookup passes a predicate that compares the key with a
// candidate order.
//
// Sized for the pool up front (16 bytes an order: 64 MiB for 4M orders), or, when `grow`,
// sized to the live book: it starts at one huge page (256K slots, books up to 128K orders) and
// doubles as the book passes half its slots, up to the pool's size. A replay of 4M commands
// over a small book then touches 2 MiB rather than 48 huge pages of fresh index (the kernel
// zeroing them was 10% of `gpux replay DIR`), and its probes stay in the cache. A doubling
// allocates and moves every entry on the matching thread: 21-82 ms at 1M resting orders on the
// development VM (the kernel zeroing the new table's pages is most of the spread), once per
// doubling; a server that cannot take that prefaults (EngineConfig).
#pragma once

#include <algorithm>
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
  OrderIndex(std::uint32_t max_entries, bool grow)
      : max_mask_(capacity_for(max_entries) - 1),
        mask_(grow ? std::min(max_mask_, kFirstCapacity - 1) : max_mask_),
        slots_(mask_ + 1) {}

  void prefault() { slots_.prefault(); }
  std::uint64_t capacity() const { return mask_ + 1; }

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
    if (2 * (size_ + 1) > mask_ + 1 && mask_ < max_mask_) [[unlikely]] grow();
    place(slots_.get(), mask_, Slot{order + 1, hash});
    ++size_;
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
    --size_;
  }

 private:
  static std::uint64_t capacity_for(std::uint32_t max_entries) {
    std::uint64_t n = 16;
    while (n < 2 * static_cast<std::uint64_t>(max_entries)) n <<= 1;
    return n;
  }
  static constexpr std::uint64_t kFirstCapacity = (std::uint64_t{2} << 20) / sizeof(Slot);

  static void place(Slot* s, std::uint64_t mask, Slot slot) {
    std::uint64_t i = slot.hash & mask;
    while (s[i].ref != 0) i = (i + 1) & mask;
    s[i] = slot;
  }
  // Noinline: the insert path stays small, and this runs once per doubling.
  [[gnu::noinline]] void grow() {
    const std::uint64_t mask = 2 * (mask_ + 1) - 1;
    HugeArray<Slot> bigger(mask + 1);
    const Slot* old = slots_.get();
    for (std::uint64_t i = 0; i <= mask_; ++i)
      if (old[i].ref != 0) place(bigger.get(), mask, old[i]);
    slots_.swap(bigger);
    mask_ = mask;
  }

  std::uint64_t max_mask_;
  std::uint64_t mask_;
  std::uint64_t size_ = 0;
  HugeArray<Slot> slots_;
};

}  // namespace gpux
