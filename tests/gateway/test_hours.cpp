// The whole server over loopback, on every backend (tests/support/gateway_client.hpp): hours
// (SPEC v2 §6). Divisible orders and the rectangles their trades, cancels and expiries name;
// quotes answered between commands; a product's hour books as market data (snapshot on
// subscribe, then BookUpdates with hours); and a resend of hour reports across a restart.
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "engine/symbol.hpp"
#include "tests/support/gateway_client.hpp"
#include "tests/support/temp_dir.hpp"

using namespace gpux;
using namespace gpux::gateway;
using namespace gpux::protocol;
using namespace gpux::test;

namespace {

// h100()'s first hour, two days ahead.
std::int64_t first_hour() {
  Symbol s;
  REQUIRE(parse_symbol(h100(), s));
  return s.start_hour;
}

std::string window(std::int64_t from, std::int64_t hours, std::string_view product = "H100.MEM1") {
  return format_symbol(product, first_hour() + from, hours);
}

Command divisible(std::string_view cl, Side side, Price price, Qty qty, const std::string& symbol) {
  Command c = limit(cl, side, price, qty, symbol);
  c.divisible = true;
  return c;
}

// An hour book as a subscriber rebuilds it: hour -> its L2.
using Hours = std::map<std::int64_t, L2>;

Hours hours_of(const wire::HoursSnapshot& s) {
  Hours out;
  for (flatbuffers::uoffset_t i = 0; s.books() != nullptr && i < s.books()->size(); ++i) {
    const wire::HourBook* b = s.books()->Get(i);
    Symbol sym;
    REQUIRE(parse_symbol(sv(b->instrument()), sym));
    CHECK(sym.hours == 1);
    CHECK(sym.start_hour == b->hour());
    L2& l2 = out[b->hour()];
    for (flatbuffers::uoffset_t k = 0; b->bids() && k < b->bids()->size(); ++k)
      l2.bids[b->bids()->Get(k)->price()] = {b->bids()->Get(k)->qty(), b->bids()->Get(k)->orders()};
    for (flatbuffers::uoffset_t k = 0; b->asks() && k < b->asks()->size(); ++k)
      l2.asks[b->asks()->Get(k)->price()] = {b->asks()->Get(k)->qty(), b->asks()->Get(k)->orders()};
  }
  return out;
}

void apply(Hours& h, const wire::BookUpdate& u) {
  REQUIRE(u.hours());
  Symbol sym;
  REQUIRE(parse_symbol(sv(u.instrument()), sym));
  REQUIRE(sym.hours == 1);
  h[sym.start_hour].apply(u);
  if (h[sym.start_hour] == L2{}) h.erase(sym.start_hour);
}

Msg<wire::HoursSnapshot> subscribe_hours(Client& c, std::string_view product = "H100.MEM1") {
  c.send(c.enc.subscribe_hours(product));
  return c.wait_for<wire::HoursSnapshot>();
}

}  // namespace

TEST_CASE("gateway hours: divisible capacity, a block sweeping it, the hours on the wire", "[gateway]") {
  GATEWAY_BACKEND(backend);
  Server server(backend);
  Client owner = server.login("maker-1");
  Client lab = server.login("lab-x");
  Client watcher = server.login("lab-z");

  // An hours subscriber from the start: an empty snapshot, then an update per hour of the offer.
  const auto empty = subscribe_hours(watcher);
  CHECK(empty->books()->size() == 0);
  CHECK(sv(empty->product()) == "H100.MEM1");

  const auto acc = place(owner, divisible("own-1", Side::sell, 23500, 64, window(0, 48)));
  CHECK(acc->divisible());
  CHECK(sv(acc->instrument()) == window(0, 48));
  Hours seen;
  for (int i = 0; i < 48; ++i) apply(seen, *watcher.wait_for<wire::BookUpdate>());
  REQUIRE(seen.size() == 48);
  CHECK(seen.begin()->first == first_hour());
  CHECK(seen.begin()->second.asks.at(23500) == std::pair<Qty, std::uint32_t>{64, 1});

  // A block of 24 hours inside it: the price now, then the trade of the whole rectangle.
  lab.send(lab.enc.quote(window(12, 24), Side::buy, 16));
  const auto q = lab.expect<wire::QuoteReply>();
  CHECK(q->ok());
  CHECK((q->window_qty() == 0 && q->sweep_qty() == 16 && q->fill_qty() == 16 && q->hours() == 24));
  CHECK((q->best() == 23500 && q->worst() == 23500 && q->average() == 23500));
  CHECK(sv(q->notional()) == notional_text(static_cast<gpux::I128>(23500) * 16 * 24));
  // Nothing changed: the same quote again.
  lab.send(lab.enc.quote(window(12, 24), Side::buy, 16));
  CHECK(lab.expect<wire::QuoteReply>()->fill_qty() == 16);

  const auto bought = place(lab, with_tif(limit("lab-1", Side::buy, 24000, 16, window(12, 24)), Tif::ioc));
  CHECK_FALSE(bought->divisible());
  const auto fill = lab.expect<wire::Fill>();
  CHECK(sv(fill->instrument()) == window(12, 24));  // the rectangle it traded
  CHECK((fill->qty() == 16 && fill->price() == 23500 && fill->leaves() == 0 && fill->aggressor()));
  const auto sold = owner.wait_for<wire::Fill>();
  CHECK(sv(sold->instrument()) == window(12, 24));
  CHECK((sold->order_id() == acc->order_id() && sold->leaves() == 48 && !sold->aggressor()));
  // The public trade names the rectangle too; the subscriber of the hours sees 24 hours change.
  for (int i = 0; i < 24; ++i) apply(seen, *watcher.wait_for<wire::BookUpdate>());
  CHECK(seen.at(first_hour() + 12).asks.at(23500).first == 48);
  CHECK(seen.at(first_hour() + 11).asks.at(23500).first == 64);

  // A late subscriber's snapshot agrees with the updates.
  Client late = server.login("lab-y");
  const auto snap = subscribe_hours(late);
  CHECK(hours_of(*snap) == seen);

  // The cancel of the owner's order: one Canceled per run of hours with equal leaves.
  owner.send(cancel_cl("own-1"));
  std::vector<std::pair<std::string, Qty>> runs;
  for (int i = 0; i < 3; ++i) {
    const auto c = owner.wait_for<wire::Canceled>();
    REQUIRE(c->instrument() != nullptr);
    runs.emplace_back(sv(c->instrument()), c->leaves());
  }
  const std::vector<std::pair<std::string, Qty>> want{
      {window(0, 12), 64}, {window(12, 24), 48}, {window(36, 12), 64}};
  CHECK(runs == want);
  for (int i = 0; i < 48; ++i) apply(seen, *watcher.wait_for<wire::BookUpdate>());
  CHECK(seen.empty());
  CHECK(hours_of(*subscribe_hours(late)).empty());
}

TEST_CASE("gateway hours: a standing block fills when capacity arrives — quotes that cannot be priced", "[gateway]") {
  GATEWAY_BACKEND(backend);
  Server server(backend);
  Client owner = server.login("maker-2");
  Client lab = server.login("lab-y");

  const auto block = place(lab, limit("stand", Side::buy, 23000, 32, window(0, 24)));
  CHECK_FALSE(block->divisible());
  place(owner, divisible("cap", Side::sell, 22500, 32, window(0, 72)));
  // The block swept the new capacity after the owner's command: its fill names its window.
  const auto f = lab.wait_for<wire::Fill>();
  CHECK((f->order_id() == block->order_id() && f->leaves() == 0 && f->aggressor()));
  CHECK(sv(f->instrument()) == window(0, 24));

  const auto sold = owner.wait_for<wire::Fill>();
  CHECK((sv(sold->instrument()) == window(0, 24) && sold->leaves() == 0 && !sold->aggressor()));

  // Open orders: the owner's divisible order with the hours still resting.
  owner.send(owner.enc.list_orders());
  const auto o = owner.expect<wire::OpenOrder>();
  CHECK((o->divisible() && o->resting_hours() == 48 && o->gpu_hours() == 48 * 32));
  owner.expect<wire::OpenOrdersEnd>();

  // Quotes that cannot be priced say why, and the session stays open.
  lab.send(lab.enc.quote("H100.MEM1@nonsense", Side::buy, 8));
  const auto bad = lab.expect<wire::QuoteReply>();
  CHECK_FALSE(bad->ok());
  CHECK(bad->reason() == wire::Reason::unknown_instrument);
  lab.send(lab.enc.quote(window(0, 24), Side::buy, 7));  // not a lot multiple
  CHECK(lab.expect<wire::QuoteReply>()->reason() == wire::Reason::bad_qty);
  // Selling into nothing: it prices, nothing fills.
  lab.send(lab.enc.quote(window(0, 24, "H200.MEM1"), Side::sell, 8));
  const auto none = lab.expect<wire::QuoteReply>();
  CHECK((none->ok() && none->fill_qty() == 0 && sv(none->notional()) == "0.0000"));

  // Hours subscriptions: an unknown product is refused without closing; unsubscribe works once.
  lab.send(lab.enc.subscribe_hours("NOPE.X"));
  CHECK(lab.expect<wire::ProtocolReject>()->reason() == wire::Reason::unknown_instrument);
  subscribe_hours(lab);
  lab.send(lab.enc.subscribe_hours("H100.MEM1", false));
  lab.send(lab.enc.subscribe_hours("H100.MEM1", false));
  CHECK(lab.wait_for<wire::ProtocolReject>()->reason() == wire::Reason::not_subscribed);
}

TEST_CASE("gateway hours: hour reports are resent after a restart", "[gateway]") {
  GATEWAY_BACKEND(backend);
  const gpux::test::TempDir temp("gpux-gateway-hours-journal");
  OrderId capacity = 0;
  {
    Server server(backend, test_sessions(), test_transport(), temp.path());
    Client owner = server.login("maker-3");
    capacity = place(owner, divisible("cap", Side::sell, 22500, 16, window(0, 12)))->order_id();
    Client lab = server.login("lab-z");
    place(lab, with_tif(limit("take", Side::buy, 23000, 16, window(2, 4)), Tif::ioc));
    lab.expect<wire::Fill>();
    owner.wait_for<wire::Fill>();
    owner.send(cancel_cl("cap"));
    owner.wait_for<wire::Canceled>();
    owner.wait_for<wire::Canceled>();
    sync(owner);
  }
  // Restarted on the same journal: the owner's story comes back byte for byte in meaning.
  Server server(backend, test_sessions(), test_transport(), temp.path());
  Client owner = server.login("maker-3");
  owner.send(owner.enc.resend(0));
  const auto a = owner.expect<wire::Accepted>();
  CHECK((a->order_id() == capacity && a->divisible()));
  const auto f = owner.expect<wire::Fill>();
  CHECK(sv(f->instrument()) == window(2, 4));
  const auto c1 = owner.expect<wire::Canceled>();
  const auto c2 = owner.expect<wire::Canceled>();
  CHECK(sv(c1->instrument()) == window(0, 2));
  CHECK(sv(c2->instrument()) == window(6, 6));
  owner.wait_for<wire::ResendDone>();  // after sync()'s CancelRejected
  // Nothing of it rests: the recovered hour books are empty.
  CHECK(subscribe_hours(owner)->books()->size() == 0);
}
