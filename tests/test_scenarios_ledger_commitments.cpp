// SPEC §7 "Commitments": cancels, expiries (gtd, gate, per-hour gates of slices), kills, stp and
// mass cancels and smaller replaces release what resting orders commit; an iceberg commits its
// whole open quantity; commitments and trades move the ledger with risk off too, and risk on then
// sees it.
// Ledger state is observed through events only: a withdraw or a negative fund at an exact
// boundary, `funded`'s cash. Expectations derived by hand from /work/shared/SPEC.md and
// /work/notes/ledger-decisions.md.
//
// Product H100.MEM1 (lot 8, tick 10, ref 2.1000 -> band [1.0500, 3.1500]); hours of 2026-12-01.
// 8 GPUs x 1 hour at 2.0000 cost 16.0000.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "tests/support/scenario.hpp"

using namespace gpux::test;

// ---------------------------------------------------------------------------------------------
// Commitments released

TEST_CASE("ledger commitments: a gtd expiry frees capacity before the withdraw at its deadline", "[scenario][ledger][time]") {
  Scenario s;
  s.setup(R"(
{"type":"deposit","ts":$T,"account":"A","instrument":"$H00+1","qty":8}
{"type":"risk","ts":$T,"mode":"on"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"sell","price":"2.0","qty":8,"tif":"gtd","expire_ts":$T+1000}
)");
  s.expect(R"(
{"type":"withdraw","ts":$T+999,"account":"A","instrument":"$H00+1","qty":8}
{"type":"withdraw","ts":$T+1000,"account":"A","instrument":"$H00+1","qty":8}
)",
         R"(
{"type":"withdraw_rejected","seq":4,"account":"A","instrument":"$H00+1","qty":8,"reason":"no_capacity"}
{"type":"expired","seq":5,"ts":$T+1000,"order_id":3,"account":"A","cl_id":"a1","leaves":8,"reason":"gtd"}
{"type":"withdrawn","seq":5,"account":"A","instrument":"$H00+1","qty":8}
)");
}

TEST_CASE("ledger commitments: a gate closure frees a buy's cash before the fund at that moment", "[scenario][ledger][time]") {
  // $W (one hour) closes at $G; a1 commits 2.0 x 8 = 16.
  Scenario s;
  s.setup(R"(
{"type":"fund","ts":$T,"account":"A","amount":"16"}
{"type":"risk","ts":$T,"mode":"on"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$W","side":"buy","price":"2.0","qty":8}
)");
  s.expect(R"(
{"type":"fund","ts":$G-1,"account":"A","amount":"-16"}
{"type":"fund","ts":$G,"account":"A","amount":"-16"}
)",
         R"(
{"type":"fund_rejected","seq":4,"account":"A","amount":"-16","reason":"no_credit"}
{"type":"expired","seq":5,"ts":$G,"order_id":3,"account":"A","cl_id":"a1","leaves":8,"reason":"gate_closed"}
{"type":"funded","seq":5,"account":"A","amount":"-16.0000","cash":"0.0000"}
)");
}

TEST_CASE("ledger commitments: a kill frees cash and capacity, the killed account withdraws and is funded", "[scenario][ledger]") {
  Scenario s;
  s.setup(R"(
{"type":"fund","ts":$T,"account":"A","amount":"16"}
{"type":"deposit","ts":$T,"account":"A","instrument":"$H00+1","qty":8}
{"type":"risk","ts":$T,"mode":"on"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H01+1","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$H00+1","side":"sell","price":"2.0","qty":8}
)");
  s.expect(R"(
{"type":"fund","ts":$T,"account":"A","amount":"-0.0001"}
{"type":"withdraw","ts":$T,"account":"A","instrument":"$H00+1","qty":8}
{"type":"kill","ts":$T,"account":"A"}
{"type":"fund","ts":$T,"account":"A","amount":"-16"}
{"type":"withdraw","ts":$T,"account":"A","instrument":"$H00+1","qty":8}
)",
         R"(
{"type":"fund_rejected","seq":6,"account":"A","amount":"-0.0001","reason":"no_credit"}
{"type":"withdraw_rejected","seq":7,"account":"A","instrument":"$H00+1","qty":8,"reason":"no_capacity"}
{"type":"killed","seq":8,"account":"A"}
{"type":"canceled","seq":8,"order_id":4,"account":"A","cl_id":"a1","leaves":8,"reason":"kill"}
{"type":"canceled","seq":8,"order_id":5,"account":"A","cl_id":"a2","leaves":8,"reason":"kill"}
{"type":"funded","seq":9,"account":"A","amount":"-16.0000","cash":"0.0000"}
{"type":"withdrawn","seq":10,"account":"A","instrument":"$H00+1","qty":8}
)");
}

TEST_CASE("ledger commitments: stp and mass cancels free what the orders held", "[scenario][ledger][stp]") {
  // A: cash 32, holds 16 in hour 00. a1 buy (hour 01) 16, a2 sell (hour 00) 8.
  // a3 buys hour 00 at 2.0 (16 <= 16 free): its stp cancels a2, then a3 rests.
  Scenario s;
  s.setup(R"(
{"type":"fund","ts":$T,"account":"A","amount":"32"}
{"type":"deposit","ts":$T,"account":"A","instrument":"$H00+1","qty":16}
{"type":"risk","ts":$T,"mode":"on"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H01+1","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$H00+1","side":"sell","price":"2.0","qty":8}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"$H00+1","side":"buy","price":"2.0","qty":8}
{"type":"withdraw","ts":$T,"account":"A","instrument":"$H00+1","qty":16}
{"type":"fund","ts":$T,"account":"A","amount":"-0.0001"}
{"type":"mass_cancel","ts":$T,"account":"A"}
{"type":"fund","ts":$T,"account":"A","amount":"-32"}
)",
         R"(
{"type":"accepted","seq":6,"order_id":6,"account":"A","cl_id":"a3","instrument":"$H00+1","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"canceled","seq":6,"order_id":5,"account":"A","cl_id":"a2","leaves":8,"reason":"stp"}
{"type":"withdrawn","seq":7,"account":"A","instrument":"$H00+1","qty":16}
{"type":"fund_rejected","seq":8,"account":"A","amount":"-0.0001","reason":"no_credit"}
{"type":"canceled","seq":9,"order_id":4,"account":"A","cl_id":"a1","leaves":8,"reason":"mass"}
{"type":"canceled","seq":9,"order_id":6,"account":"A","cl_id":"a3","leaves":8,"reason":"mass"}
{"type":"funded","seq":10,"account":"A","amount":"-32.0000","cash":"0.0000"}
)");
}

TEST_CASE("ledger commitments: with risk off, resting sells still block withdraws, a smaller replace frees", "[scenario][ledger][replace]") {
  Scenario s;
  s.setup(R"(
{"type":"deposit","ts":$T,"account":"A","instrument":"$H00+2","qty":16}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H01+1","side":"sell","price":"2.0","qty":16}
)");
  s.expect(R"(
{"type":"withdraw","ts":$T,"account":"A","instrument":"$H00+2","qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":8}
{"type":"withdraw","ts":$T,"account":"A","instrument":"$H00+2","qty":8}
{"type":"withdraw","ts":$T,"account":"A","instrument":"$H00+1","qty":8}
{"type":"withdraw","ts":$T,"account":"A","instrument":"$H01+1","qty":8}
)",
         R"(
{"type":"withdraw_rejected","seq":3,"account":"A","instrument":"$H00+2","qty":8,"reason":"no_capacity"}
{"type":"replaced","seq":4,"order_id":2,"account":"A","cl_id":"a1","price":"2.0000","qty":8,"priority":"kept"}
{"type":"withdrawn","seq":5,"account":"A","instrument":"$H00+2","qty":8}
{"type":"withdrawn","seq":6,"account":"A","instrument":"$H00+1","qty":8}
{"type":"withdraw_rejected","seq":7,"account":"A","instrument":"$H01+1","qty":8,"reason":"no_capacity"}
)");
}

TEST_CASE("ledger commitments: a buy resting from risk-off time commits cash, seen by fund and by later checks", "[scenario][ledger]") {
  Scenario s;
  s.setup(R"(
{"type":"fund","ts":$T,"account":"A","amount":"100"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"buy","price":"2.0","qty":8}
)");
  s.expect(R"(
{"type":"fund","ts":$T,"account":"A","amount":"-84.0001"}
{"type":"fund","ts":$T,"account":"A","amount":"-84"}
{"type":"risk","ts":$T,"mode":"on"}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$H01+1","side":"buy","price":"1.05","qty":8}
)",
         R"(
{"type":"fund_rejected","seq":3,"account":"A","amount":"-84.0001","reason":"no_credit"}
{"type":"funded","seq":4,"account":"A","amount":"-84.0000","cash":"16.0000"}
{"type":"risk","seq":5,"mode":"on"}
{"type":"rejected","seq":6,"account":"A","cl_id":"a2","reason":"no_credit"}
)");
}

TEST_CASE("ledger trade: with risk off trades drive holdings and cash below 0, risk on then sees it", "[scenario][ledger][trade]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"sell","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$H00+1","side":"buy","price":"2.0","qty":8}
)");
  s.expect(R"(
{"type":"risk","ts":$T,"mode":"on"}
{"type":"deposit","ts":$T,"account":"A","instrument":"$H00+1","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$H00+1","side":"sell","price":"2.0","qty":8}
{"type":"deposit","ts":$T,"account":"A","instrument":"$H00+1","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$H00+1","side":"sell","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b2","instrument":"$H01+1","side":"buy","price":"1.05","qty":8}
{"type":"withdraw","ts":$T,"account":"B","instrument":"$H00+1","qty":8}
{"type":"fund","ts":$T,"account":"B","amount":"16"}
{"type":"fund","ts":$T,"account":"A","amount":"-16"}
)",
         R"(
{"type":"risk","seq":3,"mode":"on"}
{"type":"deposited","seq":4,"account":"A","instrument":"$H00+1","qty":8}
{"type":"rejected","seq":5,"account":"A","cl_id":"a2","reason":"no_capacity"}
{"type":"deposited","seq":6,"account":"A","instrument":"$H00+1","qty":8}
{"type":"accepted","seq":7,"order_id":7,"account":"A","cl_id":"a2","instrument":"$H00+1","side":"sell","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"rejected","seq":8,"account":"B","cl_id":"b2","reason":"no_credit"}
{"type":"withdrawn","seq":9,"account":"B","instrument":"$H00+1","qty":8}
{"type":"funded","seq":10,"account":"B","amount":"16.0000","cash":"0.0000"}
{"type":"funded","seq":11,"account":"A","amount":"-16.0000","cash":"0.0000"}
)");
}

TEST_CASE("ledger commitments: a divisible sell's slices expire at their own hour's gate, each freeing its hour", "[scenario][ledger][time][hours]") {
  // Hour 01 of 2026-11-21 closes at $G (00:55), hour 02 at 01:55.
  Scenario s;
  s.setup(R"(
{"type":"deposit","ts":$T,"account":"A","instrument":"H100.MEM1@2026-11-21T01Z+2h","qty":8}
{"type":"risk","ts":$T,"mode":"on"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-11-21T01Z+2h","side":"sell","price":"2.0","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"withdraw","ts":$G-1,"account":"A","instrument":"$W","qty":8}
{"type":"withdraw","ts":$G,"account":"A","instrument":"$W","qty":8}
{"type":"withdraw","ts":$G,"account":"A","instrument":"H100.MEM1@2026-11-21T02Z+1h","qty":8}
{"type":"cancel","ts":$G,"account":"A","cl_id":"a1"}
{"type":"withdraw","ts":$G,"account":"A","instrument":"H100.MEM1@2026-11-21T02Z+1h","qty":8}
)",
         R"(
{"type":"withdraw_rejected","seq":4,"account":"A","instrument":"$W","qty":8,"reason":"no_capacity"}
{"type":"expired","seq":5,"ts":$G,"order_id":3,"account":"A","cl_id":"a1","instrument":"$W","leaves":8,"reason":"gate_closed"}
{"type":"withdrawn","seq":5,"account":"A","instrument":"$W","qty":8}
{"type":"withdraw_rejected","seq":6,"account":"A","instrument":"H100.MEM1@2026-11-21T02Z+1h","qty":8,"reason":"no_capacity"}
{"type":"canceled","seq":7,"order_id":3,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-11-21T02Z+1h","leaves":8,"reason":"user"}
{"type":"withdrawn","seq":8,"account":"A","instrument":"H100.MEM1@2026-11-21T02Z+1h","qty":8}
)");
}

TEST_CASE("ledger commitments: an iceberg commits its whole open quantity, not its clip", "[scenario][ledger]") {
  // a1 sells 24 showing 8; b1 buys 16 showing 8 (2.0 x 16 = 32 of B's 48).
  Scenario s;
  s.setup(R"(
{"type":"deposit","ts":$T,"account":"A","instrument":"$H00+1","qty":24}
{"type":"fund","ts":$T,"account":"B","amount":"48"}
{"type":"risk","ts":$T,"mode":"on"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"sell","price":"2.0","qty":24,"display_qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$H01+1","side":"buy","price":"2.0","qty":16,"display_qty":8}
)");
  s.expect(R"(
{"type":"withdraw","ts":$T,"account":"A","instrument":"$H00+1","qty":8}
{"type":"fund","ts":$T,"account":"B","amount":"-16.0001"}
{"type":"fund","ts":$T,"account":"B","amount":"-16"}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":16}
{"type":"withdraw","ts":$T,"account":"A","instrument":"$H00+1","qty":8}
)",
         R"(
{"type":"withdraw_rejected","seq":6,"account":"A","instrument":"$H00+1","qty":8,"reason":"no_capacity"}
{"type":"fund_rejected","seq":7,"account":"B","amount":"-16.0001","reason":"no_credit"}
{"type":"funded","seq":8,"account":"B","amount":"-16.0000","cash":"32.0000"}
{"type":"replaced","seq":9,"order_id":4,"account":"A","cl_id":"a1","price":"2.0000","qty":16,"priority":"kept"}
{"type":"withdrawn","seq":10,"account":"A","instrument":"$H00+1","qty":8}
)");
}

TEST_CASE("ledger commitments: a kill frees every slice of divisible orders", "[scenario][ledger][hours]") {
  // A sells hours 00-02 (8 each) and buys hours 03-04 at 2.0 (16 each, 32 of cash 32).
  Scenario s;
  s.setup(R"(
{"type":"deposit","ts":$T,"account":"A","instrument":"$H00+3","qty":8}
{"type":"fund","ts":$T,"account":"A","amount":"32"}
{"type":"risk","ts":$T,"mode":"on"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+3","side":"sell","price":"2.0","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$H03+2","side":"buy","price":"2.0","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"withdraw","ts":$T,"account":"A","instrument":"$H02+1","qty":8}
{"type":"fund","ts":$T,"account":"A","amount":"-0.0001"}
{"type":"kill","ts":$T,"account":"A"}
{"type":"withdraw","ts":$T,"account":"A","instrument":"$H00+3","qty":8}
{"type":"fund","ts":$T,"account":"A","amount":"-32"}
)",
         R"(
{"type":"withdraw_rejected","seq":6,"account":"A","instrument":"$H02+1","qty":8,"reason":"no_capacity"}
{"type":"fund_rejected","seq":7,"account":"A","amount":"-0.0001","reason":"no_credit"}
{"type":"killed","seq":8,"account":"A"}
{"type":"canceled","seq":8,"order_id":4,"account":"A","cl_id":"a1","instrument":"$H00+3","leaves":8,"reason":"kill"}
{"type":"canceled","seq":8,"order_id":5,"account":"A","cl_id":"a2","instrument":"$H03+2","leaves":8,"reason":"kill"}
{"type":"withdrawn","seq":9,"account":"A","instrument":"$H00+3","qty":8}
{"type":"funded","seq":10,"account":"A","amount":"-32.0000","cash":"0.0000"}
)");
}

TEST_CASE("ledger commands: risk, deposit and fund run the expiries due at their ts first", "[scenario][ledger][time]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"sell","price":"2.0","qty":8,"tif":"gtd","expire_ts":$T+10}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$H00+1","side":"sell","price":"2.0","qty":8,"tif":"gtd","expire_ts":$T+20}
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"$H00+1","side":"buy","price":"1.9","qty":8,"tif":"gtd","expire_ts":$T+30}
)");
  s.expect(R"(
{"type":"risk","ts":$T+10,"mode":"on"}
{"type":"deposit","ts":$T+20,"account":"A","instrument":"$H00+1","qty":8}
{"type":"fund","ts":$T+30,"account":"A","amount":"1"}
{"type":"withdraw","ts":$T+30,"account":"A","instrument":"$H00+1","qty":8}
)",
         R"(
{"type":"expired","seq":4,"ts":$T+10,"order_id":1,"account":"A","cl_id":"a1","leaves":8,"reason":"gtd"}
{"type":"risk","seq":4,"mode":"on"}
{"type":"expired","seq":5,"ts":$T+20,"order_id":2,"account":"A","cl_id":"a2","leaves":8,"reason":"gtd"}
{"type":"deposited","seq":5,"account":"A","instrument":"$H00+1","qty":8}
{"type":"expired","seq":6,"ts":$T+30,"order_id":3,"account":"A","cl_id":"a3","leaves":8,"reason":"gtd"}
{"type":"funded","seq":6,"account":"A","amount":"1.0000","cash":"1.0000"}
{"type":"withdrawn","seq":7,"account":"A","instrument":"$H00+1","qty":8}
)");
}
