// The client's picture of a product's hour books (tools/client/hours_table.hpp): a snapshot and
// updates make the hours, identical consecutive hours make one run, gaps show as empty runs,
// and the text of a quote and of hour-book messages.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/symbol.hpp"
#include "schemas/codec.hpp"
#include "tools/client/hours_table.hpp"
#include "tools/client/render_json.hpp"
#include "tools/client/render_text.hpp"

using namespace gpux;
using namespace gpux::client;

namespace {

// 2026-12-15T00Z in hours since the epoch.
const std::int64_t kH0 = days_from_civil(2026, 12, 15) * 24;

std::string one_hour(std::int64_t hour) { return format_symbol("H100.MEM1", hour, 1); }

// A server frame's envelope, kept alive in `keep`.
const wire::Envelope& env(std::span<const std::uint8_t> frame, std::vector<std::uint8_t>& keep) {
  keep.assign(frame.begin() + protocol::kFrameHeader, frame.end());
  flatbuffers::Verifier v(keep.data(), keep.size());
  REQUIRE(wire::VerifyEnvelopeBuffer(v));
  return *wire::GetEnvelope(keep.data());
}

}  // namespace

TEST_CASE("hours table: runs of identical hours, gaps, and updates", "[hours_table]") {
  protocol::ServerEncoder enc;
  std::vector<std::uint8_t> keep;
  HoursTable table("H100.MEM1");
  // Not ours: another product's snapshot, a window book's update, an update before the snapshot.
  CHECK_FALSE(table.apply(env(enc.hours_snapshot(3, "H200.MEM1", {}), keep)));
  CHECK_FALSE(table.apply(env(enc.book_update(3, "H100.MEM1@2026-12-15T00Z+24h", Side::sell,
                                              wire::Level(23500, 8, 1)), keep)));
  CHECK_FALSE(table.apply(env(enc.book_update(3, one_hour(kH0), Side::sell, wire::Level(23500, 8, 1), true), keep)));
  CHECK_FALSE(table.has_snapshot());

  // Hours 0-2: asks of 1024 at 2.35; hour 1 also a bid; nothing in hours 3-4; hour 5: an ask.
  const wire::Level ask(23500, 1024, 1), bid(22000, 64, 1), deeper(23600, 512, 2);
  const std::vector<protocol::HourBookView> books{
      {"", kH0, {}, std::span(&ask, 1)},
      {"", kH0 + 1, std::span(&bid, 1), std::span(&ask, 1)},
      {"", kH0 + 2, {}, std::span(&ask, 1)},
      {"", kH0 + 5, {}, std::span(&deeper, 1)},
  };
  REQUIRE(table.apply(env(enc.hours_snapshot(10, "H100.MEM1", books), keep)));
  REQUIRE(table.has_snapshot());
  std::vector<HourRun> runs = table.runs();
  REQUIRE(runs.size() == 5);
  CHECK((runs[0].first_hour == kH0 && runs[0].hours == 1 && runs[0].row.ask == 23500 && runs[0].row.bid == 0));
  CHECK((runs[1].first_hour == kH0 + 1 && runs[1].row.bid == 22000 && runs[1].row.bid_qty == 64));
  CHECK((runs[2].first_hour == kH0 + 2 && runs[2].hours == 1));
  CHECK((runs[3].first_hour == kH0 + 3 && runs[3].hours == 2 && runs[3].row == HourRow{}));
  CHECK((runs[4].first_hour == kH0 + 5 && runs[4].row.ask_depth == 512));

  // The bid of hour 1 goes: hours 0-2 become one run. A deeper ask level in hour 0 splits it.
  REQUIRE(table.apply(env(enc.book_update(11, one_hour(kH0 + 1), Side::buy, wire::Level(22000, 0, 0), true), keep)));
  runs = table.runs();
  REQUIRE(runs.size() == 3);
  CHECK((runs[0].first_hour == kH0 && runs[0].hours == 3 && runs[0].row.ask_qty == 1024));
  REQUIRE(table.apply(env(enc.book_update(12, one_hour(kH0), Side::sell, wire::Level(23600, 8, 1), true), keep)));
  runs = table.runs();
  REQUIRE(runs.size() == 4);
  CHECK((runs[0].hours == 1 && runs[0].row.ask == 23500 && runs[0].row.ask_qty == 1024 &&
         runs[0].row.ask_depth == 1032));
  CHECK((runs[1].first_hour == kH0 + 1 && runs[1].hours == 2));
  CHECK(table.seq() == 12);

  // A range: empty hours around, clipped to it.
  runs = table.runs(kH0 - 2, kH0 + 8);
  REQUIRE(runs.size() == 6);
  CHECK((runs.front().first_hour == kH0 - 2 && runs.front().hours == 2 && runs.front().row == HourRow{}));
  CHECK((runs.back().first_hour == kH0 + 6 && runs.back().hours == 2));
  runs = table.runs(kH0 + 1, kH0 + 3);
  REQUIRE(runs.size() == 1);
  CHECK((runs[0].first_hour == kH0 + 1 && runs[0].hours == 2));

  // The table a person reads.
  const std::string text = table.render();
  INFO(text);
  CHECK(text.find("H100.MEM1 hour books (divisible orders), as of seq 12") == 0);
  CHECK(text.find("2026-12-15T00Z  +1h") != std::string::npos);
  CHECK(text.find("2026-12-15T01Z  +2h") != std::string::npos);
  CHECK(text.find("2026-12-15T03Z  +2h") != std::string::npos);
  CHECK(text.find("2.3500  1024   1032") != std::string::npos);
  CHECK(HoursTable("B200.DAL1").render().find("no divisible orders rest in any hour") != std::string::npos);
  CHECK(hour_text(kH0 + 13) == "2026-12-15T13Z");
}

TEST_CASE("hours table: quote replies and hour-book messages as text and JSON", "[hours_table]") {
  protocol::ServerEncoder enc;
  std::vector<std::uint8_t> keep;
  Quote q{};
  q.ok = true;
  q.limit = 31500;
  q.hours = 720;
  q.sweep_qty = q.fill_qty = 512;
  q.notional = static_cast<__int128>(22000) * 512 * 720;
  q.best = q.worst = 22000;
  const wire::Envelope& e = env(enc.quote_reply(8, "H100.MEM1@2026-12-15T00Z+720h", Side::buy, 512, q), keep);
  CHECK(to_text(e) ==
        "quote buy 512 H100.MEM1@2026-12-15T00Z+720h: 512 of 512 fill (0 window, 512 sweep), average 2.2000, "
        "notional $811008.0000");
  const auto j = nlohmann::json::parse(to_json(e));
  CHECK(j["type"] == "quote_reply");
  CHECK(j["notional"] == "811008.0000");
  CHECK(j["average"] == "2.2000");
  CHECK(j["sweep_qty"] == 512);

  Event c{};
  c.type = EventType::canceled;
  c.order_id = 4;
  c.cl_id.assign("own");
  c.leaves = 512;
  c.reason = Reason::user;
  c.has_instrument = true;
  const wire::Envelope& ce = env(enc.event(c, "H100.MEM1@2026-12-15T06Z+18h", "maker-1"), keep);
  CHECK(to_text(ce) == "canceled order 4 hours H100.MEM1@2026-12-15T06Z+18h (user, 512 left in each hour; cl_id own)");
  CHECK(nlohmann::json::parse(to_json(ce))["instrument"] == "H100.MEM1@2026-12-15T06Z+18h");

  const wire::Envelope& u = env(enc.book_update(9, one_hour(kH0), Side::sell, wire::Level(23500, 8, 1), true), keep);
  CHECK(to_text(u) == "hour book H100.MEM1@2026-12-15T00Z+1h ask 2.3500: 8 in 1 order");
  CHECK(nlohmann::json::parse(to_json(u))["hours"] == true);
}
