// docs/rules.md "Matching": price-time priority, trades at the resting price, self-trade prevention,
// icebergs, min_qty/fok simulation, ioc and market orders; §5's matching details.
#include <catch2/catch.hpp>

#include "tests/support/scenario.hpp"

using namespace gpux::test;

// ---------------------------------------------------------------------------------------------
// Price-time priority

TEST_CASE("matching: trade at the resting price, aggressor side, buy/sell leaves", "[scenario][matching]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.0","qty":16}
)");
  s.expect(R"(
{"type":"new","ts":$T+1,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.1","qty":8}
{"type":"new","ts":$T+2,"account":"C","cl_id":"c1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T+3,"account":"D","cl_id":"d1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T+4,"account":"E","cl_id":"e1","instrument":"$I","side":"sell","price":"1.9","qty":16}
{"type":"new","ts":$T+5,"account":"F","cl_id":"f1","instrument":"$I","side":"buy","price":"1.9","qty":8}
)",
           R"(
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":2,"match":1,"instrument":"$I","price":"2.0000","qty":8,"buy_order_id":2,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":8}
{"type":"accepted","seq":3,"order_id":3,"account":"C","cl_id":"c1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":3,"match":1,"instrument":"$I","price":"2.0000","qty":8,"buy_order_id":3,"sell_order_id":1,"buy_account":"C","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
{"type":"accepted","seq":4,"order_id":4,"account":"D","cl_id":"d1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":5,"order_id":5,"account":"E","cl_id":"e1","instrument":"$I","side":"sell","order_type":"limit","price":"1.9000","qty":16,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":5,"match":1,"instrument":"$I","price":"2.0000","qty":8,"buy_order_id":4,"sell_order_id":5,"buy_account":"D","sell_account":"E","aggressor":"sell","buy_leaves":0,"sell_leaves":8}
{"type":"accepted","seq":6,"order_id":6,"account":"F","cl_id":"f1","instrument":"$I","side":"buy","order_type":"limit","price":"1.9000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":6,"match":1,"instrument":"$I","price":"1.9000","qty":8,"buy_order_id":6,"sell_order_id":5,"buy_account":"F","sell_account":"E","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("matching: a buy sweeps asks best price first, oldest first within a level", "[scenario][matching]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.2","qty":8}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"D","cl_id":"d1","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"E","cl_id":"e1","instrument":"$I","side":"sell","price":"2.0","qty":8}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.2","qty":40}
{"type":"new","ts":$T,"account":"F","cl_id":"f1","instrument":"$I","side":"sell","price":"2.2","qty":8}
)",
           R"(
{"type":"accepted","seq":5,"order_id":5,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.2000","qty":40,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":5,"match":1,"instrument":"$I","price":"2.0000","qty":8,"buy_order_id":5,"sell_order_id":4,"buy_account":"A","sell_account":"E","aggressor":"buy","buy_leaves":32,"sell_leaves":0}
{"type":"trade","seq":5,"match":2,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":5,"sell_order_id":2,"buy_account":"A","sell_account":"C","aggressor":"buy","buy_leaves":24,"sell_leaves":0}
{"type":"trade","seq":5,"match":3,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":5,"sell_order_id":3,"buy_account":"A","sell_account":"D","aggressor":"buy","buy_leaves":16,"sell_leaves":0}
{"type":"trade","seq":5,"match":4,"instrument":"$I","price":"2.2000","qty":8,"buy_order_id":5,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":8,"sell_leaves":0}
{"type":"accepted","seq":6,"order_id":6,"account":"F","cl_id":"f1","instrument":"$I","side":"sell","order_type":"limit","price":"2.2000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":6,"match":1,"instrument":"$I","price":"2.2000","qty":8,"buy_order_id":5,"sell_order_id":6,"buy_account":"A","sell_account":"F","aggressor":"sell","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("matching: a sell sweeps bids best first and stops at its limit, the rest rests", "[scenario][matching]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"$I","side":"buy","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"D","cl_id":"d1","instrument":"$I","side":"buy","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"E","cl_id":"e1","instrument":"$I","side":"buy","price":"1.9","qty":8}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","price":"2.0","qty":32}
{"type":"new","ts":$T,"account":"F","cl_id":"f1","instrument":"$I","side":"buy","price":"2.0","qty":8}
)",
           R"(
{"type":"accepted","seq":5,"order_id":5,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","order_type":"limit","price":"2.0000","qty":32,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":5,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":2,"sell_order_id":5,"buy_account":"C","sell_account":"A","aggressor":"sell","buy_leaves":0,"sell_leaves":24}
{"type":"trade","seq":5,"match":2,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":3,"sell_order_id":5,"buy_account":"D","sell_account":"A","aggressor":"sell","buy_leaves":0,"sell_leaves":16}
{"type":"trade","seq":5,"match":3,"instrument":"$I","price":"2.0000","qty":8,"buy_order_id":1,"sell_order_id":5,"buy_account":"B","sell_account":"A","aggressor":"sell","buy_leaves":0,"sell_leaves":8}
{"type":"accepted","seq":6,"order_id":6,"account":"F","cl_id":"f1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":6,"match":1,"instrument":"$I","price":"2.0000","qty":8,"buy_order_id":6,"sell_order_id":5,"buy_account":"F","sell_account":"A","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("matching: a non-crossing order rests, an equal price crosses", "[scenario][matching]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.09","qty":8}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"$I","side":"sell","price":"2.09","qty":8}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0900","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":3,"order_id":3,"account":"C","cl_id":"c1","instrument":"$I","side":"sell","order_type":"limit","price":"2.0900","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":3,"match":1,"instrument":"$I","price":"2.0900","qty":8,"buy_order_id":2,"sell_order_id":3,"buy_account":"A","sell_account":"C","aggressor":"sell","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("matching: a partial fill keeps the resting order's place", "[scenario][matching]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.1","qty":16}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"$I","side":"sell","price":"2.1","qty":8}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2.1","qty":16}
)",
           R"(
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":3,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":3,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":8}
{"type":"accepted","seq":4,"order_id":4,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":16,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":4,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":4,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":8,"sell_leaves":0}
{"type":"trade","seq":4,"match":2,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":4,"sell_order_id":2,"buy_account":"A","sell_account":"C","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("matching: nothing matches across instruments", "[scenario][matching]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$J","side":"sell","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$K","side":"buy","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"H100.MEM1@2026-12-01T00Z+48h","side":"buy","price":"2.1","qty":8}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"B","cl_id":"b1","instrument":"$J","side":"sell","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a2","instrument":"$K","side":"buy","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":4,"order_id":4,"account":"A","cl_id":"a3","instrument":"H100.MEM1@2026-12-01T00Z+48h","side":"buy","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
)");
}

TEST_CASE("matching: gtd orders rest and trade like gtc", "[scenario][matching]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.1","qty":16,"tif":"gtd","expire_ts":$T+1000}
{"type":"new","ts":$T+10,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.1","qty":8}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":16,"tif":"gtd","expire_ts":$T+1000,"post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":2,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":2,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":8}
)");
}

// ---------------------------------------------------------------------------------------------
// Self-trade prevention

TEST_CASE("stp cancel_resting: own orders canceled, matching goes on, stp cancels not counted in match", "[scenario][matching][stp]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b2","instrument":"$I","side":"sell","price":"2.1","qty":8}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"$I","side":"buy","price":"2.1","qty":40}
{"type":"new","ts":$T,"account":"B","cl_id":"b3","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","price":"2.2","qty":8}
)",
           R"(
{"type":"accepted","seq":5,"order_id":5,"account":"A","cl_id":"a3","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":40,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"canceled","seq":5,"order_id":1,"account":"A","cl_id":"a1","leaves":8,"reason":"stp"}
{"type":"trade","seq":5,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":5,"sell_order_id":2,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":32,"sell_leaves":0}
{"type":"canceled","seq":5,"order_id":3,"account":"A","cl_id":"a2","leaves":8,"reason":"stp"}
{"type":"trade","seq":5,"match":2,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":5,"sell_order_id":4,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":24,"sell_leaves":0}
{"type":"accepted","seq":6,"order_id":6,"account":"B","cl_id":"b3","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":6,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":5,"sell_order_id":6,"buy_account":"A","sell_account":"B","aggressor":"sell","buy_leaves":16,"sell_leaves":0}
{"type":"accepted","seq":7,"order_id":7,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","order_type":"limit","price":"2.2000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
)");
}

TEST_CASE("stp: the incoming order's stp decides, not the resting order's", "[scenario][matching][stp]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","price":"2.1","qty":8,"stp":"cancel_aggressor"}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2.1","qty":8}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_aggressor"}
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"canceled","seq":2,"order_id":1,"account":"A","cl_id":"a1","leaves":8,"reason":"stp"}
)");
}

TEST_CASE("stp cancel_aggressor: incoming canceled after earlier trades, other accounts' orders stay", "[scenario][matching][stp]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b2","instrument":"$I","side":"sell","price":"2.1","qty":8}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2.1","qty":24,"stp":"cancel_aggressor"}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"$I","side":"buy","price":"2.1","qty":16}
)",
           R"(
{"type":"accepted","seq":4,"order_id":4,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":24,"tif":"gtc","post_only":false,"stp":"cancel_aggressor"}
{"type":"trade","seq":4,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":4,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":16,"sell_leaves":0}
{"type":"canceled","seq":4,"order_id":4,"account":"A","cl_id":"a2","leaves":16,"reason":"stp"}
{"type":"accepted","seq":5,"order_id":5,"account":"C","cl_id":"c1","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":16,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":5,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":5,"sell_order_id":2,"buy_account":"C","sell_account":"A","aggressor":"buy","buy_leaves":8,"sell_leaves":0}
{"type":"trade","seq":5,"match":2,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":5,"sell_order_id":3,"buy_account":"C","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("stp cancel_aggressor on an ioc: no ioc cancel after the stp cancel", "[scenario][matching][stp]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2.1","qty":8,"tif":"ioc","stp":"cancel_aggressor"}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":8,"tif":"ioc","post_only":false,"stp":"cancel_aggressor"}
{"type":"canceled","seq":3,"order_id":3,"account":"A","cl_id":"a2","leaves":8,"reason":"stp"}
)");
}

TEST_CASE("stp cancel_both: resting then incoming canceled, matching stops", "[scenario][matching][stp]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b2","instrument":"$I","side":"sell","price":"2.1","qty":8}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2.1","qty":24,"stp":"cancel_both"}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"$I","side":"buy","price":"2.1","qty":8}
)",
           R"(
{"type":"accepted","seq":4,"order_id":4,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":24,"tif":"gtc","post_only":false,"stp":"cancel_both"}
{"type":"trade","seq":4,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":4,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":16,"sell_leaves":0}
{"type":"canceled","seq":4,"order_id":2,"account":"A","cl_id":"a1","leaves":8,"reason":"stp"}
{"type":"canceled","seq":4,"order_id":4,"account":"A","cl_id":"a2","leaves":16,"reason":"stp"}
{"type":"accepted","seq":5,"order_id":5,"account":"C","cl_id":"c1","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":5,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":5,"sell_order_id":3,"buy_account":"C","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("stp cancel_both on an ioc: no ioc cancel after", "[scenario][matching][stp]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2.1","qty":16,"tif":"ioc","stp":"cancel_both"}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":16,"tif":"ioc","post_only":false,"stp":"cancel_both"}
{"type":"canceled","seq":2,"order_id":1,"account":"A","cl_id":"a1","leaves":8,"reason":"stp"}
{"type":"canceled","seq":2,"order_id":2,"account":"A","cl_id":"a2","leaves":16,"reason":"stp"}
)");
}

TEST_CASE("stp of a resting iceberg cancels its whole open quantity", "[scenario][matching][stp]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","price":"2.1","qty":24,"display_qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2.1","qty":8}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":24,"tif":"gtc","post_only":false,"display_qty":8,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"canceled","seq":2,"order_id":1,"account":"A","cl_id":"a1","leaves":24,"reason":"stp"}
)");
}

TEST_CASE("stp on a market order: resting canceled, trade, rest canceled ioc", "[scenario][matching][stp][market]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.2","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"market","qty":16}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","order_type":"limit","price":"2.2000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"market","price":"3.1500","qty":16,"tif":"ioc","post_only":false,"stp":"cancel_resting"}
{"type":"canceled","seq":3,"order_id":1,"account":"A","cl_id":"a1","leaves":8,"reason":"stp"}
{"type":"trade","seq":3,"match":1,"instrument":"$I","price":"2.2000","qty":8,"buy_order_id":3,"sell_order_id":2,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":8,"sell_leaves":0}
{"type":"canceled","seq":3,"order_id":3,"account":"A","cl_id":"a2","leaves":8,"reason":"ioc"}
)");
}

// ---------------------------------------------------------------------------------------------
// Icebergs

TEST_CASE("iceberg: one sweep trades it clip by clip, a refilled clip goes behind its level", "[scenario][matching][iceberg]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.1","qty":24,"display_qty":8}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"$I","side":"sell","price":"2.1","qty":8}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.1","qty":32}
)",
           R"(
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":32,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":3,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":3,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":24,"sell_leaves":16}
{"type":"trade","seq":3,"match":2,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":3,"sell_order_id":2,"buy_account":"A","sell_account":"C","aggressor":"buy","buy_leaves":16,"sell_leaves":0}
{"type":"trade","seq":3,"match":3,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":3,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":8,"sell_leaves":8}
{"type":"trade","seq":3,"match":4,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":3,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("iceberg: two icebergs at one level alternate clip by clip", "[scenario][matching][iceberg]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.1","qty":16,"display_qty":8}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"$I","side":"sell","price":"2.1","qty":16,"display_qty":8}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.1","qty":32,"tif":"ioc"}
)",
           R"(
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":32,"tif":"ioc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":3,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":3,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":24,"sell_leaves":8}
{"type":"trade","seq":3,"match":2,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":3,"sell_order_id":2,"buy_account":"A","sell_account":"C","aggressor":"buy","buy_leaves":16,"sell_leaves":8}
{"type":"trade","seq":3,"match":3,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":3,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":8,"sell_leaves":0}
{"type":"trade","seq":3,"match":4,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":3,"sell_order_id":2,"buy_account":"A","sell_account":"C","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("iceberg: a partly used clip keeps its place, the refill is min(display, open)", "[scenario][matching][iceberg]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.1","qty":40,"display_qty":16}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"$I","side":"sell","price":"2.1","qty":8}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2.1","qty":16}
{"type":"new","ts":$T,"account":"D","cl_id":"d1","instrument":"$I","side":"buy","price":"2.1","qty":24}
)",
           R"(
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":3,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":3,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":32}
{"type":"accepted","seq":4,"order_id":4,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":16,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":4,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":4,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":8,"sell_leaves":24}
{"type":"trade","seq":4,"match":2,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":4,"sell_order_id":2,"buy_account":"A","sell_account":"C","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
{"type":"accepted","seq":5,"order_id":5,"account":"D","cl_id":"d1","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":24,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":5,"match":1,"instrument":"$I","price":"2.1000","qty":16,"buy_order_id":5,"sell_order_id":1,"buy_account":"D","sell_account":"B","aggressor":"buy","buy_leaves":8,"sell_leaves":8}
{"type":"trade","seq":5,"match":2,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":5,"sell_order_id":1,"buy_account":"D","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("iceberg: an incoming iceberg matches with its whole quantity, then shows one clip", "[scenario][matching][iceberg]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.1","qty":16}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.1","qty":32,"display_qty":8}
{"type":"new","ts":$T,"account":"D","cl_id":"d1","instrument":"$I","side":"buy","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"$I","side":"sell","price":"2.1","qty":32}
)",
           R"(
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":32,"tif":"gtc","post_only":false,"display_qty":8,"stp":"cancel_resting"}
{"type":"trade","seq":2,"match":1,"instrument":"$I","price":"2.1000","qty":16,"buy_order_id":2,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":16,"sell_leaves":0}
{"type":"accepted","seq":3,"order_id":3,"account":"D","cl_id":"d1","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":4,"order_id":4,"account":"C","cl_id":"c1","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":32,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":4,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":2,"sell_order_id":4,"buy_account":"A","sell_account":"C","aggressor":"sell","buy_leaves":8,"sell_leaves":24}
{"type":"trade","seq":4,"match":2,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":3,"sell_order_id":4,"buy_account":"D","sell_account":"C","aggressor":"sell","buy_leaves":0,"sell_leaves":16}
{"type":"trade","seq":4,"match":3,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":2,"sell_order_id":4,"buy_account":"A","sell_account":"C","aggressor":"sell","buy_leaves":0,"sell_leaves":8}
)");
}

TEST_CASE("iceberg: incoming iceberg takes more than its display from one resting order", "[scenario][matching][iceberg]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.1","qty":32}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.1","qty":24,"display_qty":8}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":32,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":24,"tif":"gtc","post_only":false,"display_qty":8,"stp":"cancel_resting"}
{"type":"trade","seq":2,"match":1,"instrument":"$I","price":"2.1000","qty":24,"buy_order_id":2,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":8}
)");
}

TEST_CASE("iceberg: leaves of trades and cancels include hidden quantity", "[scenario][matching][iceberg]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.1","qty":40,"display_qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.1","qty":8}
{"type":"cancel","ts":$T,"account":"B","cl_id":"b1"}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":40,"tif":"gtc","post_only":false,"display_qty":8,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":2,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":2,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":32}
{"type":"canceled","seq":3,"order_id":1,"account":"B","cl_id":"b1","leaves":32,"reason":"user"}
)");
}

// ---------------------------------------------------------------------------------------------
// min_qty and fok

TEST_CASE("fok: not enough -> accepted then canceled fok with leaves = qty, book untouched", "[scenario][matching][fok]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.1","qty":16,"tif":"fok"}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2.1","qty":16,"tif":"fok","min_qty":8}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"$I","side":"buy","price":"2.1","qty":8}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":16,"tif":"fok","post_only":false,"stp":"cancel_resting"}
{"type":"canceled","seq":2,"order_id":2,"account":"A","cl_id":"a1","leaves":16,"reason":"fok"}
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":16,"tif":"fok","post_only":false,"min_qty":8,"stp":"cancel_resting"}
{"type":"canceled","seq":3,"order_id":3,"account":"A","cl_id":"a2","leaves":16,"reason":"fok"}
{"type":"accepted","seq":4,"order_id":4,"account":"C","cl_id":"c1","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":4,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":4,"sell_order_id":1,"buy_account":"C","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("fok: the simulation respects the limit price", "[scenario][matching][fok]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b2","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":16,"tif":"fok"}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2.1","qty":16,"tif":"fok"}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"B","cl_id":"b2","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":16,"tif":"fok","post_only":false,"stp":"cancel_resting"}
{"type":"canceled","seq":3,"order_id":3,"account":"A","cl_id":"a1","leaves":16,"reason":"fok"}
{"type":"accepted","seq":4,"order_id":4,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":16,"tif":"fok","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":4,"match":1,"instrument":"$I","price":"2.0000","qty":8,"buy_order_id":4,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":8,"sell_leaves":0}
{"type":"trade","seq":4,"match":2,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":4,"sell_order_id":2,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("fok: simulated stp cancels are not emitted when the check fails", "[scenario][matching][fok][stp]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2.1","qty":16,"tif":"fok"}
{"type":"cancel","ts":$T,"account":"A","cl_id":"a1"}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":16,"tif":"fok","post_only":false,"stp":"cancel_resting"}
{"type":"canceled","seq":3,"order_id":3,"account":"A","cl_id":"a2","leaves":16,"reason":"fok"}
{"type":"canceled","seq":4,"order_id":1,"account":"A","cl_id":"a1","leaves":8,"reason":"user"}
)");
}

TEST_CASE("fok: succeeds past an own order canceled by stp (simulated exactly)", "[scenario][matching][fok][stp]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b2","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2.1","qty":16,"tif":"fok"}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":3,"order_id":3,"account":"B","cl_id":"b2","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":4,"order_id":4,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":16,"tif":"fok","post_only":false,"stp":"cancel_resting"}
{"type":"canceled","seq":4,"order_id":1,"account":"A","cl_id":"a1","leaves":8,"reason":"stp"}
{"type":"trade","seq":4,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":4,"sell_order_id":2,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":8,"sell_leaves":0}
{"type":"trade","seq":4,"match":2,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":4,"sell_order_id":3,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("fok: a cancel_aggressor stop in the simulation fails the fok with no effect", "[scenario][matching][fok][stp]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b2","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2.1","qty":16,"tif":"fok","stp":"cancel_aggressor"}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"$I","side":"buy","price":"2.1","qty":8}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":3,"order_id":3,"account":"B","cl_id":"b2","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":4,"order_id":4,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":16,"tif":"fok","post_only":false,"stp":"cancel_aggressor"}
{"type":"canceled","seq":4,"order_id":4,"account":"A","cl_id":"a2","leaves":16,"reason":"fok"}
{"type":"accepted","seq":5,"order_id":5,"account":"C","cl_id":"c1","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":5,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":5,"sell_order_id":1,"buy_account":"C","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("fok: a resting iceberg counts with its whole quantity in the simulation", "[scenario][matching][fok][iceberg]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.1","qty":24,"display_qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.1","qty":24,"tif":"fok"}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":24,"tif":"gtc","post_only":false,"display_qty":8,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":24,"tif":"fok","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":2,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":2,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":16,"sell_leaves":16}
{"type":"trade","seq":2,"match":2,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":2,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":8,"sell_leaves":8}
{"type":"trade","seq":2,"match":3,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":2,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("min_qty: gtc that cannot trade min_qty at once is canceled and does not rest", "[scenario][matching][min_qty]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.1","qty":24,"min_qty":16}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.1","qty":24,"min_qty":8}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"$I","side":"sell","price":"2.1","qty":8}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":24,"tif":"gtc","post_only":false,"min_qty":16,"stp":"cancel_resting"}
{"type":"canceled","seq":2,"order_id":2,"account":"A","cl_id":"a1","leaves":24,"reason":"min_qty"}
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":24,"tif":"gtc","post_only":false,"min_qty":8,"stp":"cancel_resting"}
{"type":"trade","seq":3,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":3,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":16,"sell_leaves":0}
{"type":"accepted","seq":4,"order_id":4,"account":"C","cl_id":"c1","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":4,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":3,"sell_order_id":4,"buy_account":"A","sell_account":"C","aggressor":"sell","buy_leaves":8,"sell_leaves":0}
)");
}

TEST_CASE("min_qty: gtd with min_qty and nothing to trade is canceled min_qty", "[scenario][matching][min_qty]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","price":"2.1","qty":8,"tif":"gtd","expire_ts":$T+10,"min_qty":8}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":8,"tif":"gtd","expire_ts":$T+10,"post_only":false,"min_qty":8,"stp":"cancel_resting"}
{"type":"canceled","seq":1,"order_id":1,"account":"A","cl_id":"a1","leaves":8,"reason":"min_qty"}
)");
}

TEST_CASE("min_qty: counted across levels", "[scenario][matching][min_qty]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"buy","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","price":"2.0","qty":24,"min_qty":16}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"B","cl_id":"b1","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"C","cl_id":"c1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","order_type":"limit","price":"2.0000","qty":24,"tif":"gtc","post_only":false,"min_qty":16,"stp":"cancel_resting"}
{"type":"trade","seq":3,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":1,"sell_order_id":3,"buy_account":"B","sell_account":"A","aggressor":"sell","buy_leaves":0,"sell_leaves":16}
{"type":"trade","seq":3,"match":2,"instrument":"$I","price":"2.0000","qty":8,"buy_order_id":2,"sell_order_id":3,"buy_account":"C","sell_account":"A","aggressor":"sell","buy_leaves":0,"sell_leaves":8}
)");
}

TEST_CASE("min_qty: simulated stp, cancel_both stop counts only trades before it", "[scenario][matching][min_qty][stp]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2.1","qty":16,"min_qty":16,"stp":"cancel_both"}
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"$I","side":"buy","price":"2.1","qty":16,"min_qty":8,"stp":"cancel_both"}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":16,"tif":"gtc","post_only":false,"min_qty":16,"stp":"cancel_both"}
{"type":"canceled","seq":3,"order_id":3,"account":"A","cl_id":"a2","leaves":16,"reason":"min_qty"}
{"type":"accepted","seq":4,"order_id":4,"account":"A","cl_id":"a3","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":16,"tif":"gtc","post_only":false,"min_qty":8,"stp":"cancel_both"}
{"type":"trade","seq":4,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":4,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":8,"sell_leaves":0}
{"type":"canceled","seq":4,"order_id":2,"account":"A","cl_id":"a1","leaves":8,"reason":"stp"}
{"type":"canceled","seq":4,"order_id":4,"account":"A","cl_id":"a3","leaves":8,"reason":"stp"}
)");
}

TEST_CASE("min_qty on ioc: failing -> min_qty, no stp emitted, passing -> stp, trade, ioc", "[scenario][matching][min_qty][stp]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2.1","qty":24,"tif":"ioc","min_qty":16}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2.1","qty":24,"tif":"ioc","min_qty":8}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":24,"tif":"ioc","post_only":false,"min_qty":16,"stp":"cancel_resting"}
{"type":"canceled","seq":3,"order_id":3,"account":"A","cl_id":"a2","leaves":24,"reason":"min_qty"}
{"type":"accepted","seq":4,"order_id":4,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":24,"tif":"ioc","post_only":false,"min_qty":8,"stp":"cancel_resting"}
{"type":"canceled","seq":4,"order_id":1,"account":"A","cl_id":"a1","leaves":8,"reason":"stp"}
{"type":"trade","seq":4,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":4,"sell_order_id":2,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":16,"sell_leaves":0}
{"type":"canceled","seq":4,"order_id":4,"account":"A","cl_id":"a2","leaves":16,"reason":"ioc"}
)");
}

// ---------------------------------------------------------------------------------------------
// ioc

TEST_CASE("ioc: trades what it can, the rest is canceled ioc, fully filled gives no cancel", "[scenario][matching][ioc]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.2","qty":16,"tif":"ioc"}
{"type":"new","ts":$T,"account":"B","cl_id":"b2","instrument":"$I","side":"sell","price":"2.1","qty":16}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.1","qty":8,"tif":"ioc"}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.2000","qty":16,"tif":"ioc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":2,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":2,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":8,"sell_leaves":0}
{"type":"canceled","seq":2,"order_id":2,"account":"A","cl_id":"a1","leaves":8,"reason":"ioc"}
{"type":"accepted","seq":3,"order_id":3,"account":"B","cl_id":"b2","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":16,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":4,"order_id":4,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":8,"tif":"ioc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":4,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":4,"sell_order_id":3,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":8}
)");
}

// ---------------------------------------------------------------------------------------------
// Market orders

TEST_CASE("market: protection price is the band edge, ioc by default, rest canceled ioc", "[scenario][matching][market]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"buy","price":"1.05","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b2","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","order_type":"market","qty":24}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$J","side":"buy","order_type":"market","qty":8,"tif":"ioc"}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"B","cl_id":"b1","instrument":"$I","side":"buy","order_type":"limit","price":"1.0500","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"B","cl_id":"b2","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","order_type":"market","price":"1.0500","qty":24,"tif":"ioc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":3,"match":1,"instrument":"$I","price":"2.0000","qty":8,"buy_order_id":2,"sell_order_id":3,"buy_account":"B","sell_account":"A","aggressor":"sell","buy_leaves":0,"sell_leaves":16}
{"type":"trade","seq":3,"match":2,"instrument":"$I","price":"1.0500","qty":8,"buy_order_id":1,"sell_order_id":3,"buy_account":"B","sell_account":"A","aggressor":"sell","buy_leaves":0,"sell_leaves":8}
{"type":"canceled","seq":3,"order_id":3,"account":"A","cl_id":"a1","leaves":8,"reason":"ioc"}
{"type":"accepted","seq":4,"order_id":4,"account":"A","cl_id":"a2","instrument":"$J","side":"buy","order_type":"market","price":"3.1500","qty":8,"tif":"ioc","post_only":false,"stp":"cancel_resting"}
{"type":"canceled","seq":4,"order_id":4,"account":"A","cl_id":"a2","leaves":8,"reason":"ioc"}
)");
}

TEST_CASE("market: does not trade beyond its protection price (band from the last trade)", "[scenario][matching][market]") {
  Scenario s;
  // An ask at 3.15 placed under ref 2.1; a trade at 2.0 moves the band to 1.0000 .. 3.0000.
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"3.15","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b2","instrument":"$I","side":"sell","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"$I","side":"buy","price":"2.0","qty":8}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"market","qty":16}
{"type":"new","ts":$T,"account":"D","cl_id":"d1","instrument":"$I","side":"sell","price":"2.5","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"market","qty":16}
)",
           R"(
{"type":"accepted","seq":4,"order_id":4,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"market","price":"3.0000","qty":16,"tif":"ioc","post_only":false,"stp":"cancel_resting"}
{"type":"canceled","seq":4,"order_id":4,"account":"A","cl_id":"a1","leaves":16,"reason":"ioc"}
{"type":"accepted","seq":5,"order_id":5,"account":"D","cl_id":"d1","instrument":"$I","side":"sell","order_type":"limit","price":"2.5000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":6,"order_id":6,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"market","price":"3.0000","qty":16,"tif":"ioc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":6,"match":1,"instrument":"$I","price":"2.5000","qty":8,"buy_order_id":6,"sell_order_id":5,"buy_account":"A","sell_account":"D","aggressor":"buy","buy_leaves":8,"sell_leaves":0}
{"type":"canceled","seq":6,"order_id":6,"account":"A","cl_id":"a2","leaves":8,"reason":"ioc"}
)");
}

TEST_CASE("market fok: all or nothing, reason fok", "[scenario][matching][market][fok]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.2","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"market","qty":16,"tif":"fok"}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"market","qty":8,"tif":"fok"}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","order_type":"limit","price":"2.2000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"market","price":"3.1500","qty":16,"tif":"fok","post_only":false,"stp":"cancel_resting"}
{"type":"canceled","seq":2,"order_id":2,"account":"A","cl_id":"a1","leaves":16,"reason":"fok"}
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"market","price":"3.1500","qty":8,"tif":"fok","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":3,"match":1,"instrument":"$I","price":"2.2000","qty":8,"buy_order_id":3,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("market with min_qty: failing check gives min_qty", "[scenario][matching][market][min_qty]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.2","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"market","qty":24,"min_qty":16}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","order_type":"limit","price":"2.2000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"market","price":"3.1500","qty":24,"tif":"ioc","post_only":false,"min_qty":16,"stp":"cancel_resting"}
{"type":"canceled","seq":2,"order_id":2,"account":"A","cl_id":"a1","leaves":24,"reason":"min_qty"}
)");
}
