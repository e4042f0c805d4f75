// The whole server over loopback, on every backend (tests/support/gateway_client.hpp): what
// an account finds when it comes back. Resends of missed reports (refused without a journal;
// with one, also after a restart), a failed journal, and cancel-on-disconnect.
#include <catch2/catch.hpp>

#include <string>
#include <thread>

#include "tests/support/gateway_client.hpp"
#include "tests/support/temp_dir.hpp"

using namespace gpux;
using namespace gpux::gateway;
using namespace gpux::protocol;
using namespace gpux::test;
using namespace std::chrono_literals;
using std::chrono::milliseconds;

// ==== resends ================================================================================

TEST_CASE("gateway: without a journal a resend is refused, with a failed journal every command is", "[gateway]") {
  GATEWAY_BACKEND(backend);
  Server server(backend);
  Client x = server.login("lab-x");
  x.send(x.enc.resend(0));
  CHECK(x.expect<wire::ProtocolReject>()->reason() == wire::Reason::resend_unavailable);

  const gpux::test::TempDir temp("gpux-gateway-failed-journal");
  Server journaled(backend, test_sessions(), test_transport(), temp.path());
  Client y = journaled.login("lab-y");
  journaled.pipeline().journal().fail();  // what the journal thread does on ENOSPC or EIO
  y.send(limit("y1", Side::buy, 21000, 8));
  const auto r = y.expect<wire::Rejected>();
  CHECK(r->reason() == wire::Reason::journal_unavailable);
  CHECK(r->seq() == 0);
  y.send(cancel_cl("y1"));
  CHECK(y.expect<wire::CancelRejected>()->reason() == wire::Reason::journal_unavailable);
}

TEST_CASE("gateway: with a journal, reports missed while away are resent, also after a restart", "[gateway]") {
  GATEWAY_BACKEND(backend);
  const gpux::test::TempDir temp("gpux-gateway-journal");
  const std::string& dir = temp.path();

  Seq accepted_seq = 0;
  OrderId resting = 0;
  {
    Server server(backend, test_sessions(), test_transport(), dir);
    {
      Client x = server.login("lab-x");
      const auto a = place(x, limit("x1", Side::buy, 21000, 24));
      accepted_seq = a->seq();
      resting = a->order_id();
    }
    // lab-x is away: half its order trades.
    Client y = server.login("lab-y");
    place(y, limit("y1", Side::sell, 21000, 8));
    const auto yf = y.expect<wire::Fill>();

    Client x = server.relogin("lab-x");
    x.send(x.enc.resend(accepted_seq));
    const auto missed = x.expect<wire::Fill>();
    CHECK(missed->seq() == yf->seq());
    CHECK(missed->order_id() == resting);
    CHECK(missed->leaves() == 16);
    const auto done = x.expect<wire::ResendDone>();
    CHECK(done->since_seq() == accepted_seq);
    CHECK(done->through_seq() >= yf->seq());

    // From 0: the whole story, in order.
    x.send(x.enc.resend(0));
    CHECK(x.expect<wire::Accepted>()->order_id() == resting);
    CHECK(x.expect<wire::Fill>()->seq() == yf->seq());
    x.expect<wire::ResendDone>();

    // Live reports go on after a resend.
    place(y, limit("y2", Side::sell, 21000, 8));
    CHECK(x.expect<wire::Fill>()->leaves() == 8);
  }

  // A restart recovers the book from the journal (and snapshots), and resends still work.
  Server server(backend, test_sessions(), test_transport(), dir);
  Client x = server.login("lab-x");
  x.send(x.enc.list_orders());
  const auto open = x.expect<wire::OpenOrder>();
  CHECK(open->order_id() == resting);
  CHECK(open->qty() == 8);
  x.expect<wire::OpenOrdersEnd>();
  x.send(x.enc.resend(0));
  CHECK(x.expect<wire::Accepted>()->order_id() == resting);
  CHECK(x.expect<wire::Fill>()->leaves() == 16);
  CHECK(x.expect<wire::Fill>()->leaves() == 8);
  x.expect<wire::ResendDone>();
  Client y = server.login("lab-y");
  place(y, limit("y3", Side::sell, 21000, 8));
  CHECK(x.expect<wire::Fill>()->leaves() == 0);
}

// ==== cancel-on-disconnect ===================================================================

TEST_CASE("gateway: cancel-on-disconnect", "[gateway]") {
  GATEWAY_BACKEND(backend);
  Server server(backend);
  Client sub = server.login("lab-z");
  Client y = server.login("lab-y");
  subscribe(sub);

  SECTION("cancel_all_on_disconnect=true: the dropped session's resting orders go") {
    Client x = server.login("lab-x", true);
    place(x, limit("gtc", Side::buy, 21000, 8));
    Command g = with_tif(limit("gtd", Side::buy, 20900, 8), Tif::gtd);
    g.has_expire_ts = true;
    g.expire_ts = now_ns() + 3'600'000'000'000;
    place(x, g);
    for (int i = 0; i < 2; ++i) CHECK(sub.expect<wire::BookUpdate>()->level()->orders() == 1);
    x.close();
    // Both levels empty out.
    L2 book;
    book.bids = {{21000, {8, 1}}, {20900, {8, 1}}};
    for (int i = 0; i < 2; ++i) book.apply(*sub.expect<wire::BookUpdate>());
    INFO(book.str());
    CHECK(book.bids.empty());
    // Nothing is left to cross with.
    y.send(with_tif(limit("cross", Side::sell, 20900, 16), Tif::ioc));
    y.expect<wire::Accepted>();
    const auto c = y.expect<wire::Canceled>();
    CHECK(c->reason() == wire::Reason::ioc);
    CHECK(c->leaves() == 16);
    // Logged in again, lab-x hears of nothing more.
    Client again = server.relogin("lab-x");
    again.expect_quiet(50ms);
  }
  SECTION("by default (false) gtc and gtd orders stay") {
    Client x = server.login("lab-x");
    const auto gtc = place(x, limit("gtc", Side::buy, 21000, 8));
    Command g = with_tif(limit("gtd", Side::buy, 20900, 8), Tif::gtd);
    g.has_expire_ts = true;
    g.expire_ts = now_ns() + 3'600'000'000'000;
    const auto gtd = place(x, g);
    for (int i = 0; i < 2; ++i) sub.expect<wire::BookUpdate>();
    x.close();
    // Once the account can log in again, the server has handled the drop.
    Client again = server.relogin("lab-x");
    sub.expect_quiet(50ms);
    y.send(limit("cross", Side::sell, 20900, 16));
    y.expect<wire::Accepted>();
    CHECK(y.expect<wire::Fill>()->price() == 21000);
    CHECK(y.expect<wire::Fill>()->price() == 20900);
    // The new session of the account gets the fills of the old one's orders.
    CHECK(again.expect<wire::Fill>()->order_id() == gtc->order_id());
    CHECK(again.expect<wire::Fill>()->order_id() == gtd->order_id());
  }
  SECTION("a truncated frame, then the drop: the partial frame is discarded, the orders canceled") {
    Client x = server.login("lab-x", true);
    place(x, limit("gtc", Side::buy, 21000, 8));
    sub.expect<wire::BookUpdate>();
    const auto frame = x.enc.command(limit("never", Side::buy, 20500, 8));
    REQUIRE(x.write(frame.first(frame.size() / 2)));
    std::this_thread::sleep_for(20ms);
    x.close();
    const auto u = sub.expect<wire::BookUpdate>();
    CHECK(u->level()->price() == 21000);
    CHECK(u->level()->orders() == 0);
    sub.expect_quiet(50ms);  // in particular no order at 20500
  }
}
