// Which price levels of one side are occupied: a two-level bitmap, so the next occupied level
// is a couple of count-zero instructions away even when the book is sparse. Word w covers
// levels [64w, 64w + 64): exactly one page of a Book (engine/level_pages.hpp), so a page is
// free when its word on both sides is zero.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <vector>

namespace gpux {

class LevelBitmap {
 public:
  // Now `words` words long, the old word w now word w + shift (the new words are clear).
  // Keeps the vectors' capacity, so a book reused at a similar size allocates nothing.
  void recenter(std::size_t words, std::size_t shift) {
    const std::size_t old = words_.size();
    words_.resize(words, 0);
    std::move_backward(words_.begin(), words_.begin() + static_cast<std::ptrdiff_t>(old),
                       words_.begin() + static_cast<std::ptrdiff_t>(old + shift));
    std::fill(words_.begin(), words_.begin() + static_cast<std::ptrdiff_t>(std::min(shift, words)), 0);
    summary_.assign((words + 63) / 64, 0);
    for (std::size_t w = 0; w < words; ++w)
      if (words_[w] != 0) summary_[w >> 6] |= std::uint64_t{1} << (w & 63);
  }
  void reserve(std::size_t words) {
    words_.reserve(words);
    summary_.reserve((words + 63) / 64);
  }
  // No words at all; the capacity stays.
  void clear() {
    words_.clear();
    summary_.clear();
  }

  std::uint64_t word(std::size_t w) const { return words_[w]; }

  void set(std::int64_t i) {
    const auto w = static_cast<std::size_t>(i >> 6);
    words_[w] |= std::uint64_t{1} << (i & 63);
    summary_[w >> 6] |= std::uint64_t{1} << (w & 63);
  }
  void reset(std::int64_t i) {
    const auto w = static_cast<std::size_t>(i >> 6);
    words_[w] &= ~(std::uint64_t{1} << (i & 63));
    if (words_[w] == 0) summary_[w >> 6] &= ~(std::uint64_t{1} << (w & 63));
  }

  // Lowest set bit >= i, or -1.
  std::int64_t next(std::int64_t i) const {
    if (i < 0) i = 0;
    auto w = static_cast<std::size_t>(i >> 6);
    if (w >= words_.size()) return -1;
    const std::uint64_t here = words_[w] & (~std::uint64_t{0} << (i & 63));
    if (here) return static_cast<std::int64_t>(w * 64 + std::countr_zero(here));
    // Next non-empty word after w, through the summary.
    std::size_t s = (w + 1) >> 6;
    if (s >= summary_.size()) return -1;
    std::uint64_t bits = (w + 1) & 63 ? summary_[s] & (~std::uint64_t{0} << ((w + 1) & 63)) : summary_[s];
    while (bits == 0) {
      if (++s >= summary_.size()) return -1;
      bits = summary_[s];
    }
    w = s * 64 + static_cast<std::size_t>(std::countr_zero(bits));
    return static_cast<std::int64_t>(w * 64 + std::countr_zero(words_[w]));
  }

  // Highest set bit <= i, or -1.
  std::int64_t prev(std::int64_t i) const {
    if (i < 0) return -1;
    auto w = static_cast<std::size_t>(i >> 6);
    if (w >= words_.size()) {
      w = words_.size() - 1;
      i = static_cast<std::int64_t>(w * 64 + 63);
    }
    const int shift = 63 - static_cast<int>(i & 63);
    const std::uint64_t here = words_[w] & (~std::uint64_t{0} >> shift);
    if (here) return static_cast<std::int64_t>(w * 64 + 63 - std::countl_zero(here));
    if (w == 0) return -1;
    std::size_t below = w - 1;  // highest candidate word
    std::size_t s = below >> 6;
    std::uint64_t bits = summary_[s] & (~std::uint64_t{0} >> (63 - (below & 63)));
    while (bits == 0) {
      if (s == 0) return -1;
      bits = summary_[--s];
    }
    w = s * 64 + 63 - static_cast<std::size_t>(std::countl_zero(bits));
    return static_cast<std::int64_t>(w * 64 + 63 - std::countl_zero(words_[w]));
  }

 private:
  std::vector<std::uint64_t> words_;
  std::vector<std::uint64_t> summary_;
};

}  // namespace gpux
