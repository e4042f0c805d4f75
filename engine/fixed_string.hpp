// A bounded inline string: commands and events carry their text by value so they can
// cross lock-free rings and live in pools without owning heap memory.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace gpux {

template <std::size_t N>
struct FixedString {
  static_assert(N < 256);
  std::uint8_t len;
  // Padded to a multiple of 8 bytes: a copy is then a few fixed-size moves, where GCC 12 copies
  // the 37 bytes of a cl_id with `rep movsb` (about 30 cycles to start; 35% of on_new's time
  // in the add-only profile).
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
