// SPEC §7 "Ledger": a trade moves qty GPUs in each hour of its rectangle from seller to buyer and
// price x qty x hours of cash from buyer to seller: window book trades, replaces that cross,
// sweeps, standing blocks, divisible orders; bought capacity can be sold again over a sub-window;
// a resting order partly filled keeps committing its open quantity (a buy at its own limit).
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
// Window book trades

TEST_CASE("ledger trade: a block moves its GPUs in every hour and price x qty x hours of cash", "[scenario][ledger][trade]") {
  // $I is 24 hours: B's check 2.2 x 8 x 24 = 422.4; the trade at 2.0 costs 384.
  Scenario s;
  s.setup(R"(
{"type":"deposit","ts":$T,"account":"S","instrument":"$I","qty":8}
{"type":"fund","ts":$T,"account":"B","amount":"422.4"}
{"type":"risk","ts":$T,"mode":"on"}
{"type":"new","ts":$T,"account":"S","cl_id":"s1","instrument":"$I","side":"sell","price":"2.0","qty":8}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"buy","price":"2.2","qty":8}
{"type":"withdraw","ts":$T,"account":"S","instrument":"$H00+1","qty":8}
{"type":"withdraw","ts":$T,"account":"S","instrument":"$H23+1","qty":8}
{"type":"withdraw","ts":$T,"account":"B","instrument":"$I","qty":8}
{"type":"fund","ts":$T,"account":"B","amount":"-38.4001"}
{"type":"fund","ts":$T,"account":"B","amount":"-38.4"}
{"type":"fund","ts":$T,"account":"S","amount":"-384"}
)",
         R"(
{"type":"accepted","seq":5,"order_id":5,"account":"B","cl_id":"b1","instrument":"$I","side":"buy","order_type":"limit","price":"2.2000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":5,"match":1,"instrument":"$I","price":"2.0000","qty":8,"buy_order_id":5,"sell_order_id":4,"buy_account":"B","sell_account":"S","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
{"type":"withdraw_rejected","seq":6,"account":"S","instrument":"$H00+1","qty":8,"reason":"no_capacity"}
{"type":"withdraw_rejected","seq":7,"account":"S","instrument":"$H23+1","qty":8,"reason":"no_capacity"}
{"type":"withdrawn","seq":8,"account":"B","instrument":"$I","qty":8}
{"type":"fund_rejected","seq":9,"account":"B","amount":"-38.4001","reason":"no_credit"}
{"type":"funded","seq":10,"account":"B","amount":"-38.4000","cash":"0.0000"}
{"type":"funded","seq":11,"account":"S","amount":"-384.0000","cash":"0.0000"}
)");
}

TEST_CASE("ledger trade: a resting buy partly filled commits its limit x open, free cash is exact", "[scenario][ledger][trade]") {
  // B: cash 50, b1 16 x 2.0 = 32. S fills 8 at 2.0: cash 34, committed 16, free 18.
  Scenario s;
  s.setup(R"(
{"type":"fund","ts":$T,"account":"B","amount":"50"}
{"type":"deposit","ts":$T,"account":"S","instrument":"$H00+1","qty":8}
{"type":"risk","ts":$T,"mode":"on"}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$H00+1","side":"buy","price":"2.0","qty":16}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"S","cl_id":"s1","instrument":"$H00+1","side":"sell","price":"1.9","qty":8}
{"type":"fund","ts":$T,"account":"B","amount":"-18.0001"}
{"type":"fund","ts":$T,"account":"B","amount":"-18"}
{"type":"cancel","ts":$T,"account":"B","cl_id":"b1"}
{"type":"fund","ts":$T,"account":"B","amount":"-16"}
{"type":"fund","ts":$T,"account":"S","amount":"-16"}
{"type":"withdraw","ts":$T,"account":"S","instrument":"$H00+1","qty":8}
)",
         R"(
{"type":"accepted","seq":5,"order_id":5,"account":"S","cl_id":"s1","instrument":"$H00+1","side":"sell","order_type":"limit","price":"1.9000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":5,"match":1,"instrument":"$H00+1","price":"2.0000","qty":8,"buy_order_id":4,"sell_order_id":5,"buy_account":"B","sell_account":"S","aggressor":"sell","buy_leaves":8,"sell_leaves":0}
{"type":"fund_rejected","seq":6,"account":"B","amount":"-18.0001","reason":"no_credit"}
{"type":"funded","seq":7,"account":"B","amount":"-18.0000","cash":"16.0000"}
{"type":"canceled","seq":8,"order_id":4,"account":"B","cl_id":"b1","leaves":8,"reason":"user"}
{"type":"funded","seq":9,"account":"B","amount":"-16.0000","cash":"0.0000"}
{"type":"funded","seq":10,"account":"S","amount":"-16.0000","cash":"0.0000"}
{"type":"withdraw_rejected","seq":11,"account":"S","instrument":"$H00+1","qty":8,"reason":"no_capacity"}
)");
}

TEST_CASE("ledger trade: a resting sell partly filled keeps its open quantity committed", "[scenario][ledger][trade]") {
  // S holds 16 in hours 00-01 and offers them all; B's ioc takes 8 (2.0 x 8 x 2 = 32).
  Scenario s;
  s.setup(R"(
{"type":"deposit","ts":$T,"account":"S","instrument":"$H00+2","qty":16}
{"type":"risk","ts":$T,"mode":"on"}
{"type":"new","ts":$T,"account":"S","cl_id":"s1","instrument":"$H00+2","side":"sell","price":"2.0","qty":16}
{"type":"fund","ts":$T,"account":"B","amount":"32"}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$H00+2","side":"buy","price":"2.0","qty":8,"tif":"ioc"}
{"type":"withdraw","ts":$T,"account":"S","instrument":"$H00+1","qty":8}
{"type":"new","ts":$T,"account":"S","cl_id":"s2","instrument":"$H01+1","side":"sell","price":"2.0","qty":8}
{"type":"cancel","ts":$T,"account":"S","cl_id":"s1"}
{"type":"withdraw","ts":$T,"account":"S","instrument":"$H00+2","qty":8}
{"type":"withdraw","ts":$T,"account":"S","instrument":"$H00+2","qty":8}
{"type":"withdraw","ts":$T,"account":"B","instrument":"$H00+2","qty":8}
{"type":"fund","ts":$T,"account":"S","amount":"-32"}
{"type":"fund","ts":$T,"account":"B","amount":"-0.0001"}
)",
         R"(
{"type":"accepted","seq":5,"order_id":5,"account":"B","cl_id":"b1","instrument":"$H00+2","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"ioc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":5,"match":1,"instrument":"$H00+2","price":"2.0000","qty":8,"buy_order_id":5,"sell_order_id":3,"buy_account":"B","sell_account":"S","aggressor":"buy","buy_leaves":0,"sell_leaves":8}
{"type":"withdraw_rejected","seq":6,"account":"S","instrument":"$H00+1","qty":8,"reason":"no_capacity"}
{"type":"rejected","seq":7,"account":"S","cl_id":"s2","reason":"no_capacity"}
{"type":"canceled","seq":8,"order_id":3,"account":"S","cl_id":"s1","leaves":8,"reason":"user"}
{"type":"withdrawn","seq":9,"account":"S","instrument":"$H00+2","qty":8}
{"type":"withdraw_rejected","seq":10,"account":"S","instrument":"$H00+2","qty":8,"reason":"no_capacity"}
{"type":"withdrawn","seq":11,"account":"B","instrument":"$H00+2","qty":8}
{"type":"funded","seq":12,"account":"S","amount":"-32.0000","cash":"0.0000"}
{"type":"fund_rejected","seq":13,"account":"B","amount":"-0.0001","reason":"no_credit"}
)");
}

TEST_CASE("ledger trade: an ioc buy's canceled rest commits nothing", "[scenario][ledger][trade]") {
  Scenario s;
  s.setup(R"(
{"type":"deposit","ts":$T,"account":"S","instrument":"$H00+1","qty":8}
{"type":"risk","ts":$T,"mode":"on"}
{"type":"new","ts":$T,"account":"S","cl_id":"s1","instrument":"$H00+1","side":"sell","price":"2.0","qty":8}
{"type":"fund","ts":$T,"account":"A","amount":"32"}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"buy","price":"2.0","qty":16,"tif":"ioc"}
{"type":"fund","ts":$T,"account":"A","amount":"-16"}
)",
         R"(
{"type":"accepted","seq":5,"order_id":5,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"buy","order_type":"limit","price":"2.0000","qty":16,"tif":"ioc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":5,"match":1,"instrument":"$H00+1","price":"2.0000","qty":8,"buy_order_id":5,"sell_order_id":3,"buy_account":"A","sell_account":"S","aggressor":"buy","buy_leaves":8,"sell_leaves":0}
{"type":"canceled","seq":5,"order_id":5,"account":"A","cl_id":"a1","leaves":8,"reason":"ioc"}
{"type":"funded","seq":6,"account":"A","amount":"-16.0000","cash":"0.0000"}
)");
}

TEST_CASE("ledger trade: a replace that crosses trades, paying out of its old commitment", "[scenario][ledger][trade][replace]") {
  // A: cash 16, a1 1.9 x 8 = 15.2 (free 0.8). To 2.0: 16 <= 0.8 + 15.2.
  Scenario s;
  s.setup(R"(
{"type":"deposit","ts":$T,"account":"S","instrument":"$H00+1","qty":8}
{"type":"fund","ts":$T,"account":"A","amount":"16"}
{"type":"risk","ts":$T,"mode":"on"}
{"type":"new","ts":$T,"account":"S","cl_id":"s1","instrument":"$H00+1","side":"sell","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"buy","price":"1.9","qty":8}
)");
  s.expect(R"(
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":8}
{"type":"fund","ts":$T,"account":"A","amount":"-0.0001"}
{"type":"withdraw","ts":$T,"account":"A","instrument":"$H00+1","qty":8}
{"type":"fund","ts":$T,"account":"S","amount":"-16"}
)",
         R"(
{"type":"replaced","seq":6,"order_id":5,"account":"A","cl_id":"a1","price":"2.0000","qty":8,"priority":"lost"}
{"type":"trade","seq":6,"match":1,"instrument":"$H00+1","price":"2.0000","qty":8,"buy_order_id":5,"sell_order_id":4,"buy_account":"A","sell_account":"S","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
{"type":"fund_rejected","seq":7,"account":"A","amount":"-0.0001","reason":"no_credit"}
{"type":"withdrawn","seq":8,"account":"A","instrument":"$H00+1","qty":8}
{"type":"funded","seq":9,"account":"S","amount":"-16.0000","cash":"0.0000"}
)");
}

TEST_CASE("ledger trade: a lab sells again what it bought, over a sub-window only", "[scenario][ledger][trade]") {
  // L buys $I (00-24) from O for 384, then sells hours 06-12 to M at 2.5 (2.5 x 8 x 6 = 120).
  Scenario s;
  s.setup(R"(
{"type":"deposit","ts":$T,"account":"O","instrument":"$I","qty":8}
{"type":"fund","ts":$T,"account":"L","amount":"384"}
{"type":"fund","ts":$T,"account":"M","amount":"120"}
{"type":"risk","ts":$T,"mode":"on"}
{"type":"new","ts":$T,"account":"O","cl_id":"o1","instrument":"$I","side":"sell","price":"2.0","qty":8}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"L","cl_id":"l1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"O","cl_id":"o2","instrument":"$H06+6","side":"sell","price":"2.5","qty":8}
{"type":"new","ts":$T,"account":"L","cl_id":"l2","instrument":"$H06+6","side":"sell","price":"2.5","qty":16}
{"type":"new","ts":$T,"account":"L","cl_id":"l2","instrument":"H100.MEM1@2026-11-30T23Z+2h","side":"sell","price":"2.5","qty":8}
{"type":"new","ts":$T,"account":"L","cl_id":"l2","instrument":"$H06+6","side":"sell","price":"2.5","qty":8}
{"type":"new","ts":$T,"account":"M","cl_id":"m1","instrument":"$H06+6","side":"buy","price":"2.5","qty":8}
{"type":"withdraw","ts":$T,"account":"L","instrument":"$I","qty":8}
{"type":"withdraw","ts":$T,"account":"L","instrument":"$H00+6","qty":8}
{"type":"withdraw","ts":$T,"account":"L","instrument":"$H12+12","qty":8}
{"type":"withdraw","ts":$T,"account":"M","instrument":"$H06+6","qty":8}
{"type":"fund","ts":$T,"account":"L","amount":"-120"}
{"type":"fund","ts":$T,"account":"O","amount":"-384"}
{"type":"fund","ts":$T,"account":"M","amount":"-0.0001"}
)",
         R"(
{"type":"accepted","seq":6,"order_id":6,"account":"L","cl_id":"l1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":6,"match":1,"instrument":"$I","price":"2.0000","qty":8,"buy_order_id":6,"sell_order_id":5,"buy_account":"L","sell_account":"O","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
{"type":"rejected","seq":7,"account":"O","cl_id":"o2","reason":"no_capacity"}
{"type":"rejected","seq":8,"account":"L","cl_id":"l2","reason":"no_capacity"}
{"type":"rejected","seq":9,"account":"L","cl_id":"l2","reason":"no_capacity"}
{"type":"accepted","seq":10,"order_id":10,"account":"L","cl_id":"l2","instrument":"$H06+6","side":"sell","order_type":"limit","price":"2.5000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":11,"order_id":11,"account":"M","cl_id":"m1","instrument":"$H06+6","side":"buy","order_type":"limit","price":"2.5000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":11,"match":1,"instrument":"$H06+6","price":"2.5000","qty":8,"buy_order_id":11,"sell_order_id":10,"buy_account":"M","sell_account":"L","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
{"type":"withdraw_rejected","seq":12,"account":"L","instrument":"$I","qty":8,"reason":"no_capacity"}
{"type":"withdrawn","seq":13,"account":"L","instrument":"$H00+6","qty":8}
{"type":"withdrawn","seq":14,"account":"L","instrument":"$H12+12","qty":8}
{"type":"withdrawn","seq":15,"account":"M","instrument":"$H06+6","qty":8}
{"type":"funded","seq":16,"account":"L","amount":"-120.0000","cash":"0.0000"}
{"type":"funded","seq":17,"account":"O","amount":"-384.0000","cash":"0.0000"}
{"type":"fund_rejected","seq":18,"account":"M","amount":"-0.0001","reason":"no_credit"}
)");
}

// ---------------------------------------------------------------------------------------------
// Hours: sweeps, standing blocks, divisible orders

TEST_CASE("ledger trade: a sweep moves each hour's trade at that slice's price", "[scenario][ledger][trade][hours]") {
  // Slices: S 2.0 in hours 00-01, C 1.9 in hour 01. B's block 00-01 at 2.1 (check 33.6) takes
  // S's hour 00 (16.0) and C's hour 01 (15.2): it pays 31.2.
  Scenario s;
  s.setup(R"(
{"type":"deposit","ts":$T,"account":"S","instrument":"$H00+2","qty":8}
{"type":"deposit","ts":$T,"account":"C","instrument":"$H01+1","qty":8}
{"type":"fund","ts":$T,"account":"B","amount":"33.6"}
{"type":"risk","ts":$T,"mode":"on"}
{"type":"new","ts":$T,"account":"S","cl_id":"s1","instrument":"$H00+2","side":"sell","price":"2.0","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"$H01+1","side":"sell","price":"1.9","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$H00+2","side":"buy","price":"2.1","qty":8}
{"type":"fund","ts":$T,"account":"B","amount":"-2.4001"}
{"type":"fund","ts":$T,"account":"B","amount":"-2.4"}
{"type":"withdraw","ts":$T,"account":"S","instrument":"$H01+1","qty":8}
{"type":"cancel","ts":$T,"account":"S","cl_id":"s1"}
{"type":"withdraw","ts":$T,"account":"S","instrument":"$H01+1","qty":8}
{"type":"withdraw","ts":$T,"account":"S","instrument":"$H00+1","qty":8}
{"type":"fund","ts":$T,"account":"S","amount":"-16"}
{"type":"fund","ts":$T,"account":"C","amount":"-15.2"}
{"type":"withdraw","ts":$T,"account":"B","instrument":"$H00+2","qty":8}
)",
         R"(
{"type":"accepted","seq":7,"order_id":7,"account":"B","cl_id":"b1","instrument":"$H00+2","side":"buy","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":7,"match":1,"instrument":"$H00+1","price":"2.0000","qty":8,"buy_order_id":7,"sell_order_id":5,"buy_account":"B","sell_account":"S","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
{"type":"trade","seq":7,"match":2,"instrument":"$H01+1","price":"1.9000","qty":8,"buy_order_id":7,"sell_order_id":6,"buy_account":"B","sell_account":"C","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
{"type":"fund_rejected","seq":8,"account":"B","amount":"-2.4001","reason":"no_credit"}
{"type":"funded","seq":9,"account":"B","amount":"-2.4000","cash":"0.0000"}
{"type":"withdraw_rejected","seq":10,"account":"S","instrument":"$H01+1","qty":8,"reason":"no_capacity"}
{"type":"canceled","seq":11,"order_id":5,"account":"S","cl_id":"s1","instrument":"$H01+1","leaves":8,"reason":"user"}
{"type":"withdrawn","seq":12,"account":"S","instrument":"$H01+1","qty":8}
{"type":"withdraw_rejected","seq":13,"account":"S","instrument":"$H00+1","qty":8,"reason":"no_capacity"}
{"type":"funded","seq":14,"account":"S","amount":"-16.0000","cash":"0.0000"}
{"type":"funded","seq":15,"account":"C","amount":"-15.2000","cash":"0.0000"}
{"type":"withdrawn","seq":16,"account":"B","instrument":"$H00+2","qty":8}
)");
}

TEST_CASE("ledger trade: a standing buy block sweeps new slices at its own price, its commitment is spent", "[scenario][ledger][trade][hours]") {
  // B's block 00-01 at 2.2 commits 35.2 and pays 35.2 (the block is earlier than S's slices).
  Scenario s;
  s.setup(R"(
{"type":"fund","ts":$T,"account":"B","amount":"35.2"}
{"type":"deposit","ts":$T,"account":"S","instrument":"$H00+2","qty":8}
{"type":"risk","ts":$T,"mode":"on"}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$H00+2","side":"buy","price":"2.2","qty":8}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"S","cl_id":"s1","instrument":"$H00+2","side":"sell","price":"2.0","qty":8,"divisible":true}
{"type":"fund","ts":$T,"account":"B","amount":"-0.0001"}
{"type":"fund","ts":$T,"account":"S","amount":"-35.2"}
{"type":"withdraw","ts":$T,"account":"B","instrument":"$H00+2","qty":8}
{"type":"withdraw","ts":$T,"account":"S","instrument":"$H00+1","qty":8}
)",
         R"(
{"type":"accepted","seq":5,"order_id":5,"account":"S","cl_id":"s1","instrument":"$H00+2","side":"sell","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"trade","seq":5,"match":1,"instrument":"$H00+2","price":"2.2000","qty":8,"buy_order_id":4,"sell_order_id":5,"buy_account":"B","sell_account":"S","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
{"type":"fund_rejected","seq":6,"account":"B","amount":"-0.0001","reason":"no_credit"}
{"type":"funded","seq":7,"account":"S","amount":"-35.2000","cash":"0.0000"}
{"type":"withdrawn","seq":8,"account":"B","instrument":"$H00+2","qty":8}
{"type":"withdraw_rejected","seq":9,"account":"S","instrument":"$H00+1","qty":8,"reason":"no_capacity"}
)");
}

TEST_CASE("ledger trade: a standing sell block fills buy slices below their limit, the rest is freed", "[scenario][ledger][trade][hours]") {
  // B's slices commit 2.2 x 8 per hour (35.2); S's earlier block sells at 2.0: B pays 32.
  Scenario s;
  s.setup(R"(
{"type":"deposit","ts":$T,"account":"S","instrument":"$H00+2","qty":8}
{"type":"fund","ts":$T,"account":"B","amount":"35.2"}
{"type":"risk","ts":$T,"mode":"on"}
{"type":"new","ts":$T,"account":"S","cl_id":"s1","instrument":"$H00+2","side":"sell","price":"2.0","qty":8}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$H00+2","side":"buy","price":"2.2","qty":8,"divisible":true}
{"type":"fund","ts":$T,"account":"B","amount":"-3.2001"}
{"type":"fund","ts":$T,"account":"B","amount":"-3.2"}
{"type":"fund","ts":$T,"account":"S","amount":"-32"}
{"type":"withdraw","ts":$T,"account":"B","instrument":"$H00+2","qty":8}
)",
         R"(
{"type":"accepted","seq":5,"order_id":5,"account":"B","cl_id":"b1","instrument":"$H00+2","side":"buy","order_type":"limit","price":"2.2000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"trade","seq":5,"match":1,"instrument":"$H00+2","price":"2.0000","qty":8,"buy_order_id":5,"sell_order_id":4,"buy_account":"B","sell_account":"S","aggressor":"sell","buy_leaves":0,"sell_leaves":0}
{"type":"fund_rejected","seq":6,"account":"B","amount":"-3.2001","reason":"no_credit"}
{"type":"funded","seq":7,"account":"B","amount":"-3.2000","cash":"0.0000"}
{"type":"funded","seq":8,"account":"S","amount":"-32.0000","cash":"0.0000"}
{"type":"withdrawn","seq":9,"account":"B","instrument":"$H00+2","qty":8}
)");
}

TEST_CASE("ledger trade: a divisible buy pays the resting slice's price, each resting slice commits price x open", "[scenario][ledger][trade][hours]") {
  // B's check 2.0 x 8 x 3 = 48. Hour 01 trades at C's 1.9 (15.2); hours 00 and 02 rest (32).
  Scenario s;
  s.setup(R"(
{"type":"deposit","ts":$T,"account":"C","instrument":"$H01+1","qty":8}
{"type":"fund","ts":$T,"account":"B","amount":"48"}
{"type":"risk","ts":$T,"mode":"on"}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"$H01+1","side":"sell","price":"1.9","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$H00+3","side":"buy","price":"2.0","qty":8,"divisible":true}
{"type":"fund","ts":$T,"account":"B","amount":"-0.8001"}
{"type":"fund","ts":$T,"account":"B","amount":"-0.8"}
{"type":"cancel","ts":$T,"account":"B","cl_id":"b1"}
{"type":"fund","ts":$T,"account":"B","amount":"-32"}
{"type":"withdraw","ts":$T,"account":"B","instrument":"$H01+1","qty":8}
{"type":"fund","ts":$T,"account":"C","amount":"-15.2"}
)",
         R"(
{"type":"accepted","seq":5,"order_id":5,"account":"B","cl_id":"b1","instrument":"$H00+3","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"trade","seq":5,"match":1,"instrument":"$H01+1","price":"1.9000","qty":8,"buy_order_id":5,"sell_order_id":4,"buy_account":"B","sell_account":"C","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
{"type":"fund_rejected","seq":6,"account":"B","amount":"-0.8001","reason":"no_credit"}
{"type":"funded","seq":7,"account":"B","amount":"-0.8000","cash":"32.0000"}
{"type":"canceled","seq":8,"order_id":5,"account":"B","cl_id":"b1","instrument":"$H00+1","leaves":8,"reason":"user"}
{"type":"canceled","seq":8,"order_id":5,"account":"B","cl_id":"b1","instrument":"$H02+1","leaves":8,"reason":"user"}
{"type":"funded","seq":9,"account":"B","amount":"-32.0000","cash":"0.0000"}
{"type":"withdrawn","seq":10,"account":"B","instrument":"$H01+1","qty":8}
{"type":"funded","seq":11,"account":"C","amount":"-15.2000","cash":"0.0000"}
)");
}

TEST_CASE("ledger trade: a divisible sell traded in one hour moves only that hour", "[scenario][ledger][trade][hours]") {
  Scenario s;
  s.setup(R"(
{"type":"deposit","ts":$T,"account":"O","instrument":"$H00+3","qty":8}
{"type":"fund","ts":$T,"account":"B","amount":"16"}
{"type":"risk","ts":$T,"mode":"on"}
{"type":"new","ts":$T,"account":"O","cl_id":"o1","instrument":"$H00+3","side":"sell","price":"2.0","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$H01+1","side":"buy","price":"2.0","qty":8,"divisible":true}
{"type":"withdraw","ts":$T,"account":"O","instrument":"$H00+1","qty":8}
{"type":"cancel","ts":$T,"account":"O","cl_id":"o1"}
{"type":"withdraw","ts":$T,"account":"O","instrument":"$H00+1","qty":8}
{"type":"withdraw","ts":$T,"account":"O","instrument":"$H01+1","qty":8}
{"type":"withdraw","ts":$T,"account":"O","instrument":"$H02+1","qty":8}
{"type":"withdraw","ts":$T,"account":"B","instrument":"$H01+1","qty":8}
{"type":"fund","ts":$T,"account":"O","amount":"-16"}
)",
         R"(
{"type":"accepted","seq":5,"order_id":5,"account":"B","cl_id":"b1","instrument":"$H01+1","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"trade","seq":5,"match":1,"instrument":"$H01+1","price":"2.0000","qty":8,"buy_order_id":5,"sell_order_id":4,"buy_account":"B","sell_account":"O","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
{"type":"withdraw_rejected","seq":6,"account":"O","instrument":"$H00+1","qty":8,"reason":"no_capacity"}
{"type":"canceled","seq":7,"order_id":4,"account":"O","cl_id":"o1","instrument":"$H00+1","leaves":8,"reason":"user"}
{"type":"canceled","seq":7,"order_id":4,"account":"O","cl_id":"o1","instrument":"$H02+1","leaves":8,"reason":"user"}
{"type":"withdrawn","seq":8,"account":"O","instrument":"$H00+1","qty":8}
{"type":"withdraw_rejected","seq":9,"account":"O","instrument":"$H01+1","qty":8,"reason":"no_capacity"}
{"type":"withdrawn","seq":10,"account":"O","instrument":"$H02+1","qty":8}
{"type":"withdrawn","seq":11,"account":"B","instrument":"$H01+1","qty":8}
{"type":"funded","seq":12,"account":"O","amount":"-16.0000","cash":"0.0000"}
)");
}

TEST_CASE("ledger trade: a divisible buy replaced to a crossing price pays the resting slices", "[scenario][ledger][trade][replace][hours]") {
  // B: cash 32, b1 1.9 x 8 x 2 = 30.4 (free 1.6). To 2.0: 32 <= 1.6 + 30.4, then it meets
  // S's slices at 2.0 in both hours (one merged trade).
  Scenario s;
  s.setup(R"(
{"type":"fund","ts":$T,"account":"B","amount":"32"}
{"type":"deposit","ts":$T,"account":"S","instrument":"$H00+2","qty":8}
{"type":"risk","ts":$T,"mode":"on"}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$H00+2","side":"buy","price":"1.9","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"S","cl_id":"s1","instrument":"$H00+2","side":"sell","price":"2.0","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"replace","ts":$T,"account":"B","cl_id":"b1","price":"2.0","qty":8}
{"type":"fund","ts":$T,"account":"B","amount":"-0.0001"}
{"type":"fund","ts":$T,"account":"S","amount":"-32"}
{"type":"withdraw","ts":$T,"account":"B","instrument":"$H00+2","qty":8}
{"type":"withdraw","ts":$T,"account":"S","instrument":"$H01+1","qty":8}
)",
         R"(
{"type":"replaced","seq":6,"order_id":4,"account":"B","cl_id":"b1","price":"2.0000","qty":8,"priority":"lost"}
{"type":"trade","seq":6,"match":1,"instrument":"$H00+2","price":"2.0000","qty":8,"buy_order_id":4,"sell_order_id":5,"buy_account":"B","sell_account":"S","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
{"type":"fund_rejected","seq":7,"account":"B","amount":"-0.0001","reason":"no_credit"}
{"type":"funded","seq":8,"account":"S","amount":"-32.0000","cash":"0.0000"}
{"type":"withdrawn","seq":9,"account":"B","instrument":"$H00+2","qty":8}
{"type":"withdraw_rejected","seq":10,"account":"S","instrument":"$H01+1","qty":8,"reason":"no_capacity"}
)");
}

TEST_CASE("ledger trade: a block replaced to a crossing price sweeps at the slices' price, below its limit", "[scenario][ledger][trade][replace][hours]") {
  // B: cash 35.2, b1 block 1.9 x 8 x 2 = 30.4 (free 4.8). To 2.2: 35.2 <= 4.8 + 30.4; it sweeps
  // S's older slices at 2.0 and pays 32.
  Scenario s;
  s.setup(R"(
{"type":"fund","ts":$T,"account":"B","amount":"35.2"}
{"type":"deposit","ts":$T,"account":"S","instrument":"$H00+2","qty":8}
{"type":"risk","ts":$T,"mode":"on"}
{"type":"new","ts":$T,"account":"S","cl_id":"s1","instrument":"$H00+2","side":"sell","price":"2.0","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$H00+2","side":"buy","price":"1.9","qty":8}
)");
  s.expect(R"(
{"type":"replace","ts":$T,"account":"B","cl_id":"b1","price":"2.2","qty":8}
{"type":"fund","ts":$T,"account":"B","amount":"-3.2001"}
{"type":"fund","ts":$T,"account":"B","amount":"-3.2"}
{"type":"fund","ts":$T,"account":"S","amount":"-32"}
)",
         R"(
{"type":"replaced","seq":6,"order_id":5,"account":"B","cl_id":"b1","price":"2.2000","qty":8,"priority":"lost"}
{"type":"trade","seq":6,"match":1,"instrument":"$H00+2","price":"2.0000","qty":8,"buy_order_id":5,"sell_order_id":4,"buy_account":"B","sell_account":"S","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
{"type":"fund_rejected","seq":7,"account":"B","amount":"-3.2001","reason":"no_credit"}
{"type":"funded","seq":8,"account":"B","amount":"-3.2000","cash":"0.0000"}
{"type":"funded","seq":9,"account":"S","amount":"-32.0000","cash":"0.0000"}
)");
}
