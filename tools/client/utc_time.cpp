#include "tools/client/utc_time.hpp"

#include <charconv>
#include <cstdio>

#include "engine/symbol.hpp"

namespace gpux {

namespace {

constexpr std::int64_t kNsPerSecond = 1'000'000'000;
constexpr std::int64_t kSecondsPerDay = 86'400;

// Floor division, so that times before the epoch still print as real calendar times.
std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - (a % b < 0 ? 1 : 0); }

struct CalendarTime {
  std::int64_t year;
  unsigned month, day;
  int hour, minute, second;
  std::int64_t ns;
};

CalendarTime calendar_time(Ts ts) {
  const std::int64_t seconds = floor_div(ts, kNsPerSecond);
  const std::int64_t days = floor_div(seconds, kSecondsPerDay);
  const std::int64_t of_day = seconds - days * kSecondsPerDay;
  CalendarTime t;
  civil_from_days(days, t.year, t.month, t.day);
  t.hour = static_cast<int>(of_day / 3600);
  t.minute = static_cast<int>(of_day / 60 % 60);
  t.second = static_cast<int>(of_day % 60);
  t.ns = ts - seconds * kNsPerSecond;
  return t;
}

// "YYYY-MM-DDTHH:MM:SS", which every form but the time of day starts with.
std::string date_and_seconds(const CalendarTime& t) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02d", static_cast<long long>(t.year), t.month, t.day,
                t.hour, t.minute, t.second);
  return buf;
}

std::string nine_digit_fraction(std::int64_t ns) {
  char buf[16];
  std::snprintf(buf, sizeof buf, ".%09lld", static_cast<long long>(ns));
  return buf;
}

bool parse_int(std::string_view s, std::int64_t& out) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size() && !s.empty();
}

}  // namespace

std::string utc_ns(Ts ts) {
  const CalendarTime t = calendar_time(ts);
  return date_and_seconds(t) + nine_digit_fraction(t.ns) + "Z";
}

std::string utc_seconds(Ts ts) { return date_and_seconds(calendar_time(ts)) + "Z"; }

std::string utc_compact(Ts ts) {
  const CalendarTime t = calendar_time(ts);
  std::string out = date_and_seconds(t);
  if (t.ns != 0) {
    out += nine_digit_fraction(t.ns);
    while (out.back() == '0') out.pop_back();
  }
  return out + "Z";
}

std::string utc_time_of_day(Ts ts) {
  const CalendarTime t = calendar_time(ts);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d:%02d:%02d.%03lld", t.hour, t.minute, t.second,
                static_cast<long long>(t.ns / 1'000'000));
  return buf;
}

bool parse_utc_time(std::string_view s, Ts now, Ts& out) {
  if (parse_int(s, out)) return true;
  // Words as people say them, in UTC: midnight starting the day.
  constexpr Ts kDay = 24 * kNsPerHour;
  const Ts midnight = now - ((now % kDay) + kDay) % kDay;
  if (s == "now") return out = now, true;
  if (s == "today") return out = midnight, true;
  if (s == "tomorrow") return out = midnight + kDay, true;
  if (s.size() >= 3 && s[0] == '+') {
    std::int64_t n = 0;
    if (!parse_int(s.substr(1, s.size() - 2), n) || n < 0) return false;
    const char unit = s.back();
    const std::int64_t scale = unit == 's'   ? kNsPerSecond
                               : unit == 'm' ? kNsPerMinute
                               : unit == 'h' ? kNsPerHour
                               : unit == 'd' ? 24 * kNsPerHour
                               : unit == 'w' ? 7 * 24 * kNsPerHour
                                             : 0;
    if (scale == 0) return false;
    out = now + n * scale;
    return true;
  }
  if (s.ends_with('Z')) s.remove_suffix(1);
  std::size_t pos = 0;
  const auto field = [&](std::size_t width, std::int64_t& v) {
    if (pos + width > s.size() || !parse_int(s.substr(pos, width), v)) return false;
    pos += width;
    return true;
  };
  const auto sep = [&](char c) {
    if (pos >= s.size() || s[pos] != c) return false;
    ++pos;
    return true;
  };
  std::int64_t y, mo, d, h, mi = 0, sec = 0, frac = 0;
  if (!field(4, y) || !sep('-') || !field(2, mo) || !sep('-') || !field(2, d) || !sep('T') || !field(2, h))
    return false;
  if (pos < s.size() && (!sep(':') || !field(2, mi))) return false;
  if (pos < s.size() && (!sep(':') || !field(2, sec))) return false;
  if (pos < s.size()) {
    if (!sep('.')) return false;
    const std::size_t digits = s.size() - pos;
    if (digits == 0 || digits > 9 || !field(digits, frac)) return false;
    for (std::size_t i = digits; i < 9; ++i) frac *= 10;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59) return false;
  const std::int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  std::int64_t check_y;
  unsigned check_m, check_d;
  civil_from_days(days, check_y, check_m, check_d);
  if (check_m != mo || check_d != d) return false;  // 2026-02-30 and the like
  out = ((days * 24 + h) * 60 + mi) * kNsPerMinute + sec * kNsPerSecond + frac;
  return true;
}

bool parse_hours(std::string_view s, std::int64_t& hours) {
  std::int64_t scale = 1;
  if (!s.empty() && (s.back() == 'h' || s.back() == 'd' || s.back() == 'w')) {
    scale = s.back() == 'h' ? 1 : s.back() == 'd' ? 24 : 7 * 24;
    s.remove_suffix(1);
  }
  std::int64_t n = 0;
  // At most about 11 years of hours: far past any catalog's horizon, far from overflow.
  if (!parse_int(s, n) || n <= 0 || n > 100'000 / scale) return false;
  hours = n * scale;
  return true;
}

}  // namespace gpux
