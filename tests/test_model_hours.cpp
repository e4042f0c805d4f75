// The reference model's SPEC §6 rules on small logs computed by hand (docs: /SPEC §6 and the
// hours decisions): sweeps, merges, standing blocks, self pass-over, fok with a sweep, halted
// hours, replaces of divisible orders, slice expiry. Commands are built from JSON by
// tests/model/json_command.hpp, so these tests need nothing of the engine or the order-log codec.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/catalog.hpp"
#include "tests/model/json_command.hpp"
#include "tests/model/model.hpp"

namespace {

using nlohmann::json;
using gpux::model::Model;
using namespace gpux::model::test;

void check_trade(const json& e, int match, const std::string& window, const char* price, int qty, int buy_id,
                 int sell_id, int buy_leaves, int sell_leaves, const char* aggressor) {
  INFO(e.dump());
  CHECK(e["type"] == "trade");
  CHECK(e["match"] == match);
  CHECK(e["instrument"] == kDay + window);
  CHECK(e["price"] == price);
  CHECK(e["qty"] == qty);
  CHECK(e["buy_order_id"] == buy_id);
  CHECK(e["sell_order_id"] == sell_id);
  CHECK(e["buy_leaves"] == buy_leaves);
  CHECK(e["sell_leaves"] == sell_leaves);
  CHECK(e["aggressor"] == aggressor);
}

void check_cancel(const json& e, const char* type, int id, const std::string& window, int leaves, const char* reason) {
  INFO(e.dump());
  CHECK(e["type"] == type);
  CHECK(e["order_id"] == id);
  CHECK(e["instrument"] == kDay + window);
  CHECK(e["leaves"] == leaves);
  CHECK(e["reason"] == reason);
}

}  // namespace

TEST_CASE("model hours: symbols of hours", "[differential][model][hours]") {
  using gpux::model::hours_symbol;
  using gpux::model::parse_symbol;
  for (const char* s : {"H100.MEM1@2026-12-01T00Z+24h", "X@2028-02-29T23Z+1h", "X@2027-12-31T20Z+300h",
                        "X@2026-01-01T00Z+2h", "X@1970-01-01T00Z+1h"}) {
    const auto p = parse_symbol(s);
    REQUIRE(p);
    CHECK(hours_symbol(p->product, static_cast<std::int64_t>(p->start_ns / (3600 * kSec)),
                       static_cast<std::int64_t>(p->hours)) == s);
  }
}

TEST_CASE("model hours: a sweep over two owners, merged trades and cancels", "[differential][model][hours]") {
  Run run;
  auto e = run(order("o1", "a", "00Z+4h", "sell", "2.0", 16, R"(,"divisible":true)"));
  REQUIRE(e.size() == 1);
  CHECK(e[0]["divisible"] == true);
  CHECK(e[0]["instrument"] == kDay + "00Z+4h");
  run(order("o2", "b", "02Z+4h", "sell", "1.9", 8, R"(,"divisible":true)"));
  e = run(order("l", "x", "01Z+3h", "buy", "2.1", 16, R"(,"tif":"ioc")"));
  REQUIRE(e.size() == 4);
  CHECK_FALSE(e[0].contains("divisible"));
  check_trade(e[1], 1, "01Z+1h", "2.0000", 16, 3, 1, 0, 0, "buy");
  check_trade(e[2], 2, "02Z+2h", "1.9000", 8, 3, 2, 0, 0, "buy");
  check_trade(e[3], 3, "02Z+2h", "2.0000", 8, 3, 1, 0, 8, "buy");
  // The rectangle's symbol now has a last trade price.
  CHECK(run.model.band(kDay + "02Z+2h")->ref == 20000);
  e = run(R"({"type":"cancel","account":"o1","cl_id":"a"})");
  REQUIRE(e.size() == 2);
  check_cancel(e[0], "canceled", 1, "00Z+1h", 16, "user");
  check_cancel(e[1], "canceled", 1, "02Z+2h", 8, "user");
  e = run(R"({"type":"mass_cancel","account":"o2","instrument":")" + kDay + R"(02Z+4h"})");
  REQUIRE(e.size() == 1);
  check_cancel(e[0], "canceled", 2, "04Z+2h", 8, "mass");
  CHECK(run.model.resting().empty());
}

TEST_CASE("model hours: a standing block sweeps, a slice expires at its gate", "[differential][model][hours]") {
  Run run;
  auto e = run(order("l", "x", "00Z+2h", "buy", "2.0", 8));  // rests: no slices yet
  REQUIRE(e.size() == 1);
  e = run(order("o", "a", "00Z+3h", "sell", "1.9", 8, R"(,"divisible":true)"));
  REQUIRE(e.size() == 2);
  // The block is older: its price.
  check_trade(e[1], 1, "00Z+2h", "2.0000", 8, 1, 2, 0, 0, "buy");
  REQUIRE(run.model.resting().size() == 1);
  // Hour 02 closes at 01:55.
  const std::int64_t gate = kT0 + (24 * 3600 + 3600 + 55 * 60) * kSec;
  e = run(R"({"type":"clock","ts":)" + std::to_string(gate) + "}");
  REQUIRE(e.size() == 1);
  check_cancel(e[0], "expired", 2, "02Z+1h", 8, "gate_closed");
  CHECK(e[0]["ts"] == gate);
}

TEST_CASE("model hours: divisible against divisible passes over its own slices", "[differential][model][hours]") {
  Run run;
  run(order("a", "s", "00Z+3h", "sell", "2.0", 8, R"(,"divisible":true)"));
  run(order("b", "s", "01Z+1h", "sell", "1.9", 8, R"(,"divisible":true)"));
  auto e = run(order("a", "b", "00Z+3h", "buy", "2.1", 16, R"(,"divisible":true,"tif":"ioc")"));
  REQUIRE(e.size() == 5);
  check_trade(e[1], 1, "01Z+1h", "1.9000", 8, 3, 2, 8, 0, "buy");
  check_cancel(e[2], "canceled", 3, "00Z+1h", 16, "ioc");
  check_cancel(e[3], "canceled", 3, "01Z+1h", 8, "ioc");
  check_cancel(e[4], "canceled", 3, "02Z+1h", 16, "ioc");
  CHECK(run.model.resting().size() == 1);  // a's sell, untouched
  CHECK(run.model.resting()[0].slices == 3);
}

TEST_CASE("model hours: fok counts the sweep, a halted hour stops it", "[differential][model][hours]") {
  Run run;
  run(order("o", "s", "00Z+2h", "sell", "2.0", 16, R"(,"divisible":true)"));
  auto e = run(order("l", "f", "00Z+2h", "buy", "2.0", 16, R"(,"tif":"fok")"));
  REQUIRE(e.size() == 2);
  check_trade(e[1], 1, "00Z+2h", "2.0000", 16, 2, 1, 0, 0, "buy");
  e = run(order("l", "g", "00Z+2h", "buy", "2.0", 8, R"(,"tif":"fok")"));
  REQUIRE(e.size() == 2);
  CHECK(e[1]["reason"] == "fok");
  CHECK(e[1]["leaves"] == 8);

  run(order("o", "t", "00Z+2h", "sell", "2.0", 8, R"(,"divisible":true)"));
  e = run(R"({"type":"halt","instrument":")" + kDay + R"(01Z+1h"})");
  e = run(order("l", "h", "00Z+2h", "buy", "2.0", 8, R"(,"tif":"ioc")"));
  REQUIRE(e.size() == 2);
  CHECK(e[1]["reason"] == "ioc");
  e = run(order("o", "u", "01Z+2h", "sell", "2.0", 8, R"(,"divisible":true)"));
  REQUIRE(e.size() == 1);
  CHECK(e[0]["reason"] == "halted");
  e = run(R"({"type":"replace","account":"o","cl_id":"t","price":"2.0","qty":8})");
  REQUIRE(e.size() == 1);
  CHECK(e[0]["reason"] == "halted");
}

TEST_CASE("model hours: replaces of a divisible order", "[differential][model][hours]") {
  Run run;
  run(order("o", "s", "00Z+2h", "sell", "2.0", 16, R"(,"divisible":true)"));
  run(order("l", "b", "00Z+2h", "buy", "1.9", 16));  // does not cross: rests
  auto e = run(R"({"type":"replace","account":"o","cl_id":"s","price":"2.0","qty":8})");
  REQUIRE(e.size() == 1);
  CHECK(e[0]["priority"] == "kept");
  e = run(R"({"type":"replace","account":"o","order_id":1,"new_cl_id":"s2","price":"1.9","qty":8})");
  REQUIRE(e.size() == 2);
  CHECK(e[0]["priority"] == "lost");
  CHECK(e[0]["cl_id"] == "s2");
  check_trade(e[1], 1, "00Z+2h", "1.9000", 8, 2, 1, 8, 0, "buy");
  REQUIRE(run.model.resting().size() == 1);
  CHECK(run.model.resting()[0].open == 8);
  // A block that loses priority sweeps too.
  run(order("o", "t", "00Z+1h", "sell", "1.8", 8, R"(,"divisible":true)"));
  e = run(R"({"type":"replace","account":"l","cl_id":"b","price":"1.8","qty":16})");
  REQUIRE(e.size() == 1);  // hour 01 has nothing at 1.8: no sweep
  run(order("o", "u", "01Z+1h", "sell", "1.8", 16, R"(,"divisible":true)"));  // standing sweep
  auto r = run.model.resting();
  REQUIRE(r.size() == 2);
}

TEST_CASE("model hours: a gtd divisible order expires hour by hour, reasons split", "[differential][model][hours]") {
  Run run;
  const std::int64_t hour = 3600 * kSec;
  const std::int64_t gate02 = kT0 + 24 * hour + 2 * hour - 5 * 60 * kSec;  // 12-01T01:55
  run(order("o", "s", "00Z+4h", "sell", "2.0", 16,
            R"(,"divisible":true,"tif":"gtd","expire_ts":)" + std::to_string(gate02)));
  // Hour 01 trades 8 first: its slice then differs from its neighbours.
  auto e = run(order("l", "b", "01Z+1h", "buy", "2.0", 8, R"(,"tif":"ioc")"));
  REQUIRE(e.size() == 2);
  check_trade(e[1], 1, "01Z+1h", "2.0000", 8, 2, 1, 0, 8, "buy");
  e = run(R"({"type":"clock","ts":)" + std::to_string(gate02) + "}");
  REQUIRE(e.size() == 4);
  check_cancel(e[0], "expired", 1, "00Z+1h", 16, "gate_closed");
  CHECK(e[0]["ts"] == gate02 - 2 * hour);
  check_cancel(e[1], "expired", 1, "01Z+1h", 8, "gate_closed");
  CHECK(e[1]["ts"] == gate02 - hour);
  check_cancel(e[2], "expired", 1, "02Z+1h", 16, "gate_closed");  // its gate is expire_ts
  check_cancel(e[3], "expired", 1, "03Z+1h", 16, "gtd");
  CHECK(e[3]["ts"] == gate02);
  CHECK(run.model.resting().empty());
}

TEST_CASE("model hours: standing blocks sweep best price first", "[differential][model][hours]") {
  Run run;
  run(order("l1", "a", "00Z+1h", "buy", "2.0", 8));
  run(order("l2", "b", "00Z+1h", "buy", "2.1", 8));
  run(order("l1", "c", "00Z+2h", "buy", "2.1", 8, R"(,"post_only":true)"));  // never sweeps
  auto e = run(order("o", "s", "00Z+1h", "sell", "1.9", 8, R"(,"divisible":true)"));
  REQUIRE(e.size() == 2);
  check_trade(e[1], 1, "00Z+1h", "2.1000", 8, 2, 4, 0, 0, "buy");
  // An iceberg block sweeps with its whole open quantity and keeps its (smaller) clip.
  run(order("l2", "i", "01Z+1h", "buy", "2.0", 24, R"(,"display_qty":16)"));
  e = run(order("o", "t", "01Z+1h", "sell", "2.0", 16, R"(,"divisible":true)"));
  REQUIRE(e.size() == 2);
  check_trade(e[1], 1, "01Z+1h", "2.0000", 16, 5, 6, 8, 0, "buy");
  // Sell 8 more in hour 01 from another owner: the iceberg (8 left, clip 8) takes it; the
  // post_only block at 2.1 stays.
  e = run(order("p", "u", "01Z+1h", "sell", "2.0", 8, R"(,"divisible":true)"));
  REQUIRE(e.size() == 2);
  check_trade(e[1], 1, "01Z+1h", "2.0000", 8, 5, 7, 0, 0, "buy");
}
