// What the random log generators (random_log*.cpp) share: time units, int64 limits and the
// arithmetic they write symbols and extreme quantities with. Private to those files.
#pragma once

#include <cstdint>
#include <limits>

namespace gpux::model::gen {

inline constexpr std::int64_t kSecNs = 1'000'000'000;
inline constexpr std::int64_t kMinNs = 60 * kSecNs;
inline constexpr std::int64_t kHourNs = 60 * kMinNs;
inline constexpr std::int64_t kI64Max = std::numeric_limits<std::int64_t>::max();
inline constexpr std::int64_t kI64Min = std::numeric_limits<std::int64_t>::min();

// a + b, clamped to int64 (the generator likes extreme quantities).
inline std::int64_t sat_add(std::int64_t a, std::int64_t b) {
  std::int64_t r;
  if (__builtin_add_overflow(a, b, &r)) return b > 0 ? kI64Max : kI64Min;
  return r;
}

inline std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

}  // namespace gpux::model::gen
