// Unit tests of engine/level_bitmap.hpp: next() and prev() against a std::set of the set bits,
// at every position, for sizes around the word (64) and summary (64 * 64) boundaries, where
// the two levels of the bitmap hand over to each other.
#include <catch2/catch.hpp>

#include <cstdint>
#include <iterator>
#include <random>
#include <set>
#include <vector>

#include "engine/level_bitmap.hpp"

using namespace gpux;

namespace {

// A bitmap of `size` levels is one word per 64 of them (a Book's pages).
std::size_t words_for(std::int64_t size) { return static_cast<std::size_t>((size + 63) / 64); }

// Lowest element >= i, or -1 (what next(i) must answer; below 0 counts from 0).
std::int64_t oracle_next(const std::set<std::int64_t>& s, std::int64_t i) {
  const auto it = s.lower_bound(i);
  return it == s.end() ? -1 : *it;
}

// Highest element <= i, or -1.
std::int64_t oracle_prev(const std::set<std::int64_t>& s, std::int64_t i) {
  auto it = s.upper_bound(i);
  if (it == s.begin()) return -1;
  return *std::prev(it);
}

// Checks next() and prev() at every position of the bitmap and a little beyond both ends;
// returns the number of wrong answers (and INFOs the first).
int check_all(const LevelBitmap& b, const std::set<std::int64_t>& s, std::int64_t size) {
  int wrong = 0;
  for (std::int64_t i = -3; i < size + 70; ++i) {
    const std::int64_t n = b.next(i), p = b.prev(i);
    const std::int64_t en = oracle_next(s, i), ep = oracle_prev(s, i);
    if (n != en || p != ep) {
      if (wrong == 0) {
        INFO("size " << size << ", i " << i << ": next " << n << " (want " << en << "), prev " << p << " (want "
                     << ep << ")");
        CHECK(false);
      }
      ++wrong;
    }
  }
  return wrong;
}

// Bit positions that sit on word and summary edges of a bitmap of `size` bits.
std::vector<std::int64_t> edges(std::int64_t size) {
  std::vector<std::int64_t> out;
  for (std::int64_t w : {std::int64_t{0}, std::int64_t{64}, std::int64_t{64 * 64}, std::int64_t{2 * 64 * 64}})
    for (std::int64_t d = -2; d <= 2; ++d)
      if (w + d >= 0 && w + d < size) out.push_back(w + d);
  for (std::int64_t d = 1; d <= 3; ++d)
    if (size - d >= 0) out.push_back(size - d);
  return out;
}

}  // namespace

TEST_CASE("LevelBitmap: an empty bitmap has no next and no prev", "[engine][level_bitmap]") {
  for (const std::int64_t size : {1, 63, 64, 65, 4096, 4097}) {
    LevelBitmap b;
    b.recenter(words_for(size), 0);
    CHECK(check_all(b, {}, size) == 0);
  }
}

TEST_CASE("LevelBitmap: single bits at word and summary boundaries", "[engine][level_bitmap]") {
  for (const std::int64_t size : {1, 2, 63, 64, 65, 127, 128, 129, 4095, 4096, 4097, 8193}) {
    for (const std::int64_t bit : edges(size)) {
      LevelBitmap b;
      b.recenter(words_for(size), 0);
      b.set(bit);
      INFO("size " << size << ", bit " << bit);
      CHECK(b.next(0) == bit);
      CHECK(b.next(bit) == bit);
      CHECK(b.next(bit + 1) == -1);
      CHECK(b.prev(size - 1) == bit);
      CHECK(b.prev(bit) == bit);
      CHECK(b.prev(bit - 1) == -1);
      b.reset(bit);
      CHECK(b.next(0) == -1);
      CHECK(b.prev(size - 1) == -1);
    }
  }
}

TEST_CASE("LevelBitmap: two bits far apart are found across empty words and summaries", "[engine][level_bitmap]") {
  const std::int64_t size = 3 * 64 * 64 + 5;
  LevelBitmap b;
  b.recenter(words_for(size), 0);
  std::set<std::int64_t> s;
  for (const std::int64_t bit : {std::int64_t{3}, size - 2}) {
    b.set(bit);
    s.insert(bit);
  }
  CHECK(check_all(b, s, size) == 0);
  // Emptying a word must clear its summary bit, or next() would stop at an empty word.
  b.reset(3);
  s.erase(3);
  CHECK(check_all(b, s, size) == 0);
  // A bit set twice is one bit; resetting it once empties it.
  b.set(64 * 64);
  b.set(64 * 64);
  b.reset(64 * 64);
  CHECK(check_all(b, s, size) == 0);
}

TEST_CASE("LevelBitmap: random sets and resets agree with a std::set", "[engine][level_bitmap]") {
  std::mt19937_64 rng(20261121);
  for (const std::int64_t size : {64, 65, 200, 4096, 4161, 12345}) {
    LevelBitmap b;
    b.recenter(words_for(size), 0);
    std::set<std::int64_t> s;
    const std::vector<std::int64_t> edge = edges(size);
    for (int round = 0; round < 6; ++round) {
      // Dense or sparse, with a bias to the edges where the bitmap's two levels meet.
      const int ops = round % 2 == 0 ? 40 : static_cast<int>(size);
      for (int k = 0; k < ops; ++k) {
        const std::int64_t bit = rng() % 3 == 0 ? edge[rng() % edge.size()]
                                                : static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(size));
        if (rng() % 3 == 0) {
          b.reset(bit);
          s.erase(bit);
        } else {
          b.set(bit);
          s.insert(bit);
        }
      }
      INFO("size " << size << ", round " << round << ", " << s.size() << " bits set");
      REQUIRE(check_all(b, s, size) == 0);
    }
    b.clear();
    b.recenter(words_for(size), 0);
    s.clear();
    CHECK(check_all(b, s, size) == 0);
  }
}

TEST_CASE("LevelBitmap: clear empties the bitmap, and growing keeps the bits", "[engine][level_bitmap]") {
  LevelBitmap b;
  b.recenter(words_for(100), 0);
  b.set(10);
  b.set(99);
  b.recenter(words_for(5000), 0);  // grown in place: the bits stay where they were
  CHECK(b.next(0) == 10);
  CHECK(b.prev(4999) == 99);
  b.clear();
  b.recenter(words_for(5000), 0);
  CHECK(b.next(0) == -1);
  CHECK(b.prev(4999) == -1);
  b.set(4999);
  CHECK(b.next(0) == 4999);
  CHECK(b.prev(100000) == 4999);
}

TEST_CASE("LevelBitmap: recenter moves every bit by whole words and keeps next and prev right", "[engine][level_bitmap]") {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 50; ++round) {
    const std::size_t words = 1 + rng() % 80;
    const std::size_t shift = rng() % 40;
    LevelBitmap b;
    b.recenter(words, 0);
    std::set<std::int64_t> s;
    for (int k = 0; k < 30; ++k) {
      const auto bit = static_cast<std::int64_t>(rng() % (words * 64));
      b.set(bit);
      s.insert(bit);
    }
    b.recenter(words + shift, shift);
    std::set<std::int64_t> moved;
    for (const std::int64_t bit : s) moved.insert(bit + static_cast<std::int64_t>(shift) * 64);
    INFO("words " << words << ", shift " << shift);
    REQUIRE(check_all(b, moved, static_cast<std::int64_t>((words + shift) * 64)) == 0);
  }
}
