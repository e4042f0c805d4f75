// The ledger's messages (SPEC v2 §7) in the codec: the operator's Risk, Deposit, Withdraw and
// Fund decode to their commands (and are operator-only), the queries' bounds, the events and
// answers with exact money, and the wire reasons of the engine's §7 reasons.
#include <catch2/catch.hpp>

#include <vector>

#include "schemas/codec.hpp"

using namespace gpux;
using namespace gpux::protocol;
namespace fb = flatbuffers;

namespace {

std::vector<std::uint8_t> body(std::span<const std::uint8_t> frame) {
  std::size_t length = 0;
  REQUIRE(frame_length(frame.first<kFrameHeader>(), 1 << 20, length));
  return {frame.begin() + kFrameHeader, frame.end()};
}

bool decode(std::span<const std::uint8_t> frame, ClientMessage& m, DecodeError& err) {
  const auto b = body(frame);
  return decode_client(b, m, err);
}

// An envelope built by hand, for fields the ClientEncoder never leaves out.
template <class F>
std::vector<std::uint8_t> envelope(F&& build) {
  fb::FlatBufferBuilder fbb;
  std::vector<std::uint8_t> out;
  const auto frame_bytes = frame(fbb, build(fbb), out);
  return {frame_bytes.begin(), frame_bytes.end()};
}

const wire::Envelope& read(std::span<const std::uint8_t> frame, std::vector<std::uint8_t>& keep) {
  keep = body(frame);
  fb::Verifier v(keep.data(), keep.size());
  REQUIRE(wire::VerifyEnvelopeBuffer(v));
  return *wire::GetEnvelope(keep.data());
}

}  // namespace

TEST_CASE("codec: risk, deposit, withdraw and fund decode to operator-only commands", "[codec]") {
  ClientEncoder enc;
  ClientMessage m;
  DecodeError err{};
  for (const bool on : {true, false}) {
    Command c = make_command(CommandType::risk, 0, 0);
    c.risk_on = on;
    REQUIRE(decode(enc.command(c), m, err));
    CHECK(m.kind == ClientKind::command);
    CHECK(m.operator_only);
    CHECK(m.command.type == CommandType::risk);
    CHECK(m.command.risk_on == on);
  }
  for (const CommandType t : {CommandType::deposit, CommandType::withdraw}) {
    Command c = make_command(t, 0, 0);
    c.account.assign("maker-1");
    c.instrument.assign("H100.MEM1@2027-01-04T00Z+720h");
    c.qty = 4096;
    REQUIRE(decode(enc.command(c), m, err));
    CHECK(m.operator_only);
    CHECK(m.command.type == t);
    CHECK(m.command.account == c.account);
    CHECK(m.command.instrument == c.instrument);
    CHECK(m.command.has_instrument);
    CHECK(m.command.qty == 4096);
  }
  // Fund: the amount as given, parsed like a price; anything else is the engine's bad_amount.
  const std::pair<const char*, bool> amounts[] = {{"250000", true},  {"-500.25", true}, {"+5", false},
                                                  {"1.23456", false}, {"abc", false},   {"", false}};
  for (const auto& [text, valid] : amounts) {
    Command c = make_command(CommandType::fund, 0, 0);
    c.account.assign("lab-x");
    c.amount_text.assign(text);
    REQUIRE(decode(enc.command(c), m, err));
    INFO(text);
    CHECK(m.operator_only);
    CHECK(m.command.type == CommandType::fund);
    CHECK(m.command.amount_text.view() == text);
    CHECK(m.command.amount.valid == valid);
  }
  CHECK(m.command.amount.value == 0);
  Command c = make_command(CommandType::fund, 0, 0);
  c.account.assign("lab-x");
  c.amount_text.assign("-500.25");
  REQUIRE(decode(enc.command(c), m, err));
  CHECK(m.command.amount.value == -5'002'500);
}

TEST_CASE("codec: ledger requests that break their field rules are bad_field", "[codec]") {
  ClientMessage m;
  DecodeError err{};
  // Risk without a mode.
  CHECK_FALSE(decode(envelope([](fb::FlatBufferBuilder& b) {
                       return wire::CreateEnvelope(b, wire::Body::Risk, wire::CreateRisk(b).Union());
                     }),
                     m, err));
  CHECK(err.reason == wire::Reason::bad_field);
  // A mode past the last.
  CHECK_FALSE(decode(envelope([](fb::FlatBufferBuilder& b) {
                       return wire::CreateEnvelope(b, wire::Body::Risk,
                                                   wire::CreateRisk(b, static_cast<wire::RiskMode>(2)).Union());
                     }),
                     m, err));
  CHECK(err.reason == wire::Reason::bad_field);
  // An amount longer than 40 bytes; an account breaking its syntax.
  CHECK_FALSE(decode(envelope([](fb::FlatBufferBuilder& b) {
                       const auto a = b.CreateString("lab-x");
                       const auto t = b.CreateString(std::string(41, '1'));
                       return wire::CreateEnvelope(b, wire::Body::Fund, wire::CreateFund(b, a, t).Union());
                     }),
                     m, err));
  CHECK(err.reason == wire::Reason::bad_field);
  CHECK_FALSE(decode(envelope([](fb::FlatBufferBuilder& b) {
                       const auto a = b.CreateString("lab x");
                       const auto i = b.CreateString("H100.MEM1@2027-01-04T00Z+24h");
                       return wire::CreateEnvelope(b, wire::Body::Deposit, wire::CreateDeposit(b, a, i, 8).Union());
                     }),
                     m, err));
  CHECK(err.reason == wire::Reason::bad_field);
  // Holdings: a window needs 1..100000 hours from an hour in 0..100000000; hours need a start.
  ClientEncoder enc;
  REQUIRE(decode(enc.holdings("H100.MEM1", true, 490000, 720), m, err));
  CHECK(m.kind == ClientKind::holdings);
  CHECK(m.has_instrument);
  CHECK(m.instrument.view() == "H100.MEM1");
  CHECK(m.has_start_hour);
  CHECK(m.start_hour == 490000);
  CHECK(m.window_hours == 720);
  REQUIRE(decode(enc.holdings({}), m, err));
  CHECK_FALSE(m.has_instrument);
  CHECK_FALSE(m.has_start_hour);
  for (const auto& [start, hours] : std::vector<std::pair<std::int64_t, std::int64_t>>{
           {490000, 0}, {490000, 100001}, {-1, 24}, {kMaxHoldingsStartHour + 1, 24}}) {
    INFO(start << " " << hours);
    CHECK_FALSE(decode(enc.holdings("H100.MEM1", true, start, hours), m, err));
    CHECK(err.reason == wire::Reason::bad_field);
  }
  CHECK_FALSE(decode(envelope([](fb::FlatBufferBuilder& b) {
                       return wire::CreateEnvelope(b, wire::Body::HoldingsRequest,
                                                   wire::CreateHoldingsRequest(b, 0, fb::nullopt, 24).Union());
                     }),
                     m, err));
  CHECK(err.reason == wire::Reason::bad_field);
  REQUIRE(decode(enc.balance(), m, err));
  CHECK(m.kind == ClientKind::balance);
}

TEST_CASE("codec: the ledger's events and answers carry exact money and the wire's reasons", "[codec]") {
  CHECK(to_wire(Reason::no_capacity) == wire::Reason::no_capacity);
  CHECK(to_wire(Reason::no_credit) == wire::Reason::no_credit);
  CHECK(to_wire(Reason::bad_amount) == wire::Reason::bad_amount);
  CHECK(to_wire(Reason::capacity) == wire::Reason::capacity);
  CHECK(static_cast<int>(wire::Reason::no_capacity) == 48);

  ServerEncoder enc;
  std::vector<std::uint8_t> keep;
  Event e{};
  e.type = EventType::funded;
  e.seq = 7;
  e.ts = 8;
  e.amount = -5'002'500;
  e.cash = static_cast<I128>(INT64_MAX) * 4;  // trades may carry cash past int64
  {
    const auto& env = read(enc.event(e, "", "lab-x"), keep);
    const auto* f = env.body_as_Funded();
    REQUIRE(f != nullptr);
    CHECK(f->seq() == 7);
    CHECK(f->account()->string_view() == "lab-x");
    CHECK(f->amount()->string_view() == "-500.2500");
    CHECK(f->cash()->string_view() == "3689348814741910.3228");
  }
  e.type = EventType::fund_rejected;
  e.target.assign("+5");
  e.reason = Reason::bad_amount;
  {
    const auto* f = read(enc.event(e, "", "lab-x"), keep).body_as_FundRejected();
    REQUIRE(f != nullptr);
    CHECK(f->amount()->string_view() == "+5");
    CHECK(f->reason() == wire::Reason::bad_amount);
  }
  e.type = EventType::withdraw_rejected;
  e.target.assign("H100.MEM1@2027-01-04T00Z+24h");
  e.qty = 64;
  e.reason = Reason::no_capacity;
  {
    const auto* w = read(enc.event(e, "", "maker-1"), keep).body_as_WithdrawRejected();
    REQUIRE(w != nullptr);
    CHECK(w->instrument()->string_view() == "H100.MEM1@2027-01-04T00Z+24h");
    CHECK(w->qty() == 64);
    CHECK(w->reason() == wire::Reason::no_capacity);
  }
  e.type = EventType::risk;
  e.risk_on = true;
  CHECK(read(enc.event(e, "", ""), keep).body_as_RiskSet()->mode() == wire::RiskMode::on);

  {
    const auto* b = read(enc.balance_reply(9, "lab-x", Balance{1'000'000, 2'500'000}), keep).body_as_BalanceReply();
    REQUIRE(b != nullptr);
    CHECK(b->cash()->string_view() == "100.0000");
    CHECK(b->committed_cash()->string_view() == "250.0000");
    CHECK(b->free_cash()->string_view() == "-150.0000");
  }
  const wire::HoldingRun runs[] = {{490000, 24, 64, 32}, {490024, 48, 0, -8}};
  const ProductRunsView products[] = {{"H100.MEM1", runs}, {"H200.MEM1", {}}};
  {
    const auto* h = read(enc.holdings_reply(10, "maker-1", true, 489990, 100, products, true), keep).body_as_HoldingsReply();
    REQUIRE(h != nullptr);
    CHECK(*h->start_hour() == 489990);
    CHECK(h->hours() == 100);
    CHECK(h->truncated());
    REQUIRE(h->products()->size() == 2);
    const auto* p = h->products()->Get(0);
    CHECK(p->product()->string_view() == "H100.MEM1");
    REQUIRE(p->runs()->size() == 2);
    CHECK(p->runs()->Get(1)->start_hour() == 490024);
    CHECK(p->runs()->Get(1)->free() == -8);
    CHECK(h->products()->Get(1)->runs()->size() == 0);
  }
  CHECK_FALSE(read(enc.holdings_reply(10, "maker-1", false, 0, 0, {}, false), keep)
                  .body_as_HoldingsReply()
                  ->start_hour()
                  .has_value());
}
