// Unit tests of engine/book.hpp against a std::map of the occupied levels: best levels, the walk
// from best to worst, crosses(), find(), and growing the level array past either end of the
// listing band without losing a level. The tests play the engine's part: join() then count an
// order in, count it out then vacate() when the level empties.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <random>
#include <vector>

#include "engine/book.hpp"

using namespace gpux;

namespace {

constexpr Price kTick = 10;

struct Fixture {
  Fixture(std::int64_t lo, std::int64_t hi) { book.init(kTick, lo, hi); }

  Book book;
  std::map<Price, std::pair<Side, std::uint32_t>> levels;  // price -> side and orders: the oracle

  // Rests one order; the level remembers its first order's tag in head, as a FIFO would.
  void add(Side side, Price price) {
    std::int64_t i = -1;
    Level& l = book.join(side, price, i);
    REQUIRE(i == book.index_of(price));
    REQUIRE(book.price_at(i) == price);
    if (l.count == 0) {
      l.head = static_cast<std::uint32_t>(price);
      l.qty = 0;
    }
    ++l.count;
    l.qty += 8;
    auto& [s, n] = levels[price];
    s = side;
    ++n;
  }
  void remove(Price price) {
    auto it = levels.find(price);
    REQUIRE(it != levels.end());
    const std::int64_t i = book.index_of(price);
    Level& l = book.at(i);
    --l.count;
    l.qty -= 8;
    if (l.count == 0) book.vacate(it->second.first, i);
    if (--it->second.second == 0) levels.erase(it);
  }

  // Prices of one side in the oracle, best first.
  std::vector<Price> expected(Side side) const {
    std::vector<Price> out;
    for (const auto& [price, v] : levels)
      if (v.first == side) out.push_back(price);
    if (side == Side::buy) std::reverse(out.begin(), out.end());
    return out;
  }
  std::vector<Price> walked(Side side) const {
    std::vector<Price> out;
    for (std::int64_t i = book.best(side); i >= 0; i = book.next_behind(side, i)) out.push_back(book.price_at(i));
    return out;
  }

  void check() const {
    for (const Side side : {Side::buy, Side::sell}) {
      const std::vector<Price> want = expected(side);
      INFO(to_string(side));
      REQUIRE(walked(side) == want);
      CHECK(book.empty(side) == want.empty());
      for (const Price p : want) {
        const Level* l = book.find(side, p);
        REQUIRE(l != nullptr);
        CHECK(l->count == levels.at(p).second);
        CHECK(l->qty == 8 * static_cast<Qty>(l->count));
        CHECK(l->head == static_cast<std::uint32_t>(p));  // survived any growth of the array
        CHECK(book.find(opposite(side), p) == nullptr);
      }
    }
    // crosses(): a buy at p crosses when the best ask is <= p; a sell when the best bid is >= p.
    const std::vector<Price> bids = expected(Side::buy), asks = expected(Side::sell);
    for (Price p = kTick; p < 3000; p += kTick) {
      CHECK(book.crosses(Side::buy, p) == (!asks.empty() && asks.front() <= p));
      CHECK(book.crosses(Side::sell, p) == (!bids.empty() && bids.front() >= p));
    }
  }
};

}  // namespace

TEST_CASE("Book: best levels and the walk behind them", "[engine][book]") {
  Fixture f(100, 200);  // prices 1000..2000
  f.check();
  f.add(Side::buy, 1500);
  f.add(Side::buy, 1400);
  f.add(Side::buy, 1490);
  f.add(Side::sell, 1600);
  f.add(Side::sell, 1510);
  f.add(Side::sell, 1990);
  f.check();
  CHECK(f.book.price_at(f.book.best(Side::buy)) == 1500);
  CHECK(f.book.price_at(f.book.best(Side::sell)) == 1510);
  // Two orders on one level: the level stays until its last order leaves.
  f.add(Side::buy, 1500);
  f.remove(1500);
  f.check();
  CHECK(f.book.price_at(f.book.best(Side::buy)) == 1500);
  f.remove(1500);
  f.check();
  CHECK(f.book.price_at(f.book.best(Side::buy)) == 1490);
  // A level emptied behind the best leaves the best alone.
  f.remove(1990);
  f.check();
  // A level vacated by one side can be joined by the other.
  f.remove(1510);
  f.add(Side::buy, 1510);
  f.check();
  CHECK(f.book.price_at(f.book.best(Side::buy)) == 1510);
}

TEST_CASE("Book: find_any sees a level whatever its side, and nothing outside the array", "[engine][book]") {
  Fixture f(100, 200);
  f.add(Side::sell, 1700);
  REQUIRE(f.book.find_any(1700) != nullptr);
  CHECK(f.book.find_any(1700)->count == 1);
  CHECK(f.book.find_any(1710)->count == 0);
  CHECK(f.book.find(Side::sell, 1710) == nullptr);
  CHECK(f.book.find_any(5) == nullptr);
  CHECK(f.book.find(Side::sell, 100000) == nullptr);
}

TEST_CASE("Book: prices past either end of the band grow the array and keep every level", "[engine][book]") {
  Fixture f(100, 110);  // a narrow band: 1000..1100
  f.add(Side::buy, 1050);
  f.add(Side::buy, 1000);
  f.add(Side::sell, 1100);
  f.add(Side::sell, 1080);
  f.check();
  f.add(Side::sell, 5000);  // far above: grows upwards
  f.check();
  f.add(Side::buy, 30);  // below: grows downwards, base moves, every index shifts
  f.check();
  f.add(Side::buy, 10);  // the lowest tick; growth stops at tick index 0
  f.add(Side::sell, 12340);
  f.check();
  CHECK(f.book.price_at(f.book.best(Side::buy)) == 1050);
  CHECK(f.book.price_at(f.book.best(Side::sell)) == 1080);
  // Emptying the far levels again.
  f.remove(5000);
  f.remove(10);
  f.check();
}

TEST_CASE("Book: release empties the book", "[engine][book]") {
  Fixture f(100, 200);
  f.add(Side::buy, 1200);
  f.add(Side::sell, 1300);
  f.book.release();
  CHECK(f.book.empty(Side::buy));
  CHECK(f.book.empty(Side::sell));
  CHECK(f.book.best(Side::buy) == -1);
  CHECK(f.book.find_any(1200) == nullptr);
  CHECK_FALSE(f.book.crosses(Side::buy, 100000));
}

TEST_CASE("Book: random rests and removals agree with a std::map", "[engine][book]") {
  std::mt19937_64 rng(11);
  for (int run = 0; run < 4; ++run) {
    Fixture f(140, 160);  // 1400..1600; orders also land outside it
    for (int step = 0; step < 4000; ++step) {
      if (f.levels.empty() || rng() % 5 < 3) {
        // Keep the book uncrossed, as matching does: bids below the best ask, asks above the
        // best bid.
        const std::vector<Price> bids = f.expected(Side::buy), asks = f.expected(Side::sell);
        const Side side = rng() % 2 == 0 ? Side::buy : Side::sell;
        const Price p = static_cast<Price>(1 + rng() % 290) * kTick;
        if (side == Side::buy && !asks.empty() && p >= asks.front()) continue;
        if (side == Side::sell && !bids.empty() && p <= bids.front()) continue;
        f.add(side, p);
      } else {
        auto it = f.levels.begin();
        std::advance(it, static_cast<long>(rng() % f.levels.size()));
        f.remove(it->first);
      }
      if (step % 40 == 0) {
        INFO("run " << run << ", step " << step);
        f.check();
      }
    }
  }
}
