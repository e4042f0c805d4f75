// Times as people say them (tools/client/utc_time.hpp): the words, the relative forms with
// their units, ISO 8601 in UTC, and lengths of time in hours.
#include <catch2/catch.hpp>

#include "tools/client/utc_time.hpp"

using namespace gpux;

namespace {
constexpr Ts kHour = 3'600'000'000'000;
constexpr Ts kDay = 24 * kHour;
// 2026-12-04T10:30:00Z
constexpr Ts kNow = 1'796'378'400'000'000'000 + 30 * 60'000'000'000LL;
}  // namespace

TEST_CASE("utc time: words, relative times and ISO 8601, all in UTC", "[utc_time]") {
  Ts t = 0;
  REQUIRE(parse_utc_time("2026-12-04T10Z", kNow, t));
  CHECK(t == kNow - 30 * 60'000'000'000LL);
  REQUIRE(parse_utc_time("now", kNow, t));
  CHECK(t == kNow);
  REQUIRE(parse_utc_time("today", kNow, t));
  CHECK(utc_seconds(t) == "2026-12-04T00:00:00Z");
  REQUIRE(parse_utc_time("tomorrow", kNow, t));
  CHECK(utc_seconds(t) == "2026-12-05T00:00:00Z");
  REQUIRE(parse_utc_time("+6h", kNow, t));
  CHECK(t == kNow + 6 * kHour);
  REQUIRE(parse_utc_time("+2w", kNow, t));
  CHECK(t == kNow + 14 * kDay);
  REQUIRE(parse_utc_time("+30m", kNow, t));
  CHECK(t == kNow + 30 * 60'000'000'000LL);
  for (const char* bad : {"Tomorrow", "yesterday", "+6", "+6y", "+-1h", "2026-02-30T00Z", "2026-12-04", ""})
    CHECK_FALSE(parse_utc_time(bad, kNow, t));
}

TEST_CASE("utc time: lengths in hours, days and weeks", "[utc_time]") {
  std::int64_t h = 0;
  REQUIRE(parse_hours("720", h));
  CHECK(h == 720);
  REQUIRE(parse_hours("720h", h));
  CHECK(h == 720);
  REQUIRE(parse_hours("30d", h));
  CHECK(h == 720);
  REQUIRE(parse_hours("2w", h));
  CHECK(h == 336);
  for (const char* bad : {"0", "0d", "-1d", "1.5d", "d", "", "30days", "1000000w", "100001"})
    CHECK_FALSE(parse_hours(bad, h));
}
