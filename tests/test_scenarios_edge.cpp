// Corner cases where rules meet: simulations that must model iceberg refills and STP exactly,
// protection prices after a trade, exact-string targets, cancels while halted, cl_id reuse.
#include <catch2/catch.hpp>

#include "tests/support/scenario.hpp"

using namespace gpux::test;

TEST_CASE("fok simulation models an iceberg refill going behind an own order (cancel_aggressor)", "[scenario][edge][fok]") {
  // Real matching: clip 8 of b1 trades, b1 refills behind a1, then a1 is own -> stop at 8 < 16.
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.1","qty":16,"display_qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","price":"2.1","qty":8}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2.1","qty":16,"tif":"fok","stp":"cancel_aggressor"}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"$I","side":"buy","price":"2.1","qty":16}
)",
           R"(
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":16,"tif":"fok","post_only":false,"stp":"cancel_aggressor"}
{"type":"canceled","seq":3,"order_id":3,"account":"A","cl_id":"a2","leaves":16,"reason":"fok"}
{"type":"accepted","seq":4,"order_id":4,"account":"C","cl_id":"c1","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":16,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":4,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":4,"sell_order_id":1,"buy_account":"C","sell_account":"B","aggressor":"buy","buy_leaves":8,"sell_leaves":8}
{"type":"trade","seq":4,"match":2,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":4,"sell_order_id":2,"buy_account":"C","sell_account":"A","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("fok with an iceberg refill behind an own order (cancel_resting) succeeds", "[scenario][edge][fok]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.1","qty":16,"display_qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","price":"2.1","qty":8}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2.1","qty":16,"tif":"fok"}
)",
           R"(
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":16,"tif":"fok","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":3,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":3,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":8,"sell_leaves":8}
{"type":"canceled","seq":3,"order_id":2,"account":"A","cl_id":"a1","leaves":8,"reason":"stp"}
{"type":"trade","seq":3,"match":2,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":3,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("min_qty simulation with an iceberg refill and cancel_both", "[scenario][edge][min_qty]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.1","qty":16,"display_qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","price":"2.1","qty":8}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2.1","qty":16,"min_qty":16,"stp":"cancel_both"}
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"$I","side":"buy","price":"2.1","qty":16,"min_qty":8,"stp":"cancel_both"}
)",
           R"(
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":16,"tif":"gtc","post_only":false,"min_qty":16,"stp":"cancel_both"}
{"type":"canceled","seq":3,"order_id":3,"account":"A","cl_id":"a2","leaves":16,"reason":"min_qty"}
{"type":"accepted","seq":4,"order_id":4,"account":"A","cl_id":"a3","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":16,"tif":"gtc","post_only":false,"min_qty":8,"stp":"cancel_both"}
{"type":"trade","seq":4,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":4,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":8,"sell_leaves":8}
{"type":"canceled","seq":4,"order_id":2,"account":"A","cl_id":"a1","leaves":8,"reason":"stp"}
{"type":"canceled","seq":4,"order_id":4,"account":"A","cl_id":"a3","leaves":8,"reason":"stp"}
)");
}

TEST_CASE("stp cancel_resting of an own iceberg in the middle of a sweep", "[scenario][edge][stp]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","price":"2.1","qty":24,"display_qty":8}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"$I","side":"sell","price":"2.1","qty":8}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2.1","qty":24}
)",
           R"(
{"type":"accepted","seq":4,"order_id":4,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":24,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":4,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":4,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":16,"sell_leaves":0}
{"type":"canceled","seq":4,"order_id":2,"account":"A","cl_id":"a1","leaves":24,"reason":"stp"}
{"type":"trade","seq":4,"match":2,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":4,"sell_order_id":3,"buy_account":"A","sell_account":"C","aggressor":"buy","buy_leaves":8,"sell_leaves":0}
)");
}

TEST_CASE("a sell sweeps an iceberg bid clip by clip, then the next level", "[scenario][edge][iceberg]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"buy","price":"2.1","qty":16,"display_qty":8}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"$I","side":"buy","price":"2.0","qty":8}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","price":"2.0","qty":24}
)",
           R"(
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","order_type":"limit","price":"2.0000","qty":24,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":3,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":1,"sell_order_id":3,"buy_account":"B","sell_account":"A","aggressor":"sell","buy_leaves":8,"sell_leaves":16}
{"type":"trade","seq":3,"match":2,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":1,"sell_order_id":3,"buy_account":"B","sell_account":"A","aggressor":"sell","buy_leaves":0,"sell_leaves":8}
{"type":"trade","seq":3,"match":3,"instrument":"$I","price":"2.0000","qty":8,"buy_order_id":2,"sell_order_id":3,"buy_account":"C","sell_account":"A","aggressor":"sell","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("market sell protection after a trade is the ceil-to-tick lower band", "[scenario][edge][market]") {
  // Trade at 2.1010: lower = ceil_to_tick(1.0505) = 1.0510.
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.101","qty":8}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"$I","side":"buy","price":"2.101","qty":8}
{"type":"new","ts":$T,"account":"D","cl_id":"d1","instrument":"$I","side":"buy","price":"1.051","qty":8}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","order_type":"market","qty":16}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"market","qty":8,"stp":"cancel_aggressor"}
)",
           R"(
{"type":"accepted","seq":4,"order_id":4,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","order_type":"market","price":"1.0510","qty":16,"tif":"ioc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":4,"match":1,"instrument":"$I","price":"1.0510","qty":8,"buy_order_id":3,"sell_order_id":4,"buy_account":"D","sell_account":"A","aggressor":"sell","buy_leaves":0,"sell_leaves":8}
{"type":"canceled","seq":4,"order_id":4,"account":"A","cl_id":"a1","leaves":8,"reason":"ioc"}
{"type":"accepted","seq":5,"order_id":5,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"market","price":"1.5760","qty":8,"tif":"ioc","post_only":false,"stp":"cancel_aggressor"}
{"type":"canceled","seq":5,"order_id":5,"account":"A","cl_id":"a2","leaves":8,"reason":"ioc"}
)");
}

TEST_CASE("market order stopped by stp cancel_aggressor: no ioc cancel", "[scenario][edge][market][stp]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"market","qty":16,"stp":"cancel_aggressor"}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"market","price":"3.1500","qty":16,"tif":"ioc","post_only":false,"stp":"cancel_aggressor"}
{"type":"canceled","seq":2,"order_id":2,"account":"A","cl_id":"a2","leaves":16,"reason":"stp"}
)");
}

TEST_CASE("product and instrument targets match exactly (no prefixes, no spelling variants)", "[scenario][edge][halt][mass_cancel]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"halt","ts":$T,"product":"H100"}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$J","side":"buy","price":"2.0","qty":8}
{"type":"mass_cancel","ts":$T,"account":"A","product":"H100"}
{"type":"mass_cancel","ts":$T,"account":"A","instrument":"H100.MEM1@2026-12-01T00Z+024h"}
{"type":"mass_cancel","ts":$T,"account":"A","instrument":"h100.mem1@2026-12-01T00Z+24h"}
{"type":"mass_cancel","ts":$T,"account":"A","product":"H100.MEM1"}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"halted","seq":2,"product":"H100"}
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a2","instrument":"$J","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"canceled","seq":7,"order_id":1,"account":"A","cl_id":"a1","leaves":8,"reason":"mass"}
{"type":"canceled","seq":7,"order_id":3,"account":"A","cl_id":"a2","leaves":8,"reason":"mass"}
)");
}

TEST_CASE("mass_cancel and kill go on while halted", "[scenario][edge][halt][kill]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$J","side":"buy","price":"2.0","qty":8}
{"type":"halt","ts":$T,"product":"H100.MEM1"}
{"type":"halt","ts":$T,"instrument":"$I"}
{"type":"mass_cancel","ts":$T,"account":"A","instrument":"$I"}
{"type":"kill","ts":$T,"account":"A"}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a2","instrument":"$J","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"halted","seq":3,"product":"H100.MEM1"}
{"type":"halted","seq":4,"instrument":"$I"}
{"type":"canceled","seq":5,"order_id":1,"account":"A","cl_id":"a1","leaves":8,"reason":"mass"}
{"type":"killed","seq":6,"account":"A"}
{"type":"canceled","seq":6,"order_id":2,"account":"A","cl_id":"a2","leaves":8,"reason":"kill"}
)");
}

TEST_CASE("replace: new_cl_id may take a cl_id freed by this command's expiries, only the new one is in use", "[scenario][edge][replace][time]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8,"tif":"gtd","expire_ts":$T+10}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"1.9","qty":8}
{"type":"replace","ts":$T+10,"account":"A","cl_id":"a2","new_cl_id":"a1","price":"1.9","qty":8}
{"type":"new","ts":$T+10,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"1.8","qty":8}
{"type":"new","ts":$T+10,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"1.8","qty":8}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtd","expire_ts":$T+10,"post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"limit","price":"1.9000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"expired","seq":3,"ts":$T+10,"order_id":1,"account":"A","cl_id":"a1","leaves":8,"reason":"gtd"}
{"type":"replaced","seq":3,"order_id":2,"account":"A","cl_id":"a1","price":"1.9000","qty":8,"priority":"kept"}
{"type":"rejected","seq":4,"account":"A","cl_id":"a1","reason":"duplicate_cl_id"}
{"type":"accepted","seq":5,"order_id":5,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"limit","price":"1.8000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
)");
}

TEST_CASE("replace cannot change display_qty: an iceberg shrunk below its clip gets full clips again", "[scenario][edge][replace][iceberg]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":32,"display_qty":16}
)");
  s.expect(R"(
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"1.9","qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"1.9","qty":40}
{"type":"new","ts":$T,"account":"D","cl_id":"d1","instrument":"$I","side":"sell","price":"1.9","qty":40}
)",
           R"(
{"type":"replaced","seq":2,"order_id":1,"account":"A","cl_id":"a1","price":"1.9000","qty":8,"priority":"lost"}
{"type":"replaced","seq":3,"order_id":1,"account":"A","cl_id":"a1","price":"1.9000","qty":40,"priority":"lost"}
{"type":"accepted","seq":4,"order_id":4,"account":"D","cl_id":"d1","instrument":"$I","side":"sell","order_type":"limit","price":"1.9000","qty":40,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":4,"match":1,"instrument":"$I","price":"1.9000","qty":16,"buy_order_id":1,"sell_order_id":4,"buy_account":"A","sell_account":"D","aggressor":"sell","buy_leaves":24,"sell_leaves":24}
{"type":"trade","seq":4,"match":2,"instrument":"$I","price":"1.9000","qty":16,"buy_order_id":1,"sell_order_id":4,"buy_account":"A","sell_account":"D","aggressor":"sell","buy_leaves":8,"sell_leaves":8}
{"type":"trade","seq":4,"match":3,"instrument":"$I","price":"1.9000","qty":8,"buy_order_id":1,"sell_order_id":4,"buy_account":"A","sell_account":"D","aggressor":"sell","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("accepted iceberg with min_qty: both fields, rests one clip after trading min_qty", "[scenario][edge][iceberg][min_qty]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.1","qty":32,"min_qty":8,"display_qty":8}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"$I","side":"sell","price":"2.1","qty":16}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":32,"tif":"gtc","post_only":false,"min_qty":8,"display_qty":8,"stp":"cancel_resting"}
{"type":"trade","seq":2,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":2,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":24,"sell_leaves":0}
{"type":"accepted","seq":3,"order_id":3,"account":"C","cl_id":"c1","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":16,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":3,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":2,"sell_order_id":3,"buy_account":"A","sell_account":"C","aggressor":"sell","buy_leaves":16,"sell_leaves":8}
{"type":"trade","seq":3,"match":2,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":2,"sell_order_id":3,"buy_account":"A","sell_account":"C","aggressor":"sell","buy_leaves":8,"sell_leaves":0}
)");
}

TEST_CASE("a market order on a halted instrument is rejected halted", "[scenario][edge][halt][market]") {
  expect_events(R"(
{"type":"halt","ts":$T,"instrument":"$I"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"market","qty":8}
)",
                R"(
{"type":"halted","seq":1,"instrument":"$I"}
{"type":"rejected","seq":2,"account":"A","cl_id":"a1","reason":"halted"}
)");
}

TEST_CASE("cancel by cl_id finds the account's own order when another account uses the same cl_id", "[scenario][edge][cancel]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"x","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"x","instrument":"$I","side":"buy","price":"1.9","qty":16}
{"type":"cancel","ts":$T,"account":"A","cl_id":"x"}
{"type":"cancel","ts":$T,"account":"B","cl_id":"x"}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"B","cl_id":"x","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"x","instrument":"$I","side":"buy","order_type":"limit","price":"1.9000","qty":16,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"canceled","seq":3,"order_id":2,"account":"A","cl_id":"x","leaves":16,"reason":"user"}
{"type":"canceled","seq":4,"order_id":1,"account":"B","cl_id":"x","leaves":8,"reason":"user"}
)");
}
