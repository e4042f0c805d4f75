// Listed instruments by symbol: open addressing on a stored 32-bit hash, load at most 1/2, with
// backward-shift deletion, so unlisting leaves no tombstones to slow later lookups. The symbols
// themselves live in the instrument slots: a lookup passes a predicate that compares a
// candidate's. It doubles when half full and never shrinks: 8 bytes a slot, 16 to 32 bytes per
// instrument listed at the busiest moment so far.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "engine/order.hpp"

namespace gpux {

class SymbolIndex {
  struct Slot {
    std::uint32_t ref;  // instrument + 1; 0 = empty
    std::uint32_t hash;
  };

 public:
  SymbolIndex() : slots_(64, Slot{0, 0}) {}

  static std::uint32_t hash(std::string_view symbol) {
    return static_cast<std::uint32_t>(XXH3_64bits(symbol.data(), symbol.size()));
  }

  // The instrument `match` accepts among those whose symbol has this hash, or kNil.
  template <class Match>
  std::uint32_t find(std::uint32_t hash, Match&& match) const {
    for (std::size_t i = hash & mask();; i = (i + 1) & mask()) {
      const Slot s = slots_[i];
      if (s.ref == 0) return kNil;
      if (s.hash == hash && match(s.ref - 1)) return s.ref - 1;
    }
  }

  // Room for n symbols, so that insert() does not allocate.
  void reserve(std::size_t n) {
    while (2 * n > slots_.size()) grow();
  }

  void insert(std::uint32_t hash, std::uint32_t id) {
    if (2 * (size_ + 1) > slots_.size()) grow();
    place(Slot{id + 1, hash});
    ++size_;
  }

  // Precondition: `id` was inserted with this hash.
  void erase(std::uint32_t hash, std::uint32_t id) {
    std::size_t i = hash & mask();
    while (slots_[i].ref != id + 1) i = (i + 1) & mask();
    for (std::size_t j = (i + 1) & mask();; j = (j + 1) & mask()) {
      if (slots_[j].ref == 0) break;
      const std::size_t home = slots_[j].hash & mask();
      // slots_[j] may move into the hole at i only if its home is not cyclically inside (i, j].
      const bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
      if (!stays) {
        slots_[i] = slots_[j];
        i = j;
      }
    }
    slots_[i] = Slot{0, 0};
    --size_;
  }

 private:
  std::size_t mask() const { return slots_.size() - 1; }
  void place(Slot s) {
    std::size_t i = s.hash & mask();
    while (slots_[i].ref != 0) i = (i + 1) & mask();
    slots_[i] = s;
  }
  void grow() {
    std::vector<Slot> old(slots_.size() * 2, Slot{0, 0});
    old.swap(slots_);
    for (const Slot& s : old)
      if (s.ref != 0) place(s);
  }

  std::vector<Slot> slots_;
  std::size_t size_ = 0;
};

}  // namespace gpux
