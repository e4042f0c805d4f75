// docs/rules.md "Cancel", "Replace and priority", "Mass cancel", with their details.
#include <catch2/catch.hpp>

#include "tests/support/scenario.hpp"

using namespace gpux::test;

// ---------------------------------------------------------------------------------------------
// Cancel

TEST_CASE("cancel: by cl_id and by order_id, a second cancel is unknown_order", "[scenario][cancel]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"sell","price":"2.2","qty":16}
{"type":"cancel","ts":$T,"account":"A","cl_id":"a1"}
{"type":"cancel","ts":$T,"account":"A","order_id":2}
{"type":"cancel","ts":$T,"account":"A","cl_id":"a1"}
{"type":"cancel","ts":$T,"account":"A","order_id":2}
{"type":"cancel","ts":$T,"account":"A","order_id":0}
{"type":"cancel","ts":$T,"account":"A","order_id":99}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a2","instrument":"$I","side":"sell","order_type":"limit","price":"2.2000","qty":16,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"canceled","seq":3,"order_id":1,"account":"A","cl_id":"a1","leaves":8,"reason":"user"}
{"type":"canceled","seq":4,"order_id":2,"account":"A","cl_id":"a2","leaves":16,"reason":"user"}
{"type":"cancel_rejected","seq":5,"account":"A","cl_id":"a1","reason":"unknown_order"}
{"type":"cancel_rejected","seq":6,"account":"A","order_id":2,"reason":"unknown_order"}
{"type":"cancel_rejected","seq":7,"account":"A","order_id":0,"reason":"unknown_order"}
{"type":"cancel_rejected","seq":8,"account":"A","order_id":99,"reason":"unknown_order"}
)");
}

TEST_CASE("cancel: with both order_id and cl_id the order_id is used, both echoed on rejection", "[scenario][cancel]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"cancel","ts":$T,"account":"A","cl_id":"a1","order_id":2}
{"type":"cancel","ts":$T,"account":"A","cl_id":"a1","order_id":2}
{"type":"cancel","ts":$T,"account":"A","cl_id":"a1"}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"canceled","seq":3,"order_id":2,"account":"A","cl_id":"a2","leaves":8,"reason":"user"}
{"type":"cancel_rejected","seq":4,"account":"A","cl_id":"a1","order_id":2,"reason":"unknown_order"}
{"type":"canceled","seq":5,"order_id":1,"account":"A","cl_id":"a1","leaves":8,"reason":"user"}
)");
}

TEST_CASE("cancel: another account's order is unknown_order and stays", "[scenario][cancel]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"cancel","ts":$T,"account":"B","order_id":1}
{"type":"cancel","ts":$T,"account":"B","cl_id":"a1"}
{"type":"new","ts":$T,"account":"B","cl_id":"a1","instrument":"$I","side":"buy","price":"1.9","qty":8}
{"type":"cancel","ts":$T,"account":"B","cl_id":"a1"}
{"type":"cancel","ts":$T,"account":"A","order_id":1}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"cancel_rejected","seq":2,"account":"B","order_id":1,"reason":"unknown_order"}
{"type":"cancel_rejected","seq":3,"account":"B","cl_id":"a1","reason":"unknown_order"}
{"type":"accepted","seq":4,"order_id":4,"account":"B","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"1.9000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"canceled","seq":5,"order_id":4,"account":"B","cl_id":"a1","leaves":8,"reason":"user"}
{"type":"canceled","seq":6,"order_id":1,"account":"A","cl_id":"a1","leaves":8,"reason":"user"}
)");
}

TEST_CASE("cancel: filled, partially filled, ioc and rejected orders", "[scenario][cancel]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.1","qty":16}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.1","qty":8}
{"type":"cancel","ts":$T,"account":"A","cl_id":"a1"}
{"type":"cancel","ts":$T,"account":"A","order_id":2}
{"type":"cancel","ts":$T,"account":"B","cl_id":"b1"}
{"type":"new","ts":$T,"account":"A","cl_id":"a9","instrument":"$I","side":"buy","price":"2.0","qty":8,"tif":"ioc"}
{"type":"cancel","ts":$T,"account":"A","order_id":6}
{"type":"cancel","ts":$T,"account":"A","cl_id":"a9"}
{"type":"new","ts":$T,"account":"A","cl_id":"a8","instrument":"$I","side":"buy","price":"2.0","qty":3}
{"type":"cancel","ts":$T,"account":"A","order_id":9}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":16,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":2,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":2,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":8}
{"type":"cancel_rejected","seq":3,"account":"A","cl_id":"a1","reason":"unknown_order"}
{"type":"cancel_rejected","seq":4,"account":"A","order_id":2,"reason":"unknown_order"}
{"type":"canceled","seq":5,"order_id":1,"account":"B","cl_id":"b1","leaves":8,"reason":"user"}
{"type":"accepted","seq":6,"order_id":6,"account":"A","cl_id":"a9","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"ioc","post_only":false,"stp":"cancel_resting"}
{"type":"canceled","seq":6,"order_id":6,"account":"A","cl_id":"a9","leaves":8,"reason":"ioc"}
{"type":"cancel_rejected","seq":7,"account":"A","order_id":6,"reason":"unknown_order"}
{"type":"cancel_rejected","seq":8,"account":"A","cl_id":"a9","reason":"unknown_order"}
{"type":"rejected","seq":9,"account":"A","cl_id":"a8","reason":"bad_qty"}
{"type":"cancel_rejected","seq":10,"account":"A","order_id":9,"reason":"unknown_order"}
)");
}

// ---------------------------------------------------------------------------------------------
// Replace: reasons in order

TEST_CASE("replace: killed comes first, before unknown_order", "[scenario][replace]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"kill","ts":$T,"account":"A"}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":8}
{"type":"replace","ts":$T,"account":"A","order_id":99,"price":"0","qty":0}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"killed","seq":2,"account":"A"}
{"type":"canceled","seq":2,"order_id":1,"account":"A","cl_id":"a1","leaves":8,"reason":"kill"}
{"type":"replace_rejected","seq":3,"account":"A","cl_id":"a1","reason":"killed"}
{"type":"replace_rejected","seq":4,"account":"A","order_id":99,"reason":"killed"}
)");
}

TEST_CASE("replace: unknown_order (other account, unknown id) before halted and bad_qty", "[scenario][replace]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"replace","ts":$T,"account":"B","order_id":1,"price":"2.0","qty":8}
{"type":"replace","ts":$T,"account":"B","cl_id":"a1","price":"2.0","qty":8}
{"type":"halt","ts":$T,"instrument":"$I"}
{"type":"replace","ts":$T,"account":"A","order_id":99,"price":"0","qty":0}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","order_id":99,"price":"2.0","qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"zz","price":"2.0","qty":3}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"replace_rejected","seq":2,"account":"B","order_id":1,"reason":"unknown_order"}
{"type":"replace_rejected","seq":3,"account":"B","cl_id":"a1","reason":"unknown_order"}
{"type":"halted","seq":4,"instrument":"$I"}
{"type":"replace_rejected","seq":5,"account":"A","order_id":99,"reason":"unknown_order"}
{"type":"replace_rejected","seq":6,"account":"A","cl_id":"a1","order_id":99,"reason":"unknown_order"}
{"type":"replace_rejected","seq":7,"account":"A","cl_id":"zz","reason":"unknown_order"}
)");
}

TEST_CASE("replace: halted (instrument or product) before bad_qty", "[scenario][replace]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"halt","ts":$T,"instrument":"$I"}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"0","qty":3}
{"type":"resume","ts":$T,"instrument":"$I"}
{"type":"halt","ts":$T,"product":"H100.MEM1"}
{"type":"replace","ts":$T,"account":"A","order_id":1,"price":"2.0","qty":16}
{"type":"resume","ts":$T,"product":"H100.MEM1"}
{"type":"replace","ts":$T,"account":"A","order_id":1,"price":"2.0","qty":16}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"halted","seq":2,"instrument":"$I"}
{"type":"replace_rejected","seq":3,"account":"A","cl_id":"a1","reason":"halted"}
{"type":"resumed","seq":4,"instrument":"$I"}
{"type":"halted","seq":5,"product":"H100.MEM1"}
{"type":"replace_rejected","seq":6,"account":"A","order_id":1,"reason":"halted"}
{"type":"resumed","seq":7,"product":"H100.MEM1"}
{"type":"replaced","seq":8,"order_id":1,"account":"A","cl_id":"a1","price":"2.0000","qty":16,"priority":"lost"}
)");
}

TEST_CASE("replace: bad_qty before bad_price before price_band, a failure changes nothing", "[scenario][replace]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":16}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":0}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":-8}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":12}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":262152}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"abc","qty":12}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"abc","qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"0","qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"-2","qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0005","qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.00001","qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"9.9995","qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"5.0","qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"1.0490","qty":8}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"$I","side":"sell","price":"2.0","qty":16}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":16,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"replace_rejected","seq":2,"account":"A","cl_id":"a1","reason":"bad_qty"}
{"type":"replace_rejected","seq":3,"account":"A","cl_id":"a1","reason":"bad_qty"}
{"type":"replace_rejected","seq":4,"account":"A","cl_id":"a1","reason":"bad_qty"}
{"type":"replace_rejected","seq":5,"account":"A","cl_id":"a1","reason":"bad_qty"}
{"type":"replace_rejected","seq":6,"account":"A","cl_id":"a1","reason":"bad_qty"}
{"type":"replace_rejected","seq":7,"account":"A","cl_id":"a1","reason":"bad_price"}
{"type":"replace_rejected","seq":8,"account":"A","cl_id":"a1","reason":"bad_price"}
{"type":"replace_rejected","seq":9,"account":"A","cl_id":"a1","reason":"bad_price"}
{"type":"replace_rejected","seq":10,"account":"A","cl_id":"a1","reason":"bad_price"}
{"type":"replace_rejected","seq":11,"account":"A","cl_id":"a1","reason":"bad_price"}
{"type":"replace_rejected","seq":12,"account":"A","cl_id":"a1","reason":"bad_price"}
{"type":"replace_rejected","seq":13,"account":"A","cl_id":"a1","reason":"price_band"}
{"type":"replace_rejected","seq":14,"account":"A","cl_id":"a1","reason":"price_band"}
{"type":"accepted","seq":15,"order_id":15,"account":"C","cl_id":"c1","instrument":"$I","side":"sell","order_type":"limit","price":"2.0000","qty":16,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":15,"match":1,"instrument":"$I","price":"2.0000","qty":16,"buy_order_id":1,"sell_order_id":15,"buy_account":"A","sell_account":"C","aggressor":"sell","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("replace: price_band only when the price changes", "[scenario][replace]") {
  Scenario s;
  // A rests at 1.0500; a trade at 3.1500 moves the band to 1.5750 .. 4.7250.
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"1.05","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"3.15","qty":8}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"$I","side":"buy","price":"3.15","qty":8}
)");
  s.expect(R"(
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"1.05","qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"1.0500","qty":16}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"1.06","qty":16}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"1.575","qty":16}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"1.05","qty":16}
)",
           R"(
{"type":"replaced","seq":4,"order_id":1,"account":"A","cl_id":"a1","price":"1.0500","qty":8,"priority":"kept"}
{"type":"replaced","seq":5,"order_id":1,"account":"A","cl_id":"a1","price":"1.0500","qty":16,"priority":"lost"}
{"type":"replace_rejected","seq":6,"account":"A","cl_id":"a1","reason":"price_band"}
{"type":"replaced","seq":7,"order_id":1,"account":"A","cl_id":"a1","price":"1.5750","qty":16,"priority":"lost"}
{"type":"replace_rejected","seq":8,"account":"A","cl_id":"a1","reason":"price_band"}
)");
}

TEST_CASE("replace: post_only to a crossing price, price_band first, duplicate_cl_id after", "[scenario][replace]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8,"post_only":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"1.9","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.1","qty":8}
)");
  s.expect(R"(
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.1","qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.2","qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"5.0","qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","new_cl_id":"a2","price":"2.1","qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","new_cl_id":"a2","price":"2.05","qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.05","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"$I","side":"sell","price":"2.08","qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.08","qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"a2","price":"2.1","qty":8}
)",
           R"(
{"type":"replace_rejected","seq":4,"account":"A","cl_id":"a1","reason":"post_only"}
{"type":"replace_rejected","seq":5,"account":"A","cl_id":"a1","reason":"post_only"}
{"type":"replace_rejected","seq":6,"account":"A","cl_id":"a1","reason":"price_band"}
{"type":"replace_rejected","seq":7,"account":"A","cl_id":"a1","reason":"post_only"}
{"type":"replace_rejected","seq":8,"account":"A","cl_id":"a1","reason":"duplicate_cl_id"}
{"type":"replaced","seq":9,"order_id":1,"account":"A","cl_id":"a1","price":"2.0500","qty":8,"priority":"lost"}
{"type":"accepted","seq":10,"order_id":10,"account":"A","cl_id":"a3","instrument":"$I","side":"sell","order_type":"limit","price":"2.0800","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"replace_rejected","seq":11,"account":"A","cl_id":"a1","reason":"post_only"}
{"type":"replaced","seq":12,"order_id":2,"account":"A","cl_id":"a2","price":"2.1000","qty":8,"priority":"lost"}
{"type":"canceled","seq":12,"order_id":10,"account":"A","cl_id":"a3","leaves":8,"reason":"stp"}
{"type":"trade","seq":12,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":2,"sell_order_id":3,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("replace: duplicate_cl_id, new_cl_id equal to its own cl_id is fine, the old cl_id is freed", "[scenario][replace]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"1.9","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"a3","instrument":"$I","side":"buy","price":"1.8","qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","new_cl_id":"a2","price":"2.0","qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","new_cl_id":"a1","price":"2.0","qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","new_cl_id":"a3","price":"2.0","qty":8}
{"type":"cancel","ts":$T,"account":"A","cl_id":"a1"}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"1.8","qty":8}
{"type":"cancel","ts":$T,"account":"A","cl_id":"a3"}
{"type":"cancel","ts":$T,"account":"A","cl_id":"a1"}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"limit","price":"1.9000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":3,"order_id":3,"account":"B","cl_id":"a3","instrument":"$I","side":"buy","order_type":"limit","price":"1.8000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"replace_rejected","seq":4,"account":"A","cl_id":"a1","reason":"duplicate_cl_id"}
{"type":"replaced","seq":5,"order_id":1,"account":"A","cl_id":"a1","price":"2.0000","qty":8,"priority":"kept"}
{"type":"replaced","seq":6,"order_id":1,"account":"A","cl_id":"a3","price":"2.0000","qty":8,"priority":"kept"}
{"type":"cancel_rejected","seq":7,"account":"A","cl_id":"a1","reason":"unknown_order"}
{"type":"replace_rejected","seq":8,"account":"A","cl_id":"a1","reason":"unknown_order"}
{"type":"accepted","seq":9,"order_id":9,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"1.8000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"canceled","seq":10,"order_id":1,"account":"A","cl_id":"a3","leaves":8,"reason":"user"}
{"type":"canceled","seq":11,"order_id":9,"account":"A","cl_id":"a1","leaves":8,"reason":"user"}
)");
}

TEST_CASE("replace: with both order_id and cl_id the order_id is used", "[scenario][replace]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","order_id":2,"new_cl_id":"a9","price":"1.9","qty":8}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"replaced","seq":3,"order_id":2,"account":"A","cl_id":"a9","price":"1.9000","qty":8,"priority":"lost"}
)");
}

TEST_CASE("replace: filled and ioc orders are not resting -> unknown_order", "[scenario][replace]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.1","qty":8}
{"type":"replace","ts":$T,"account":"B","cl_id":"b1","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2.1","qty":8,"tif":"ioc"}
{"type":"replace","ts":$T,"account":"A","order_id":4,"price":"2.1","qty":8}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":2,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":2,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
{"type":"replace_rejected","seq":3,"account":"B","cl_id":"b1","reason":"unknown_order"}
{"type":"accepted","seq":4,"order_id":4,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":8,"tif":"ioc","post_only":false,"stp":"cancel_resting"}
{"type":"canceled","seq":4,"order_id":4,"account":"A","cl_id":"a2","leaves":8,"reason":"ioc"}
{"type":"replace_rejected","seq":5,"account":"A","order_id":4,"reason":"unknown_order"}
)");
}

// ---------------------------------------------------------------------------------------------
// Replace: priority

TEST_CASE("replace: same price and qty not larger keeps priority", "[scenario][replace]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":16}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"buy","price":"2.0","qty":8}
)");
  s.expect(R"(
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0000","qty":8}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"$I","side":"sell","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"C","cl_id":"c2","instrument":"$I","side":"sell","price":"2.0","qty":8}
)",
           R"(
{"type":"replaced","seq":3,"order_id":1,"account":"A","cl_id":"a1","price":"2.0000","qty":8,"priority":"kept"}
{"type":"replaced","seq":4,"order_id":1,"account":"A","cl_id":"a1","price":"2.0000","qty":8,"priority":"kept"}
{"type":"accepted","seq":5,"order_id":5,"account":"C","cl_id":"c1","instrument":"$I","side":"sell","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":5,"match":1,"instrument":"$I","price":"2.0000","qty":8,"buy_order_id":1,"sell_order_id":5,"buy_account":"A","sell_account":"C","aggressor":"sell","buy_leaves":0,"sell_leaves":0}
{"type":"accepted","seq":6,"order_id":6,"account":"C","cl_id":"c2","instrument":"$I","side":"sell","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":6,"match":1,"instrument":"$I","price":"2.0000","qty":8,"buy_order_id":2,"sell_order_id":6,"buy_account":"B","sell_account":"C","aggressor":"sell","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("replace: a larger qty loses priority", "[scenario][replace]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"buy","price":"2.0","qty":8}
)");
  s.expect(R"(
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":16}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"$I","side":"sell","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"C","cl_id":"c2","instrument":"$I","side":"sell","price":"2.0","qty":8}
)",
           R"(
{"type":"replaced","seq":3,"order_id":1,"account":"A","cl_id":"a1","price":"2.0000","qty":16,"priority":"lost"}
{"type":"accepted","seq":4,"order_id":4,"account":"C","cl_id":"c1","instrument":"$I","side":"sell","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":4,"match":1,"instrument":"$I","price":"2.0000","qty":8,"buy_order_id":2,"sell_order_id":4,"buy_account":"B","sell_account":"C","aggressor":"sell","buy_leaves":0,"sell_leaves":0}
{"type":"accepted","seq":5,"order_id":5,"account":"C","cl_id":"c2","instrument":"$I","side":"sell","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":5,"match":1,"instrument":"$I","price":"2.0000","qty":8,"buy_order_id":1,"sell_order_id":5,"buy_account":"A","sell_account":"C","aggressor":"sell","buy_leaves":8,"sell_leaves":0}
)");
}

TEST_CASE("replace: a price change loses priority even with a smaller qty, and even back to the old price", "[scenario][replace]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":16}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"buy","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b2","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"D","cl_id":"d1","instrument":"$J","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"E","cl_id":"e1","instrument":"$J","side":"buy","price":"2.0","qty":8}
)");
  s.expect(R"(
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"$I","side":"sell","price":"2.0","qty":24}
{"type":"replace","ts":$T,"account":"D","cl_id":"d1","price":"1.9","qty":8}
{"type":"replace","ts":$T,"account":"D","cl_id":"d1","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"C","cl_id":"c2","instrument":"$J","side":"sell","price":"2.0","qty":8}
)",
           R"(
{"type":"replaced","seq":6,"order_id":1,"account":"A","cl_id":"a1","price":"2.1000","qty":8,"priority":"lost"}
{"type":"accepted","seq":7,"order_id":7,"account":"C","cl_id":"c1","instrument":"$I","side":"sell","order_type":"limit","price":"2.0000","qty":24,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":7,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":2,"sell_order_id":7,"buy_account":"B","sell_account":"C","aggressor":"sell","buy_leaves":0,"sell_leaves":16}
{"type":"trade","seq":7,"match":2,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":1,"sell_order_id":7,"buy_account":"A","sell_account":"C","aggressor":"sell","buy_leaves":0,"sell_leaves":8}
{"type":"trade","seq":7,"match":3,"instrument":"$I","price":"2.0000","qty":8,"buy_order_id":3,"sell_order_id":7,"buy_account":"B","sell_account":"C","aggressor":"sell","buy_leaves":0,"sell_leaves":0}
{"type":"replaced","seq":8,"order_id":4,"account":"D","cl_id":"d1","price":"1.9000","qty":8,"priority":"lost"}
{"type":"replaced","seq":9,"order_id":4,"account":"D","cl_id":"d1","price":"2.0000","qty":8,"priority":"lost"}
{"type":"accepted","seq":10,"order_id":10,"account":"C","cl_id":"c2","instrument":"$J","side":"sell","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":10,"match":1,"instrument":"$J","price":"2.0000","qty":8,"buy_order_id":5,"sell_order_id":10,"buy_account":"E","sell_account":"C","aggressor":"sell","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("replace: 'not larger' compares with the current open quantity", "[scenario][replace]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":24}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"buy","price":"2.0","qty":8}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"$I","side":"sell","price":"2.0","qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":16}
{"type":"new","ts":$T,"account":"C","cl_id":"c2","instrument":"$I","side":"sell","price":"2.0","qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":16}
{"type":"new","ts":$T,"account":"C","cl_id":"c3","instrument":"$I","side":"sell","price":"2.0","qty":8}
)",
           R"(
{"type":"accepted","seq":3,"order_id":3,"account":"C","cl_id":"c1","instrument":"$I","side":"sell","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":3,"match":1,"instrument":"$I","price":"2.0000","qty":8,"buy_order_id":1,"sell_order_id":3,"buy_account":"A","sell_account":"C","aggressor":"sell","buy_leaves":16,"sell_leaves":0}
{"type":"replaced","seq":4,"order_id":1,"account":"A","cl_id":"a1","price":"2.0000","qty":16,"priority":"kept"}
{"type":"accepted","seq":5,"order_id":5,"account":"C","cl_id":"c2","instrument":"$I","side":"sell","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":5,"match":1,"instrument":"$I","price":"2.0000","qty":8,"buy_order_id":1,"sell_order_id":5,"buy_account":"A","sell_account":"C","aggressor":"sell","buy_leaves":8,"sell_leaves":0}
{"type":"replaced","seq":6,"order_id":1,"account":"A","cl_id":"a1","price":"2.0000","qty":16,"priority":"lost"}
{"type":"accepted","seq":7,"order_id":7,"account":"C","cl_id":"c3","instrument":"$I","side":"sell","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":7,"match":1,"instrument":"$I","price":"2.0000","qty":8,"buy_order_id":2,"sell_order_id":7,"buy_account":"B","sell_account":"C","aggressor":"sell","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("replace: iceberg kept -> clip shrinks to at most the new open quantity", "[scenario][replace][iceberg]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":32,"display_qty":16}
)");
  s.expect(R"(
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"$I","side":"sell","price":"2.0","qty":16}
)",
           R"(
{"type":"replaced","seq":2,"order_id":1,"account":"A","cl_id":"a1","price":"2.0000","qty":8,"priority":"kept"}
{"type":"accepted","seq":3,"order_id":3,"account":"C","cl_id":"c1","instrument":"$I","side":"sell","order_type":"limit","price":"2.0000","qty":16,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":3,"match":1,"instrument":"$I","price":"2.0000","qty":8,"buy_order_id":1,"sell_order_id":3,"buy_account":"A","sell_account":"C","aggressor":"sell","buy_leaves":0,"sell_leaves":8}
)");
}

TEST_CASE("replace: iceberg kept with a smaller open keeps its clip and its place", "[scenario][replace][iceberg]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":32,"display_qty":16}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"buy","price":"2.0","qty":8}
)");
  s.expect(R"(
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":24}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"$I","side":"sell","price":"2.0","qty":32}
)",
           R"(
{"type":"replaced","seq":3,"order_id":1,"account":"A","cl_id":"a1","price":"2.0000","qty":24,"priority":"kept"}
{"type":"accepted","seq":4,"order_id":4,"account":"C","cl_id":"c1","instrument":"$I","side":"sell","order_type":"limit","price":"2.0000","qty":32,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":4,"match":1,"instrument":"$I","price":"2.0000","qty":16,"buy_order_id":1,"sell_order_id":4,"buy_account":"A","sell_account":"C","aggressor":"sell","buy_leaves":8,"sell_leaves":16}
{"type":"trade","seq":4,"match":2,"instrument":"$I","price":"2.0000","qty":8,"buy_order_id":2,"sell_order_id":4,"buy_account":"B","sell_account":"C","aggressor":"sell","buy_leaves":0,"sell_leaves":8}
{"type":"trade","seq":4,"match":3,"instrument":"$I","price":"2.0000","qty":8,"buy_order_id":1,"sell_order_id":4,"buy_account":"A","sell_account":"C","aggressor":"sell","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("replace: iceberg kept does not refill a partly used clip", "[scenario][replace][iceberg]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":32,"display_qty":16}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"$I","side":"sell","price":"2.0","qty":8}
)");
  s.expect(R"(
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":16}
{"type":"new","ts":$T,"account":"D","cl_id":"d1","instrument":"$I","side":"sell","price":"2.0","qty":16}
)",
           R"(
{"type":"replaced","seq":3,"order_id":1,"account":"A","cl_id":"a1","price":"2.0000","qty":16,"priority":"kept"}
{"type":"accepted","seq":4,"order_id":4,"account":"D","cl_id":"d1","instrument":"$I","side":"sell","order_type":"limit","price":"2.0000","qty":16,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":4,"match":1,"instrument":"$I","price":"2.0000","qty":8,"buy_order_id":1,"sell_order_id":4,"buy_account":"A","sell_account":"D","aggressor":"sell","buy_leaves":8,"sell_leaves":8}
{"type":"trade","seq":4,"match":2,"instrument":"$I","price":"2.0000","qty":8,"buy_order_id":1,"sell_order_id":4,"buy_account":"A","sell_account":"D","aggressor":"sell","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("replace: iceberg that loses priority gets a fresh clip", "[scenario][replace][iceberg]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":32,"display_qty":16}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"$I","side":"sell","price":"2.0","qty":8}
)");
  s.expect(R"(
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":32}
{"type":"new","ts":$T,"account":"D","cl_id":"d1","instrument":"$I","side":"sell","price":"2.0","qty":16}
)",
           R"(
{"type":"replaced","seq":3,"order_id":1,"account":"A","cl_id":"a1","price":"2.0000","qty":32,"priority":"lost"}
{"type":"accepted","seq":4,"order_id":4,"account":"D","cl_id":"d1","instrument":"$I","side":"sell","order_type":"limit","price":"2.0000","qty":16,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":4,"match":1,"instrument":"$I","price":"2.0000","qty":16,"buy_order_id":1,"sell_order_id":4,"buy_account":"A","sell_account":"D","aggressor":"sell","buy_leaves":16,"sell_leaves":0}
)");
}

// ---------------------------------------------------------------------------------------------
// Replace: crossing

TEST_CASE("replace: a crossing price matches as incoming, replaced comes before its trades", "[scenario][replace]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b2","instrument":"$I","side":"sell","price":"2.2","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":24}
)");
  s.expect(R"(
{"type":"replace","ts":$T+7,"account":"A","cl_id":"a1","price":"2.2","qty":24}
{"type":"new","ts":$T+8,"account":"C","cl_id":"c1","instrument":"$I","side":"sell","price":"2.2","qty":8}
)",
           R"(
{"type":"replaced","seq":4,"order_id":3,"account":"A","cl_id":"a1","price":"2.2000","qty":24,"priority":"lost"}
{"type":"trade","seq":4,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":3,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":16,"sell_leaves":0}
{"type":"trade","seq":4,"match":2,"instrument":"$I","price":"2.2000","qty":8,"buy_order_id":3,"sell_order_id":2,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":8,"sell_leaves":0}
{"type":"accepted","seq":5,"order_id":5,"account":"C","cl_id":"c1","instrument":"$I","side":"sell","order_type":"limit","price":"2.2000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":5,"match":1,"instrument":"$I","price":"2.2000","qty":8,"buy_order_id":3,"sell_order_id":5,"buy_account":"A","sell_account":"C","aggressor":"sell","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("replace: crossing with own orders applies the order's stp (cancel_resting)", "[scenario][replace][stp]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2.0","qty":16}
)");
  s.expect(R"(
{"type":"replace","ts":$T,"account":"A","cl_id":"a2","price":"2.1","qty":16}
)",
           R"(
{"type":"replaced","seq":4,"order_id":3,"account":"A","cl_id":"a2","price":"2.1000","qty":16,"priority":"lost"}
{"type":"canceled","seq":4,"order_id":1,"account":"A","cl_id":"a1","leaves":8,"reason":"stp"}
{"type":"trade","seq":4,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":3,"sell_order_id":2,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":8,"sell_leaves":0}
)");
}

TEST_CASE("replace: crossing with own orders applies the order's stp (cancel_aggressor, cancel_both)", "[scenario][replace][stp]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2.0","qty":8,"stp":"cancel_aggressor"}
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"$I","side":"buy","price":"1.9","qty":8,"stp":"cancel_both"}
)");
  s.expect(R"(
{"type":"replace","ts":$T,"account":"A","cl_id":"a2","price":"2.1","qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"a3","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"1.9","qty":8}
)",
           R"(
{"type":"replaced","seq":4,"order_id":2,"account":"A","cl_id":"a2","price":"2.1000","qty":8,"priority":"lost"}
{"type":"canceled","seq":4,"order_id":2,"account":"A","cl_id":"a2","leaves":8,"reason":"stp"}
{"type":"replaced","seq":5,"order_id":3,"account":"A","cl_id":"a3","price":"2.1000","qty":8,"priority":"lost"}
{"type":"canceled","seq":5,"order_id":1,"account":"A","cl_id":"a1","leaves":8,"reason":"stp"}
{"type":"canceled","seq":5,"order_id":3,"account":"A","cl_id":"a3","leaves":8,"reason":"stp"}
{"type":"accepted","seq":6,"order_id":6,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"limit","price":"1.9000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
)");
}

TEST_CASE("replace: a crossing replace ignores min_qty", "[scenario][replace][min_qty]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.0","qty":16}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":24,"min_qty":16}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"$I","side":"sell","price":"2.1","qty":8}
)");
  s.expect(R"(
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.1","qty":16}
)",
           R"(
{"type":"replaced","seq":4,"order_id":2,"account":"A","cl_id":"a1","price":"2.1000","qty":16,"priority":"lost"}
{"type":"trade","seq":4,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":2,"sell_order_id":3,"buy_account":"A","sell_account":"C","aggressor":"buy","buy_leaves":8,"sell_leaves":0}
)");
}

TEST_CASE("replace: a crossing iceberg matches with its whole open quantity", "[scenario][replace][iceberg]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.1","qty":24}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":32,"display_qty":8}
)");
  s.expect(R"(
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.1","qty":32}
)",
           R"(
{"type":"replaced","seq":3,"order_id":2,"account":"A","cl_id":"a1","price":"2.1000","qty":32,"priority":"lost"}
{"type":"trade","seq":3,"match":1,"instrument":"$I","price":"2.1000","qty":24,"buy_order_id":2,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":8,"sell_leaves":0}
)");
}

// ---------------------------------------------------------------------------------------------
// Mass cancel

TEST_CASE("mass_cancel: all, by instrument, by product, ascending order_id, nothing found emits nothing", "[scenario][mass_cancel]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$J","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"$K","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a4","instrument":"$I","side":"sell","price":"2.2","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a5","instrument":"$I","side":"buy","price":"1.9","qty":24,"display_qty":8}
)");
  s.expect(R"(
{"type":"mass_cancel","ts":$T,"account":"A","instrument":"$I"}
{"type":"mass_cancel","ts":$T,"account":"A","product":"H100.MEM1"}
{"type":"mass_cancel","ts":$T,"account":"A","instrument":"$J"}
{"type":"mass_cancel","ts":$T,"account":"A"}
{"type":"mass_cancel","ts":$T,"account":"A"}
{"type":"mass_cancel","ts":$T,"account":"B","product":"H200.MEM1"}
{"type":"mass_cancel","ts":$T,"account":"B","instrument":"nonsense"}
{"type":"mass_cancel","ts":$T,"account":"B","instrument":"$I","product":"H200.MEM1"}
{"type":"mass_cancel","ts":$T,"account":"Z"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8}
)",
           R"(
{"type":"canceled","seq":7,"order_id":1,"account":"A","cl_id":"a1","leaves":8,"reason":"mass"}
{"type":"canceled","seq":7,"order_id":5,"account":"A","cl_id":"a4","leaves":8,"reason":"mass"}
{"type":"canceled","seq":7,"order_id":6,"account":"A","cl_id":"a5","leaves":24,"reason":"mass"}
{"type":"canceled","seq":8,"order_id":2,"account":"A","cl_id":"a2","leaves":8,"reason":"mass"}
{"type":"canceled","seq":10,"order_id":3,"account":"A","cl_id":"a3","leaves":8,"reason":"mass"}
{"type":"canceled","seq":14,"order_id":4,"account":"B","cl_id":"b1","leaves":8,"reason":"mass"}
{"type":"accepted","seq":16,"order_id":16,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
)");
}

TEST_CASE("mass_cancel: ascending order_id, not book priority", "[scenario][mass_cancel]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"$I","side":"sell","price":"2.2","qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":16}
{"type":"new","ts":$T,"account":"A","cl_id":"a4","instrument":"$I","side":"buy","price":"2.05","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a5","instrument":"$J","side":"buy","price":"2.05","qty":8}
)");
  s.expect(R"(
{"type":"mass_cancel","ts":$T,"account":"A"}
)",
           R"(
{"type":"canceled","seq":7,"order_id":1,"account":"A","cl_id":"a1","leaves":16,"reason":"mass"}
{"type":"canceled","seq":7,"order_id":2,"account":"A","cl_id":"a2","leaves":8,"reason":"mass"}
{"type":"canceled","seq":7,"order_id":3,"account":"A","cl_id":"a3","leaves":8,"reason":"mass"}
{"type":"canceled","seq":7,"order_id":5,"account":"A","cl_id":"a4","leaves":8,"reason":"mass"}
{"type":"canceled","seq":7,"order_id":6,"account":"A","cl_id":"a5","leaves":8,"reason":"mass"}
)");
}
