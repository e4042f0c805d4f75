// The web view (tools/web, docs/web-view.md): the JSON it pushes for a snapshot and for the
// deltas after it (hour books, a window book, the tape, a quote), the bound of a web client's
// queue, and the only files it serves.
#include <catch2/catch.hpp>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/event.hpp"
#include "engine/symbol.hpp"
#include "schemas/codec.hpp"
#include "tools/web/mirror.hpp"
#include "tools/web/out_queue.hpp"
#include "tools/web/web_server.hpp"

using namespace gpux;
using namespace gpux::web;
using nlohmann::json;

namespace {

const std::int64_t kH0 = days_from_civil(2026, 12, 15) * 24;  // 2026-12-15T00Z
const char* const kWindow = "H100.MEM1@2026-12-15T00Z+24h";

const wire::Envelope& env(std::span<const std::uint8_t> frame, std::vector<std::uint8_t>& keep) {
  keep.assign(frame.begin() + protocol::kFrameHeader, frame.end());
  flatbuffers::Verifier v(keep.data(), keep.size());
  REQUIRE(wire::VerifyEnvelopeBuffer(v));
  return *wire::GetEnvelope(keep.data());
}

Event trade(Seq seq, Price price, Qty qty) {
  Event e{};
  e.type = EventType::trade;
  e.seq = seq;
  e.ts = 1'765'000'000'123'456'789;
  e.match = 1;
  e.price = price;
  e.qty = qty;
  e.aggressor = Side::sell;
  return e;
}

}  // namespace

TEST_CASE("web mirror: a snapshot, then deltas of what changed only", "[web]") {
  protocol::ServerEncoder enc;
  std::vector<std::uint8_t> keep;
  Mirror m({"H100.MEM1", "H200.MEM1"});
  m.set_windows({kWindow});
  m.set_connected(true);

  // Hour 0: an ask of 1024 at 2.35 and one of 512 at 2.36; hour 2: a bid.
  const wire::Level asks[] = {wire::Level(23500, 1024, 1), wire::Level(23600, 512, 2)};
  const wire::Level bid(22000, 64, 1);
  const std::vector<protocol::HourBookView> books{{"", kH0, {}, std::span(asks, 2)},
                                                  {"", kH0 + 2, std::span(&bid, 1), {}}};
  REQUIRE(m.apply(env(enc.hours_snapshot(10, "H100.MEM1", books), keep)));
  const wire::Level wbid(21000, 8, 1), wask(21500, 16, 2);
  REQUIRE(m.apply(env(enc.book_snapshot(11, kWindow, std::span(&wbid, 1), std::span(&wask, 1)), keep)));
  REQUIRE(m.apply(env(enc.public_trade(trade(12, 21000, 8), kWindow), keep)));
  // Not shown: another window's book, an unknown product's hours, a heartbeat.
  CHECK_FALSE(m.apply(env(enc.book_update(13, "H100.MEM1@2026-12-16T00Z+24h", Side::buy, wbid), keep)));
  CHECK_FALSE(m.apply(env(enc.hours_snapshot(13, "XX.NOPE", {}), keep)));
  CHECK_FALSE(m.apply(env(enc.heartbeat(), keep)));

  const json snap = json::parse(m.snapshot_json());
  CHECK(snap["type"] == "snapshot");
  CHECK(snap["seq"] == 12);
  CHECK(snap["connected"] == true);
  CHECK(snap["products"] == json({"H100.MEM1", "H200.MEM1"}));
  // [hour, bid, bid qty, bid depth, ask, ask qty, ask depth]
  CHECK(snap["hours"]["H100.MEM1"] ==
        json::parse("[[" + std::to_string(kH0) + ",0,0,0,23500,1024,1536],[" + std::to_string(kH0 + 2) +
                    ",22000,64,64,0,0,0]]"));
  CHECK(snap["hours"]["H200.MEM1"] == json::array());
  CHECK(snap["windows"][kWindow] == json::parse(R"({"bids":[[21000,8,1]],"asks":[[21500,16,2]]})"));
  REQUIRE(snap["trades"].size() == 1);
  CHECK(snap["trades"][0] == json::parse(std::string(R"({"seq":12,"match":1,"ts":1765000000123,"instrument":")") +
                                         kWindow + R"(","price":21000,"qty":8,"side":"sell"})"));

  // The first delta carries everything the snapshot did (a page may have connected before it).
  CHECK_FALSE(m.take_delta_json().empty());
  CHECK(m.take_delta_json().empty());  // nothing changed since

  // Hour 0's best ask goes, hour 1 gets one, the window's bid level changes twice: one delta
  // with each's final state, exactly as sent.
  REQUIRE(m.apply(env(enc.book_update(20, format_symbol("H100.MEM1", kH0, 1), Side::sell, wire::Level(23500, 0, 0), true), keep)));
  REQUIRE(m.apply(env(enc.book_update(20, format_symbol("H100.MEM1", kH0 + 1, 1), Side::sell, wire::Level(24000, 8, 1), true), keep)));
  REQUIRE(m.apply(env(enc.book_update(21, kWindow, Side::buy, wire::Level(21000, 24, 2)), keep)));
  REQUIRE(m.apply(env(enc.book_update(22, kWindow, Side::buy, wire::Level(21000, 32, 3)), keep)));
  REQUIRE(m.apply(env(enc.public_trade(trade(22, 21500, 16), kWindow), keep)));
  const std::string delta = m.take_delta_json();
  CHECK(delta == "{\"type\":\"delta\",\"seq\":22,\"connected\":true,\"hours\":{\"H100.MEM1\":[[" + std::to_string(kH0) +
                     ",0,0,0,23600,512,512],[" + std::to_string(kH0 + 1) +
                     ",0,0,0,24000,8,8]]},\"windows\":{\"" + kWindow +
                     "\":{\"bids\":[[21000,32,3]],\"asks\":[[21500,16,2]]}},\"trades\":[{\"seq\":22,\"match\":1,"
                     "\"ts\":1765000000123,\"instrument\":\"" + kWindow +
                     "\",\"price\":21500,\"qty\":16,\"side\":\"sell\"}]}");

  // An hour that empties is sent as an empty row, then is gone from snapshots.
  REQUIRE(m.apply(env(enc.book_update(23, format_symbol("H100.MEM1", kH0 + 2, 1), Side::buy, wire::Level(22000, 0, 0), true), keep)));
  const json d = json::parse(m.take_delta_json());
  CHECK(d["hours"]["H100.MEM1"] == json::parse("[[" + std::to_string(kH0 + 2) + ",0,0,0,0,0,0]]"));
  CHECK(json::parse(m.snapshot_json())["hours"]["H100.MEM1"].size() == 2);

  // The feed drops: the page is told.
  m.set_connected(false);
  CHECK(json::parse(m.take_delta_json())["connected"] == false);
}

TEST_CASE("web mirror: the tape keeps the newest trades, the book its best levels", "[web]") {
  protocol::ServerEncoder enc;
  std::vector<std::uint8_t> keep;
  Mirror m({"H100.MEM1"}, MirrorLimits{3, 2});
  m.set_windows({kWindow});
  for (Seq s = 1; s <= 5; ++s) REQUIRE(m.apply(env(enc.public_trade(trade(s, 21000 + s, 8), kWindow), keep)));
  for (Price p : {21000, 20900, 20800}) REQUIRE(m.apply(env(enc.book_update(6, kWindow, Side::buy, wire::Level(p, 8, 1)), keep)));
  const json snap = json::parse(m.snapshot_json());
  REQUIRE(snap["trades"].size() == 3);
  CHECK(snap["trades"][0]["seq"] == 3);
  CHECK(snap["trades"][2]["seq"] == 5);
  CHECK(snap["windows"][kWindow]["bids"] == json::parse("[[21000,8,1],[20900,8,1]]"));
  // A window no longer followed is forgotten, and the delta lists every window followed.
  m.take_delta_json();
  m.set_windows({"H100.MEM1@2026-12-16T00Z+24h"});
  const json d = json::parse(m.take_delta_json());
  CHECK(d["all_windows"] == true);
  CHECK(d["windows"].size() == 1);
  CHECK(d["windows"].contains("H100.MEM1@2026-12-16T00Z+24h"));
}

TEST_CASE("web mirror: a quote as the page gets it", "[web]") {
  protocol::ServerEncoder enc;
  std::vector<std::uint8_t> keep;
  Quote q{};
  q.ok = true;
  q.limit = 31500;
  q.window_qty = 8;
  q.sweep_qty = 56;
  q.fill_qty = 64;
  q.hours = 72;
  q.notional = 64 * 72 * 21000;
  q.best = 20500;
  q.worst = 21500;
  const auto& e = env(enc.quote_reply(30, "H100.MEM1@2026-12-15T00Z+72h", Side::buy, 64, q), keep);
  const json j = json::parse(quote_json(*e.body_as_QuoteReply()));
  CHECK(j["type"] == "quote");
  CHECK(j["ok"] == true);
  CHECK(j["fill_qty"] == 64);
  CHECK(j["window_qty"] == 8);
  CHECK(j["sweep_qty"] == 56);
  CHECK(j["average"] == 21000);
  CHECK(j["notional"] == "9676.8000");
  q = Quote{};
  q.ok = false;
  q.reason = Reason::window_closed;
  const auto& r = env(enc.quote_reply(31, "H100.MEM1@2026-12-15T00Z+72h", Side::sell, 64, q), keep);
  const json k = json::parse(quote_json(*r.body_as_QuoteReply()));
  CHECK(k["ok"] == false);
  CHECK(k["reason"] == "window_closed");
  CHECK(k["side"] == "sell");
  CHECK(json::parse(quote_refused_json("busy\"")) == json::parse(R"({"type":"quote","ok":false,"reason":"busy\""})"));
}

TEST_CASE("web client queue: bounded in bytes, the writing message counts until popped", "[web]") {
  OutQueue q(100);
  const auto msg = [](std::size_t n) { return std::make_shared<const std::string>(n, 'x'); };
  REQUIRE(q.push(msg(60)));
  REQUIRE(q.push(msg(40)));
  CHECK(q.bytes() == 100);
  CHECK_FALSE(q.push(msg(1)));  // full: the server disconnects this client
  CHECK(q.size() == 2);
  q.pop();
  CHECK(q.bytes() == 40);
  CHECK(q.push(msg(60)));
  CHECK_FALSE(OutQueue(10).push(msg(11)));  // a message larger than the bound never fits
}

TEST_CASE("web server: serves only its three files", "[web]") {
  REQUIRE(find_static("/") != nullptr);
  CHECK(std::string(find_static("/")->file) == "index.html");
  CHECK(std::string(find_static("/app.js?v=2")->file) == "app.js");
  CHECK(std::string(find_static("/style.css")->content_type).starts_with("text/css"));
  for (const char* bad : {"/../CMakeLists.txt", "/%2e%2e/etc/passwd", "/web/app.js", "//app.js", "/app.js/",
                          "/index.html/../../x", "", "app.js", "/ws"})
    CHECK(find_static(bad) == nullptr);
}
