#include "tools/gpux/utc_time.hpp"

#include <cstdio>

#include "engine/symbol.hpp"

namespace gpux {

namespace {

constexpr std::int64_t kNsPerSecond = 1'000'000'000;
constexpr std::int64_t kSecondsPerDay = 86'400;

// Floor division, so that times before the epoch still print as real calendar times.
std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - (a % b < 0 ? 1 : 0); }

std::string format(Ts ts, bool with_ns) {
  const std::int64_t seconds = floor_div(ts, kNsPerSecond);
  const std::int64_t ns = ts - seconds * kNsPerSecond;
  const std::int64_t days = floor_div(seconds, kSecondsPerDay);
  const std::int64_t of_day = seconds - days * kSecondsPerDay;
  std::int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  char buf[48];
  const int h = static_cast<int>(of_day / 3600);
  const int mi = static_cast<int>(of_day / 60 % 60);
  const int s = static_cast<int>(of_day % 60);
  if (with_ns)
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02d.%09lldZ", static_cast<long long>(y), m, d, h, mi, s,
                  static_cast<long long>(ns));
  else
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02dZ", static_cast<long long>(y), m, d, h, mi, s);
  return buf;
}

}  // namespace

std::string utc_ns(Ts ts) { return format(ts, true); }
std::string utc_seconds(Ts ts) { return format(ts, false); }

}  // namespace gpux
