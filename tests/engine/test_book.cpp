// engine/book.hpp on its own: levels joined and vacated at random over prices far apart, so the
// directory grows up and down and pages come and go, against a plain map of the occupied levels.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <vector>

#include "engine/book.hpp"

using namespace gpux;

namespace {

constexpr Price kTick = 10;

// The book as the engine drives it (engine/matching.cpp): a level's count goes up on join and
// down to vacate, and pages go back at the end of a "command".
struct Driven {
  LevelPagePool pool;
  Book book;
  std::map<Price, std::uint32_t> counts[2];  // by side, price -> orders
  std::vector<std::int64_t> emptied_pages;

  Driven() { book.init(pool, kTick); }

  void join(Side s, Price p) {
    std::int64_t i;
    Level& l = book.join(s, p, i);
    ++l.count;
    ++counts[s == Side::buy ? 0 : 1][p];
  }
  void leave(Side s, Price p) {
    const std::int64_t i = book.index_of(p);
    Level& l = book.at(i);
    if (--l.count == 0 && book.vacate(s, i)) emptied_pages.push_back(book.page_of(i));
    auto& m = counts[s == Side::buy ? 0 : 1];
    if (--m[p] == 0) m.erase(p);
  }
  void end_command() {
    for (const std::int64_t n : emptied_pages) book.release_if_empty(n);
    emptied_pages.clear();
    if (book.empty()) book.clear();
  }

  // Walking the book from its best levels gives the map, and it holds exactly the pages its
  // levels need.
  void check() const {
    std::set<std::int64_t> pages;
    for (const Side s : {Side::buy, Side::sell}) {
      const auto& m = counts[s == Side::buy ? 0 : 1];
      std::vector<std::pair<Price, std::uint32_t>> walked;
      for (std::int64_t i = book.best(s); i >= 0; i = book.next_behind(s, i))
        walked.emplace_back(book.price_at(i), book.at(i).count);
      std::vector<std::pair<Price, std::uint32_t>> expected(m.begin(), m.end());
      if (s == Side::buy) std::reverse(expected.begin(), expected.end());
      REQUIRE(walked == expected);
      for (const auto& [p, n] : m) pages.insert(p / kTick / kLevelsPerPage);
    }
    REQUIRE(pool.in_use() == pages.size());
    if (book.empty()) REQUIRE(book.directory_pages() == 0);
  }
};

}  // namespace

TEST_CASE("book: random levels far apart, against a map", "[engine][book]") {
  std::mt19937_64 rng(11);
  // Bids around three prices, asks around two more, from 50 to 900,000 ticks: each far enough
  // from the others to make the directory grow, in either direction.
  const std::int64_t bid_centres[] = {50, 4000, 30000};
  const std::int64_t ask_centres[] = {60000, 900000};
  Driven d;
  std::vector<std::pair<Side, Price>> resting;
  for (int step = 0; step < 20000; ++step) {
    const int ops = 1 + static_cast<int>(rng() % 4);  // a "command" of a few joins and leaves
    for (int k = 0; k < ops; ++k) {
      if (!resting.empty() && rng() % 100 < 48 + resting.size() / 40) {
        const std::size_t at = rng() % resting.size();
        d.leave(resting[at].first, resting[at].second);
        resting[at] = resting.back();
        resting.pop_back();
      } else {
        const bool buy = rng() % 2;
        const std::int64_t centre = buy ? bid_centres[rng() % 3] : ask_centres[rng() % 2];
        const std::int64_t tick = std::max<std::int64_t>(1, centre + static_cast<std::int64_t>(rng() % 401) - 200);
        const Side s = buy ? Side::buy : Side::sell;
        d.join(s, tick * kTick);
        resting.emplace_back(s, tick * kTick);
      }
    }
    d.end_command();
    d.check();
  }
  // Empty at the end: every page back, the directory gone.
  for (const auto& [s, p] : resting) d.leave(s, p);
  d.end_command();
  d.check();
  CHECK(d.pool.in_use() == 0);
  CHECK(d.pool.spare() <= LevelPagePool::kMaxSpare);
}

TEST_CASE("book: a page stays until the end of the command, and a spare page comes back clean", "[engine][book]") {
  Driven d;
  d.join(Side::sell, 2050 * kTick);
  d.end_command();
  d.leave(Side::sell, 2050 * kTick);  // its page is empty now, but still held
  CHECK(d.pool.in_use() == 1);
  d.join(Side::buy, 2060 * kTick);  // the same page, taken again within the command
  d.end_command();
  CHECK(d.pool.in_use() == 1);
  d.leave(Side::buy, 2060 * kTick);
  d.end_command();
  CHECK(d.pool.in_use() == 0);
  CHECK(d.pool.spare() == 1);
  // The spare page is reused as it was given back: every level empty.
  d.join(Side::buy, 9999 * kTick);
  Level* l = d.book.find_any(9999 * kTick);
  REQUIRE(l != nullptr);
  for (std::int64_t t = 9984; t < 10048; ++t) {
    const Level* other = d.book.find_any(t * kTick);
    REQUIRE(other != nullptr);
    if (other == l) continue;
    CHECK((other->count == 0 && other->qty == 0 && other->head == kNil && other->tail == kNil && other->dirty == 0));
  }
}
