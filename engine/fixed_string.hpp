// A bounded inline string: commands and events carry their text by value so they can
// cross lock-free rings and live in pools without owning heap memory.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace gpux {

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
  friend bool operator==(const FixedString& a, const FixedString& b) { return a.view() == b.view(); }
};

}  // namespace gpux
