// The wire codec: every client message survives encode then decode; every kind of bad frame is
// refused with its reason and never crashes; server frames verify and carry the event's fields.
#include <catch2/catch.hpp>

#include <random>
#include <vector>

#include "schemas/codec.hpp"

using namespace gpux;
using namespace gpux::protocol;

namespace {

std::vector<std::uint8_t> body(std::span<const std::uint8_t> frame) {
  REQUIRE(frame.size() > kFrameHeader);
  std::size_t length = 0;
  REQUIRE(frame_length(frame.first<kFrameHeader>(), 1 << 20, length));
  REQUIRE(length == frame.size() - kFrameHeader);
  return {frame.begin() + kFrameHeader, frame.end()};
}

ClientMessage decoded(std::span<const std::uint8_t> frame) {
  const auto b = body(frame);
  ClientMessage m;
  DecodeError err{};
  INFO((err.text ? err.text : ""));
  REQUIRE(decode_client(b, m, err));
  return m;
}

DecodeError refused(std::span<const std::uint8_t> envelope) {
  ClientMessage m;
  DecodeError err{};
  REQUIRE_FALSE(decode_client(envelope, m, err));
  REQUIRE(err.text != nullptr);
  return err;
}

Command new_order() {
  Command c = make_command(CommandType::new_order, 0, 0);
  c.cl_id.assign("order \"1\"");
  c.instrument.assign("H100.MEM1@2026-12-01T00Z+24h");
  c.has_instrument = true;
  c.side = Side::sell;
  c.price = PriceField{true, true, 21500};
  c.qty = 512;
  c.tif = Tif::gtd;
  c.has_tif = true;
  c.expire_ts = 1795251700000000000;
  c.has_expire_ts = true;
  c.has_display_qty = true;
  c.display_qty = 64;
  c.stp = Stp::cancel_both;
  return c;
}

const wire::Envelope& envelope_of(std::span<const std::uint8_t> frame, std::vector<std::uint8_t>& keep) {
  keep = body(frame);
  flatbuffers::Verifier v(keep.data(), keep.size());
  REQUIRE(wire::VerifyEnvelopeBuffer(v));
  return *wire::GetEnvelope(keep.data());
}

}  // namespace

TEST_CASE("codec: a new order survives the round trip with every field", "[codec]") {
  ClientEncoder enc;
  const Command c = new_order();
  const ClientMessage m = decoded(enc.command(c));
  REQUIRE(m.kind == ClientKind::command);
  CHECK_FALSE(m.operator_only);
  const Command& d = m.command;
  CHECK(d.type == CommandType::new_order);
  CHECK(d.cl_id.view() == "order \"1\"");
  CHECK(d.instrument.view() == c.instrument.view());
  CHECK(d.side == Side::sell);
  CHECK(d.order_type == OrderType::limit);
  CHECK((d.price.present && d.price.valid && d.price.value == 21500));
  CHECK(d.qty == 512);
  CHECK((d.has_tif && d.tif == Tif::gtd));
  CHECK((d.has_expire_ts && d.expire_ts == c.expire_ts));
  CHECK_FALSE(d.has_min_qty);
  CHECK((d.has_display_qty && d.display_qty == 64));
  CHECK(d.stp == Stp::cancel_both);
  CHECK_FALSE(d.post_only);
}

TEST_CASE("codec: a market order keeps its absent price and tif absent", "[codec]") {
  ClientEncoder enc;
  Command c = make_command(CommandType::new_order, 0, 0);
  c.cl_id.assign("m");
  c.instrument.assign("H100.MEM1@2026-12-01T00Z+24h");
  c.order_type = OrderType::market;
  c.qty = 8;
  const Command d = decoded(enc.command(c)).command;
  CHECK(d.order_type == OrderType::market);
  CHECK_FALSE(d.price.present);
  CHECK_FALSE(d.has_tif);
  CHECK(d.stp == Stp::cancel_resting);
}

TEST_CASE("codec: cancel, replace, mass cancel and operator commands", "[codec]") {
  ClientEncoder enc;
  Command c = make_command(CommandType::cancel, 0, 0);
  c.has_order_id = true;
  c.order_id = 42;
  Command d = decoded(enc.command(c)).command;
  CHECK((d.type == CommandType::cancel && d.has_order_id && d.order_id == 42 && !d.has_cl_id));

  c = make_command(CommandType::replace, 0, 0);
  c.has_cl_id = true;
  c.cl_id.assign("a");
  c.has_new_cl_id = true;
  c.new_cl_id.assign("b");
  c.price = PriceField{true, true, 21000};
  c.qty = 16;
  d = decoded(enc.command(c)).command;
  CHECK((d.type == CommandType::replace && d.cl_id.view() == "a" && d.has_new_cl_id && d.new_cl_id.view() == "b"));
  CHECK((d.price.value == 21000 && d.qty == 16 && !d.has_order_id));

  c = make_command(CommandType::mass_cancel, 0, 0);
  c.has_product = true;
  c.product.assign("H100.MEM1");
  d = decoded(enc.command(c)).command;
  CHECK((d.type == CommandType::mass_cancel && d.has_product && !d.has_instrument && d.product.view() == "H100.MEM1"));

  c = make_command(CommandType::halt, 0, 0);
  c.has_instrument = true;
  c.instrument.assign("H100.MEM1@2026-12-01T00Z+24h");
  ClientMessage m = decoded(enc.command(c));
  CHECK((m.operator_only && m.command.type == CommandType::halt && m.command.has_instrument));

  c = make_command(CommandType::kill, 0, 0);
  c.account.assign("lab-x");
  m = decoded(enc.command(c));
  CHECK((m.operator_only && m.command.type == CommandType::kill && m.command.account.view() == "lab-x"));
}

TEST_CASE("codec: login, subscribe and heartbeat", "[codec]") {
  ClientEncoder enc;
  ClientMessage m = decoded(enc.login("lab-x", "s3cret", true));
  CHECK(m.kind == ClientKind::login);
  CHECK(m.login.version == kSchemaVersion);
  CHECK(m.login.account.view() == "lab-x");
  CHECK(m.login.token.view() == "s3cret");
  CHECK(m.login.cancel_all_on_disconnect);
  m = decoded(enc.subscribe("H100.MEM1@2026-12-01T00Z+24h"));
  CHECK((m.kind == ClientKind::subscribe && m.instrument.view() == "H100.MEM1@2026-12-01T00Z+24h"));
  m = decoded(enc.subscribe("X", false));
  CHECK(m.kind == ClientKind::unsubscribe);
  CHECK(decoded(enc.heartbeat()).kind == ClientKind::heartbeat);
}

TEST_CASE("codec: bad frames are refused with their reason", "[codec]") {
  ClientEncoder enc;
  SECTION("wrong file identifier") {
    auto b = body(enc.heartbeat());
    b[4] = 'X';
    CHECK(refused(b).reason == wire::Reason::wrong_identifier);
  }
  SECTION("too short to hold an identifier") {
    const std::vector<std::uint8_t> b{1, 2, 3};
    CHECK(refused(b).reason == wire::Reason::wrong_identifier);
  }
  SECTION("truncated") {
    auto b = body(enc.command(new_order()));
    b.resize(b.size() - 9);
    CHECK(refused(b).reason == wire::Reason::malformed);
  }
  SECTION("an offset pointing outside the buffer") {
    auto b = body(enc.command(new_order()));
    b[0] = 0xff;
    b[1] = 0xff;
    CHECK(refused(b).reason == wire::Reason::malformed);
  }
  SECTION("a NONE body") {
    flatbuffers::FlatBufferBuilder fbb;
    fbb.Finish(wire::CreateEnvelope(fbb), wire::EnvelopeIdentifier());
    const std::vector<std::uint8_t> b(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
    CHECK(refused(b).reason == wire::Reason::unknown_message);
  }
  SECTION("a union type beyond the schema") {
    flatbuffers::FlatBufferBuilder fbb;
    const auto hb = wire::CreateHeartbeat(fbb);
    fbb.Finish(wire::CreateEnvelope(fbb, static_cast<wire::Body>(200), hb.Union()), wire::EnvelopeIdentifier());
    const std::vector<std::uint8_t> b(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
    CHECK(refused(b).reason == wire::Reason::unknown_message);
  }
  SECTION("a server message sent by a client") {
    ServerEncoder server;
    const auto b = body(server.heartbeat());
    CHECK(decoded(server.heartbeat()).kind == ClientKind::heartbeat);  // heartbeats go both ways
    const auto r = body(server.protocol_reject(wire::Reason::malformed, "x"));
    CHECK(refused(r).reason == wire::Reason::unknown_message);
    static_cast<void>(b);
  }
  SECTION("a cl_id outside printable ASCII") {
    Command c = new_order();
    c.cl_id.assign("tab\there");
    CHECK(refused(body(enc.command(c))).reason == wire::Reason::bad_field);
  }
  SECTION("an account breaking its syntax") {
    CHECK(refused(body(enc.login("no spaces", "t"))).reason == wire::Reason::bad_field);
  }
  SECTION("an overlong instrument") {
    flatbuffers::FlatBufferBuilder fbb;
    const auto s = fbb.CreateString(std::string(65, 'A'));
    const auto sub = wire::CreateSubscribe(fbb, s);
    fbb.Finish(wire::CreateEnvelope(fbb, wire::Body::Subscribe, sub.Union()), wire::EnvelopeIdentifier());
    const std::vector<std::uint8_t> b(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
    CHECK(refused(b).reason == wire::Reason::bad_field);
  }
  SECTION("an enum value beyond the schema") {
    flatbuffers::FlatBufferBuilder fbb;
    const auto cl = fbb.CreateString("c");
    const auto in = fbb.CreateString("H100.MEM1@2026-12-01T00Z+24h");
    const auto o = wire::CreateNewOrder(fbb, cl, in, static_cast<wire::Side>(7));
    fbb.Finish(wire::CreateEnvelope(fbb, wire::Body::NewOrder, o.Union()), wire::EnvelopeIdentifier());
    const std::vector<std::uint8_t> b(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
    CHECK(refused(b).reason == wire::Reason::bad_field);
  }
  SECTION("a cancel naming no order") {
    flatbuffers::FlatBufferBuilder fbb;
    const auto o = wire::CreateCancel(fbb);
    fbb.Finish(wire::CreateEnvelope(fbb, wire::Body::Cancel, o.Union()), wire::EnvelopeIdentifier());
    const std::vector<std::uint8_t> b(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
    CHECK(refused(b).reason == wire::Reason::bad_field);
  }
}

TEST_CASE("codec: the length header bounds frames", "[codec]") {
  std::size_t n = 0;
  const std::uint8_t zero[4] = {0, 0, 0, 0};
  const std::uint8_t big[4] = {0x01, 0x04, 0, 0};  // 1025
  const std::uint8_t ok[4] = {0x00, 0x04, 0, 0};   // 1024
  CHECK_FALSE(frame_length(std::span<const std::uint8_t, 4>(zero), kMaxClientFrame, n));
  CHECK_FALSE(frame_length(std::span<const std::uint8_t, 4>(big), kMaxClientFrame, n));
  CHECK(frame_length(std::span<const std::uint8_t, 4>(ok), kMaxClientFrame, n));
  CHECK(n == 1024);
}

TEST_CASE("codec: random and mutated bytes never crash the decoder", "[codec]") {
  ClientEncoder enc;
  std::mt19937 rng(11);
  const auto good = body(enc.command(new_order()));
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    std::vector<std::uint8_t> b;
    if (i % 2) {
      b.resize(rng() % 200);
      for (auto& x : b) x = static_cast<std::uint8_t>(rng());
    } else {
      b = good;
      for (int k = 0; k < 1 + static_cast<int>(rng() % 4); ++k) b[rng() % b.size()] = static_cast<std::uint8_t>(rng());
    }
    ClientMessage m;
    DecodeError err{};
    if (decode_client(b, m, err)) ++accepted;
    else CHECK(err.text != nullptr);
  }
  CHECK(accepted < 20000);
}

TEST_CASE("codec: server frames verify and carry the event", "[codec]") {
  ServerEncoder enc;
  std::vector<std::uint8_t> keep;
  Event e{};
  e.seq = 9;
  e.ts = 1795251638000000000;
  e.type = EventType::trade;
  e.match = 2;
  e.price = 21500;
  e.qty = 256;
  e.buy_order_id = 9;
  e.sell_order_id = 3;
  e.aggressor = Side::buy;
  e.buy_leaves = 0;
  e.sell_leaves = 768;
  const auto& sell = envelope_of(enc.event(e, "H100.MEM1@2026-12-01T00Z+24h", "", Side::sell), keep);
  REQUIRE(sell.body_type() == wire::Body::Fill);
  const auto* f = sell.body_as_Fill();
  CHECK((f->order_id() == 3 && f->side() == wire::Side::sell && !f->aggressor() && f->leaves() == 768));
  CHECK((f->price() == 21500 && f->qty() == 256 && f->match() == 2 && f->seq() == 9));
  CHECK(f->instrument()->str() == "H100.MEM1@2026-12-01T00Z+24h");
  const auto& buy = envelope_of(enc.event(e, "H100.MEM1@2026-12-01T00Z+24h", "", Side::buy), keep);
  CHECK((buy.body_as_Fill()->order_id() == 9 && buy.body_as_Fill()->aggressor() && buy.body_as_Fill()->leaves() == 0));

  Event a{};
  a.type = EventType::accepted;
  a.seq = 5;
  a.order_id = 5;
  a.cl_id.assign("y1");
  a.side = Side::buy;
  a.order_type = OrderType::limit;
  a.price = 20900;
  a.qty = 1024;
  a.tif = Tif::gtd;
  a.expire_ts = 1795255200000000000;
  a.stp = Stp::cancel_resting;
  const auto& acc = envelope_of(enc.event(a, "H100.MEM1@2026-12-01T00Z+24h", ""), keep);
  REQUIRE(acc.body_type() == wire::Body::Accepted);
  const auto* ar = acc.body_as_Accepted();
  CHECK((ar->cl_id()->str() == "y1" && ar->expire_ts().has_value() && *ar->expire_ts() == a.expire_ts));
  CHECK((!ar->min_qty().has_value() && !ar->display_qty().has_value() && ar->tif() == wire::Tif::gtd));

  Event x{};
  x.type = EventType::cancel_rejected;
  x.has_order_id = true;
  x.order_id = 77;
  x.reason = Reason::unknown_order;
  const auto& cr = envelope_of(enc.event(x, "", ""), keep);
  REQUIRE(cr.body_type() == wire::Body::CancelRejected);
  CHECK((cr.body_as_CancelRejected()->cl_id() == nullptr && *cr.body_as_CancelRejected()->order_id() == 77));
  CHECK(cr.body_as_CancelRejected()->reason() == wire::Reason::unknown_order);

  const wire::Level bids[] = {wire::Level(21000, 64, 2)};
  const auto& snap = envelope_of(enc.book_snapshot(4, "I", bids, {}), keep);
  REQUIRE(snap.body_type() == wire::Body::BookSnapshot);
  CHECK((snap.body_as_BookSnapshot()->bids()->size() == 1 && snap.body_as_BookSnapshot()->asks()->size() == 0));
  CHECK(snap.body_as_BookSnapshot()->bids()->Get(0)->orders() == 2);
}
