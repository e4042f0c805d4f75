// The wire codec for hours (SPEC v2 §6): divisible orders, the hours a divisible order's cancels
// and expiries name, quotes, and the market data of hour books.
#include <catch2/catch.hpp>

#include <vector>

#include "schemas/codec.hpp"

using namespace gpux;
using namespace gpux::protocol;

namespace {

std::vector<std::uint8_t> body(std::span<const std::uint8_t> frame) {
  REQUIRE(frame.size() > kFrameHeader);
  return {frame.begin() + kFrameHeader, frame.end()};
}

ClientMessage decoded(std::span<const std::uint8_t> frame) {
  const auto b = body(frame);
  ClientMessage m;
  DecodeError err{};
  const bool ok = decode_client(b, m, err);
  INFO((err.text ? err.text : ""));
  REQUIRE(ok);
  return m;
}

DecodeError refused(std::span<const std::uint8_t> frame) {
  const auto b = body(frame);
  ClientMessage m;
  DecodeError err{};
  REQUIRE_FALSE(decode_client(b, m, err));
  return err;
}

const wire::Envelope& envelope_of(std::span<const std::uint8_t> frame, std::vector<std::uint8_t>& keep) {
  keep = body(frame);
  flatbuffers::Verifier v(keep.data(), keep.size());
  REQUIRE(wire::VerifyEnvelopeBuffer(v));
  return *wire::GetEnvelope(keep.data());
}

constexpr const char* kWindow = "H100.MEM1@2026-12-15T00Z+720h";

}  // namespace

TEST_CASE("codec hours: divisible travels on NewOrder and comes back on Accepted", "[codec]") {
  ClientEncoder enc;
  Command c = make_command(CommandType::new_order, 0, 0);
  c.cl_id.assign("own-1");
  c.instrument.assign(kWindow);
  c.has_instrument = true;
  c.side = Side::sell;
  c.price = PriceField{true, true, 23500};
  c.qty = 1024;
  c.divisible = true;
  CHECK(decoded(enc.command(c)).command.divisible);
  c.divisible = false;
  CHECK_FALSE(decoded(enc.command(c)).command.divisible);

  ServerEncoder server;
  std::vector<std::uint8_t> keep;
  Event a{};
  a.type = EventType::accepted;
  a.seq = a.order_id = 7;
  a.cl_id.assign("own-1");
  a.side = Side::sell;
  a.price = 23500;
  a.qty = 1024;
  a.tif = Tif::gtc;
  a.divisible = true;
  CHECK(envelope_of(server.event(a, kWindow, "maker-1"), keep).body_as_Accepted()->divisible());
  a.divisible = false;
  CHECK_FALSE(envelope_of(server.event(a, kWindow, "maker-1"), keep).body_as_Accepted()->divisible());
}

TEST_CASE("codec hours: a divisible order's cancel and expiry name their hours, a block's none", "[codec]") {
  ServerEncoder enc;
  std::vector<std::uint8_t> keep;
  for (const EventType type : {EventType::canceled, EventType::expired}) {
    Event e{};
    e.type = type;
    e.seq = 12;
    e.order_id = 7;
    e.cl_id.assign("own-1");
    e.leaves = 512;
    e.reason = type == EventType::canceled ? Reason::user : Reason::gate_closed;
    e.has_instrument = true;
    const auto& env = envelope_of(enc.event(e, "H100.MEM1@2026-12-15T06Z+18h", "maker-1"), keep);
    const flatbuffers::String* hours =
        type == EventType::canceled ? env.body_as_Canceled()->instrument() : env.body_as_Expired()->instrument();
    REQUIRE(hours != nullptr);
    CHECK(hours->str() == "H100.MEM1@2026-12-15T06Z+18h");
    // A block's: no instrument, whatever the caller passes (the bytes of v1).
    e.has_instrument = false;
    const auto& block = envelope_of(enc.event(e, kWindow, "maker-1"), keep);
    CHECK((type == EventType::canceled ? block.body_as_Canceled()->instrument()
                                       : block.body_as_Expired()->instrument()) == nullptr);
  }
}

TEST_CASE("codec hours: a quote request round trips, with and without a limit", "[codec]") {
  ClientEncoder enc;
  ClientMessage m = decoded(enc.quote(kWindow, Side::buy, 512, 22000));
  REQUIRE(m.kind == ClientKind::quote);
  CHECK(m.command.instrument.view() == kWindow);
  CHECK(m.command.side == Side::buy);
  CHECK(m.command.qty == 512);
  CHECK((m.command.price.present && m.command.price.value == 22000));
  m = decoded(enc.quote(kWindow, Side::sell, 64));
  CHECK(m.command.side == Side::sell);
  CHECK_FALSE(m.command.price.present);
}

TEST_CASE("codec hours: a quote reply carries the fills, the notional exactly, or the reason", "[codec]") {
  ServerEncoder enc;
  std::vector<std::uint8_t> keep;
  Quote q{};
  q.ok = true;
  q.limit = 31500;
  q.hours = 720;
  q.window_qty = 64;
  q.sweep_qty = 448;
  q.fill_qty = 512;
  // 64 GPUs at 2.1000 and 448 at 2.2000, for 720 hours each.
  q.notional = static_cast<__int128>(21000) * 64 * 720 + static_cast<__int128>(22000) * 448 * 720;
  q.best = 21000;
  q.worst = 22000;
  const auto& env = envelope_of(enc.quote_reply(41, kWindow, Side::buy, 512, q), keep);
  REQUIRE(env.body_type() == wire::Body::QuoteReply);
  const auto* r = env.body_as_QuoteReply();
  CHECK((r->seq() == 41 && r->ok() && r->side() == wire::Side::buy && r->qty() == 512));
  CHECK(r->instrument()->str() == kWindow);
  CHECK((r->limit() == 31500 && r->hours() == 720 && r->window_qty() == 64 && r->sweep_qty() == 448));
  CHECK((r->fill_qty() == 512 && r->best() == 21000 && r->worst() == 22000));
  CHECK(r->notional()->str() == "806400.0000");  // (2.1 x 64 + 2.2 x 448) x 720
  CHECK(r->average() == 21875);                  // $2.1875 per GPU-hour

  // Past 2^63 units of $0.0001: still exact as text.
  q.notional = static_cast<__int128>(1) << 70;
  CHECK(envelope_of(enc.quote_reply(41, kWindow, Side::buy, 512, q), keep).body_as_QuoteReply()->notional()->str() ==
        "118059162071741130.3424");
  CHECK(notional_text(5) == "0.0005");
  CHECK(notional_text(0) == "0.0000");
  CHECK(notional_text(-123456) == "-12.3456");

  Quote no{};
  no.ok = false;
  no.reason = Reason::bad_window;
  const auto* n = envelope_of(enc.quote_reply(41, "H100.MEM1@2026-12-15T00Z+0h", Side::sell, 8, no), keep)
                      .body_as_QuoteReply();
  CHECK_FALSE(n->ok());
  CHECK(n->reason() == wire::Reason::bad_window);
  CHECK((n->fill_qty() == 0 && n->notional()->str() == "0.0000"));
}

TEST_CASE("codec hours: hours subscriptions name a product, window ones an instrument", "[codec]") {
  ClientEncoder enc;
  ClientMessage m = decoded(enc.subscribe_hours("H100.MEM1"));
  CHECK((m.kind == ClientKind::subscribe && m.hours && m.instrument.view() == "H100.MEM1"));
  m = decoded(enc.subscribe_hours("H100.MEM1", false));
  CHECK((m.kind == ClientKind::unsubscribe && m.hours));
  m = decoded(enc.subscribe(kWindow));
  CHECK((m.kind == ClientKind::subscribe && !m.hours && m.instrument.view() == kWindow));

  // Exactly one name, of the kind `hours` says; anything else is a bad field.
  flatbuffers::FlatBufferBuilder fbb;
  std::vector<std::uint8_t> frame;
  const auto build = [&](bool instrument, bool product, bool hours) {
    fbb.Clear();
    const auto i = instrument ? fbb.CreateString(kWindow) : flatbuffers::Offset<flatbuffers::String>();
    const auto p = product ? fbb.CreateString("H100.MEM1") : flatbuffers::Offset<flatbuffers::String>();
    return protocol::frame(
        fbb, wire::CreateEnvelope(fbb, wire::Body::Subscribe, wire::CreateSubscribe(fbb, i, p, hours).Union()), frame);
  };
  CHECK(decoded(build(true, false, false)).kind == ClientKind::subscribe);
  CHECK(decoded(build(false, true, true)).hours);
  for (const auto& [i, p, h] : {std::tuple{false, false, false}, {false, false, true}, {true, true, false},
                                {true, true, true}, {true, false, true}, {false, true, false}}) {
    INFO("instrument " << i << ", product " << p << ", hours " << h);
    CHECK(refused(build(i, p, h)).reason == wire::Reason::bad_field);
  }
}

TEST_CASE("codec hours: hour-book market data", "[codec]") {
  ServerEncoder enc;
  std::vector<std::uint8_t> keep;
  const auto* u = envelope_of(enc.book_update(9, "H100.MEM1@2026-12-15T03Z+1h", Side::sell,
                                              wire::Level(23500, 1024, 1), true),
                              keep)
                      .body_as_BookUpdate();
  CHECK((u->hours() && u->instrument()->str() == "H100.MEM1@2026-12-15T03Z+1h" && u->level()->qty() == 1024));
  CHECK_FALSE(envelope_of(enc.book_update(9, kWindow, Side::sell, wire::Level(23500, 8, 1)), keep)
                  .body_as_BookUpdate()
                  ->hours());

  const wire::Level levels[] = {wire::Level(22000, 64, 1), wire::Level(23500, 1024, 1), wire::Level(23600, 8, 2)};
  const std::vector<HourBookView> books{
      {"H100.MEM1@2026-12-15T00Z+1h", 491952, std::span(levels, 1), std::span(levels + 1, 2)},
      {"H100.MEM1@2026-12-15T01Z+1h", 491953, {}, std::span(levels + 1, 1)}};
  const auto& env = envelope_of(enc.hours_snapshot(12, "H100.MEM1", books), keep);
  REQUIRE(env.body_type() == wire::Body::HoursSnapshot);
  const auto* s = env.body_as_HoursSnapshot();
  CHECK((s->seq() == 12 && s->product()->str() == "H100.MEM1"));
  REQUIRE(s->books()->size() == 2);
  const auto* b0 = s->books()->Get(0);
  CHECK((b0->instrument()->str() == "H100.MEM1@2026-12-15T00Z+1h" && b0->hour() == 491952));
  CHECK((b0->bids()->size() == 1 && b0->asks()->size() == 2 && b0->asks()->Get(1)->orders() == 2));
  CHECK((s->books()->Get(1)->bids()->size() == 0 && s->books()->Get(1)->asks()->Get(0)->price() == 23500));
  // No hour books: an empty list, still a snapshot.
  CHECK(envelope_of(enc.hours_snapshot(12, "H200.MEM1", {}), keep).body_as_HoursSnapshot()->books()->size() == 0);
}

TEST_CASE("codec hours: an open divisible order says how many hours and GPU-hours rest", "[codec]") {
  ServerEncoder enc;
  std::vector<std::uint8_t> keep;
  Event o{};
  o.order_id = 7;
  o.cl_id.assign("own-1");
  o.side = Side::sell;
  o.price = 23500;
  o.qty = 1024;
  o.leaves = 1024;
  o.tif = Tif::gtc;
  o.divisible = true;
  o.buy_leaves = 700;            // resting hours
  o.sell_leaves = 700 * 1024 - 20 * 512;  // GPU-hours
  const auto* r = envelope_of(enc.open_order(30, o, kWindow), keep).body_as_OpenOrder();
  CHECK((r->divisible() && r->resting_hours() == 700 && r->gpu_hours() == o.sell_leaves));
}
