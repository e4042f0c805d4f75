// SPEC §7 "Checks" of `new` with §3's order: a sell needs free capacity of qty in every hour of
// its window (no_capacity), a buy price x qty x hours of free cash (no_credit; a market buy at its
// protection price), both after duplicate_cl_id and before post_only (and, decision 10, before
// the per-account order limit); block and divisible, gtc/ioc/fok/market; risk off at the start
// and after `risk off`. Ledger state is observed through events only.
// Expectations derived by hand from /work/shared/SPEC.md and /work/notes/ledger-decisions.md.
//
// Product H100.MEM1 (lot 8, tick 10, ref 2.1000 -> band [1.0500, 3.1500]); hours of 2026-12-01.
// 8 GPUs x 1 hour at 2.0000 cost 16.0000.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "tests/support/scenario.hpp"

using namespace gpux::test;

TEST_CASE("ledger checks: off at the start, a sell with no holdings and a buy with no cash trade", "[scenario][ledger]") {
  Scenario s;
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"sell","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$H00+1","side":"buy","price":"2.0","qty":8}
)",
         R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"sell","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"B","cl_id":"b1","instrument":"$H00+1","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":2,"match":1,"instrument":"$H00+1","price":"2.0000","qty":8,"buy_order_id":2,"sell_order_id":1,"buy_account":"B","sell_account":"A","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("ledger checks: no_capacity, a sell up to exactly its free capacity, resting sells commit it", "[scenario][ledger]") {
  Scenario s;
  s.expect(R"(
{"type":"risk","ts":$T,"mode":"on"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"sell","price":"2.0","qty":8}
{"type":"deposit","ts":$T,"account":"A","instrument":"$H00+1","qty":16}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"sell","price":"2.0","qty":24}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"sell","price":"2.0","qty":16}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$H00+1","side":"sell","price":"2.0","qty":8}
)",
         R"(
{"type":"risk","seq":1,"mode":"on"}
{"type":"rejected","seq":2,"account":"A","cl_id":"a1","reason":"no_capacity"}
{"type":"deposited","seq":3,"account":"A","instrument":"$H00+1","qty":16}
{"type":"rejected","seq":4,"account":"A","cl_id":"a1","reason":"no_capacity"}
{"type":"accepted","seq":5,"order_id":5,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"sell","order_type":"limit","price":"2.0000","qty":16,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"rejected","seq":6,"account":"A","cl_id":"a2","reason":"no_capacity"}
)");
}

TEST_CASE("ledger checks: a sell needs free capacity in every hour of its window", "[scenario][ledger]") {
  // Held: hours 00-02 and 04-05; hour 03 only after seq 5; hour 06 never.
  Scenario s;
  s.setup(R"(
{"type":"deposit","ts":$T,"account":"A","instrument":"$H00+3","qty":8}
{"type":"deposit","ts":$T,"account":"A","instrument":"$H04+2","qty":8}
{"type":"risk","ts":$T,"mode":"on"}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+6","side":"sell","price":"2.0","qty":8}
{"type":"deposit","ts":$T,"account":"A","instrument":"$H03+1","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+7","side":"sell","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+6","side":"sell","price":"2.0","qty":8}
)",
         R"(
{"type":"rejected","seq":4,"account":"A","cl_id":"a1","reason":"no_capacity"}
{"type":"deposited","seq":5,"account":"A","instrument":"$H03+1","qty":8}
{"type":"rejected","seq":6,"account":"A","cl_id":"a1","reason":"no_capacity"}
{"type":"accepted","seq":7,"order_id":7,"account":"A","cl_id":"a1","instrument":"$H00+6","side":"sell","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
)");
}

TEST_CASE("ledger checks: resting sells of overlapping windows commit the hours they share", "[scenario][ledger]") {
  Scenario s;
  s.setup(R"(
{"type":"deposit","ts":$T,"account":"A","instrument":"$H00+4","qty":8}
{"type":"risk","ts":$T,"mode":"on"}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+2","side":"sell","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$H01+2","side":"sell","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$H02+2","side":"sell","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"$H03+1","side":"sell","price":"2.0","qty":8}
)",
         R"(
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a1","instrument":"$H00+2","side":"sell","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"rejected","seq":4,"account":"A","cl_id":"a2","reason":"no_capacity"}
{"type":"accepted","seq":5,"order_id":5,"account":"A","cl_id":"a2","instrument":"$H02+2","side":"sell","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"rejected","seq":6,"account":"A","cl_id":"a3","reason":"no_capacity"}
)");
}

TEST_CASE("ledger checks: no_credit, a buy of price x qty x hours up to exactly its free cash", "[scenario][ledger]") {
  // $I is 24 hours: 2.0000 x 8 x 24 = 384.0000.
  Scenario s;
  s.setup(R"(
{"type":"fund","ts":$T,"account":"A","amount":"383.9999"}
{"type":"risk","ts":$T,"mode":"on"}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"fund","ts":$T,"account":"A","amount":"0.0001"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$H00+1","side":"buy","price":"1.05","qty":8}
{"type":"fund","ts":$T,"account":"A","amount":"-0.0001"}
)",
         R"(
{"type":"rejected","seq":3,"account":"A","cl_id":"a1","reason":"no_credit"}
{"type":"funded","seq":4,"account":"A","amount":"0.0001","cash":"384.0000"}
{"type":"accepted","seq":5,"order_id":5,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"rejected","seq":6,"account":"A","cl_id":"a2","reason":"no_credit"}
{"type":"fund_rejected","seq":7,"account":"A","amount":"-0.0001","reason":"no_credit"}
)");
}

TEST_CASE("ledger checks: resting buys of every product add up, a cancel frees its cash", "[scenario][ledger]") {
  Scenario s;
  s.setup(R"(
{"type":"fund","ts":$T,"account":"A","amount":"32"}
{"type":"risk","ts":$T,"mode":"on"}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"H200.MEM1@2026-12-01T00Z+1h","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"$H05+1","side":"buy","price":"1.05","qty":8}
{"type":"cancel","ts":$T,"account":"A","cl_id":"a2"}
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"$H05+1","side":"buy","price":"2.0","qty":8}
)",
         R"(
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":4,"order_id":4,"account":"A","cl_id":"a2","instrument":"H200.MEM1@2026-12-01T00Z+1h","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"rejected","seq":5,"account":"A","cl_id":"a3","reason":"no_credit"}
{"type":"canceled","seq":6,"order_id":4,"account":"A","cl_id":"a2","leaves":8,"reason":"user"}
{"type":"accepted","seq":7,"order_id":7,"account":"A","cl_id":"a3","instrument":"$H05+1","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
)");
}

TEST_CASE("ledger checks: duplicate_cl_id comes before no_credit and no_capacity", "[scenario][ledger]") {
  Scenario s;
  s.setup(R"(
{"type":"fund","ts":$T,"account":"A","amount":"16"}
{"type":"risk","ts":$T,"mode":"on"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"buy","price":"2.0","qty":8}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H01+1","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H01+1","side":"sell","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$H01+1","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$H01+1","side":"sell","price":"2.0","qty":8}
)",
         R"(
{"type":"rejected","seq":4,"account":"A","cl_id":"a1","reason":"duplicate_cl_id"}
{"type":"rejected","seq":5,"account":"A","cl_id":"a1","reason":"duplicate_cl_id"}
{"type":"rejected","seq":6,"account":"A","cl_id":"a2","reason":"no_credit"}
{"type":"rejected","seq":7,"account":"A","cl_id":"a2","reason":"no_capacity"}
)");
}

TEST_CASE("ledger checks: no_credit and no_capacity come before post_only", "[scenario][ledger]") {
  // B's ask 2.0 and C's bid 1.9 rest (placed while risk was off).
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$H00+1","side":"sell","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"$H00+1","side":"buy","price":"1.9","qty":8}
{"type":"risk","ts":$T,"mode":"on"}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"buy","price":"2.0","qty":8,"post_only":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$H00+1","side":"sell","price":"1.9","qty":8,"post_only":true}
{"type":"fund","ts":$T,"account":"A","amount":"16"}
{"type":"deposit","ts":$T,"account":"A","instrument":"$H00+1","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"buy","price":"2.0","qty":8,"post_only":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$H00+1","side":"sell","price":"1.9","qty":8,"post_only":true}
)",
         R"(
{"type":"rejected","seq":4,"account":"A","cl_id":"a1","reason":"no_credit"}
{"type":"rejected","seq":5,"account":"A","cl_id":"a2","reason":"no_capacity"}
{"type":"funded","seq":6,"account":"A","amount":"16.0000","cash":"16.0000"}
{"type":"deposited","seq":7,"account":"A","instrument":"$H00+1","qty":8}
{"type":"rejected","seq":8,"account":"A","cl_id":"a1","reason":"post_only"}
{"type":"rejected","seq":9,"account":"A","cl_id":"a2","reason":"post_only"}
)");
}

TEST_CASE("ledger checks: every earlier validation reason beats no_credit and no_capacity", "[scenario][ledger]") {
  // A holds nothing and has no cash: each of these would also fail the ledger check.
  Scenario s;
  s.expect(R"(
{"type":"risk","ts":$T,"mode":"on"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+0h","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"buy","price":"3.16","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"sell","price":"2.0","qty":12}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"buy","price":"2.0","qty":8,"tif":"fok","divisible":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"sell","price":"2.0","qty":16,"min_qty":12}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"sell","price":"2.0","qty":16,"display_qty":16}
{"type":"new","ts":$G,"account":"A","cl_id":"a1","instrument":"$W","side":"buy","price":"2.0","qty":8}
{"type":"halt","ts":$G,"instrument":"$H00+1"}
{"type":"new","ts":$G,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"sell","price":"2.0","qty":8}
{"type":"kill","ts":$G,"account":"A"}
{"type":"new","ts":$G,"account":"A","cl_id":"a1","instrument":"$H01+1","side":"buy","price":"2.0","qty":8}
)",
         R"(
{"type":"risk","seq":1,"mode":"on"}
{"type":"rejected","seq":2,"account":"A","cl_id":"a1","reason":"bad_window"}
{"type":"rejected","seq":3,"account":"A","cl_id":"a1","reason":"price_band"}
{"type":"rejected","seq":4,"account":"A","cl_id":"a1","reason":"bad_qty"}
{"type":"rejected","seq":5,"account":"A","cl_id":"a1","reason":"bad_tif"}
{"type":"rejected","seq":6,"account":"A","cl_id":"a1","reason":"bad_min_qty"}
{"type":"rejected","seq":7,"account":"A","cl_id":"a1","reason":"bad_display_qty"}
{"type":"rejected","seq":8,"account":"A","cl_id":"a1","reason":"window_closed"}
{"type":"halted","seq":9,"instrument":"$H00+1"}
{"type":"rejected","seq":10,"account":"A","cl_id":"a1","reason":"halted"}
{"type":"killed","seq":11,"account":"A"}
{"type":"rejected","seq":12,"account":"A","cl_id":"a1","reason":"killed"}
)");
}

TEST_CASE("ledger checks: no_credit comes before the per-account order limit (capacity)", "[scenario][ledger]") {
  gpux::EngineConfig config = Scenario::small_engine();
  config.max_orders_per_account = 1;
  Scenario s(gpux::Catalog::builtin(), config);
  s.setup(R"(
{"type":"fund","ts":$T,"account":"A","amount":"16"}
{"type":"risk","ts":$T,"mode":"on"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"buy","price":"2.0","qty":8}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$H01+1","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$H01+1","side":"sell","price":"2.0","qty":8}
{"type":"fund","ts":$T,"account":"A","amount":"16"}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$H01+1","side":"buy","price":"2.0","qty":8}
)",
         R"(
{"type":"rejected","seq":4,"account":"A","cl_id":"a2","reason":"no_credit"}
{"type":"rejected","seq":5,"account":"A","cl_id":"a2","reason":"no_capacity"}
{"type":"funded","seq":6,"account":"A","amount":"16.0000","cash":"32.0000"}
{"type":"rejected","seq":7,"account":"A","cl_id":"a2","reason":"capacity"}
)");
}

TEST_CASE("ledger checks: a market buy is checked at its protection price and pays the ask", "[scenario][ledger]") {
  // Protection price 3.1500: 3.15 x 8 x 1 = 25.2000; the trade costs 2.0 x 8 = 16.0000.
  Scenario s;
  s.setup(R"(
{"type":"deposit","ts":$T,"account":"B","instrument":"$H00+1","qty":8}
{"type":"risk","ts":$T,"mode":"on"}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$H00+1","side":"sell","price":"2.0","qty":8}
{"type":"fund","ts":$T,"account":"A","amount":"25.1999"}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"buy","order_type":"market","qty":8}
{"type":"fund","ts":$T,"account":"A","amount":"0.0001"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"buy","order_type":"market","qty":8}
{"type":"fund","ts":$T,"account":"A","amount":"-9.2"}
{"type":"fund","ts":$T,"account":"B","amount":"-16"}
)",
         R"(
{"type":"rejected","seq":5,"account":"A","cl_id":"a1","reason":"no_credit"}
{"type":"funded","seq":6,"account":"A","amount":"0.0001","cash":"25.2000"}
{"type":"accepted","seq":7,"order_id":7,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"buy","order_type":"market","price":"3.1500","qty":8,"tif":"ioc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":7,"match":1,"instrument":"$H00+1","price":"2.0000","qty":8,"buy_order_id":7,"sell_order_id":3,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
{"type":"funded","seq":8,"account":"A","amount":"-9.2000","cash":"0.0000"}
{"type":"funded","seq":9,"account":"B","amount":"-16.0000","cash":"0.0000"}
)");
}

TEST_CASE("ledger checks: a market sell needs capacity, its canceled rest commits nothing", "[scenario][ledger]") {
  Scenario s;
  s.expect(R"(
{"type":"risk","ts":$T,"mode":"on"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"sell","order_type":"market","qty":8}
{"type":"deposit","ts":$T,"account":"A","instrument":"$H00+1","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"sell","order_type":"market","qty":8}
{"type":"withdraw","ts":$T,"account":"A","instrument":"$H00+1","qty":8}
)",
         R"(
{"type":"risk","seq":1,"mode":"on"}
{"type":"rejected","seq":2,"account":"A","cl_id":"a1","reason":"no_capacity"}
{"type":"deposited","seq":3,"account":"A","instrument":"$H00+1","qty":8}
{"type":"accepted","seq":4,"order_id":4,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"sell","order_type":"market","price":"1.0500","qty":8,"tif":"ioc","post_only":false,"stp":"cancel_resting"}
{"type":"canceled","seq":4,"order_id":4,"account":"A","cl_id":"a1","leaves":8,"reason":"ioc"}
{"type":"withdrawn","seq":5,"account":"A","instrument":"$H00+1","qty":8}
)");
}

TEST_CASE("ledger checks: ioc and fok buys are checked at their own limit even when the ask is lower", "[scenario][ledger]") {
  // B asks 1.5: 8 GPUs cost 12.0000; at A's limit 2.0 they would cost 16.0000.
  Scenario s;
  s.setup(R"(
{"type":"deposit","ts":$T,"account":"B","instrument":"$H00+1","qty":8}
{"type":"risk","ts":$T,"mode":"on"}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$H00+1","side":"sell","price":"1.5","qty":8}
{"type":"fund","ts":$T,"account":"A","amount":"12"}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"buy","price":"2.0","qty":8,"tif":"ioc"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"buy","price":"2.0","qty":8,"tif":"fok"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"buy","price":"1.5","qty":8,"tif":"fok"}
{"type":"fund","ts":$T,"account":"A","amount":"-0.0001"}
{"type":"fund","ts":$T,"account":"B","amount":"-12"}
)",
         R"(
{"type":"rejected","seq":5,"account":"A","cl_id":"a1","reason":"no_credit"}
{"type":"rejected","seq":6,"account":"A","cl_id":"a1","reason":"no_credit"}
{"type":"accepted","seq":7,"order_id":7,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"buy","order_type":"limit","price":"1.5000","qty":8,"tif":"fok","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":7,"match":1,"instrument":"$H00+1","price":"1.5000","qty":8,"buy_order_id":7,"sell_order_id":3,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
{"type":"fund_rejected","seq":8,"account":"A","amount":"-0.0001","reason":"no_credit"}
{"type":"funded","seq":9,"account":"B","amount":"-12.0000","cash":"0.0000"}
)");
}

TEST_CASE("ledger checks: a fok that fails its simulation moves nothing", "[scenario][ledger]") {
  Scenario s;
  s.setup(R"(
{"type":"deposit","ts":$T,"account":"B","instrument":"$H00+1","qty":8}
{"type":"risk","ts":$T,"mode":"on"}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$H00+1","side":"sell","price":"2.0","qty":8}
{"type":"fund","ts":$T,"account":"A","amount":"40"}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"buy","price":"2.0","qty":16,"tif":"fok"}
{"type":"fund","ts":$T,"account":"A","amount":"-40"}
{"type":"withdraw","ts":$T,"account":"B","instrument":"$H00+1","qty":8}
)",
         R"(
{"type":"accepted","seq":5,"order_id":5,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"buy","order_type":"limit","price":"2.0000","qty":16,"tif":"fok","post_only":false,"stp":"cancel_resting"}
{"type":"canceled","seq":5,"order_id":5,"account":"A","cl_id":"a1","leaves":16,"reason":"fok"}
{"type":"funded","seq":6,"account":"A","amount":"-40.0000","cash":"0.0000"}
{"type":"withdraw_rejected","seq":7,"account":"B","instrument":"$H00+1","qty":8,"reason":"no_capacity"}
)");
}

TEST_CASE("ledger checks: divisible sell needs every hour, divisible buy pays for its whole window", "[scenario][ledger]") {
  // B's divisible buy over 3 hours: 2.0 x 8 x 3 = 48.0000.
  Scenario s;
  s.setup(R"(
{"type":"deposit","ts":$T,"account":"A","instrument":"$H00+2","qty":8}
{"type":"risk","ts":$T,"mode":"on"}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+3","side":"sell","price":"2.0","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+2","side":"sell","price":"2.0","qty":8,"tif":"ioc","divisible":true}
{"type":"fund","ts":$T,"account":"B","amount":"47.9999"}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$H00+3","side":"buy","price":"2.0","qty":8,"divisible":true}
{"type":"fund","ts":$T,"account":"B","amount":"0.0001"}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$H00+3","side":"buy","price":"2.0","qty":8,"divisible":true}
{"type":"fund","ts":$T,"account":"B","amount":"-0.0001"}
)",
         R"(
{"type":"rejected","seq":3,"account":"A","cl_id":"a1","reason":"no_capacity"}
{"type":"accepted","seq":4,"order_id":4,"account":"A","cl_id":"a1","instrument":"$H00+2","side":"sell","order_type":"limit","price":"2.0000","qty":8,"tif":"ioc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"canceled","seq":4,"order_id":4,"account":"A","cl_id":"a1","instrument":"$H00+2","leaves":8,"reason":"ioc"}
{"type":"funded","seq":5,"account":"B","amount":"47.9999","cash":"47.9999"}
{"type":"rejected","seq":6,"account":"B","cl_id":"b1","reason":"no_credit"}
{"type":"funded","seq":7,"account":"B","amount":"0.0001","cash":"48.0000"}
{"type":"accepted","seq":8,"order_id":8,"account":"B","cl_id":"b1","instrument":"$H00+3","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"fund_rejected","seq":9,"account":"B","amount":"-0.0001","reason":"no_credit"}
)");
}

TEST_CASE("ledger checks: block and divisible sells share each hour's capacity", "[scenario][ledger][hours]") {
  Scenario s;
  s.setup(R"(
{"type":"deposit","ts":$T,"account":"A","instrument":"$H00+4","qty":8}
{"type":"risk","ts":$T,"mode":"on"}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+2","side":"sell","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$H01+2","side":"sell","price":"2.0","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$H02+2","side":"sell","price":"2.0","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"$H03+1","side":"sell","price":"2.0","qty":8}
{"type":"cancel","ts":$T,"account":"A","cl_id":"a1"}
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"$H01+1","side":"sell","price":"2.0","qty":8}
)",
         R"(
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a1","instrument":"$H00+2","side":"sell","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"rejected","seq":4,"account":"A","cl_id":"a2","reason":"no_capacity"}
{"type":"accepted","seq":5,"order_id":5,"account":"A","cl_id":"a2","instrument":"$H02+2","side":"sell","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"rejected","seq":6,"account":"A","cl_id":"a3","reason":"no_capacity"}
{"type":"canceled","seq":7,"order_id":3,"account":"A","cl_id":"a1","leaves":8,"reason":"user"}
{"type":"accepted","seq":8,"order_id":8,"account":"A","cl_id":"a3","instrument":"$H01+1","side":"sell","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
)");
}

TEST_CASE("ledger checks: a divisible post_only buy crossing a slice without cash is no_credit", "[scenario][ledger][hours]") {
  // B's slices ask 2.0 in hours 00-01 (placed while risk was off); A's check is 2.0 x 8 x 2 = 32.
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$H00+2","side":"sell","price":"2.0","qty":8,"divisible":true}
{"type":"risk","ts":$T,"mode":"on"}
{"type":"fund","ts":$T,"account":"A","amount":"31.9999"}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+2","side":"buy","price":"2.0","qty":8,"post_only":true,"divisible":true}
{"type":"fund","ts":$T,"account":"A","amount":"0.0001"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+2","side":"buy","price":"2.0","qty":8,"post_only":true,"divisible":true}
)",
         R"(
{"type":"rejected","seq":4,"account":"A","cl_id":"a1","reason":"no_credit"}
{"type":"funded","seq":5,"account":"A","amount":"0.0001","cash":"32.0000"}
{"type":"rejected","seq":6,"account":"A","cl_id":"a1","reason":"post_only"}
)");
}

TEST_CASE("ledger checks: a market buy's protection price follows the band of its window's last trade", "[scenario][ledger]") {
  // $H00+1 last traded at 3.0 -> band [1.5000, 4.5000]: 4.5 x 8 = 36. The divisible market
  // buy's window $H00+2 has no trade -> 3.15 x 8 x 2 = 50.4.
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$H00+1","side":"sell","price":"3.0","qty":8}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"$H00+1","side":"buy","price":"3.0","qty":8}
{"type":"risk","ts":$T,"mode":"on"}
{"type":"fund","ts":$T,"account":"A","amount":"35.9999"}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"buy","order_type":"market","qty":8}
{"type":"fund","ts":$T,"account":"A","amount":"0.0001"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"buy","order_type":"market","qty":8}
{"type":"fund","ts":$T,"account":"A","amount":"14.3999"}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$H00+2","side":"buy","order_type":"market","qty":8,"divisible":true}
{"type":"fund","ts":$T,"account":"A","amount":"0.0001"}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$H00+2","side":"buy","order_type":"market","qty":8,"divisible":true}
)",
         R"(
{"type":"rejected","seq":5,"account":"A","cl_id":"a1","reason":"no_credit"}
{"type":"funded","seq":6,"account":"A","amount":"0.0001","cash":"36.0000"}
{"type":"accepted","seq":7,"order_id":7,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"buy","order_type":"market","price":"4.5000","qty":8,"tif":"ioc","post_only":false,"stp":"cancel_resting"}
{"type":"canceled","seq":7,"order_id":7,"account":"A","cl_id":"a1","leaves":8,"reason":"ioc"}
{"type":"funded","seq":8,"account":"A","amount":"14.3999","cash":"50.3999"}
{"type":"rejected","seq":9,"account":"A","cl_id":"a2","reason":"no_credit"}
{"type":"funded","seq":10,"account":"A","amount":"0.0001","cash":"50.4000"}
{"type":"accepted","seq":11,"order_id":11,"account":"A","cl_id":"a2","instrument":"$H00+2","side":"buy","order_type":"market","price":"3.1500","qty":8,"tif":"ioc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"canceled","seq":11,"order_id":11,"account":"A","cl_id":"a2","instrument":"$H00+2","leaves":8,"reason":"ioc"}
)");
}

TEST_CASE("ledger checks: no_credit comes before the slice pool's capacity", "[scenario][ledger][hours]") {
  // Room for 2 slices: a gtc divisible buy over 3 hours does not fit (capacity), but first it
  // needs 2.0 x 8 x 3 = 48 of free cash.
  gpux::EngineConfig config = Scenario::small_engine();
  config.max_slices = 2;
  Scenario s(gpux::Catalog::builtin(), config);
  s.setup(R"(
{"type":"risk","ts":$T,"mode":"on"}
{"type":"fund","ts":$T,"account":"A","amount":"47.9999"}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+3","side":"buy","price":"2.0","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+3","side":"sell","price":"2.0","qty":8,"divisible":true}
{"type":"fund","ts":$T,"account":"A","amount":"0.0001"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+3","side":"buy","price":"2.0","qty":8,"divisible":true}
)",
         R"(
{"type":"rejected","seq":3,"account":"A","cl_id":"a1","reason":"no_credit"}
{"type":"rejected","seq":4,"account":"A","cl_id":"a1","reason":"no_capacity"}
{"type":"funded","seq":5,"account":"A","amount":"0.0001","cash":"48.0000"}
{"type":"rejected","seq":6,"account":"A","cl_id":"a1","reason":"capacity"}
)");
}
