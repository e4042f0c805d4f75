// The ledger of SPEC v2 §7 over the whole server, on every backend
// (tests/support/gateway_client.hpp): the operator's Risk, Deposit, Withdraw and Fund, refused
// to traders and drop copies; who hears their events; a trader's BalanceRequest and
// HoldingsRequest, exact after trades and never about another account; and a recovery from a
// journal holding ledger commands, to the same ledger and state.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include "engine/symbol.hpp"
#include "gateway/storage/reader.hpp"
#include "gateway/storage/record.hpp"
#include "gateway/storage/recovery.hpp"
#include "tests/support/gateway_client.hpp"
#include "tests/support/temp_dir.hpp"

using namespace gpux;
using namespace gpux::gateway;
using namespace gpux::protocol;
using namespace gpux::test;
using namespace std::chrono_literals;

namespace {

Command risk(bool on) {
  Command c = make_command(CommandType::risk, 0, 0);
  c.risk_on = on;
  return c;
}

Command deposit(bool in, std::string_view account, std::string_view instrument, Qty qty) {
  Command c = make_command(in ? CommandType::deposit : CommandType::withdraw, 0, 0);
  c.account.assign(account);
  c.instrument.assign(instrument);
  c.has_instrument = true;
  c.qty = qty;
  return c;
}

Command fund(std::string_view account, std::string_view amount) {
  Command c = make_command(CommandType::fund, 0, 0);
  c.account.assign(account);
  c.amount_text.assign(amount);
  return c;
}

std::int64_t start_hour(const std::string& symbol) {
  Symbol s;
  REQUIRE(parse_symbol(symbol, s));
  return s.start_hour;
}

Msg<wire::BalanceReply> balance(Client& c) {
  c.send(c.enc.balance());
  return c.wait_for<wire::BalanceReply>();
}

Msg<wire::HoldingsReply> holdings(Client& c, std::string_view product = {}, bool window = false, std::int64_t start = 0,
                                  std::int64_t hours = 0) {
  c.send(c.enc.holdings(product, window, start, hours));
  return c.wait_for<wire::HoldingsReply>();
}

// The runs of one product as (start_hour, hours, holdings, free) tuples, for comparisons.
using Run = std::tuple<std::int64_t, std::int64_t, Qty, Qty>;
std::vector<Run> runs_of(const wire::HoldingsReply& h, std::string_view product) {
  std::vector<Run> out;
  for (flatbuffers::uoffset_t i = 0; h.products() && i < h.products()->size(); ++i) {
    const auto* p = h.products()->Get(i);
    if (sv(p->product()) != product) continue;
    for (flatbuffers::uoffset_t k = 0; p->runs() && k < p->runs()->size(); ++k) {
      const auto* r = p->runs()->Get(k);
      out.emplace_back(r->start_hour(), r->hours(), r->holdings(), r->free());
    }
  }
  return out;
}

std::size_t products_in(const wire::HoldingsReply& h) { return h.products() ? h.products()->size() : 0; }

}  // namespace

TEST_CASE("gateway: ledger commands are the operator's, and their events reach the account, drop copies and operators",
          "[gateway]") {
  GATEWAY_BACKEND(backend);
  Server server(backend, test_sessions(), test_transport(), {}, true);
  Client ops = server.login("ops");
  Client audit = server.login("audit");
  Client x = server.login("lab-x");
  Client m = server.login("maker-1");
  Client y = server.login("lab-y");

  // A trader's or a drop copy's ledger commands are refused, change nothing and keep the
  // session open.
  for (Client* c : {&x, &audit}) {
    for (const Command& cmd : {risk(false), deposit(true, "lab-x", h100(), 64), deposit(false, "lab-x", h100(), 8),
                               fund("lab-x", "1000")}) {
      c->send(cmd);
      const auto r = c->expect<wire::ProtocolReject>();
      CHECK(r->reason() == wire::Reason::not_operator);
    }
  }
  x.send(x.enc.balance());
  CHECK(sv(x.expect<wire::BalanceReply>()->cash()) == "0.0000");

  // Fund: Funded, with the amount normalised and the cash after it as exact strings, to the
  // account, every drop copy and the operators; nobody else. (The server's own `risk on` may
  // reach the operator and the drop copy first, as they logged in while it was sequenced.)
  ops.send(fund("lab-x", "250000"));
  for (Client* c : {&ops, &audit, &x}) {
    const auto f = c->wait_for<wire::Funded>();
    CHECK(sv(f->account()) == "lab-x");
    CHECK(sv(f->amount()) == "250000.0000");
    CHECK(sv(f->cash()) == "250000.0000");
    CHECK(f->seq() > 1);  // seq 1 is the server's own `risk on`
  }
  ops.send(fund("lab-x", "-500.25"));
  for (Client* c : {&ops, &audit, &x}) {
    const auto f = c->expect<wire::Funded>();
    CHECK(sv(f->amount()) == "-500.2500");
    CHECK(sv(f->cash()) == "249499.7500");
  }
  // Rejections echo the amount as given, with the wire's own reasons.
  ops.send(fund("lab-x", "-0"));
  for (Client* c : {&ops, &audit, &x}) {
    const auto r = c->expect<wire::FundRejected>();
    CHECK(sv(r->amount()) == "-0");
    CHECK(r->reason() == wire::Reason::bad_amount);
  }
  ops.send(fund("lab-x", "-300000"));
  for (Client* c : {&ops, &audit, &x}) CHECK(c->expect<wire::FundRejected>()->reason() == wire::Reason::no_credit);

  // Deposit and withdraw: the window as given, to maker-1, the drop copy and the operators.
  ops.send(deposit(true, "maker-1", h100(), 64));
  for (Client* c : {&ops, &audit, &m}) {
    const auto d = c->expect<wire::Deposited>();
    CHECK(sv(d->account()) == "maker-1");
    CHECK(sv(d->instrument()) == h100());
    CHECK(d->qty() == 64);
  }
  ops.send(deposit(false, "maker-1", h100(), 128));
  for (Client* c : {&ops, &audit, &m}) {
    const auto w = c->expect<wire::WithdrawRejected>();
    CHECK(w->reason() == wire::Reason::no_capacity);
    CHECK(w->qty() == 128);
  }
  ops.send(deposit(true, "maker-1", h100(), 7));
  for (Client* c : {&ops, &audit, &m}) CHECK(c->expect<wire::DepositRejected>()->reason() == wire::Reason::bad_qty);
  ops.send(deposit(false, "maker-1", h100(), 16));
  for (Client* c : {&ops, &audit, &m}) CHECK(c->expect<wire::Withdrawn>()->qty() == 16);

  // Risk: to the operators and the drop copies only, every time.
  for (const bool on : {false, false, true}) {
    ops.send(risk(on));
    for (Client* c : {&ops, &audit}) CHECK((c->expect<wire::RiskSet>()->mode() == wire::RiskMode::on) == on);
  }
  // None of it reached lab-y, and lab-x and maker-1 heard only their own.
  y.expect_quiet(30ms);
  x.expect_quiet(10ms);
  m.expect_quiet(10ms);
  // With checks on, maker-1 sells what it holds and no more; lab-y holds nothing.
  place(m, limit("m-1", Side::sell, 21000, 48));
  m.send(limit("m-2", Side::sell, 21000, 8));
  CHECK(m.expect<wire::Rejected>()->reason() == wire::Reason::no_capacity);
  y.send(limit("y-1", Side::buy, 21000, 8));
  CHECK(y.expect<wire::Rejected>()->reason() == wire::Reason::no_credit);
}

TEST_CASE("gateway: balance and holdings are exact as of their seq after trades, and only the session's own",
          "[gateway]") {
  GATEWAY_BACKEND(backend);
  Server server(backend, test_sessions(), test_transport(), {}, true);
  Client ops = server.login("ops");
  Client x = server.login("lab-x");
  Client m = server.login("maker-1");
  Client y = server.login("lab-y");
  const std::int64_t start = start_hour(h100());

  ops.send(fund("lab-x", "100000"));
  ops.wait_for<wire::Funded>();
  ops.send(deposit(true, "maker-1", h100(), 64));
  ops.expect<wire::Deposited>();
  x.expect<wire::Funded>();
  m.expect<wire::Deposited>();

  // maker-1 offers 32 at 2.10; lab-x takes 16: 16 x 2.1000 x 24 h = $806.4000.
  place(m, limit("m-sell", Side::sell, 21000, 32));
  place(x, limit("x-buy", Side::buy, 21000, 16));
  x.wait_for<wire::Fill>();
  m.wait_for<wire::Fill>();
  // lab-x rests a buy of 8 at 2.00: $384.0000 committed.
  place(x, limit("x-rest", Side::buy, 20000, 8));

  {
    const auto b = balance(x);
    CHECK(sv(b->account()) == "lab-x");
    CHECK(sv(b->cash()) == "99193.6000");
    CHECK(sv(b->committed_cash()) == "384.0000");
    CHECK(sv(b->free_cash()) == "98809.6000");
    CHECK(b->seq() > 0);
  }
  {
    const auto b = balance(m);
    CHECK(sv(b->cash()) == "806.4000");
    CHECK(sv(b->committed_cash()) == "0.0000");
    CHECK(sv(b->free_cash()) == "806.4000");
  }
  // Holdings: maker-1 holds 48 of which 16 rest offered; lab-x holds what it bought.
  {
    const auto h = holdings(m);
    CHECK_FALSE(h->start_hour().has_value());
    CHECK(products_in(*h) == 1);
    CHECK(runs_of(*h, "H100.MEM1") == std::vector<Run>{{start, 24, 48, 32}});
    CHECK_FALSE(h->truncated());
  }
  {
    const auto h = holdings(m, "H100.MEM1", true, start - 2, 30);
    CHECK(*h->start_hour() == start - 2);
    CHECK(h->hours() == 30);
    CHECK(runs_of(*h, "H100.MEM1") == std::vector<Run>{{start - 2, 2, 0, 0}, {start, 24, 48, 32}, {start + 24, 4, 0, 0}});
  }
  CHECK(runs_of(*holdings(x), "H100.MEM1") == std::vector<Run>{{start, 24, 16, 16}});
  // A product asked for by name is in the answer, even empty.
  {
    const auto h = holdings(x, "H200.MEM1");
    REQUIRE(products_in(*h) == 1);
    CHECK(sv(h->products()->Get(0)->product()) == "H200.MEM1");
    CHECK(runs_of(*h, "H200.MEM1").empty());
  }
  // Another account sees only its own: lab-y has nothing at all.
  {
    const auto b = balance(y);
    CHECK(sv(b->account()) == "lab-y");
    CHECK(sv(b->cash()) == "0.0000");
    CHECK(sv(b->committed_cash()) == "0.0000");
    CHECK(products_in(*holdings(y)) == 0);
  }
  // The drop copy and the operator ask about their own accounts, which hold nothing.
  Client audit = server.login("audit");
  CHECK(sv(balance(audit)->cash()) == "0.0000");
  CHECK(products_in(*holdings(ops)) == 0);

  // An unknown product is refused without closing; a window without hours closes (bad_field).
  x.send(x.enc.holdings("NOPE.X"));
  CHECK(x.expect<wire::ProtocolReject>()->reason() == wire::Reason::unknown_instrument);
  CHECK(sv(balance(x)->cash()) == "99193.6000");
  x.send(x.enc.holdings("H100.MEM1", true, start, 0));
  CHECK(x.expect<wire::ProtocolReject>()->reason() == wire::Reason::bad_field);
  x.expect_closed();
}

TEST_CASE("gateway: a journal with ledger commands recovers to the same ledger and state", "[gateway]") {
  GATEWAY_BACKEND(backend);
  TempDir dir;
  const std::int64_t start = start_hour(h100());
  std::string cash_x, cash_m;
  {
    Server server(backend, test_sessions(), test_transport(), dir.path(), true);
    Client ops = server.login("ops");
    Client x = server.login("lab-x");
    Client m = server.login("maker-1");
    ops.send(fund("lab-x", "5000.5"));
    ops.wait_for<wire::Funded>();
    ops.send(deposit(true, "maker-1", h100(), 40));
    ops.expect<wire::Deposited>();
    ops.send(deposit(false, "maker-1", h100(), 8));
    ops.expect<wire::Withdrawn>();
    x.expect<wire::Funded>();
    m.expect<wire::Deposited>();
    m.expect<wire::Withdrawn>();
    place(m, limit("m-sell", Side::sell, 21000, 24));
    place(x, limit("x-buy", Side::buy, 21000, 8));
    x.wait_for<wire::Fill>();
    ops.send(risk(false));
    ops.expect<wire::RiskSet>();
    cash_x = std::string(sv(balance(x)->cash()));
    cash_m = std::string(sv(balance(m)->cash()));
    CHECK(cash_x == "4597.3000");  // 5000.5 - 8 x 2.1 x 24
    CHECK(cash_m == "403.2000");
  }
  // Recovered with its snapshots, and replayed from the first record without them: one state.
  Engine recovered(Catalog::builtin(), EngineConfig{});
  storage::Recovered r;
  std::string error;
  REQUIRE(storage::recover(dir.path(), recovered, r, error, [](std::string_view) {}));
  Engine replayed(Catalog::builtin(), EngineConfig{});
  storage::ScanResult scanned;
  EventBuffer events;
  int risk_commands = 0;
  Seq first_risk = 0;
  REQUIRE(storage::scan(
      dir.path(), storage::ScanOptions{},
      [&](const storage::Record& rec) {
        if (rec.command.type == CommandType::risk && ++risk_commands == 1) first_risk = rec.command.seq;
        events.clear();
        replayed.process(rec.command, events);
      },
      scanned, error));
  CHECK(r.snapshot_seq > 0);  // a snapshot (every 7 commands) carried part of the ledger
  CHECK(recovered.state_digest() == replayed.state_digest());
  CHECK(first_risk == 1);       // the server's own `risk on`, first of all
  CHECK(risk_commands == 2);    // and the operator's `risk off`
  CHECK_FALSE(recovered.risk_checks());
  for (const Engine* e : {&recovered, &replayed}) {
    CHECK(e->balance("lab-x").cash == 45'973'000);
    CHECK(e->balance("maker-1").cash == 4'032'000);
    CHECK(e->balance("lab-x").committed_cash == 0);
    std::vector<HoldingRun> runs;
    e->holdings("maker-1", static_cast<ProductId>(e->catalog().find("H100.MEM1")), runs);
    REQUIRE(runs.size() == 1);
    CHECK(runs[0].start_hour == start);
    CHECK(runs[0].holdings == 24);
    CHECK(runs[0].free == 8);  // 16 of the 24 rest offered
  }

  // gpuxd restarted on the journal: the same answers, and no second `risk on`.
  {
    Server server(backend, test_sessions(), test_transport(), dir.path(), true);
    Client x = server.login("lab-x");
    Client m = server.login("maker-1");
    CHECK(sv(balance(x)->cash()) == cash_x);
    CHECK(sv(balance(m)->cash()) == cash_m);
    CHECK(runs_of(*holdings(m), "H100.MEM1") == std::vector<Run>{{start, 24, 24, 8}});
    // Resends keep the ledger's changes too, each account's own in seq order with its orders'.
    x.send(x.enc.resend(0));
    CHECK(sv(x.expect<wire::Funded>()->cash()) == "5000.5000");
    x.expect<wire::Accepted>();
    CHECK(x.expect<wire::Fill>()->qty() == 8);
    x.expect<wire::ResendDone>();
    m.send(m.enc.resend(0));
    CHECK(m.expect<wire::Deposited>()->qty() == 40);
    CHECK(m.expect<wire::Withdrawn>()->qty() == 8);
    m.expect<wire::Accepted>();
    CHECK(m.expect<wire::Fill>()->leaves() == 16);
    m.expect<wire::ResendDone>();
    // Risk checks stayed off, as the journal says: lab-x buys beyond its cash.
    place(x, limit("x-more", Side::buy, 21000, 8000));
  }
  risk_commands = 0;
  REQUIRE(storage::scan(
      dir.path(), storage::ScanOptions{},
      [&](const storage::Record& rec) { risk_commands += rec.command.type == CommandType::risk; }, scanned, error));
  CHECK(risk_commands == 2);
}
