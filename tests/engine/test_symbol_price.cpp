// Unit tests of engine/symbol.hpp (docs/rules.md "What is traded": symbols and their canonical
// spelling), engine/price.hpp (docs/rules.md "What is traded", Units: prices as decimal strings
// of at most 4 decimals in $0.0001 units) and the product-id syntax of engine/catalog.hpp
// (docs/catalog.md "File format").
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <string>

#include "engine/catalog.hpp"
#include "engine/price.hpp"
#include "engine/symbol.hpp"

using namespace gpux;

namespace {

std::string fmt(Price p) {
  char buf[32];
  return std::string(buf, format_price(p, buf));
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Calendar

TEST_CASE("days_from_civil / civil_from_days: known dates", "[symbol]") {
  CHECK(days_from_civil(1970, 1, 1) == 0);
  CHECK(days_from_civil(1969, 12, 31) == -1);
  CHECK(days_from_civil(2026, 11, 21) == 20778);
  CHECK(days_from_civil(2026, 12, 1) == 20788);
  CHECK(days_from_civil(2028, 2, 29) == 21243);
  CHECK(days_from_civil(2000, 2, 29) == 11016);
  CHECK(days_from_civil(1600, 3, 1) == -135080);
  CHECK(days_from_civil(9999, 12, 31) == 2932896);
  CHECK(days_from_civil(1, 1, 1) == -719162);
  // 1795219200 s is 2026-11-21T00:00Z.
  CHECK(days_from_civil(2026, 11, 21) * 86400 == 1795219200);
}

TEST_CASE("days_from_civil and civil_from_days round-trip over 0001..9999", "[symbol]") {
  std::int64_t prev = days_from_civil(1, 1, 1) - 1;
  std::int64_t bad = 0, first_bad = 0;
  for (std::int64_t days = days_from_civil(1, 1, 1); days <= days_from_civil(9999, 12, 31); days += 3) {
    std::int64_t y;
    unsigned m, d;
    civil_from_days(days, y, m, d);
    if (days_from_civil(y, m, d) != days || m < 1 || m > 12 || d < 1 || d > 31 || days <= prev) {
      if (bad++ == 0) first_bad = days;
    }
    prev = days;
  }
  INFO("first bad day number: " << first_bad);
  CHECK(bad == 0);
}

// ---------------------------------------------------------------------------------------------
// parse_symbol / format_symbol

TEST_CASE("parse_symbol: canonical symbols", "[symbol]") {
  Symbol s{};
  REQUIRE(parse_symbol("H100.MEM1@2026-12-01T00Z+24h", s));
  CHECK(s.product == "H100.MEM1");
  CHECK(s.start_hour == 20788 * 24);
  CHECK(s.hours == 24);

  REQUIRE(parse_symbol("GB200.MEM1@2026-12-01T13Z+1h", s));
  CHECK(s.product == "GB200.MEM1");
  CHECK(s.start_hour == 20788 * 24 + 13);
  CHECK(s.hours == 1);

  REQUIRE(parse_symbol("X@2028-02-29T23Z+26280h", s));
  CHECK(s.product == "X");
  CHECK(s.start_hour == 21243 * 24 + 23);
  CHECK(s.hours == 26280);

  REQUIRE(parse_symbol("A.B.C9@2000-02-29T00Z+10h", s));
  CHECK(s.start_hour == 11016 * 24);

  // Syntax is fine for +0h: the window check (bad_window) is the engine's.
  REQUIRE(parse_symbol("H100.MEM1@2026-12-01T00Z+0h", s));
  CHECK(s.hours == 0);

  // Whether the product exists is the catalog's business.
  REQUIRE(parse_symbol("NOPE9@2026-12-01T00Z+24h", s));
  CHECK(s.product == "NOPE9");
}

TEST_CASE("parse_symbol: an absurdly long N saturates", "[symbol]") {
  Symbol s{};
  REQUIRE(parse_symbol("H100.MEM1@2026-12-01T00Z+123456789012345678901234567890h", s));
  CHECK(s.hours == std::numeric_limits<std::int64_t>::max());
  REQUIRE(parse_symbol("H100.MEM1@2026-12-01T00Z+9223372036854775807h", s));
  CHECK(s.hours == std::numeric_limits<std::int64_t>::max());
  REQUIRE(parse_symbol("H100.MEM1@2026-12-01T00Z+9223372036854775806h", s));
  CHECK(s.hours == std::numeric_limits<std::int64_t>::max() - 1);
}

TEST_CASE("parse_symbol: non-canonical or invalid spellings", "[symbol]") {
  const char* bad[] = {
      "H100.MEM1@2026-12-01T00Z+024h",   // leading zero in N
      "H100.MEM1@2026-12-01T00Z+00h",
      "H100.MEM1@2026-02-30T00Z+24h",    // not on the calendar
      "H100.MEM1@2026-02-29T00Z+24h",    // 2026 is not a leap year
      "H100.MEM1@2100-02-29T00Z+24h",    // 2100 is not a leap year
      "H100.MEM1@2026-04-31T00Z+24h",
      "H100.MEM1@2026-12-32T00Z+24h",
      "H100.MEM1@2026-12-00T00Z+24h",
      "H100.MEM1@2026-13-01T00Z+24h",
      "H100.MEM1@2026-00-01T00Z+24h",
      "H100.MEM1@2026-12-01T24Z+24h",    // T24
      "H100.MEM1@2026-12-01T99Z+24h",
      "H100.MEM1@2026-12-1T00Z+24h",
      "H100.MEM1@2026-1-01T00Z+24h",
      "H100.MEM1@226-12-01T00Z+24h",
      "H100.MEM1@+2026-12-01T00Z+24h",
      "H100.MEM1@2026-12-01T0Z+24h",
      "H100.MEM1@2026-12-01T00:00Z+24h",
      "H100.MEM1@2026-12-01 00Z+24h",
      "H100.MEM1@2026-12-01t00Z+24h",
      "H100.MEM1@2026-12-01T00z+24h",
      "H100.MEM1@2026-12-01T00+24h",
      "H100.MEM1@2026-12-01T00Z24h",
      "H100.MEM1@2026-12-01T00Z-24h",
      "H100.MEM1@2026-12-01T00Z++24h",
      "H100.MEM1@2026-12-01T00Z+-24h",
      "H100.MEM1@2026-12-01T00Z+ 24h",
      "H100.MEM1@2026-12-01T00Z+24",
      "H100.MEM1@2026-12-01T00Z+24H",
      "H100.MEM1@2026-12-01T00Z+24hh",
      "H100.MEM1@2026-12-01T00Z+24h ",
      "H100.MEM1@2026-12-01T00Z+h",
      "H100.MEM1@2026-12-01T00Z+2a4h",
      "H100.MEM1@2026-12-01T00Z+1.5h",
      "H100.MEM1@2O26-12-01T00Z+24h",    // letter O
      "h100.mem1@2026-12-01T00Z+24h",    // lower-case product
      "H100.Mem1@2026-12-01T00Z+24h",
      "H100..MEM1@2026-12-01T00Z+24h",
      ".H100@2026-12-01T00Z+24h",
      "H100.@2026-12-01T00Z+24h",
      "H100-MEM1@2026-12-01T00Z+24h",
      "H100 MEM1@2026-12-01T00Z+24h",
      " H100.MEM1@2026-12-01T00Z+24h",
      "@2026-12-01T00Z+24h",
      "H100.MEM1@@2026-12-01T00Z+24h",
      "H100.MEM1",
      "H100.MEM1@",
      "",
      "@",
      "+24h",
  };
  for (const char* text : bad) {
    INFO("symbol: '" << text << "'");
    Symbol s{};
    CHECK_FALSE(parse_symbol(text, s));
  }
}

TEST_CASE("parse_symbol: a product id over 32 characters is not a symbol", "[symbol]") {
  Symbol s{};
  const std::string p32(32, 'A'), p33(33, 'A');
  CHECK(parse_symbol(p32 + "@2026-12-01T00Z+24h", s));
  CHECK_FALSE(parse_symbol(p33 + "@2026-12-01T00Z+24h", s));
}

TEST_CASE("format_symbol writes the canonical spelling and round-trips", "[symbol]") {
  CHECK(format_symbol("H100.MEM1", 20788 * 24, 24) == "H100.MEM1@2026-12-01T00Z+24h");
  CHECK(format_symbol("GB200.MEM1", 20788 * 24 + 13, 1) == "GB200.MEM1@2026-12-01T13Z+1h");
  CHECK(format_symbol("X", 21243 * 24 + 23, 26280) == "X@2028-02-29T23Z+26280h");
  CHECK(format_symbol("X", 0, 5) == "X@1970-01-01T00Z+5h");
  for (std::int64_t h = 20000 * 24; h < 20000 * 24 + 24 * 800; h += 7) {
    const std::string text = format_symbol("B200.DAL1", h, 1 + h % 26280);
    Symbol s{};
    INFO(text);
    REQUIRE(parse_symbol(text, s));
    CHECK(s.product == "B200.DAL1");
    CHECK(s.start_hour == h);
    CHECK(s.hours == 1 + h % 26280);
  }
}

// ---------------------------------------------------------------------------------------------
// Product ids

TEST_CASE("valid_product_id: dot-separated segments of A-Z and 0-9, at most 32 characters", "[symbol][catalog]") {
  for (const char* ok : {"H100.MEM1", "A", "9", "GB200.MEM1", "A.B.C", "MI300X.PHX1"}) {
    INFO(ok);
    CHECK(valid_product_id(ok));
  }
  CHECK(valid_product_id(std::string(32, 'Q')));
  for (const char* bad : {"", ".", "A.", ".A", "A..B", "h100", "H100-MEM1", "H100 MEM1", "H100_MEM1", "É"}) {
    INFO(bad);
    CHECK_FALSE(valid_product_id(bad));
  }
  CHECK_FALSE(valid_product_id(std::string(33, 'Q')));
}

// The built-in catalog of docs/catalog.md "The built-in catalog" (the test's name, kept so that
// test selections stay valid, still says SPEC §1).
TEST_CASE("Catalog::builtin matches SPEC §1", "[catalog]") {
  const Catalog c = Catalog::builtin();
  struct Row {
    const char* id;
    Qty lot;
    Price ref;
  };
  const Row rows[] = {{"H100.MEM1", 8, 21000}, {"H200.MEM1", 8, 30000}, {"GB200.MEM1", 72, 45000},
                      {"H100.IAD1", 8, 22000}, {"B200.DAL1", 8, 38000}, {"MI300X.PHX1", 8, 19000}};
  REQUIRE(c.products().size() == 6);
  for (const Row& r : rows) {
    INFO(r.id);
    const std::int32_t i = c.find(r.id);
    REQUIRE(i >= 0);
    const Product& p = c.products()[static_cast<std::size_t>(i)];
    CHECK(p.lot == r.lot);
    CHECK(p.ref_price == r.ref);
    CHECK(p.tick == 10);
    CHECK(p.band_pct == 50);
    CHECK(p.max_qty == 262144);
    CHECK(p.max_hours == 26280);
    CHECK(p.gate_minutes == 5);
    CHECK(p.horizon_hours == 26280);
  }
  CHECK(c.find("H100.mem1") < 0);
  CHECK(c.find("NOPE") < 0);
}

// ---------------------------------------------------------------------------------------------
// Prices

TEST_CASE("parse_price: optional minus, digits, up to 4 decimals, in $0.0001 units", "[price]") {
  struct Case {
    const char* text;
    Price value;
  };
  const Case cases[] = {
      {"2.15", 21500},    {"2.1500", 21500}, {"2", 20000},       {"0", 0},
      {"0.0001", 1},      {"0.001", 10},     {"02.1", 21000},    {"-1.5", -15000},
      {"-0", 0},          {"-0.0001", -1},   {"3.1", 31000},     {"123456.7891", 1234567891},
      {"0000000000000000000000001.0", 10000},
      {"922337203685477.5807", std::numeric_limits<Price>::max()},
      {"-922337203685477.5808", std::numeric_limits<Price>::min()},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    Price p = -42;
    REQUIRE(parse_price(c.text, p));
    CHECK(p == c.value);
  }
}

TEST_CASE("parse_price: every other spelling, and values outside int64, fail", "[price]") {
  const char* bad[] = {
      "",    "-",     ".",      "2.",     ".5",      "-.5",     "2.12345", "2.00000", "+2",
      "2,1", " 2",    "2 ",     "1e3",    "1E3",     "abc",     "2.1.1",   "--1",     "0x10",
      "2.a", "2.-1",  "- 2",    "2-",     "$2",      "½",       "２",      "922337203685477.5808",
      "-922337203685477.5809",  "99999999999999999999", "-99999999999999999999",
  };
  for (const char* text : bad) {
    INFO("price: '" << text << "'");
    Price p = 0;
    CHECK_FALSE(parse_price(text, p));
  }
}

TEST_CASE("format_price: exactly 4 decimals", "[price]") {
  CHECK(fmt(21500) == "2.1500");
  CHECK(fmt(0) == "0.0000");
  CHECK(fmt(1) == "0.0001");
  CHECK(fmt(10) == "0.0010");
  CHECK(fmt(10000) == "1.0000");
  CHECK(fmt(31500) == "3.1500");
  CHECK(fmt(-15000) == "-1.5000");
  CHECK(fmt(-1) == "-0.0001");
  CHECK(fmt(1234567891) == "123456.7891");
  CHECK(fmt(std::numeric_limits<Price>::max()) == "922337203685477.5807");
  CHECK(fmt(std::numeric_limits<Price>::min()) == "-922337203685477.5808");
}

TEST_CASE("format_price and parse_price round-trip", "[price]") {
  for (Price p : {Price{0}, Price{1}, Price{-1}, Price{9999}, Price{10000}, Price{10001}, Price{-10001},
                  Price{21000}, std::numeric_limits<Price>::max(), std::numeric_limits<Price>::min()}) {
    Price q = 0;
    INFO(p);
    REQUIRE(parse_price(fmt(p), q));
    CHECK(q == p);
  }
  for (Price p = -200000; p <= 200000; p += 37) {
    Price q = 0;
    REQUIRE(parse_price(fmt(p), q));
    REQUIRE(q == p);
  }
}
