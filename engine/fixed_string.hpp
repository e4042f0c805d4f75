// A bounded inline string: commands and events carry their text by value so they can
// cross lock-free rings and live in pools without owning heap memory.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace gpux {

// Equality of two short texts (names, symbols, cl_ids: at most 64 bytes) with inline 8- and
// 4-byte loads. string_view's == calls memcmp through the PLT, and the name lookups every
// command makes spent ~8% of the mixed workload there.
inline bool same_text(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  const char* p = a.data();
  const char* q = b.data();
  auto word = [](const char* s) {
    std::uint64_t v;
    std::memcpy(&v, s, 8);
    return v;
  };
  auto half = [](const char* s) {
    std::uint32_t v;
    std::memcpy(&v, s, 4);
    return v;
  };
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 <= n; i += 8)
      if (word(p + i) != word(q + i)) return false;
    return word(p + n - 8) == word(q + n - 8);  // the tail, overlapping what was compared
  }
  if (n >= 4) return half(p) == half(q) && half(p + n - 4) == half(q + n - 4);
  for (std::size_t i = 0; i < n; ++i)
    if (p[i] != q[i]) return false;
  return true;
}

template <std::size_t N>
struct alignas(8) FixedString {
  static_assert(N < 256);
  std::uint8_t len;
  // Aligned and padded to 8 bytes: a copy is then a few 8- and 16-byte moves. Unaligned (a
  // cl_id at an odd offset of Command), GCC 12 copied it with `rep movs`, ~30 cycles to start:
  // two such copies were 44% of on_new's samples in the add-only profile.
  char data[(N + 1 + 7) / 8 * 8 - 1];

  static constexpr std::size_t capacity = N;

  // False (and the string left empty) when `s` does not fit.
  bool assign(std::string_view s) {
    if (s.size() > N) {
      len = 0;
      return false;
    }
    len = static_cast<std::uint8_t>(s.size());
    if (!s.empty()) std::memcpy(data, s.data(), s.size());  // an empty view may hold nullptr
    return true;
  }
  std::string_view view() const { return {data, len}; }
  bool empty() const { return len == 0; }
  friend bool operator==(const FixedString& a, const FixedString& b) { return same_text(a.view(), b.view()); }
};

}  // namespace gpux
