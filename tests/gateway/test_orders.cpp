// The whole server over loopback, on every backend (tests/support/gateway_client.hpp): every
// command and its execution reports, both sides' fills of a trade, isolation between accounts,
// and list_orders.
#include <catch2/catch.hpp>

#include <cstdint>

#include "tests/support/gateway_client.hpp"
#include "tests/support/live_orders.hpp"

using namespace gpux;
using namespace gpux::gateway;
using namespace gpux::protocol;
using namespace gpux::test;
using namespace std::chrono_literals;
using std::chrono::milliseconds;

// ==== commands and execution reports =========================================================

TEST_CASE("gateway: every command gets its execution reports", "[gateway]") {
  GATEWAY_BACKEND(backend);
  Server server(backend);
  Client m = server.login("maker-1");
  Client x = server.login("lab-x");

  // A gtc limit order.
  const auto s1 = place(m, limit("s1", Side::sell, 21500, 16));
  CHECK(s1->order_id() > 0);
  CHECK(s1->seq() == s1->order_id());
  CHECK(s1->ts() > 0);
  CHECK(sv(s1->instrument()) == h100());
  CHECK(s1->side() == wire::Side::sell);
  CHECK(s1->order_type() == wire::OrderType::limit);
  CHECK(s1->price() == 21500);
  CHECK(s1->qty() == 16);
  CHECK(s1->tif() == wire::Tif::gtc);
  CHECK_FALSE(s1->expire_ts().has_value());
  CHECK_FALSE(s1->display_qty().has_value());
  CHECK_FALSE(s1->post_only());

  // A refused order.
  m.send(limit("bad", Side::sell, 21500, 12));
  const auto bad = m.expect<wire::Rejected>();
  CHECK(sv(bad->cl_id()) == "bad");
  CHECK(bad->reason() == wire::Reason::bad_qty);
  CHECK(bad->seq() > s1->seq());

  // Cancel by order_id, by cl_id, and of nothing.
  m.send(cancel_id(s1->order_id()));
  {
    const auto c = m.expect<wire::Canceled>();
    CHECK(c->order_id() == s1->order_id());
    CHECK(sv(c->cl_id()) == "s1");
    CHECK(c->leaves() == 16);
    CHECK(c->reason() == wire::Reason::user);
  }
  const auto s2 = place(m, limit("s2", Side::sell, 21500, 16));
  m.send(cancel_cl("s2"));
  {
    const auto c = m.expect<wire::Canceled>();
    CHECK(c->order_id() == s2->order_id());
    CHECK(sv(c->cl_id()) == "s2");
    CHECK(c->leaves() == 16);
    CHECK(c->reason() == wire::Reason::user);
  }
  m.send(cancel_cl("s2"));
  {
    const auto r = m.expect<wire::CancelRejected>();
    CHECK(sv(r->cl_id()) == "s2");
    CHECK_FALSE(r->order_id().has_value());
    CHECK(r->reason() == wire::Reason::unknown_order);
  }
  m.send(cancel_id(s1->order_id()));
  {
    const auto r = m.expect<wire::CancelRejected>();
    CHECK(r->order_id().value_or(-1) == s1->order_id());
    CHECK(r->reason() == wire::Reason::unknown_order);
  }

  // Replace: renamed and moved (priority lost), then shrunk in place (priority kept).
  const auto s3 = place(m, limit("s3", Side::sell, 21600, 16));
  m.send(replace_cl("s3", 21700, 24, "s3b"));
  {
    const auto r = m.expect<wire::Replaced>();
    CHECK(r->order_id() == s3->order_id());
    CHECK(sv(r->cl_id()) == "s3b");
    CHECK(r->price() == 21700);
    CHECK(r->qty() == 24);
    CHECK_FALSE(r->priority_kept());
  }
  m.send(replace_id(s3->order_id(), 21700, 8));
  {
    const auto r = m.expect<wire::Replaced>();
    CHECK(r->order_id() == s3->order_id());
    CHECK(sv(r->cl_id()) == "s3b");
    CHECK(r->qty() == 8);
    CHECK(r->priority_kept());
  }
  m.send(replace_cl("s3", 21700, 8));
  {
    const auto r = m.expect<wire::ReplaceRejected>();
    CHECK(sv(r->cl_id()) == "s3");
    CHECK(r->reason() == wire::Reason::unknown_order);
  }

  // An iceberg, hit by an ioc that sweeps it and is canceled for the rest.
  Command ice = limit("ice", Side::sell, 21500, 40);
  ice.has_display_qty = true;
  ice.display_qty = 16;
  const auto ia = place(m, ice);
  CHECK(ia->display_qty().value_or(0) == 16);
  x.send(with_tif(limit("x-ioc", Side::buy, 21500, 48), Tif::ioc));
  const auto xa = x.expect<wire::Accepted>();
  CHECK(xa->tif() == wire::Tif::ioc);
  Qty x_filled = 0, m_filled = 0;
  std::uint32_t x_fills = 0;
  while (x_filled < 40) {
    const auto f = x.expect<wire::Fill>();
    CHECK(f->order_id() == xa->order_id());
    CHECK(f->aggressor());
    CHECK(f->side() == wire::Side::buy);
    CHECK(f->price() == 21500);
    x_filled += f->qty();
    CHECK(f->leaves() == 48 - x_filled);
    ++x_fills;
  }
  CHECK(x_filled == 40);
  CHECK(x_fills == 3);  // the clip 16, then two refills: 16 and 8
  {
    const auto c = x.expect<wire::Canceled>();
    CHECK(c->order_id() == xa->order_id());
    CHECK(c->reason() == wire::Reason::ioc);
    CHECK(c->leaves() == 8);
  }
  while (m_filled < 40) {
    const auto f = m.expect<wire::Fill>();
    CHECK(f->order_id() == ia->order_id());
    CHECK_FALSE(f->aggressor());
    CHECK(f->side() == wire::Side::sell);
    m_filled += f->qty();
    CHECK(f->leaves() == 40 - m_filled);
  }

  // A market order: its protection price and ioc, a fill at the resting price, the rest canceled.
  x.send(market("x-mkt", Side::buy, 16));
  {
    const auto a = x.expect<wire::Accepted>();
    CHECK(a->order_type() == wire::OrderType::market);
    CHECK(a->tif() == wire::Tif::ioc);
    CHECK(a->price() >= 21700);
    const auto f = x.expect<wire::Fill>();
    CHECK(f->order_id() == a->order_id());
    CHECK(f->price() == 21700);
    CHECK(f->qty() == 8);
    CHECK(f->leaves() == 8);
    const auto c = x.expect<wire::Canceled>();
    CHECK(c->reason() == wire::Reason::ioc);
    CHECK(c->leaves() == 8);
    const auto mf = m.expect<wire::Fill>();
    CHECK(mf->order_id() == s3->order_id());
    CHECK(mf->leaves() == 0);
    CHECK(mf->seq() == f->seq());
  }

  // A gtd order expires on its own: the server's clock commands move time without traffic.
  Command g = with_tif(limit("g1", Side::buy, 20000, 8), Tif::gtd);
  g.has_expire_ts = true;
  g.expire_ts = now_ns() + 150'000'000;
  const auto ga = place(m, g);
  CHECK(ga->tif() == wire::Tif::gtd);
  CHECK(ga->expire_ts().value_or(0) == g.expire_ts);
  {
    const auto e = m.expect<wire::Expired>();
    CHECK(e->order_id() == ga->order_id());
    CHECK(sv(e->cl_id()) == "g1");
    CHECK(e->leaves() == 8);
    CHECK(e->reason() == wire::Reason::gtd);
    CHECK(e->ts() == g.expire_ts);
  }

  // Mass cancel: one instrument, one product, then everything.
  const auto m1 = place(m, limit("m1", Side::buy, 20000, 8));
  const auto m2 = place(m, limit("m2", Side::buy, 20010, 8));
  const auto m3 = place(m, limit("m3", Side::buy, 29000, 8, h200()));
  const auto m4 = place(m, limit("m4", Side::buy, 29010, 8, h200()));
  m.send(mass_cancel(h100()));
  for (const OrderId id : {m1->order_id(), m2->order_id()}) {
    const auto c = m.expect<wire::Canceled>();
    CHECK(c->order_id() == id);  // ascending order_id
    CHECK(c->reason() == wire::Reason::mass);
  }
  m.send(mass_cancel({}, "H200.MEM1"));
  {
    const auto c = m.expect<wire::Canceled>();
    CHECK(c->order_id() == m3->order_id());
    CHECK(c->reason() == wire::Reason::mass);
  }
  m.send(mass_cancel());
  {
    const auto c = m.expect<wire::Canceled>();
    CHECK(c->order_id() == m4->order_id());
    CHECK(c->reason() == wire::Reason::mass);
  }
  // A mass cancel that finds nothing says nothing.
  m.send(mass_cancel());
  sync(m);
  CHECK(m.skipped.empty());
  x.expect_quiet(50ms);
}

TEST_CASE("gateway: a trade gives each side its own fill", "[gateway]") {
  GATEWAY_BACKEND(backend);
  Server server(backend);
  Client m = server.login("maker-1");
  Client x = server.login("lab-x");

  const auto sell = place(m, limit("ask", Side::sell, 21500, 16));
  const auto buy = place(x, limit("bid", Side::buy, 21600, 24));  // crosses: 16 trade, 8 rest

  const auto xf = x.expect<wire::Fill>();
  CHECK(xf->order_id() == buy->order_id());
  CHECK(sv(xf->instrument()) == h100());
  CHECK(xf->side() == wire::Side::buy);
  CHECK(xf->aggressor());
  CHECK(xf->price() == 21500);  // the resting order's price
  CHECK(xf->qty() == 16);
  CHECK(xf->leaves() == 8);

  const auto mf = m.expect<wire::Fill>();
  CHECK(mf->order_id() == sell->order_id());
  CHECK(sv(mf->instrument()) == h100());
  CHECK(mf->side() == wire::Side::sell);
  CHECK_FALSE(mf->aggressor());
  CHECK(mf->price() == 21500);
  CHECK(mf->qty() == 16);
  CHECK(mf->leaves() == 0);

  // One trade: the same (seq, match) and time on both sides.
  CHECK(mf->seq() == xf->seq());
  CHECK(mf->match() == xf->match());
  CHECK(mf->ts() == xf->ts());
  CHECK(xf->seq() == buy->seq());

  // The rest of the buy trades later against a new sell: now the maker is the aggressor.
  const auto sell2 = place(m, limit("ask2", Side::sell, 21600, 8));
  const auto mf2 = m.expect<wire::Fill>();
  CHECK(mf2->order_id() == sell2->order_id());
  CHECK(mf2->aggressor());
  CHECK(mf2->price() == 21600);
  const auto xf2 = x.expect<wire::Fill>();
  CHECK(xf2->order_id() == buy->order_id());
  CHECK_FALSE(xf2->aggressor());
  CHECK(xf2->leaves() == 0);

  // Neither side saw anything of the other's.
  x.expect_quiet(50ms);
  m.expect_quiet(1ms);
}

// ==== isolation ==============================================================================

TEST_CASE("gateway: accounts are isolated from each other", "[gateway]") {
  GATEWAY_BACKEND(backend);
  Server server(backend);
  Client x = server.login("lab-x");
  Client y = server.login("lab-y");

  const auto xo = place(x, limit("mine", Side::buy, 21000, 8));

  // lab-y can neither cancel nor replace lab-x's order, by order_id or by cl_id.
  y.send(cancel_id(xo->order_id()));
  CHECK(y.expect<wire::CancelRejected>()->reason() == wire::Reason::unknown_order);
  y.send(cancel_cl("mine"));
  CHECK(y.expect<wire::CancelRejected>()->reason() == wire::Reason::unknown_order);
  y.send(replace_id(xo->order_id(), 21010, 8));
  CHECK(y.expect<wire::ReplaceRejected>()->reason() == wire::Reason::unknown_order);
  y.send(mass_cancel());  // finds nothing of lab-y's
  sync(y);
  CHECK(y.skipped.empty());

  // lab-x heard nothing of it, and its order is intact: it trades in full.
  x.expect_quiet(50ms);
  const auto ya = place(y, limit("hit", Side::sell, 21000, 8));
  const auto yf = y.expect<wire::Fill>();
  CHECK(yf->order_id() == ya->order_id());
  CHECK(yf->qty() == 8);
  const auto xf = x.expect<wire::Fill>();
  CHECK(xf->order_id() == xo->order_id());
  CHECK(xf->qty() == 8);
  CHECK(xf->leaves() == 0);

  // The same cl_id in two accounts names two orders.
  const auto x2 = place(x, limit("same", Side::buy, 20000, 8));
  const auto y2 = place(y, limit("same", Side::buy, 20010, 8));
  CHECK(x2->order_id() != y2->order_id());
  y.send(cancel_cl("same"));
  CHECK(y.expect<wire::Canceled>()->order_id() == y2->order_id());

  // lab-x's own reports never reach lab-y: lab-x trades, cancels, is rejected; lab-y, which
  // then places an order, hears only about that order.
  x.send(limit("bad", Side::buy, 21000, 3));
  x.expect<wire::Rejected>();
  x.send(cancel_cl("same"));
  x.expect<wire::Canceled>();
  place(y, limit("y-last", Side::buy, 20000, 8));
  y.expect_quiet(50ms);
}

TEST_CASE("gateway: list_orders answers with the account's own open orders only", "[gateway]") {
  GATEWAY_BACKEND(backend);
  Server server(backend);
  Client x = server.login("lab-x");
  Client y = server.login("lab-y");

  const auto plain = place(x, limit("plain", Side::buy, 20000, 16));
  Command ice = with_tif(limit("ice", Side::sell, 30000, 24, h200()), Tif::gtd);
  ice.has_expire_ts = true;
  ice.expire_ts = now_ns() + 3'600'000'000'000;
  ice.has_display_qty = true;
  ice.display_qty = 8;
  const auto iced = place(x, ice);
  const auto gone = place(x, limit("gone", Side::buy, 20010, 8));
  x.send(cancel_cl("gone"));
  x.expect<wire::Canceled>();
  place(y, limit("theirs", Side::buy, 20000, 8));

  x.send(x.enc.list_orders());
  const auto first = x.expect<wire::OpenOrder>();
  CHECK(first->order_id() == plain->order_id());
  CHECK(sv(first->cl_id()) == "plain");
  CHECK(sv(first->instrument()) == h100());
  CHECK(first->side() == wire::Side::buy);
  CHECK(first->price() == 20000);
  CHECK(first->qty() == 16);
  CHECK(first->shown() == 16);
  CHECK(first->tif() == wire::Tif::gtc);
  CHECK(!first->expire_ts().has_value());
  CHECK(!first->display_qty().has_value());
  const auto second = x.expect<wire::OpenOrder>();
  CHECK(second->order_id() == iced->order_id());
  CHECK(sv(second->instrument()) == h200());
  CHECK(second->side() == wire::Side::sell);
  CHECK(second->qty() == 24);
  CHECK(second->shown() == 8);
  CHECK(second->tif() == wire::Tif::gtd);
  CHECK(second->expire_ts() == ice.expire_ts);
  CHECK(second->display_qty() == 8);
  const auto end = x.expect<wire::OpenOrdersEnd>();
  CHECK(end->count() == 2);
  CHECK(end->seq() >= gone->seq());
  CHECK(first->seq() == end->seq());

  // One instrument only; an instrument with none of the account's orders; another account.
  x.send(x.enc.list_orders(h200()));
  CHECK(x.expect<wire::OpenOrder>()->order_id() == iced->order_id());
  CHECK(x.expect<wire::OpenOrdersEnd>()->count() == 1);
  x.send(x.enc.list_orders(test::live_symbol("B200.DAL1")));
  CHECK(x.expect<wire::OpenOrdersEnd>()->count() == 0);
  y.send(y.enc.list_orders());
  CHECK(sv(y.expect<wire::OpenOrder>()->cl_id()) == "theirs");
  CHECK(y.expect<wire::OpenOrdersEnd>()->count() == 1);

  // A fill shows in the next answer: the open quantity is what is left.
  place(y, limit("hit", Side::sell, 20000, 8));
  x.expect<wire::Fill>();
  x.send(x.enc.list_orders(h100()));
  const auto after = x.expect<wire::OpenOrder>();
  CHECK(after->qty() == 8);
  CHECK(x.expect<wire::OpenOrdersEnd>()->count() == 1);
}
