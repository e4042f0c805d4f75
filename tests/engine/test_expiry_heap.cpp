// Unit tests of engine/expiry_heap.hpp: pushes, pops and erases of arbitrary elements against a
// std::set ordered by (expire_ts, order_id), with many equal deadlines; and every order's
// heap_pos kept true, since erase() trusts it.
#include <catch2/catch.hpp>

#include <cstdint>
#include <iterator>
#include <random>
#include <set>
#include <utility>
#include <vector>

#include "engine/expiry_heap.hpp"
#include "engine/order.hpp"

using namespace gpux;

namespace {

using Key = std::pair<Ts, OrderId>;

struct Fixture {
  explicit Fixture(std::uint32_t capacity) : pool(capacity), heap(pool) {}

  OrderPool pool;
  ExpiryHeap heap;
  std::set<Key> keys;                           // the oracle
  std::vector<std::pair<Key, std::uint32_t>> in_heap;  // key -> pool slot, for erasing at random

  std::uint32_t push(Ts expire_ts, OrderId id) {
    const std::uint32_t oi = pool.allocate();
    pool[oi] = Order{};
    pool[oi].expire_ts = expire_ts;
    pool[oi].id = id;
    pool[oi].heap_pos = kNil;
    heap.push(oi);
    keys.insert({expire_ts, id});
    in_heap.push_back({{expire_ts, id}, oi});
    return oi;
  }
  void erase_at(std::size_t k) {
    const auto [key, oi] = in_heap[k];
    heap.erase(oi);
    CHECK(pool[oi].heap_pos == kNil);
    keys.erase(key);
    in_heap[k] = in_heap.back();
    in_heap.pop_back();
    pool.release(oi);
  }
  // Takes the top off, as gtd expiry does; returns its key.
  Key pop() {
    const std::uint32_t oi = heap.top();
    const Key key{pool[oi].expire_ts, pool[oi].id};
    for (std::size_t k = 0; k < in_heap.size(); ++k)
      if (in_heap[k].second == oi) {
        erase_at(k);
        break;
      }
    return key;
  }

  // The top is the smallest key, and every element's heap_pos names a distinct slot.
  void check() {
    REQUIRE(heap.empty() == keys.empty());
    if (keys.empty()) return;
    const std::uint32_t top = heap.top();
    CHECK(Key{pool[top].expire_ts, pool[top].id} == *keys.begin());
    CHECK(heap.top_deadline() == keys.begin()->first);
    CHECK(pool[top].heap_pos == 0);
    std::set<std::uint32_t> positions;
    for (const auto& [key, oi] : in_heap) {
      REQUIRE(pool[oi].heap_pos != kNil);
      REQUIRE(pool[oi].heap_pos < in_heap.size());
      positions.insert(pool[oi].heap_pos);
    }
    CHECK(positions.size() == in_heap.size());
  }
};

}  // namespace

TEST_CASE("ExpiryHeap: pops in (expire_ts, order_id) order, equal deadlines by order_id", "[engine][expiry_heap]") {
  Fixture f(64);
  // Pushed out of order; deadline 100 three times.
  f.push(300, 1);
  f.push(100, 9);
  f.push(100, 2);
  f.push(200, 3);
  f.push(100, 5);
  f.push(50, 8);
  f.check();
  std::vector<Key> order;
  while (!f.heap.empty()) {
    order.push_back(f.pop());
    f.check();
  }
  CHECK(order == std::vector<Key>{{50, 8}, {100, 2}, {100, 5}, {100, 9}, {200, 3}, {300, 1}});
}

TEST_CASE("ExpiryHeap: erasing the top, the last element and inner elements", "[engine][expiry_heap]") {
  Fixture f(64);
  for (OrderId id = 1; id <= 15; ++id) f.push(1000 - 10 * id, id);  // a full heap of 4 levels
  f.check();
  auto erase_key = [&](Key key) {
    for (std::size_t k = 0; k < f.in_heap.size(); ++k)
      if (f.in_heap[k].first == key) return f.erase_at(k);
    FAIL("no such key");
  };
  erase_key({850, 15});  // the top
  f.check();
  erase_key({990, 1});  // a leaf
  f.check();
  erase_key({900, 10});  // inner
  f.check();
}

TEST_CASE("ExpiryHeap: the element that fills an erased hole may have to move up", "[engine][expiry_heap]") {
  Fixture f(64);
  // Pushed in this order, nothing moves: the array is the heap, level by level. The left subtree
  // holds large deadlines, the right one small ones.
  const Ts deadlines[] = {10, 100, 20, 110, 120, 21, 22};
  for (OrderId id = 1; id <= 7; ++id) f.push(deadlines[id - 1], id);
  f.check();
  // Erasing 110 (a child of 100) moves the last element, 22, into its place, below 100.
  for (std::size_t k = 0; k < f.in_heap.size(); ++k)
    if (f.in_heap[k].first.first == 110) {
      f.erase_at(k);
      break;
    }
  f.check();
  std::vector<Ts> order;
  while (!f.heap.empty()) order.push_back(f.pop().first);
  CHECK(order == std::vector<Ts>{10, 20, 21, 22, 100, 120});
}

TEST_CASE("ExpiryHeap: random pushes, pops and erases agree with a std::set", "[engine][expiry_heap]") {
  std::mt19937_64 rng(7);
  Fixture f(4096);
  OrderId next_id = 1;
  for (int step = 0; step < 30000; ++step) {
    const std::uint64_t r = rng() % 10;
    if (f.in_heap.size() < 4000 && (f.in_heap.empty() || r < 5)) {
      // Few distinct deadlines, so ties are common; ids are unique but not pushed in order.
      const Ts deadline = static_cast<Ts>(rng() % 50) * 1000;
      const OrderId id = rng() % 4 == 0 ? next_id + 1000000 : next_id;
      ++next_id;
      f.push(deadline, id);
    } else if (r < 8) {
      f.erase_at(rng() % f.in_heap.size());  // an arbitrary element: a cancel or a fill
    } else {
      const Key want = *f.keys.begin();
      REQUIRE(f.pop() == want);
    }
    if (step % 50 == 0) {
      INFO("step " << step << ", " << f.in_heap.size() << " in the heap");
      f.check();
    }
  }
  // Drain: strictly increasing keys.
  Key last{-1, 0};
  while (!f.heap.empty()) {
    const Key k = f.pop();
    REQUIRE(last < k);
    last = k;
  }
  CHECK(f.keys.empty());
}
