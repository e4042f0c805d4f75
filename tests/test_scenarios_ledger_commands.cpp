// SPEC §7 "Commands" (and §2, §4 additions): risk, deposit, withdraw and fund: their events,
// their checks in order (unknown_instrument, bad_window, bad_qty, no_capacity; bad_amount,
// no_credit), what they do not check (gate, horizon, halt, kill), the price format of `amount`,
// the int64 limits of cash, and the input errors of these commands. Ledger state is observed
// through events only: a withdraw or a negative fund at an exact boundary, `funded`'s cash.
// Expectations derived by hand from /work/shared/SPEC.md and /work/notes/ledger-decisions.md.
//
// Product H100.MEM1 (lot 8, max_qty 262144, max_hours 26280); GB200.MEM1 has lot 72.
// Cash is in $0.0001; INT64_MAX units = 922337203685477.5807 USD.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "tests/support/scenario.hpp"

using namespace gpux::test;

namespace {

// Each bad line comes after a valid `risk` line: it must be an input error on line 2 with a
// message, and the first line's event must have come out.
void check_input_errors(const std::vector<std::pair<const char*, std::string>>& cases) {
  const json first = json::parse(expand(R"({"type":"risk","seq":1,"ts":$T,"mode":"on"})"));
  for (const auto& [what, line] : cases) {
    const std::string bad = expand(line);
    INFO("case: " << what << "\n  line: " << bad);
    Scenario s;
    RunResult r = s.run_raw({expand(R"({"type":"risk","ts":$T,"mode":"on"})"), bad});
    CHECK(r.error_line == 2);
    CHECK(!r.error.empty());
    REQUIRE(r.events.size() == 1);
    CHECK(r.events[0] == first);
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// risk

TEST_CASE("ledger risk: each risk command emits its mode, a repeated mode too", "[scenario][ledger]") {
  Scenario s;
  s.expect(R"(
{"type":"risk","ts":$T,"mode":"on"}
{"type":"risk","ts":$T+1,"mode":"on"}
{"type":"risk","ts":$T+2,"mode":"off"}
{"type":"risk","ts":$T+3,"mode":"off"}
{"type":"risk","ts":$T+4,"mode":"on"}
)",
         R"(
{"type":"risk","seq":1,"mode":"on"}
{"type":"risk","seq":2,"mode":"on"}
{"type":"risk","seq":3,"mode":"off"}
{"type":"risk","seq":4,"mode":"off"}
{"type":"risk","seq":5,"mode":"on"}
)");
}

// ---------------------------------------------------------------------------------------------
// deposit / withdraw

TEST_CASE("ledger deposit and withdraw: events echo account, instrument and qty, up to the holding", "[scenario][ledger]") {
  Scenario s;
  s.expect(R"(
{"type":"deposit","ts":$T,"account":"A","instrument":"$I","qty":16}
{"type":"withdraw","ts":$T,"account":"A","instrument":"$I","qty":8}
{"type":"withdraw","ts":$T,"account":"A","instrument":"$I","qty":8}
{"type":"withdraw","ts":$T,"account":"A","instrument":"$I","qty":8}
{"type":"withdraw","ts":$T,"account":"B","instrument":"$I","qty":8}
)",
         R"(
{"type":"deposited","seq":1,"account":"A","instrument":"$I","qty":16}
{"type":"withdrawn","seq":2,"account":"A","instrument":"$I","qty":8}
{"type":"withdrawn","seq":3,"account":"A","instrument":"$I","qty":8}
{"type":"withdraw_rejected","seq":4,"account":"A","instrument":"$I","qty":8,"reason":"no_capacity"}
{"type":"withdraw_rejected","seq":5,"account":"B","instrument":"$I","qty":8,"reason":"no_capacity"}
)");
}

TEST_CASE("ledger deposit: unknown_instrument, then bad_window, then bad_qty, first failure wins", "[scenario][ledger]") {
  Scenario s;
  s.expect(R"(
{"type":"deposit","ts":$T,"account":"A","instrument":"H100.MEM1@2026-12-01T00Z+024h","qty":8}
{"type":"deposit","ts":$T,"account":"A","instrument":"H100.MEM9@2026-12-01T00Z+24h","qty":8}
{"type":"deposit","ts":$T,"account":"A","instrument":"H100.MEM1@2026-02-30T00Z+1h","qty":8}
{"type":"deposit","ts":$T,"account":"A","instrument":"nonsense","qty":0}
{"type":"deposit","ts":$T,"account":"A","instrument":"H100.MEM1@2026-12-01T00Z+0h","qty":8}
{"type":"deposit","ts":$T,"account":"A","instrument":"H100.MEM1@2026-12-01T00Z+26281h","qty":8}
{"type":"deposit","ts":$T,"account":"A","instrument":"H100.MEM1@2026-12-01T00Z+0h","qty":12}
{"type":"deposit","ts":$T,"account":"A","instrument":"$I","qty":0}
{"type":"deposit","ts":$T,"account":"A","instrument":"$I","qty":-8}
{"type":"deposit","ts":$T,"account":"A","instrument":"$I","qty":12}
{"type":"deposit","ts":$T,"account":"A","instrument":"$I","qty":262152}
{"type":"deposit","ts":$T,"account":"A","instrument":"GB200.MEM1@2026-12-01T00Z+1h","qty":8}
{"type":"withdraw","ts":$T,"account":"A","instrument":"$I","qty":8}
)",
         R"(
{"type":"deposit_rejected","seq":1,"account":"A","instrument":"H100.MEM1@2026-12-01T00Z+024h","qty":8,"reason":"unknown_instrument"}
{"type":"deposit_rejected","seq":2,"account":"A","instrument":"H100.MEM9@2026-12-01T00Z+24h","qty":8,"reason":"unknown_instrument"}
{"type":"deposit_rejected","seq":3,"account":"A","instrument":"H100.MEM1@2026-02-30T00Z+1h","qty":8,"reason":"unknown_instrument"}
{"type":"deposit_rejected","seq":4,"account":"A","instrument":"nonsense","qty":0,"reason":"unknown_instrument"}
{"type":"deposit_rejected","seq":5,"account":"A","instrument":"H100.MEM1@2026-12-01T00Z+0h","qty":8,"reason":"bad_window"}
{"type":"deposit_rejected","seq":6,"account":"A","instrument":"H100.MEM1@2026-12-01T00Z+26281h","qty":8,"reason":"bad_window"}
{"type":"deposit_rejected","seq":7,"account":"A","instrument":"H100.MEM1@2026-12-01T00Z+0h","qty":12,"reason":"bad_window"}
{"type":"deposit_rejected","seq":8,"account":"A","instrument":"$I","qty":0,"reason":"bad_qty"}
{"type":"deposit_rejected","seq":9,"account":"A","instrument":"$I","qty":-8,"reason":"bad_qty"}
{"type":"deposit_rejected","seq":10,"account":"A","instrument":"$I","qty":12,"reason":"bad_qty"}
{"type":"deposit_rejected","seq":11,"account":"A","instrument":"$I","qty":262152,"reason":"bad_qty"}
{"type":"deposit_rejected","seq":12,"account":"A","instrument":"GB200.MEM1@2026-12-01T00Z+1h","qty":8,"reason":"bad_qty"}
{"type":"withdraw_rejected","seq":13,"account":"A","instrument":"$I","qty":8,"reason":"no_capacity"}
)");
}

TEST_CASE("ledger deposit: the largest qty and the longest window are fine, lot 72 for GB200", "[scenario][ledger]") {
  Scenario s;
  s.expect(R"(
{"type":"deposit","ts":$T,"account":"A","instrument":"$I","qty":262144}
{"type":"deposit","ts":$T,"account":"A","instrument":"H100.MEM1@2026-12-01T00Z+26280h","qty":8}
{"type":"deposit","ts":$T,"account":"A","instrument":"GB200.MEM1@2026-12-01T00Z+1h","qty":72}
{"type":"withdraw","ts":$T,"account":"A","instrument":"$I","qty":262152}
{"type":"withdraw","ts":$T,"account":"A","instrument":"H100.MEM1@2026-12-01T00Z+26280h","qty":16}
{"type":"withdraw","ts":$T,"account":"A","instrument":"H100.MEM1@2026-12-01T00Z+26280h","qty":8}
{"type":"withdraw","ts":$T,"account":"A","instrument":"$I","qty":262144}
{"type":"withdraw","ts":$T,"account":"A","instrument":"GB200.MEM1@2026-12-01T00Z+1h","qty":72}
)",
         R"(
{"type":"deposited","seq":1,"account":"A","instrument":"$I","qty":262144}
{"type":"deposited","seq":2,"account":"A","instrument":"H100.MEM1@2026-12-01T00Z+26280h","qty":8}
{"type":"deposited","seq":3,"account":"A","instrument":"GB200.MEM1@2026-12-01T00Z+1h","qty":72}
{"type":"withdraw_rejected","seq":4,"account":"A","instrument":"$I","qty":262152,"reason":"bad_qty"}
{"type":"withdraw_rejected","seq":5,"account":"A","instrument":"H100.MEM1@2026-12-01T00Z+26280h","qty":16,"reason":"no_capacity"}
{"type":"withdrawn","seq":6,"account":"A","instrument":"H100.MEM1@2026-12-01T00Z+26280h","qty":8}
{"type":"withdrawn","seq":7,"account":"A","instrument":"$I","qty":262144}
{"type":"withdrawn","seq":8,"account":"A","instrument":"GB200.MEM1@2026-12-01T00Z+1h","qty":72}
)");
}

TEST_CASE("ledger withdraw: the window checks and bad_qty come before no_capacity", "[scenario][ledger]") {
  // A holds nothing: every one of these would also be no_capacity.
  Scenario s;
  s.expect(R"(
{"type":"withdraw","ts":$T,"account":"A","instrument":"H100.MEM1@2026-12-01T00Z+024h","qty":8}
{"type":"withdraw","ts":$T,"account":"A","instrument":"XYZ@2026-12-01T00Z+1h","qty":8}
{"type":"withdraw","ts":$T,"account":"A","instrument":"H100.MEM1@2026-12-01T00Z+26281h","qty":8}
{"type":"withdraw","ts":$T,"account":"A","instrument":"$I","qty":0}
{"type":"withdraw","ts":$T,"account":"A","instrument":"$I","qty":4}
{"type":"withdraw","ts":$T,"account":"A","instrument":"$I","qty":300000}
)",
         R"(
{"type":"withdraw_rejected","seq":1,"account":"A","instrument":"H100.MEM1@2026-12-01T00Z+024h","qty":8,"reason":"unknown_instrument"}
{"type":"withdraw_rejected","seq":2,"account":"A","instrument":"XYZ@2026-12-01T00Z+1h","qty":8,"reason":"unknown_instrument"}
{"type":"withdraw_rejected","seq":3,"account":"A","instrument":"H100.MEM1@2026-12-01T00Z+26281h","qty":8,"reason":"bad_window"}
{"type":"withdraw_rejected","seq":4,"account":"A","instrument":"$I","qty":0,"reason":"bad_qty"}
{"type":"withdraw_rejected","seq":5,"account":"A","instrument":"$I","qty":4,"reason":"bad_qty"}
{"type":"withdraw_rejected","seq":6,"account":"A","instrument":"$I","qty":300000,"reason":"bad_qty"}
)");
}

TEST_CASE("ledger withdraw: free capacity is needed in every hour of the window", "[scenario][ledger]") {
  // Holdings after the deposits: hour 00 16, hour 01 24, hour 02 8.
  Scenario s;
  s.setup(R"(
{"type":"deposit","ts":$T,"account":"A","instrument":"$H00+2","qty":16}
{"type":"deposit","ts":$T,"account":"A","instrument":"$H01+2","qty":8}
)");
  s.expect(R"(
{"type":"withdraw","ts":$T,"account":"A","instrument":"$H00+3","qty":16}
{"type":"withdraw","ts":$T,"account":"A","instrument":"$H00+3","qty":8}
{"type":"withdraw","ts":$T,"account":"A","instrument":"$H02+1","qty":8}
{"type":"withdraw","ts":$T,"account":"A","instrument":"$H01+1","qty":16}
{"type":"withdraw","ts":$T,"account":"A","instrument":"$H00+2","qty":8}
{"type":"withdraw","ts":$T,"account":"A","instrument":"$H00+1","qty":8}
{"type":"withdraw","ts":$T,"account":"A","instrument":"$H00+1","qty":8}
)",
         R"(
{"type":"withdraw_rejected","seq":3,"account":"A","instrument":"$H00+3","qty":16,"reason":"no_capacity"}
{"type":"withdrawn","seq":4,"account":"A","instrument":"$H00+3","qty":8}
{"type":"withdraw_rejected","seq":5,"account":"A","instrument":"$H02+1","qty":8,"reason":"no_capacity"}
{"type":"withdrawn","seq":6,"account":"A","instrument":"$H01+1","qty":16}
{"type":"withdraw_rejected","seq":7,"account":"A","instrument":"$H00+2","qty":8,"reason":"no_capacity"}
{"type":"withdrawn","seq":8,"account":"A","instrument":"$H00+1","qty":8}
{"type":"withdraw_rejected","seq":9,"account":"A","instrument":"$H00+1","qty":8,"reason":"no_capacity"}
)");
}

TEST_CASE("ledger withdraw: no_capacity whether risk checks are on or off", "[scenario][ledger]") {
  Scenario s;
  s.expect(R"(
{"type":"deposit","ts":$T,"account":"A","instrument":"$H00+1","qty":8}
{"type":"withdraw","ts":$T,"account":"A","instrument":"$H00+1","qty":16}
{"type":"risk","ts":$T,"mode":"on"}
{"type":"withdraw","ts":$T,"account":"A","instrument":"$H00+1","qty":16}
{"type":"risk","ts":$T,"mode":"off"}
{"type":"withdraw","ts":$T,"account":"A","instrument":"$H00+1","qty":16}
{"type":"withdraw","ts":$T,"account":"A","instrument":"$H00+1","qty":8}
)",
         R"(
{"type":"deposited","seq":1,"account":"A","instrument":"$H00+1","qty":8}
{"type":"withdraw_rejected","seq":2,"account":"A","instrument":"$H00+1","qty":16,"reason":"no_capacity"}
{"type":"risk","seq":3,"mode":"on"}
{"type":"withdraw_rejected","seq":4,"account":"A","instrument":"$H00+1","qty":16,"reason":"no_capacity"}
{"type":"risk","seq":5,"mode":"off"}
{"type":"withdraw_rejected","seq":6,"account":"A","instrument":"$H00+1","qty":16,"reason":"no_capacity"}
{"type":"withdrawn","seq":7,"account":"A","instrument":"$H00+1","qty":8}
)");
}

TEST_CASE("ledger deposit, withdraw, fund: no gate, horizon, halt or kill check", "[scenario][ledger]") {
  // 2026-11-20 is before $T (its gate long closed); 2035 is past the 26280-hour horizon.
  Scenario s;
  s.expect(R"(
{"type":"deposit","ts":$T,"account":"A","instrument":"H100.MEM1@2026-11-20T00Z+1h","qty":8}
{"type":"deposit","ts":$T,"account":"A","instrument":"H100.MEM1@2035-01-01T00Z+1h","qty":8}
{"type":"withdraw","ts":$T,"account":"A","instrument":"H100.MEM1@2026-11-20T00Z+1h","qty":8}
{"type":"halt","ts":$T,"product":"H100.MEM1"}
{"type":"halt","ts":$T,"instrument":"$I"}
{"type":"kill","ts":$T,"account":"A"}
{"type":"deposit","ts":$T,"account":"A","instrument":"$I","qty":8}
{"type":"fund","ts":$T,"account":"A","amount":"5"}
{"type":"withdraw","ts":$T,"account":"A","instrument":"$I","qty":8}
{"type":"fund","ts":$T,"account":"A","amount":"-5"}
{"type":"withdraw","ts":$T,"account":"A","instrument":"H100.MEM1@2035-01-01T00Z+1h","qty":8}
)",
         R"(
{"type":"deposited","seq":1,"account":"A","instrument":"H100.MEM1@2026-11-20T00Z+1h","qty":8}
{"type":"deposited","seq":2,"account":"A","instrument":"H100.MEM1@2035-01-01T00Z+1h","qty":8}
{"type":"withdrawn","seq":3,"account":"A","instrument":"H100.MEM1@2026-11-20T00Z+1h","qty":8}
{"type":"halted","seq":4,"product":"H100.MEM1"}
{"type":"halted","seq":5,"instrument":"$I"}
{"type":"killed","seq":6,"account":"A"}
{"type":"deposited","seq":7,"account":"A","instrument":"$I","qty":8}
{"type":"funded","seq":8,"account":"A","amount":"5.0000","cash":"5.0000"}
{"type":"withdrawn","seq":9,"account":"A","instrument":"$I","qty":8}
{"type":"funded","seq":10,"account":"A","amount":"-5.0000","cash":"0.0000"}
{"type":"withdrawn","seq":11,"account":"A","instrument":"H100.MEM1@2035-01-01T00Z+1h","qty":8}
)");
}

TEST_CASE("ledger deposit: holdings of different products and accounts are separate", "[scenario][ledger]") {
  Scenario s;
  s.expect(R"(
{"type":"deposit","ts":$T,"account":"A","instrument":"$I","qty":8}
{"type":"withdraw","ts":$T,"account":"A","instrument":"$K","qty":8}
{"type":"withdraw","ts":$T,"account":"A","instrument":"H100.IAD1@2026-12-01T00Z+24h","qty":8}
{"type":"withdraw","ts":$T,"account":"B","instrument":"$I","qty":8}
{"type":"withdraw","ts":$T,"account":"A","instrument":"$I","qty":8}
)",
         R"(
{"type":"deposited","seq":1,"account":"A","instrument":"$I","qty":8}
{"type":"withdraw_rejected","seq":2,"account":"A","instrument":"$K","qty":8,"reason":"no_capacity"}
{"type":"withdraw_rejected","seq":3,"account":"A","instrument":"H100.IAD1@2026-12-01T00Z+24h","qty":8,"reason":"no_capacity"}
{"type":"withdraw_rejected","seq":4,"account":"B","instrument":"$I","qty":8,"reason":"no_capacity"}
{"type":"withdrawn","seq":5,"account":"A","instrument":"$I","qty":8}
)");
}

// ---------------------------------------------------------------------------------------------
// fund

TEST_CASE("ledger fund: amount normalised to 4 decimals, cash is the balance after", "[scenario][ledger]") {
  Scenario s;
  s.expect(R"(
{"type":"fund","ts":$T,"account":"A","amount":"250000"}
{"type":"fund","ts":$T,"account":"A","amount":"0.5"}
{"type":"fund","ts":$T,"account":"A","amount":"007.25"}
{"type":"fund","ts":$T,"account":"A","amount":"0.0001"}
{"type":"fund","ts":$T,"account":"A","amount":"-250007.7501"}
{"type":"fund","ts":$T,"account":"A","amount":"-0.0000000000000000000000000000000000001"}
{"type":"fund","ts":$T,"account":"B","amount":"1.2"}
)",
         R"(
{"type":"funded","seq":1,"account":"A","amount":"250000.0000","cash":"250000.0000"}
{"type":"funded","seq":2,"account":"A","amount":"0.5000","cash":"250000.5000"}
{"type":"funded","seq":3,"account":"A","amount":"7.2500","cash":"250007.7500"}
{"type":"funded","seq":4,"account":"A","amount":"0.0001","cash":"250007.7501"}
{"type":"funded","seq":5,"account":"A","amount":"-250007.7501","cash":"0.0000"}
{"type":"fund_rejected","seq":6,"account":"A","amount":"-0.0000000000000000000000000000000000001","reason":"bad_amount"}
{"type":"funded","seq":7,"account":"B","amount":"1.2000","cash":"1.2000"}
)");
}

TEST_CASE("ledger fund: bad_amount for anything but the price format, zero, and beyond int64", "[scenario][ledger]") {
  const std::vector<std::string> bad = {
      "+5", "0", "-0", "0.0000", "-0.0", "00", "1.23456", "-1.00000", "1.", ".5", "-.5", "", "-",
      "abc", "1e3", " 1", "1 ", "1,000", "--1", "0x10", "1.2.3", "922337203685477.5808",
      "-922337203685477.5809", "99999999999999999999", "1234567890123456789012345678901234567890",
  };
  for (const std::string& amount : bad) {
    INFO("amount: \"" << amount << "\"");
    expect_events(R"({"type":"fund","ts":$T,"account":"A","amount":")" + amount + "\"}",
                  R"({"type":"fund_rejected","seq":1,"account":"A","amount":")" + amount +
                      R"(","reason":"bad_amount"})");
  }
}

TEST_CASE("ledger fund: cash up to exactly INT64_MAX, one unit more is bad_amount", "[scenario][ledger]") {
  Scenario s;
  s.expect(R"(
{"type":"fund","ts":$T,"account":"A","amount":"922337203685477.5807"}
{"type":"fund","ts":$T,"account":"A","amount":"0.0001"}
{"type":"fund","ts":$T,"account":"A","amount":"-0.0001"}
{"type":"fund","ts":$T,"account":"A","amount":"0.0001"}
{"type":"fund","ts":$T,"account":"B","amount":"922337203685477.5"}
{"type":"fund","ts":$T,"account":"B","amount":"0.0808"}
{"type":"fund","ts":$T,"account":"B","amount":"0.0807"}
)",
         R"(
{"type":"funded","seq":1,"account":"A","amount":"922337203685477.5807","cash":"922337203685477.5807"}
{"type":"fund_rejected","seq":2,"account":"A","amount":"0.0001","reason":"bad_amount"}
{"type":"funded","seq":3,"account":"A","amount":"-0.0001","cash":"922337203685477.5806"}
{"type":"funded","seq":4,"account":"A","amount":"0.0001","cash":"922337203685477.5807"}
{"type":"funded","seq":5,"account":"B","amount":"922337203685477.5000","cash":"922337203685477.5000"}
{"type":"fund_rejected","seq":6,"account":"B","amount":"0.0808","reason":"bad_amount"}
{"type":"funded","seq":7,"account":"B","amount":"0.0807","cash":"922337203685477.5807"}
)");
}

TEST_CASE("ledger fund: a negative amount needs free cash of its size, in every mode", "[scenario][ledger]") {
  Scenario s;
  s.expect(R"(
{"type":"fund","ts":$T,"account":"A","amount":"-0.0001"}
{"type":"fund","ts":$T,"account":"A","amount":"10"}
{"type":"fund","ts":$T,"account":"A","amount":"-10.0001"}
{"type":"fund","ts":$T,"account":"A","amount":"-10"}
{"type":"risk","ts":$T,"mode":"on"}
{"type":"fund","ts":$T,"account":"A","amount":"5"}
{"type":"fund","ts":$T,"account":"A","amount":"-5.0001"}
{"type":"fund","ts":$T,"account":"A","amount":"-4.9999"}
{"type":"fund","ts":$T,"account":"A","amount":"-0.0002"}
{"type":"fund","ts":$T,"account":"A","amount":"-0.0001"}
)",
         R"(
{"type":"fund_rejected","seq":1,"account":"A","amount":"-0.0001","reason":"no_credit"}
{"type":"funded","seq":2,"account":"A","amount":"10.0000","cash":"10.0000"}
{"type":"fund_rejected","seq":3,"account":"A","amount":"-10.0001","reason":"no_credit"}
{"type":"funded","seq":4,"account":"A","amount":"-10.0000","cash":"0.0000"}
{"type":"risk","seq":5,"mode":"on"}
{"type":"funded","seq":6,"account":"A","amount":"5.0000","cash":"5.0000"}
{"type":"fund_rejected","seq":7,"account":"A","amount":"-5.0001","reason":"no_credit"}
{"type":"funded","seq":8,"account":"A","amount":"-4.9999","cash":"0.0001"}
{"type":"fund_rejected","seq":9,"account":"A","amount":"-0.0002","reason":"no_credit"}
{"type":"funded","seq":10,"account":"A","amount":"-0.0001","cash":"0.0000"}
)");
}

TEST_CASE("ledger fund: a negative balance is printed with a minus sign", "[scenario][ledger]") {
  // Risk off: A buys 8 GPUs x 1 hour at 2.0000 = 16.0000 with no cash.
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$H00+1","side":"sell","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"buy","price":"2.0","qty":8}
)");
  s.expect(R"(
{"type":"fund","ts":$T,"account":"A","amount":"15.5"}
{"type":"fund","ts":$T,"account":"A","amount":"0.4999"}
{"type":"fund","ts":$T,"account":"A","amount":"-0.0001"}
{"type":"fund","ts":$T,"account":"A","amount":"0.0002"}
{"type":"fund","ts":$T,"account":"B","amount":"-16"}
)",
         R"(
{"type":"funded","seq":3,"account":"A","amount":"15.5000","cash":"-0.5000"}
{"type":"funded","seq":4,"account":"A","amount":"0.4999","cash":"-0.0001"}
{"type":"fund_rejected","seq":5,"account":"A","amount":"-0.0001","reason":"no_credit"}
{"type":"funded","seq":6,"account":"A","amount":"0.0002","cash":"0.0001"}
{"type":"funded","seq":7,"account":"B","amount":"-16.0000","cash":"0.0000"}
)");
}

TEST_CASE("ledger fund: an amount of 40 characters is read, the engine judges its value", "[scenario][ledger]") {
  Scenario s;
  s.expect(R"(
{"type":"fund","ts":$T,"account":"A","amount":"0000000000000000000000000000000000000001"}
{"type":"fund","ts":$T,"account":"A","amount":"-000000000000000000000000000000000000001"}
)",
         R"(
{"type":"funded","seq":1,"account":"A","amount":"1.0000","cash":"1.0000"}
{"type":"funded","seq":2,"account":"A","amount":"-1.0000","cash":"0.0000"}
)");
}

// ---------------------------------------------------------------------------------------------
// Input errors (§7 "Input errors", decisions 1-3)

TEST_CASE("ledger input: risk, deposit, withdraw and fund with a field missing or of the wrong type", "[input][ledger]") {
  check_input_errors({
      {"risk without mode", R"({"type":"risk","ts":$T})"},
      {"risk mode ON", R"({"type":"risk","ts":$T,"mode":"ON"})"},
      {"risk mode yes", R"({"type":"risk","ts":$T,"mode":"yes"})"},
      {"risk mode bool", R"({"type":"risk","ts":$T,"mode":true})"},
      {"risk mode null", R"({"type":"risk","ts":$T,"mode":null})"},
      {"deposit without account", R"({"type":"deposit","ts":$T,"instrument":"$I","qty":8})"},
      {"deposit without instrument", R"({"type":"deposit","ts":$T,"account":"A","qty":8})"},
      {"deposit without qty", R"({"type":"deposit","ts":$T,"account":"A","instrument":"$I"})"},
      {"deposit qty string", R"({"type":"deposit","ts":$T,"account":"A","instrument":"$I","qty":"8"})"},
      {"deposit qty float", R"({"type":"deposit","ts":$T,"account":"A","instrument":"$I","qty":8.0})"},
      {"deposit qty null", R"({"type":"deposit","ts":$T,"account":"A","instrument":"$I","qty":null})"},
      {"deposit qty above int64", R"({"type":"deposit","ts":$T,"account":"A","instrument":"$I","qty":9223372036854775808})"},
      {"deposit instrument number", R"({"type":"deposit","ts":$T,"account":"A","instrument":7,"qty":8})"},
      {"deposit instrument 65 chars", R"({"type":"deposit","ts":$T,"account":"A","instrument":")" +
                                          std::string(65, 'H') + R"(","qty":8})"},
      {"deposit account with a space", R"({"type":"deposit","ts":$T,"account":"A B","instrument":"$I","qty":8})"},
      {"deposit account 33 chars", R"({"type":"deposit","ts":$T,"account":")" + std::string(33, 'a') +
                                       R"(","instrument":"$I","qty":8})"},
      {"withdraw without qty", R"({"type":"withdraw","ts":$T,"account":"A","instrument":"$I"})"},
      {"withdraw qty string", R"({"type":"withdraw","ts":$T,"account":"A","instrument":"$I","qty":"8"})"},
      {"withdraw instrument null", R"({"type":"withdraw","ts":$T,"account":"A","instrument":null,"qty":8})"},
      {"withdraw account empty", R"({"type":"withdraw","ts":$T,"account":"","instrument":"$I","qty":8})"},
      {"fund without amount", R"({"type":"fund","ts":$T,"account":"A"})"},
      {"fund without account", R"({"type":"fund","ts":$T,"amount":"5"})"},
      {"fund amount number", R"({"type":"fund","ts":$T,"account":"A","amount":5})"},
      {"fund amount float", R"({"type":"fund","ts":$T,"account":"A","amount":5.5})"},
      {"fund amount null", R"({"type":"fund","ts":$T,"account":"A","amount":null})"},
      {"fund amount 41 chars", R"({"type":"fund","ts":$T,"account":"A","amount":")" + std::string(40, '0') +
                                   R"(1"})"},
      {"fund account bad", R"({"type":"fund","ts":$T,"account":"a/b","amount":"5"})"},
  });
}

TEST_CASE("ledger input: a 32-character account is fine for deposit and fund", "[input][ledger]") {
  const std::string acct(32, 'z');
  expect_events(R"({"type":"deposit","ts":$T,"account":")" + acct + R"(","instrument":"$I","qty":8}
{"type":"fund","ts":$T,"account":")" + acct + R"(","amount":"1"})",
                R"({"type":"deposited","seq":1,"account":")" + acct + R"(","instrument":"$I","qty":8}
{"type":"funded","seq":2,"account":")" + acct + R"(","amount":"1.0000","cash":"1.0000"})");
}
