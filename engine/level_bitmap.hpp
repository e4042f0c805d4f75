// Which price levels of one side are occupied: a two-level bitmap, so the next occupied level
// is a couple of count-zero instructions away even when the book is sparse.
#pragma once

#include <bit>
#include <cstdint>
#include <vector>

namespace gpux {

class LevelBitmap {
 public:
  void resize(std::int64_t bits) {
    words_.assign(static_cast<std::size_t>((bits + 63) / 64), 0);
    summary_.assign((words_.size() + 63) / 64, 0);
  }
  void clear_all() {
    std::fill(words_.begin(), words_.end(), 0);
    std::fill(summary_.begin(), summary_.end(), 0);
  }

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
