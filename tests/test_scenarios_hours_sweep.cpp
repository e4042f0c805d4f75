// SPEC §6 "Sweep" and "A block on arrival": an incoming block sweeps the hour books of its window
// after its window book: q = min(r, min over hours of avail), own account's slices left out, a
// halted hour or an hour with nothing crossing blocks it, trades at the slice's price, block leaves
// r - q in every sweep trade, min_qty / fok counting window book + sweep, post_only and stp, and a
// replace of a block that loses priority also sweeping. Event order: window book trades, sweep
// trades, final cancel. Expectations derived by hand from /work/shared/SPEC.md and
// /work/notes/hours-decisions.md.
//
// Product H100.MEM1 (lot 8, tick 10, ref 2.1000 -> band [1.0500, 3.1500]); hours of 2026-12-01.
#include <catch2/catch.hpp>

#include "tests/support/scenario.hpp"

using namespace gpux::test;

TEST_CASE("sweep: an incoming block takes q in every hour of its window, one merged trade", "[scenario][hours][sweep]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"sell","price":"2.0","qty":16,"divisible":true}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","price":"2.1","qty":16}
)",
           R"(
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","order_type":"limit","price":"2.1000","qty":16,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":2,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+3h","price":"2.0000","qty":16,"buy_order_id":2,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("sweep: q is the smallest hour — block leaves r - q in every trade, slice leaves per hour", "[scenario][hours][sweep]") {
  // B's slices after C's trade: 16 / 8 / 16. A (24) sweeps q = 8, rests 16.
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"sell","price":"2.0","qty":16,"divisible":true}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"H100.MEM1@2026-12-01T01Z+1h","side":"buy","price":"2.0","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","price":"2.0","qty":24}
{"type":"new","ts":$T,"account":"D","cl_id":"d1","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"sell","price":"2.0","qty":24,"tif":"ioc"}
)",
           R"(
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","order_type":"limit","price":"2.0000","qty":24,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":3,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+1h","price":"2.0000","qty":8,"buy_order_id":3,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":16,"sell_leaves":8}
{"type":"trade","seq":3,"match":2,"instrument":"H100.MEM1@2026-12-01T01Z+1h","price":"2.0000","qty":8,"buy_order_id":3,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":16,"sell_leaves":0}
{"type":"trade","seq":3,"match":3,"instrument":"H100.MEM1@2026-12-01T02Z+1h","price":"2.0000","qty":8,"buy_order_id":3,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":16,"sell_leaves":8}
{"type":"accepted","seq":4,"order_id":4,"account":"D","cl_id":"d1","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"sell","order_type":"limit","price":"2.0000","qty":24,"tif":"ioc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":4,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+3h","price":"2.0000","qty":16,"buy_order_id":3,"sell_order_id":4,"buy_account":"A","sell_account":"D","aggressor":"sell","buy_leaves":0,"sell_leaves":8}
{"type":"canceled","seq":4,"order_id":4,"account":"D","cl_id":"d1","leaves":8,"reason":"ioc"}
)");
}

TEST_CASE("sweep: an hour with nothing crossing blocks the whole sweep", "[scenario][hours][sweep]") {
  // Hours 00, 01: B at 2.0. Hour 02: only C at 2.5. A's 3-hour block at 2.2 takes nothing;
  // its 2-hour block takes B.
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"H100.MEM1@2026-12-01T02Z+1h","side":"sell","price":"2.5","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","price":"2.2","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.2","qty":8}
)",
           R"(
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","order_type":"limit","price":"2.2000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":4,"order_id":4,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","order_type":"limit","price":"2.2000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":4,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.0000","qty":8,"buy_order_id":4,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("sweep: a halted hour blocks the sweep — resume checks nothing — a replace that loses priority sweeps", "[scenario][hours][sweep][halt][replace]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":8,"divisible":true}
{"type":"halt","ts":$T,"instrument":"H100.MEM1@2026-12-01T01Z+1h"}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.0","qty":8}
{"type":"resume","ts":$T,"instrument":"H100.MEM1@2026-12-01T01Z+1h"}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":16}
)",
           R"(
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"resumed","seq":4,"instrument":"H100.MEM1@2026-12-01T01Z+1h"}
{"type":"replaced","seq":5,"order_id":3,"account":"A","cl_id":"a1","price":"2.0000","qty":8,"priority":"kept"}
{"type":"replaced","seq":6,"order_id":3,"account":"A","cl_id":"a1","price":"2.0000","qty":16,"priority":"lost"}
{"type":"trade","seq":6,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.0000","qty":8,"buy_order_id":3,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":8,"sell_leaves":0}
)");
}

TEST_CASE("sweep: own account's slices are left out of avail and passed over, no stp", "[scenario][hours][sweep][stp]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.1","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.2","qty":16,"stp":"cancel_aggressor"}
{"type":"cancel","ts":$T,"account":"A","cl_id":"a1"}
)",
           R"(
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","order_type":"limit","price":"2.2000","qty":16,"tif":"gtc","post_only":false,"stp":"cancel_aggressor"}
{"type":"trade","seq":3,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.1000","qty":8,"buy_order_id":3,"sell_order_id":2,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":8,"sell_leaves":0}
{"type":"canceled","seq":4,"order_id":1,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","leaves":8,"reason":"user"}
)");
}

TEST_CASE("sweep: best price then time priority in each hour, slice prices, merge keeps the first hour's place", "[scenario][hours][sweep]") {
  // Hour 00: C 1.9, B 2.0. Hour 01: C 1.9, D 1.9 (younger), B 2.0. q = min(16, 16, 24) = 16.
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"1.9","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"D","cl_id":"d1","instrument":"H100.MEM1@2026-12-01T01Z+1h","side":"sell","price":"1.9","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.0","qty":16}
)",
           R"(
{"type":"accepted","seq":4,"order_id":4,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","order_type":"limit","price":"2.0000","qty":16,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":4,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"1.9000","qty":8,"buy_order_id":4,"sell_order_id":2,"buy_account":"A","sell_account":"C","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
{"type":"trade","seq":4,"match":2,"instrument":"H100.MEM1@2026-12-01T00Z+1h","price":"2.0000","qty":8,"buy_order_id":4,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
{"type":"trade","seq":4,"match":3,"instrument":"H100.MEM1@2026-12-01T01Z+1h","price":"1.9000","qty":8,"buy_order_id":4,"sell_order_id":3,"buy_account":"A","sell_account":"D","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("sweep: a sell block sweeps buy slices, highest bid first, aggressor sell", "[scenario][hours][sweep]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.1","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.2","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.1","qty":16}
)",
           R"(
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","order_type":"limit","price":"2.1000","qty":16,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":3,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.2000","qty":8,"buy_order_id":2,"sell_order_id":3,"buy_account":"C","sell_account":"A","aggressor":"sell","buy_leaves":0,"sell_leaves":0}
{"type":"trade","seq":3,"match":2,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.1000","qty":8,"buy_order_id":1,"sell_order_id":3,"buy_account":"B","sell_account":"A","aggressor":"sell","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("sweep: different slices in different hours give one trade each", "[scenario][hours][sweep]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+1h","side":"sell","price":"2.0","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"H100.MEM1@2026-12-01T01Z+1h","side":"sell","price":"2.0","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.0","qty":8}
)",
           R"(
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":3,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+1h","price":"2.0000","qty":8,"buy_order_id":3,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
{"type":"trade","seq":3,"match":2,"instrument":"H100.MEM1@2026-12-01T01Z+1h","price":"2.0000","qty":8,"buy_order_id":3,"sell_order_id":2,"buy_account":"A","sell_account":"C","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("sweep: event order is window book trades, then the sweep, then the ioc cancel", "[scenario][hours][sweep][ioc]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.1","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.1","qty":24,"tif":"ioc"}
)",
           R"(
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","order_type":"limit","price":"2.1000","qty":24,"tif":"ioc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":3,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.0000","qty":8,"buy_order_id":3,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":16,"sell_leaves":0}
{"type":"trade","seq":3,"match":2,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.1000","qty":8,"buy_order_id":3,"sell_order_id":2,"buy_account":"A","sell_account":"C","aggressor":"buy","buy_leaves":8,"sell_leaves":0}
{"type":"canceled","seq":3,"order_id":3,"account":"A","cl_id":"a1","leaves":8,"reason":"ioc"}
)");
}

TEST_CASE("sweep: stp cancel_aggressor in the window book stops the sweep — cancel_resting goes on to it", "[scenario][hours][sweep][stp]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.0","qty":8,"stp":"cancel_aggressor"}
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.0","qty":8}
)",
           R"(
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_aggressor"}
{"type":"canceled","seq":3,"order_id":3,"account":"A","cl_id":"a2","leaves":8,"reason":"stp"}
{"type":"accepted","seq":4,"order_id":4,"account":"A","cl_id":"a3","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"canceled","seq":4,"order_id":1,"account":"A","cl_id":"a1","leaves":8,"reason":"stp"}
{"type":"trade","seq":4,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.0000","qty":8,"buy_order_id":4,"sell_order_id":2,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("sweep: stp cancel_both in the window book cancels both, no sweep", "[scenario][hours][sweep][stp]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.0","qty":8,"tif":"ioc","stp":"cancel_both"}
)",
           R"(
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"ioc","post_only":false,"stp":"cancel_both"}
{"type":"canceled","seq":3,"order_id":1,"account":"A","cl_id":"a1","leaves":8,"reason":"stp"}
{"type":"canceled","seq":3,"order_id":3,"account":"A","cl_id":"a2","leaves":8,"reason":"stp"}
)");
}

TEST_CASE("sweep: a market block sweeps with its protection price as limit, the rest canceled ioc", "[scenario][hours][sweep][market]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"3.1","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","order_type":"market","qty":16}
)",
           R"(
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","order_type":"market","price":"3.1500","qty":16,"tif":"ioc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":2,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"3.1000","qty":8,"buy_order_id":2,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":8,"sell_leaves":0}
{"type":"canceled","seq":2,"order_id":2,"account":"A","cl_id":"a1","leaves":8,"reason":"ioc"}
)");
}

TEST_CASE("sweep fok: window book and sweep together reach qty", "[scenario][hours][sweep][fok]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.0","qty":16,"tif":"fok"}
)",
           R"(
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","order_type":"limit","price":"2.0000","qty":16,"tif":"fok","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":3,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.0000","qty":8,"buy_order_id":3,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":8,"sell_leaves":0}
{"type":"trade","seq":3,"match":2,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.0000","qty":8,"buy_order_id":3,"sell_order_id":2,"buy_account":"A","sell_account":"C","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("sweep fok: window book plus sweep short of qty cancels with nothing else", "[scenario][hours][sweep][fok]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.0","qty":24,"tif":"fok"}
{"type":"new","ts":$T,"account":"D","cl_id":"d1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.0","qty":16,"tif":"ioc"}
)",
           R"(
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","order_type":"limit","price":"2.0000","qty":24,"tif":"fok","post_only":false,"stp":"cancel_resting"}
{"type":"canceled","seq":3,"order_id":3,"account":"A","cl_id":"a1","leaves":24,"reason":"fok"}
{"type":"accepted","seq":4,"order_id":4,"account":"D","cl_id":"d1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","order_type":"limit","price":"2.0000","qty":16,"tif":"ioc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":4,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.0000","qty":8,"buy_order_id":4,"sell_order_id":1,"buy_account":"D","sell_account":"B","aggressor":"buy","buy_leaves":8,"sell_leaves":0}
{"type":"trade","seq":4,"match":2,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.0000","qty":8,"buy_order_id":4,"sell_order_id":2,"buy_account":"D","sell_account":"C","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("sweep min_qty: window book plus sweep count — short of min_qty cancels, else the rest rests", "[scenario][hours][sweep][min_qty]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.0","qty":32,"min_qty":24}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.0","qty":32,"min_qty":16}
)",
           R"(
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","order_type":"limit","price":"2.0000","qty":32,"tif":"gtc","post_only":false,"min_qty":24,"stp":"cancel_resting"}
{"type":"canceled","seq":3,"order_id":3,"account":"A","cl_id":"a1","leaves":32,"reason":"min_qty"}
{"type":"accepted","seq":4,"order_id":4,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","order_type":"limit","price":"2.0000","qty":32,"tif":"gtc","post_only":false,"min_qty":16,"stp":"cancel_resting"}
{"type":"trade","seq":4,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.0000","qty":8,"buy_order_id":4,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":24,"sell_leaves":0}
{"type":"trade","seq":4,"match":2,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.0000","qty":8,"buy_order_id":4,"sell_order_id":2,"buy_account":"A","sell_account":"C","aggressor":"buy","buy_leaves":16,"sell_leaves":0}
)");
}

TEST_CASE("sweep fok: a simulation ending in stp cancel of the aggressor counts no sweep — cancel_resting does", "[scenario][hours][sweep][fok][stp]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":16,"divisible":true}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.0","qty":16,"tif":"fok","stp":"cancel_aggressor"}
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.0","qty":16,"tif":"fok"}
)",
           R"(
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","order_type":"limit","price":"2.0000","qty":16,"tif":"fok","post_only":false,"stp":"cancel_aggressor"}
{"type":"canceled","seq":3,"order_id":3,"account":"A","cl_id":"a2","leaves":16,"reason":"fok"}
{"type":"accepted","seq":4,"order_id":4,"account":"A","cl_id":"a3","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","order_type":"limit","price":"2.0000","qty":16,"tif":"fok","post_only":false,"stp":"cancel_resting"}
{"type":"canceled","seq":4,"order_id":1,"account":"A","cl_id":"a1","leaves":8,"reason":"stp"}
{"type":"trade","seq":4,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.0000","qty":16,"buy_order_id":4,"sell_order_id":2,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("sweep: an incoming iceberg sweeps with its whole open quantity, then rests one clip", "[scenario][hours][sweep][iceberg]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":24,"divisible":true}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.0","qty":40,"display_qty":8}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":16,"tif":"ioc"}
)",
           R"(
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","order_type":"limit","price":"2.0000","qty":40,"tif":"gtc","post_only":false,"display_qty":8,"stp":"cancel_resting"}
{"type":"trade","seq":2,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.0000","qty":24,"buy_order_id":2,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":16,"sell_leaves":0}
{"type":"accepted","seq":3,"order_id":3,"account":"C","cl_id":"c1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","order_type":"limit","price":"2.0000","qty":16,"tif":"ioc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":3,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.0000","qty":8,"buy_order_id":2,"sell_order_id":3,"buy_account":"A","sell_account":"C","aggressor":"sell","buy_leaves":8,"sell_leaves":8}
{"type":"trade","seq":3,"match":2,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.0000","qty":8,"buy_order_id":2,"sell_order_id":3,"buy_account":"A","sell_account":"C","aggressor":"sell","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("sweep replace: a block that loses priority sweeps at the slice's price even without crossing its window book", "[scenario][hours][sweep][replace]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.1","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.0","qty":8}
)");
  s.expect(R"(
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.2","qty":8}
)",
           R"(
{"type":"replaced","seq":3,"order_id":2,"account":"A","cl_id":"a1","price":"2.2000","qty":8,"priority":"lost"}
{"type":"trade","seq":3,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.1000","qty":8,"buy_order_id":2,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("sweep replace: window book match first, then the sweep, then the rest rests", "[scenario][hours][sweep][replace]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.1","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.0","qty":24}
)");
  s.expect(R"(
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.1","qty":24}
{"type":"cancel","ts":$T,"account":"A","cl_id":"a1"}
)",
           R"(
{"type":"replaced","seq":4,"order_id":3,"account":"A","cl_id":"a1","price":"2.1000","qty":24,"priority":"lost"}
{"type":"trade","seq":4,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.1000","qty":8,"buy_order_id":3,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":16,"sell_leaves":0}
{"type":"trade","seq":4,"match":2,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.1000","qty":8,"buy_order_id":3,"sell_order_id":2,"buy_account":"A","sell_account":"C","aggressor":"buy","buy_leaves":8,"sell_leaves":0}
{"type":"canceled","seq":5,"order_id":3,"account":"A","cl_id":"a1","leaves":8,"reason":"user"}
)");
}

TEST_CASE("sweep replace: a post_only block that loses priority does not sweep", "[scenario][hours][sweep][replace][post_only]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.0","qty":8,"post_only":true}
)");
  s.expect(R"(
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":16}
)",
           R"(
{"type":"replaced","seq":3,"order_id":2,"account":"A","cl_id":"a1","price":"2.0000","qty":16,"priority":"lost"}
)");
}
