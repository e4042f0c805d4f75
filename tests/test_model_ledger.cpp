// The reference model's SPEC §7 rules on small logs computed by hand (/SPEC §7 and
// /work/notes/ledger-decisions.md): deposits and capacity, funds and cash, the risk checks of
// new and replace, trades moving holdings and cash (resales), withdraws, fund spellings and
// int64 edges. Commands are built from JSON by tests/model/json_command.hpp, so these tests
// need nothing of the engine or the order-log codec.
#include <catch2/catch.hpp>

#include <limits>
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
using gpux::model::Wide;

const std::string kP = "H100.MEM1";
// Hours since the epoch of 2026-12-01T00Z.
constexpr std::int64_t kH0 = 1795996800 / 3600 + 24;

std::string deposit(const std::string& type, const std::string& account, const std::string& instrument, long long qty) {
  return R"({"type":")" + type + R"(","account":")" + account + R"(","instrument":")" + instrument +
         R"(","qty":)" + std::to_string(qty) + "}";
}
std::string fund(const std::string& account, const std::string& amount) {
  return R"({"type":"fund","account":")" + account + R"(","amount":")" + amount + R"("})";
}
std::string replace(const std::string& account, const std::string& cl_id, const std::string& price, int qty) {
  return R"({"type":"replace","account":")" + account + R"(","cl_id":")" + cl_id + R"(","price":")" + price +
         R"(","qty":)" + std::to_string(qty) + "}";
}
const std::string kRiskOn = R"({"type":"risk","mode":"on"})";
const std::string kRiskOff = R"({"type":"risk","mode":"off"})";

}  // namespace

TEST_CASE("model ledger: money is written with 4 decimals and a sign", "[ledger][model]") {
  using gpux::model::format_money;
  CHECK(format_money(0) == "0.0000");
  CHECK(format_money(-1) == "-0.0001");
  CHECK(format_money(-150000) == "-15.0000");
  CHECK(format_money(std::numeric_limits<std::int64_t>::max()) == "922337203685477.5807");
  CHECK(format_money(Wide(std::numeric_limits<std::int64_t>::max()) + 1) == "922337203685477.5808");
  CHECK(format_money(Wide(std::numeric_limits<std::int64_t>::min()) - 10000) == "-922337203685478.5808");
}

TEST_CASE("model ledger: a deposit, a sale, a buy at exactly its cash and a resale", "[ledger][model]") {
  Run run;
  auto e = run.one(kRiskOn);
  CHECK(e["type"] == "risk");
  CHECK(e["mode"] == "on");
  e = run.one(deposit("deposit", "own", kDay + "00Z+4h", 16));
  CHECK(e["type"] == "deposited");
  CHECK(e["instrument"] == kDay + "00Z+4h");
  CHECK(e["qty"] == 16);
  CHECK(run.one(order("own", "s", "00Z+4h", "sell", "2.0", 24, R"(,"divisible":true)"))["reason"] == "no_capacity");
  CHECK(run.one(order("own", "s", "00Z+4h", "sell", "2.0", 16, R"(,"divisible":true)"))["type"] == "accepted");
  CHECK(run.model.free_capacity("own", kP, kH0) == 0);
  CHECK(run.one(order("own", "t", "00Z+2h", "sell", "2.0", 8))["reason"] == "no_capacity");
  // 2.0 x 8 x 2h = $32; lab has nothing yet.
  CHECK(run.one(order("lab", "b", "01Z+2h", "buy", "2.0", 8, R"(,"tif":"ioc")"))["reason"] == "no_credit");
  e = run.one(fund("lab", "32"));
  CHECK(e["type"] == "funded");
  CHECK(e["amount"] == "32.0000");
  CHECK(e["cash"] == "32.0000");
  e = run(order("lab", "b", "01Z+2h", "buy", "2.0", 8, R"(,"tif":"ioc")"))[1];
  CHECK(e["type"] == "trade");
  CHECK(e["instrument"] == kDay + "01Z+2h");
  CHECK(e["qty"] == 8);
  CHECK(run.model.cash("lab") == 0);
  CHECK(run.model.cash("own") == 320000);
  CHECK(run.model.holding("lab", kP, kH0 + 1) == 8);
  CHECK(run.model.holding("lab", kP, kH0 + 2) == 8);
  CHECK(run.model.holding("lab", kP, kH0 + 3) == 0);
  CHECK(run.model.holding("own", kP, kH0 + 1) == 8);
  CHECK(run.model.free_capacity("own", kP, kH0 + 1) == 0);  // its slice is 8 there now
  CHECK(run.model.free_capacity("own", kP, kH0) == 0);
  // The lab resells hour 02, then has nothing left there.
  CHECK(run.one(order("lab", "r", "02Z+1h", "sell", "2.1", 8))["type"] == "accepted");
  CHECK(run.model.free_capacity("lab", kP, kH0 + 2) == 0);
  CHECK(run.model.free_capacity("lab", kP, kH0 + 1) == 8);
  CHECK(run.one(order("lab", "r2", "01Z+2h", "sell", "2.1", 8))["reason"] == "no_capacity");
  // A buyer takes the resale: capacity that was bought moves on.
  run.one(fund("b2", "100"));
  e = run(order("b2", "x", "02Z+1h", "buy", "2.1", 8, R"(,"tif":"ioc")"))[1];
  CHECK(e["sell_account"] == "lab");
  CHECK(run.model.holding("lab", kP, kH0 + 2) == 0);
  CHECK(run.model.holding("b2", kP, kH0 + 2) == 8);
  CHECK(run.model.cash("lab") == 168000);
  CHECK(run.model.cash("b2") == 1000000 - 168000);
  // Withdraw needs free capacity, in every mode.
  run.one(kRiskOff);
  CHECK(run.one(deposit("withdraw", "own", kDay + "00Z+1h", 8))["reason"] == "no_capacity");
  run(R"({"type":"cancel","account":"own","cl_id":"s"})");
  e = run.one(deposit("withdraw", "own", kDay + "00Z+1h", 8));
  CHECK(e["type"] == "withdrawn");
  CHECK(run.model.holding("own", kP, kH0) == 8);
  // Commitments followed the book: nothing rests for own, lab's resale is gone.
  CHECK(run.model.committed_capacity("own", kP, kH0 + 1) == 0);
  const auto hours = run.model.ledger_hours("own", kP);
  REQUIRE(hours.size() == 4);
  CHECK(hours.at(kH0 + 1).holdings == 8);
  CHECK(hours.at(kH0 + 3).free == 16);
}

TEST_CASE("model ledger: funds, their spellings and int64 edges", "[ledger][model]") {
  Run run;
  for (const char* bad : {"+5", "-0", "0", "0.0000", "1.23456", "abc", "", "5.", "922337203685477.5808"}) {
    auto e = run.one(fund("a", bad));
    CHECK(e["type"] == "fund_rejected");
    CHECK(e["amount"] == bad);
    CHECK(e["reason"] == "bad_amount");
  }
  auto e = run.one(fund("a", "0012.5"));
  CHECK(e["amount"] == "12.5000");
  CHECK(e["cash"] == "12.5000");
  CHECK(run.one(fund("a", "-12.5001"))["reason"] == "no_credit");
  e = run.one(fund("a", "-12.5"));
  CHECK(e["amount"] == "-12.5000");
  CHECK(e["cash"] == "0.0000");
  e = run.one(fund("a", "922337203685477.5807"));
  CHECK(e["cash"] == "922337203685477.5807");
  CHECK(run.one(fund("a", "0.0001"))["reason"] == "bad_amount");
  CHECK(run.one(fund("a", "-922337203685477.5808"))["reason"] == "no_credit");
  // Free cash counts commitments: a resting buy of $64 leaves less to take out.
  run.one(fund("b", "100"));
  run.one(order("b", "x", "00Z+2h", "buy", "2.0", 16));
  CHECK(run.model.committed_cash("b") == 640000);
  CHECK(run.one(fund("b", "-36.0001"))["reason"] == "no_credit");
  CHECK(run.one(fund("b", "-36"))["cash"] == "64.0000");
  // Risk on: an account with no cash buys nothing.
  run.one(kRiskOn);
  CHECK(run.one(order("c", "y", "00Z+2h", "buy", "2.0", 8))["reason"] == "no_credit");
}

TEST_CASE("model ledger: replaces are checked last, with the order's own room", "[ledger][model]") {
  Run run;
  run.one(kRiskOn);
  run.one(deposit("deposit", "own", kDay + "00Z+2h", 16));
  CHECK(run.one(order("own", "s", "00Z+2h", "sell", "2.2", 16))["type"] == "accepted");  // exactly all
  CHECK(run.one(replace("own", "s", "2.2", 24))["reason"] == "no_capacity");
  CHECK(run.one(replace("own", "s", "2.2", 8))["priority"] == "kept");
  // Risk off: a second sell beyond capacity rests; free capacity is now 16 - 8 - 16 = -8.
  run.one(kRiskOff);
  CHECK(run.one(order("own", "t", "00Z+2h", "sell", "2.3", 16))["type"] == "accepted");
  CHECK(run.model.free_capacity("own", kP, kH0) == -8);
  run.one(kRiskOn);
  // Even a replace that keeps priority needs room: -8 + 8 < 8.
  CHECK(run.one(replace("own", "s", "2.2", 8))["reason"] == "no_capacity");
  CHECK(run.one(order("own", "u", "00Z+1h", "sell", "2.2", 8, R"(,"post_only":true)"))["reason"] == "no_capacity");
  // Buys: $10 is not enough for 2.0 x 16 x 2h = $64; $64 is exactly enough.
  run.one(fund("lab", "10"));
  CHECK(run.one(order("lab", "b", "00Z+2h", "buy", "2.0", 16))["reason"] == "no_credit");
  run.one(fund("lab", "54"));
  CHECK(run.one(order("lab", "b", "00Z+2h", "buy", "2.0", 16))["type"] == "accepted");
  CHECK(run.model.free_cash("lab") == 0);
  CHECK(run.one(replace("lab", "b", "2.1", 16))["reason"] == "no_credit");  // $67.20 > $64
  CHECK(run.one(replace("lab", "b", "1.9", 16))["priority"] == "lost");     // $60.80
  CHECK(run.model.committed_cash("lab") == 608000);
  CHECK(run.model.free_cash("lab") == 32000);
  // A market buy is checked at its protection price: upper band of 2.1 is 3.15.
  CHECK(run.one(R"({"type":"new","account":"lab","cl_id":"m","instrument":")" + kDay +
                R"(00Z+1h","side":"buy","order_type":"market","qty":8})")["reason"] == "no_credit");
}

TEST_CASE("model ledger: trades move the ledger with risk off, below zero too", "[ledger][model]") {
  Run run;
  run.one(order("own", "s", "00Z+3h", "sell", "2.0", 8));
  auto e = run(order("lab", "b", "00Z+3h", "buy", "2.0", 8));
  REQUIRE(e.size() == 2);
  CHECK(run.model.cash("lab") == -480000);
  CHECK(run.model.cash("own") == 480000);
  CHECK(run.model.holding("own", kP, kH0 + 2) == -8);
  CHECK(run.model.holding("lab", kP, kH0 + 2) == 8);
  CHECK(run.one(fund("lab", "1"))["cash"] == "-47.0000");
  // Deposits: window checks as for new, no gate or horizon.
  CHECK(run.one(deposit("deposit", "own", kDay + "00Z+0h", 8))["reason"] == "bad_window");
  CHECK(run.one(deposit("deposit", "own", kDay + "00Z+24h", 4))["reason"] == "bad_qty");
  CHECK(run.one(deposit("deposit", "own", "H300.MEM1@2026-12-01T00Z+1h", 8))["reason"] == "unknown_instrument");
  CHECK(run.one(deposit("deposit", "own", kP + "@1970-01-01T00Z+1h", 8))["type"] == "deposited");
  CHECK(run.model.holding("own", kP, 0) == 8);
  CHECK(run.one(deposit("withdraw", "own", kP + "@1970-01-01T00Z+2h", 8))["reason"] == "no_capacity");
  CHECK(run.one(deposit("withdraw", "own", kP + "@1970-01-01T00Z+1h", 8))["type"] == "withdrawn");
  CHECK(run.model.ledger_hours("own", kP).size() == 3);  // the three sold hours, at -8
}
