#include "engine/price.hpp"

#include <limits>

namespace gpux {

bool parse_price(std::string_view s, Price& out) {
  std::size_t i = 0;
  const bool negative = !s.empty() && s[0] == '-';
  if (negative) ++i;
  const std::size_t int_start = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  const std::size_t int_len = i - int_start;
  if (int_len == 0) return false;
  std::size_t frac_len = 0;
  if (i < s.size()) {
    if (s[i] != '.') return false;
    ++i;
    const std::size_t frac_start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    frac_len = i - frac_start;
    if (i != s.size() || frac_len < 1 || frac_len > 4) return false;
  }
  // Accumulate as a negative number so INT64_MIN's magnitude would fit; reject overflow.
  constexpr std::int64_t min = std::numeric_limits<std::int64_t>::min();
  std::int64_t v = 0;
  auto push = [&](int digit) {
    if (v < (min + digit) / 10) return false;
    v = v * 10 - digit;
    return true;
  };
  for (std::size_t k = int_start; k < int_start + int_len; ++k)
    if (!push(s[k] - '0')) return false;
  const std::size_t frac_start = int_start + int_len + 1;
  for (std::size_t k = 0; k < 4; ++k) {
    const int digit = k < frac_len ? s[frac_start + k] - '0' : 0;
    if (!push(digit)) return false;
  }
  if (!negative) {
    if (v == min) return false;
    v = -v;
  }
  out = v;
  return true;
}

std::size_t format_money(I128 units, char* buf) {
  std::size_t n = 0;
  U128 mag = static_cast<U128>(units);
  if (units < 0) {
    buf[n++] = '-';
    mag = static_cast<U128>(-(units + 1)) + 1;
  }
  char tmp[kMoneyChars];
  std::size_t t = 0;
  do {
    tmp[t++] = static_cast<char>('0' + static_cast<int>(mag % 10));
    mag /= 10;
  } while (mag != 0);
  while (t < 5) tmp[t++] = '0';  // at least "0.0000"
  for (std::size_t i = t; i > 0; --i) {
    buf[n++] = tmp[i - 1];
    if (i == 5) buf[n++] = '.';
  }
  return n;
}

std::size_t format_price(Price p, char* buf) {
  std::size_t n = 0;
  std::uint64_t mag;
  if (p < 0) {
    buf[n++] = '-';
    mag = static_cast<std::uint64_t>(-(p + 1)) + 1;
  } else {
    mag = static_cast<std::uint64_t>(p);
  }
  const std::uint64_t whole = mag / 10000;
  std::uint64_t frac = mag % 10000;
  char tmp[24];
  std::size_t t = 0;
  std::uint64_t w = whole;
  do {
    tmp[t++] = static_cast<char>('0' + w % 10);
    w /= 10;
  } while (w != 0);
  while (t > 0) buf[n++] = tmp[--t];
  buf[n++] = '.';
  for (int k = 3; k >= 0; --k) {
    buf[n + static_cast<std::size_t>(k)] = static_cast<char>('0' + frac % 10);
    frac /= 10;
  }
  return n + 4;
}

}  // namespace gpux
