// Unit tests of engine/order_index.hpp: random inserts, finds and erases against a std::map,
// with hashes squeezed into a few home slots (long probe chains, chains that wrap around the
// end of the table), which is where backward-shift deletion can lose an entry; and an index
// that grows with its entries loses none when it doubles.
#include <catch2/catch.hpp>

#include <cstdint>
#include <map>
#include <random>
#include <vector>

#include "engine/order.hpp"
#include "engine/order_index.hpp"

using namespace gpux;

namespace {

// The index holds pool slots; the tests' "orders" are slots 0..n-1, each with a fixed hash.
struct Fixture {
  explicit Fixture(std::uint32_t max_entries, bool grow = false) : index(max_entries, grow) {}

  OrderIndex index;
  std::map<std::uint32_t, std::uint32_t> live;  // slot -> hash: the oracle

  std::uint32_t find(std::uint32_t slot, std::uint32_t hash) const {
    return index.find(hash, [&](std::uint32_t candidate) { return candidate == slot; });
  }
  void insert(std::uint32_t slot, std::uint32_t hash) {
    index.insert(hash, slot);
    live[slot] = hash;
  }
  void erase(std::uint32_t slot) {
    index.erase(live.at(slot), slot);
    live.erase(slot);
  }

  // Every live slot is found under its hash, and `absent` slots are not. Returns the failures.
  int check(const std::vector<std::pair<std::uint32_t, std::uint32_t>>& absent) const {
    int wrong = 0;
    for (const auto& [slot, hash] : live) {
      if (find(slot, hash) != slot) {
        if (wrong++ == 0) {
          INFO("slot " << slot << " with hash " << hash << " is lost");
          CHECK(false);
        }
      }
    }
    for (const auto& [slot, hash] : absent) {
      if (!live.contains(slot) && find(slot, hash) != kNil) {
        if (wrong++ == 0) {
          INFO("erased slot " << slot << " with hash " << hash << " is still found");
          CHECK(false);
        }
      }
    }
    return wrong;
  }
};

}  // namespace

TEST_CASE("OrderIndex: an empty index finds nothing", "[engine][order_index]") {
  OrderIndex index(100, false);
  int asked = 0;
  for (std::uint32_t h : {0u, 1u, 255u, 0xFFFF'FFFFu}) {
    CHECK(index.find(h, [&](std::uint32_t) {
      ++asked;
      return true;
    }) == kNil);
  }
  CHECK(asked == 0);  // an empty slot ends the probe before any key is compared
}

TEST_CASE("OrderIndex: equal hashes are told apart by the key predicate", "[engine][order_index]") {
  Fixture f(64);
  for (std::uint32_t slot = 0; slot < 64; ++slot) f.insert(slot, 7);  // one chain of 64
  CHECK(f.check({}) == 0);
  // The predicate, not the hash, picks the entry: ask for keys by a property of the slot.
  CHECK(f.index.find(7, [](std::uint32_t s) { return s == 40; }) == 40);
  CHECK(f.index.find(7, [](std::uint32_t s) { return s > 1000; }) == kNil);
  // Hash 8's home slot lies inside the chain of 7s, but no entry there has hash 8: the stored
  // hash screens the candidates before the predicate sees them.
  CHECK(f.index.find(8, [](std::uint32_t) { return true; }) == kNil);
  // Erase from the front, the middle and the back of the chain.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> gone;
  for (std::uint32_t slot : {0u, 63u, 31u, 1u, 32u}) {
    f.erase(slot);
    gone.push_back({slot, 7});
    REQUIRE(f.check(gone) == 0);
  }
}

TEST_CASE("OrderIndex: a chain that wraps around the end of the table", "[engine][order_index]") {
  // 8 entries: a table of 16 slots (mask 15). Homes 14 and 15 spill over into slots 0, 1, ...
  Fixture f(8);
  const std::uint32_t hashes[] = {15, 14, 15, 0, 14, 1, 15, 0};
  for (std::uint32_t slot = 0; slot < 8; ++slot) f.insert(slot, hashes[slot]);
  REQUIRE(f.check({}) == 0);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> gone;
  for (std::uint32_t slot : {1u, 0u, 3u, 6u, 2u, 7u, 4u, 5u}) {
    f.erase(slot);
    gone.push_back({slot, hashes[slot]});
    INFO("after erasing slot " << slot);
    REQUIRE(f.check(gone) == 0);
  }
  // Empty again: reusable.
  f.insert(9, 15);
  CHECK(f.find(9, 15) == 9);
}

TEST_CASE("OrderIndex: random inserts and erases at full load agree with a std::map", "[engine][order_index]") {
  std::mt19937_64 rng(42);
  for (const std::uint32_t max_entries : {8u, 100u, 3000u}) {
    Fixture f(max_entries);
    std::vector<std::pair<std::uint32_t, std::uint32_t>> erased;
    // Hashes from a small range and from the table's top end: many collisions and wraps.
    const std::uint64_t table = [&] {
      std::uint64_t n = 16;
      while (n < 2 * std::uint64_t{max_entries}) n <<= 1;
      return n;
    }();
    auto random_hash = [&]() -> std::uint32_t {
      switch (rng() % 3) {
        case 0: return static_cast<std::uint32_t>(rng() % 8);
        case 1: return static_cast<std::uint32_t>(table - 1 - rng() % 8);
        default: return static_cast<std::uint32_t>(rng());  // high bits beyond the mask too
      }
    };
    std::uint32_t next_slot = 0;
    for (int step = 0; step < 20000; ++step) {
      const bool full = f.live.size() == max_entries;
      if (!full && (f.live.empty() || rng() % 2 == 0)) {
        f.insert(next_slot++, random_hash());
      } else {
        auto it = f.live.begin();
        std::advance(it, static_cast<long>(rng() % f.live.size()));
        erased.push_back(*it);
        if (erased.size() > 64) erased.erase(erased.begin());
        f.erase(it->first);
      }
      if (step % 97 == 0) {
        INFO("max_entries " << max_entries << ", step " << step << ", " << f.live.size() << " live");
        REQUIRE(f.check(erased) == 0);
      }
    }
    INFO("max_entries " << max_entries);
    CHECK(f.check(erased) == 0);
  }
}

TEST_CASE("OrderIndex: an index sized to its entries doubles without losing one, up to its bound", "[engine][order_index]") {
  // One huge page of slots first (256K: 128K entries), then doublings to 1M slots (the bound
  // for 400K entries is 1M slots: it stops there).
  std::mt19937_64 rng(7);
  Fixture f(400'000, true);
  CHECK(f.index.capacity() == 262'144);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> erased;
  std::uint32_t next_slot = 0;
  std::vector<std::uint64_t> capacities{f.index.capacity()};
  // Grow to 400K live with some erases on the way (backward shifts across a doubling), then
  // shrink to half: the index keeps its size.
  while (f.live.size() < 400'000) {
    if (rng() % 8 == 0 && !f.live.empty()) {
      const auto it = f.live.lower_bound(static_cast<std::uint32_t>(rng() % next_slot));
      if (it != f.live.end()) {
        erased.push_back(*it);
        if (erased.size() > 64) erased.erase(erased.begin());
        f.erase(it->first);
      }
    }
    // Clustered hashes, as cl_hash's blocks of 16 make them, and some colliding ones.
    const auto hash = rng() % 4 == 0 ? static_cast<std::uint32_t>(rng() % 64) : static_cast<std::uint32_t>(rng());
    f.insert(next_slot++, hash);
    if (f.index.capacity() != capacities.back()) {
      capacities.push_back(f.index.capacity());
      INFO("after growing to " << f.index.capacity() << " slots with " << f.live.size() << " live");
      REQUIRE(f.check(erased) == 0);
    }
  }
  CHECK(capacities == std::vector<std::uint64_t>{262'144, 524'288, 1'048'576});
  while (f.live.size() > 200'000) f.erase(f.live.begin()->first);
  CHECK(f.index.capacity() == 1'048'576);
  CHECK(f.check(erased) == 0);

  // A fixed index is its bound's size from the start.
  const OrderIndex fixed(400'000, false);
  CHECK(fixed.capacity() == 1'048'576);
  // A small bound: the first size is the bound's.
  const OrderIndex small(100, true);
  CHECK(small.capacity() == 256);
}
