// SPEC §7 "Arithmetic": price x qty x hours in 128 bits (a buy whose product does not fit int64 is
// no_credit, one that is exactly INT64_MAX passes), commitments of risk-off orders beyond int64
// counted exactly, a balance carried past int64 by a trade (then any positive fund is
// bad_amount), negative funds down to INT64_MIN. Ledger state is observed through events only.
// Expectations derived by hand from /work/shared/SPEC.md and /work/notes/ledger-decisions.md.
//
// Product H100.MEM1 (lot 8, tick 10, ref 2.1000 -> band [1.0500, 3.1500]); hours of 2026-12-01.
// INT64_MAX = 9223372036854775807 units of $0.0001 = 922337203685477.5807.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "tests/support/scenario.hpp"

using namespace gpux::test;

namespace {

gpux::Catalog one_product(const char* id, std::int64_t lot, std::int64_t ref_price) {
  gpux::Catalog catalog;
  gpux::Product p;
  p.id = id;
  p.lot = lot;
  p.tick = 1;
  p.ref_price = ref_price;
  p.max_qty = std::int64_t{1} << 40;
  p.max_hours = 1'000'000;
  p.horizon_hours = 1'000'000;
  REQUIRE(!catalog.add(p).has_value());
  return catalog;
}

}  // namespace

TEST_CASE("ledger int64: a buy whose price x qty x hours passes int64 is no_credit, even with INT64_MAX cash", "[scenario][ledger][int64]") {
  // BIG: lot 8, tick 1 ($0.0001), ref 0.0200 -> band [0.0100, 0.0300], max_qty 2^40.
  // qty 2^40 over 2^16 hours: at 0.0256 the product is 2^64, at 0.0128 2^63 (one past
  // INT64_MAX), at the protection price 0.0300 300 x 2^56; at 0.0127 it is 127 x 2^56 =
  // 9151314442816847872, which fits, leaving free 72057594037927935 = 7205759403792.7935.
  Scenario s(one_product("BIG", 8, 200));
  s.setup(R"(
{"type":"fund","ts":$T,"account":"A","amount":"922337203685477.5807"}
{"type":"risk","ts":$T,"mode":"on"}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"BIG@2026-12-01T00Z+65536h","side":"buy","price":"0.0256","qty":1099511627776}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"BIG@2026-12-01T00Z+65536h","side":"buy","price":"0.0128","qty":1099511627776}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"BIG@2026-12-01T00Z+65536h","side":"buy","order_type":"market","qty":1099511627776}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"BIG@2026-12-01T00Z+65536h","side":"buy","price":"0.0127","qty":1099511627776}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"0.0128","qty":1099511627776}
{"type":"fund","ts":$T,"account":"A","amount":"-7205759403792.7936"}
{"type":"fund","ts":$T,"account":"A","amount":"-7205759403792.7935"}
)",
         R"(
{"type":"rejected","seq":3,"account":"A","cl_id":"a1","reason":"no_credit"}
{"type":"rejected","seq":4,"account":"A","cl_id":"a1","reason":"no_credit"}
{"type":"rejected","seq":5,"account":"A","cl_id":"a1","reason":"no_credit"}
{"type":"accepted","seq":6,"order_id":6,"account":"A","cl_id":"a1","instrument":"BIG@2026-12-01T00Z+65536h","side":"buy","order_type":"limit","price":"0.0127","qty":1099511627776,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"replace_rejected","seq":7,"account":"A","cl_id":"a1","reason":"no_credit"}
{"type":"fund_rejected","seq":8,"account":"A","amount":"-7205759403792.7936","reason":"no_credit"}
{"type":"funded","seq":9,"account":"A","amount":"-7205759403792.7935","cash":"915131444281684.7872"}
)");
}

TEST_CASE("ledger int64: a trade carries cash past INT64_MAX exactly, then any positive fund is bad_amount", "[scenario][ledger][int64]") {
  // S has INT64_MAX and sells 8 x 1 h at 1.1 (8.8 = 88000): 9223372036854863807.
  // "-922337203685477.5808" is INT64_MIN, inside int64: before the trade no_credit.
  Scenario s;
  s.setup(R"(
{"type":"fund","ts":$T,"account":"S","amount":"922337203685477.5807"}
{"type":"new","ts":$T,"account":"S","cl_id":"s1","instrument":"$H00+1","side":"sell","price":"1.1","qty":8}
)");
  s.expect(R"(
{"type":"fund","ts":$T,"account":"S","amount":"-922337203685477.5808"}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$H00+1","side":"buy","price":"1.1","qty":8}
{"type":"fund","ts":$T,"account":"S","amount":"0.0001"}
{"type":"fund","ts":$T,"account":"S","amount":"-1"}
{"type":"fund","ts":$T,"account":"S","amount":"-7.8001"}
{"type":"fund","ts":$T,"account":"S","amount":"0.0001"}
{"type":"fund","ts":$T,"account":"S","amount":"0.0001"}
{"type":"fund","ts":$T,"account":"B","amount":"8.8"}
)",
         R"(
{"type":"fund_rejected","seq":3,"account":"S","amount":"-922337203685477.5808","reason":"no_credit"}
{"type":"accepted","seq":4,"order_id":4,"account":"B","cl_id":"b1","instrument":"$H00+1","side":"buy","order_type":"limit","price":"1.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":4,"match":1,"instrument":"$H00+1","price":"1.1000","qty":8,"buy_order_id":4,"sell_order_id":2,"buy_account":"B","sell_account":"S","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
{"type":"fund_rejected","seq":5,"account":"S","amount":"0.0001","reason":"bad_amount"}
{"type":"funded","seq":6,"account":"S","amount":"-1.0000","cash":"922337203685485.3807"}
{"type":"funded","seq":7,"account":"S","amount":"-7.8001","cash":"922337203685477.5806"}
{"type":"funded","seq":8,"account":"S","amount":"0.0001","cash":"922337203685477.5807"}
{"type":"fund_rejected","seq":9,"account":"S","amount":"0.0001","reason":"bad_amount"}
{"type":"funded","seq":10,"account":"B","amount":"8.8000","cash":"0.0000"}
)");
}

TEST_CASE("ledger int64: a balance past int64 can be funded down by INT64_MIN and still buys", "[scenario][ledger][int64]") {
  // After the trade S has 9223372036854863807; minus 2^63 leaves 87999 = 8.7999.
  Scenario s;
  s.setup(R"(
{"type":"fund","ts":$T,"account":"S","amount":"922337203685477.5807"}
{"type":"new","ts":$T,"account":"S","cl_id":"s1","instrument":"$H00+1","side":"sell","price":"1.1","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$H00+1","side":"buy","price":"1.1","qty":8}
{"type":"risk","ts":$T,"mode":"on"}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"S","cl_id":"s2","instrument":"$H01+1","side":"buy","price":"2.0","qty":8}
{"type":"cancel","ts":$T,"account":"S","cl_id":"s2"}
{"type":"fund","ts":$T,"account":"S","amount":"-922337203685477.5808"}
{"type":"new","ts":$T,"account":"S","cl_id":"s3","instrument":"$H01+1","side":"buy","price":"1.1","qty":8}
{"type":"fund","ts":$T,"account":"S","amount":"-0.0001"}
)",
         R"(
{"type":"accepted","seq":5,"order_id":5,"account":"S","cl_id":"s2","instrument":"$H01+1","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"canceled","seq":6,"order_id":5,"account":"S","cl_id":"s2","leaves":8,"reason":"user"}
{"type":"funded","seq":7,"account":"S","amount":"-922337203685477.5808","cash":"8.7999"}
{"type":"rejected","seq":8,"account":"S","cl_id":"s3","reason":"no_credit"}
{"type":"funded","seq":9,"account":"S","amount":"-0.0001","cash":"8.7998"}
)");
}

TEST_CASE("ledger int64: a buy costing exactly INT64_MAX passes with INT64_MAX of cash, not one unit less", "[scenario][ledger][int64]") {
  // INT64_MAX = 454279 x 218934409 x 92737 (49*73*127 x 337*649657 x 92737). EXACT: lot 1,
  // ref 45.4280 -> band [22.7140, 68.1420]; the buy is 218934409 GPUs over 92737 hours at 45.4279.
  Scenario s(one_product("EXACT", 1, 454280));
  s.setup(R"(
{"type":"fund","ts":$T,"account":"A","amount":"922337203685477.5806"}
{"type":"risk","ts":$T,"mode":"on"}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"EXACT@2026-12-01T00Z+92737h","side":"buy","price":"45.4279","qty":218934409}
{"type":"fund","ts":$T,"account":"A","amount":"0.0001"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"EXACT@2026-12-01T00Z+92737h","side":"buy","price":"45.4279","qty":218934409}
{"type":"fund","ts":$T,"account":"A","amount":"-0.0001"}
{"type":"cancel","ts":$T,"account":"A","cl_id":"a1"}
{"type":"fund","ts":$T,"account":"A","amount":"-922337203685477.5807"}
)",
         R"(
{"type":"rejected","seq":3,"account":"A","cl_id":"a1","reason":"no_credit"}
{"type":"funded","seq":4,"account":"A","amount":"0.0001","cash":"922337203685477.5807"}
{"type":"accepted","seq":5,"order_id":5,"account":"A","cl_id":"a1","instrument":"EXACT@2026-12-01T00Z+92737h","side":"buy","order_type":"limit","price":"45.4279","qty":218934409,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"fund_rejected","seq":6,"account":"A","amount":"-0.0001","reason":"no_credit"}
{"type":"canceled","seq":7,"order_id":5,"account":"A","cl_id":"a1","leaves":218934409,"reason":"user"}
{"type":"funded","seq":8,"account":"A","amount":"-922337203685477.5807","cash":"0.0000"}
)");
}

TEST_CASE("ledger int64: a buy resting from risk-off time may commit more than int64, counted exactly", "[scenario][ledger][int64]") {
  // BIG as above. a1 (risk off): 0.0256 x 2^40 x 2^16 = 2^64 committed against cash 100.0000;
  // a2 0.0100 x 8 x 1 = 0.0800.
  Scenario s(one_product("BIG", 8, 200));
  s.setup(R"(
{"type":"fund","ts":$T,"account":"A","amount":"100"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"BIG@2026-12-01T00Z+65536h","side":"buy","price":"0.0256","qty":1099511627776}
)");
  s.expect(R"(
{"type":"fund","ts":$T,"account":"A","amount":"-0.0001"}
{"type":"risk","ts":$T,"mode":"on"}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"BIG@2026-12-01T00Z+1h","side":"buy","price":"0.01","qty":8}
{"type":"cancel","ts":$T,"account":"A","cl_id":"a1"}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"BIG@2026-12-01T00Z+1h","side":"buy","price":"0.01","qty":8}
{"type":"fund","ts":$T,"account":"A","amount":"-99.92"}
{"type":"fund","ts":$T,"account":"A","amount":"-0.0001"}
)",
         R"(
{"type":"fund_rejected","seq":3,"account":"A","amount":"-0.0001","reason":"no_credit"}
{"type":"risk","seq":4,"mode":"on"}
{"type":"rejected","seq":5,"account":"A","cl_id":"a2","reason":"no_credit"}
{"type":"canceled","seq":6,"order_id":2,"account":"A","cl_id":"a1","leaves":1099511627776,"reason":"user"}
{"type":"accepted","seq":7,"order_id":7,"account":"A","cl_id":"a2","instrument":"BIG@2026-12-01T00Z+1h","side":"buy","order_type":"limit","price":"0.0100","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"funded","seq":8,"account":"A","amount":"-99.9200","cash":"0.0800"}
{"type":"fund_rejected","seq":9,"account":"A","amount":"-0.0001","reason":"no_credit"}
)");
}

TEST_CASE("ledger int64: a risk-off trade of 2^64 units leaves the buyer below INT64_MIN and the seller above INT64_MAX, exactly", "[scenario][ledger][int64]") {
  // BIG: 2^40 GPUs over 2^16 hours at 0.0256 = 2^64 = 18446744073709551616 units.
  // B: -2^64 + INT64_MAX = -9223372036854775809. S: 2^64, twice INT64_MIN's size.
  Scenario s(one_product("BIG", 8, 200));
  s.setup(R"(
{"type":"new","ts":$T,"account":"S","cl_id":"s1","instrument":"BIG@2026-12-01T00Z+65536h","side":"sell","price":"0.0256","qty":1099511627776}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"BIG@2026-12-01T00Z+65536h","side":"buy","price":"0.0256","qty":1099511627776}
{"type":"fund","ts":$T,"account":"B","amount":"922337203685477.5807"}
{"type":"fund","ts":$T,"account":"S","amount":"0.0001"}
{"type":"fund","ts":$T,"account":"S","amount":"-922337203685477.5808"}
{"type":"fund","ts":$T,"account":"S","amount":"0.0001"}
{"type":"fund","ts":$T,"account":"S","amount":"-922337203685477.5808"}
{"type":"fund","ts":$T,"account":"S","amount":"-0.0001"}
{"type":"withdraw","ts":$T,"account":"B","instrument":"BIG@2026-12-01T00Z+65536h","qty":1099511627776}
{"type":"withdraw","ts":$T,"account":"S","instrument":"BIG@2026-12-01T00Z+1h","qty":8}
)",
         R"(
{"type":"accepted","seq":2,"order_id":2,"account":"B","cl_id":"b1","instrument":"BIG@2026-12-01T00Z+65536h","side":"buy","order_type":"limit","price":"0.0256","qty":1099511627776,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":2,"match":1,"instrument":"BIG@2026-12-01T00Z+65536h","price":"0.0256","qty":1099511627776,"buy_order_id":2,"sell_order_id":1,"buy_account":"B","sell_account":"S","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
{"type":"funded","seq":3,"account":"B","amount":"922337203685477.5807","cash":"-922337203685477.5809"}
{"type":"fund_rejected","seq":4,"account":"S","amount":"0.0001","reason":"bad_amount"}
{"type":"funded","seq":5,"account":"S","amount":"-922337203685477.5808","cash":"922337203685477.5808"}
{"type":"fund_rejected","seq":6,"account":"S","amount":"0.0001","reason":"bad_amount"}
{"type":"funded","seq":7,"account":"S","amount":"-922337203685477.5808","cash":"0.0000"}
{"type":"fund_rejected","seq":8,"account":"S","amount":"-0.0001","reason":"no_credit"}
{"type":"withdrawn","seq":9,"account":"B","instrument":"BIG@2026-12-01T00Z+65536h","qty":1099511627776}
{"type":"withdraw_rejected","seq":10,"account":"S","instrument":"BIG@2026-12-01T00Z+1h","qty":8,"reason":"no_capacity"}
)");
}
