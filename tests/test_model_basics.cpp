// The reference model's own building blocks (tests/model/), against docs/rules.md by hand: its
// price and symbol parsing, and a market worked out on paper. The differential test
// (test_differential.cpp) trusts the model only as far as these and its simplicity go.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/catalog.hpp"
#include "tests/model/model.hpp"
#include "tools/orderlog/command_parser.hpp"

namespace {
using nlohmann::json;
using gpux::model::Model;
}  // namespace

TEST_CASE("model: prices", "[differential][model]") {
  using gpux::model::format_price;
  using gpux::model::parse_price;
  CHECK(parse_price("2.15") == 21500);
  CHECK(parse_price("2") == 20000);
  CHECK(parse_price("002.1000") == 21000);
  CHECK(parse_price("-0.0001") == -1);
  CHECK(parse_price("922337203685477.5807") == INT64_MAX);
  CHECK(parse_price("-922337203685477.5808") == INT64_MIN);
  CHECK_FALSE(parse_price("922337203685477.5808"));
  CHECK_FALSE(parse_price("2."));
  CHECK_FALSE(parse_price(".5"));
  CHECK_FALSE(parse_price("+2"));
  CHECK_FALSE(parse_price("2.12345"));
  CHECK_FALSE(parse_price(""));
  CHECK_FALSE(parse_price("-"));
  CHECK(format_price(21500) == "2.1500");
  CHECK(format_price(1) == "0.0001");
  CHECK(format_price(0) == "0.0000");
}

TEST_CASE("model: symbols", "[differential][model]") {
  using gpux::model::parse_symbol;
  auto s = parse_symbol("H100.MEM1@2026-12-01T00Z+24h");
  REQUIRE(s);
  CHECK(s->product == "H100.MEM1");
  CHECK(s->hours == 24);
  CHECK(s->start_ns == gpux::model::Wide(1796083200) * 1'000'000'000);
  CHECK(parse_symbol("X@2028-02-29T23Z+1h"));
  CHECK(parse_symbol("X@2026-12-01T00Z+0h"));  // a symbol; bad_window later
  CHECK_FALSE(parse_symbol("X@2027-02-29T00Z+1h"));
  CHECK_FALSE(parse_symbol("X@2026-02-30T00Z+1h"));
  CHECK_FALSE(parse_symbol("X@2026-12-01T24Z+1h"));
  CHECK_FALSE(parse_symbol("X@2026-12-01T00Z+024h"));
  CHECK_FALSE(parse_symbol("X@2026-12-01T00Z+24"));
  CHECK_FALSE(parse_symbol("X@2026-12-01T00z+24h"));
  CHECK_FALSE(parse_symbol("X@2026-1-01T00Z+24h"));
}

TEST_CASE("model: iceberg sweep, stp and min_qty by hand", "[differential][model]") {
  Model m(gpux::Catalog::builtin());
  gpux::CommandParser parser;
  auto run = [&](const std::string& line) {
    gpux::Command c;
    REQUIRE(parser.parse(line, c) == gpux::ParseResult::command);
    return m.process(c);
  };
  const std::string sym = "H100.MEM1@2026-12-01T00Z+24h";
  const std::string t = ",\"ts\":1790000000000000000";
  // Iceberg 40 showing 16, then a plain 8 behind it at the same price.
  auto e = run(R"({"type":"new","account":"a","cl_id":"i","instrument":")" + sym +
               R"(","side":"sell","price":"2.1","qty":40,"display_qty":16)" + t + "}");
  REQUIRE(e.size() == 1);
  CHECK(e[0]["display_qty"] == 16);
  CHECK(e[0]["tif"] == "gtc");
  CHECK(e[0]["post_only"] == false);
  CHECK_FALSE(e[0].contains("expire_ts"));
  run(R"({"type":"new","account":"b","cl_id":"p","instrument":")" + sym +
      R"(","side":"sell","price":"2.1","qty":8)" + t + "}");
  // A buy for 48 trades 16 (clip), 8 (plain, now ahead), 16, 8.
  e = run(R"({"type":"new","account":"c","cl_id":"x","instrument":")" + sym +
          R"(","side":"buy","price":"2.1","qty":48,"tif":"ioc")" + t + "}");
  REQUIRE(e.size() == 5);
  CHECK(e[1]["qty"] == 16);
  CHECK(e[1]["sell_order_id"] == 1);
  CHECK(e[1]["sell_leaves"] == 24);
  CHECK(e[2]["qty"] == 8);
  CHECK(e[2]["sell_order_id"] == 2);
  CHECK(e[3]["qty"] == 16);
  CHECK(e[4]["qty"] == 8);
  CHECK(e[4]["sell_leaves"] == 0);
  CHECK(e[4]["buy_leaves"] == 0);
  CHECK(e[4]["match"] == 4);
  // min_qty that STP would starve: a's own order first, then b's 8.
  run(R"({"type":"new","account":"a","cl_id":"s1","instrument":")" + sym +
      R"(","side":"sell","price":"2.1","qty":8)" + t + "}");
  run(R"({"type":"new","account":"b","cl_id":"s2","instrument":")" + sym +
      R"(","side":"sell","price":"2.1","qty":8)" + t + "}");
  e = run(R"({"type":"new","account":"a","cl_id":"m","instrument":")" + sym +
          R"(","side":"buy","price":"2.1","qty":16,"min_qty":16)" + t + "}");
  REQUIRE(e.size() == 2);
  CHECK(e[1]["reason"] == "min_qty");
  CHECK(e[1]["leaves"] == 16);
  e = run(R"({"type":"new","account":"a","cl_id":"m2","instrument":")" + sym +
          R"(","side":"buy","price":"2.1","qty":16,"min_qty":8)" + t + "}");
  REQUIRE(e.size() == 3);
  CHECK(e[1]["type"] == "canceled");
  CHECK(e[1]["reason"] == "stp");
  CHECK(e[1]["order_id"] == 4);
  CHECK(e[2]["type"] == "trade");
  CHECK(m.resting().size() == 1);  // m2's remaining 8 rests
}
