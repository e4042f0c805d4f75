#include "engine/symbol.hpp"

#include <algorithm>
#include <cstring>
#include <limits>

#include "engine/catalog.hpp"

namespace gpux {

namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n, std::int64_t& value) {
  value = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    char c = s[i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  return true;
}

bool leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(std::int64_t y, std::int64_t m) {
  static constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : days[m - 1];
}

}  // namespace

// Howard Hinnant's civil-calendar algorithms (public domain), restated.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
}

bool parse_symbol(std::string_view text, Symbol& out) {
  const std::size_t at = text.find('@');
  if (at == std::string_view::npos) return false;
  const std::string_view product = text.substr(0, at);
  const std::string_view rest = text.substr(at + 1);
  // "YYYY-MM-DDTHHZ+" is 15 characters, then N, then 'h'.
  if (rest.size() < 17 || rest[4] != '-' || rest[7] != '-' || rest[10] != 'T' ||
      rest[13] != 'Z' || rest[14] != '+' || rest.back() != 'h')
    return false;
  if (!valid_product_id(product)) return false;
  std::int64_t y, mo, d, h;
  if (!digits(rest, 0, 4, y) || !digits(rest, 5, 2, mo) || !digits(rest, 8, 2, d) ||
      !digits(rest, 11, 2, h))
    return false;
  if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23) return false;
  const std::string_view n = rest.substr(15, rest.size() - 16);
  if (n.empty() || (n.size() > 1 && n[0] == '0')) return false;
  std::int64_t hours = 0;
  for (char c : n) {
    if (c < '0' || c > '9') return false;
    const std::int64_t digit = c - '0';
    if (hours > (std::numeric_limits<std::int64_t>::max() - digit) / 10)
      hours = std::numeric_limits<std::int64_t>::max();
    else
      hours = hours * 10 + digit;
  }
  out.product = product;
  out.start_hour = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 24 + h;
  out.hours = hours;
  return true;
}

// By hand rather than with snprintf: the engine names every rectangle a sweep trades with it,
// and snprintf's format parsing was a tenth of a sweep's time.
void format_symbol(std::string_view product, std::int64_t start_hour, std::int64_t hours,
                   FixedString<kMaxSymbolLen>& out) {
  std::int64_t days = start_hour >= 0 ? start_hour / 24 : (start_hour - 23) / 24;
  const std::int64_t hour = start_hour - days * 24;
  std::int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  char buf[kMaxSymbolLen + 48];
  char* p = buf;
  const std::size_t at = std::min(product.size(), kMaxSymbolLen);
  std::memcpy(p, product.data(), at);
  p += at;
  // Fixed width, zero padded (at least `width` digits; a year past 9999 takes more).
  auto put = [&p](std::int64_t v, int width) {
    char digits[24];
    int n = 0;
    const bool negative = v < 0;
    std::uint64_t u = negative ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
    do {
      digits[n++] = static_cast<char>('0' + u % 10);
      u /= 10;
    } while (u != 0);
    while (n < width) digits[n++] = '0';
    if (negative) *p++ = '-';
    while (n > 0) *p++ = digits[--n];
  };
  *p++ = '@';
  put(y, 4);
  *p++ = '-';
  put(m, 2);
  *p++ = '-';
  put(d, 2);
  *p++ = 'T';
  put(hour, 2);
  *p++ = 'Z';
  *p++ = '+';
  put(hours, 1);
  *p++ = 'h';
  out.assign(std::string_view(buf, std::min(static_cast<std::size_t>(p - buf), kMaxSymbolLen)));
}

std::string format_symbol(std::string_view product, std::int64_t start_hour, std::int64_t hours) {
  FixedString<kMaxSymbolLen> s;
  format_symbol(product, start_hour, hours, s);
  return std::string(s.view());
}

}  // namespace gpux
