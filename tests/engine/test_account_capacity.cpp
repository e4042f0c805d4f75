// EngineConfig::max_orders_per_account (docs/rules.md "Where the spec is silent" 9): a gtc or
// gtd `new` from an account already holding that many resting orders is rejected with reason
// `capacity`; orders that never rest are not counted against it, and other accounts are not
// affected.
#include <catch2/catch.hpp>

#include "tests/support/scenario.hpp"

using namespace gpux::test;

namespace {

gpux::EngineConfig two_per_account() {
  gpux::EngineConfig c = Scenario::small_engine();
  c.max_orders_per_account = 2;
  return c;
}

}  // namespace

TEST_CASE("capacity: an account at its resting-order bound cannot rest more", "[scenario][capacity]") {
  Scenario s(gpux::Catalog::builtin(), two_per_account());
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$J","side":"buy","price":"2.0","qty":8,"tif":"gtd","expire_ts":$T+100}
)");
  CHECK(s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a4","instrument":"$I","side":"buy","price":"2.0","qty":8,"tif":"ioc"}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"cancel","ts":$T,"account":"A","cl_id":"a1"}
{"type":"new","ts":$T,"account":"A","cl_id":"a5","instrument":"$I","side":"buy","price":"2.0","qty":8}
)",
                 R"(
{"type":"rejected","seq":3,"account":"A","cl_id":"a3","reason":"capacity"}
{"type":"accepted","seq":4,"order_id":4,"account":"A","cl_id":"a4","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"ioc","post_only":false,"stp":"cancel_resting"}
{"type":"canceled","seq":4,"order_id":4,"account":"A","cl_id":"a4","leaves":8,"reason":"ioc"}
{"type":"accepted","seq":5,"order_id":5,"account":"B","cl_id":"b1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"canceled","seq":6,"order_id":1,"account":"A","cl_id":"a1","leaves":8,"reason":"user"}
{"type":"accepted","seq":7,"order_id":7,"account":"A","cl_id":"a5","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
)"));
}

TEST_CASE("capacity: the per-account bound is checked last, and expiries free room first", "[scenario][capacity]") {
  Scenario s(gpux::Catalog::builtin(), two_per_account());
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$J","side":"buy","price":"2.0","qty":8,"tif":"gtd","expire_ts":$T+100}
)");
  // bad_qty and duplicate_cl_id come first; at $T+100 the gtd order has expired, so a3 rests.
  CHECK(s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"$I","side":"buy","price":"2.0","qty":7}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T+100,"account":"A","cl_id":"a3","instrument":"$I","side":"buy","price":"2.0","qty":8}
)",
                 R"(
{"type":"rejected","seq":3,"account":"A","cl_id":"a3","reason":"bad_qty"}
{"type":"rejected","seq":4,"account":"A","cl_id":"a1","reason":"duplicate_cl_id"}
{"type":"expired","seq":5,"ts":$T+100,"order_id":2,"account":"A","cl_id":"a2","leaves":8,"reason":"gtd"}
{"type":"accepted","seq":5,"order_id":5,"account":"A","cl_id":"a3","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
)"));
}
