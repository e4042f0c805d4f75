// The whole server over loopback, on every backend (tests/support/gateway_client.hpp): what
// keeps one session from hurting the others. Throttling over the order rate, cutting off a
// subscriber that never reads, heartbeats, and the idle and login timeouts.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/gateway_client.hpp"
#include "tests/support/live_orders.hpp"

using namespace gpux;
using namespace gpux::gateway;
using namespace gpux::protocol;
using namespace gpux::test;
using namespace std::chrono_literals;
using std::chrono::milliseconds;

// ==== throttling =============================================================================

TEST_CASE("gateway: a session over its rate is throttled", "[gateway]") {
  GATEWAY_BACKEND(backend);
  SessionConfig config = test_sessions();
  config.orders_per_sec = 5;
  config.burst = 3;
  Server server(backend, config);
  Client c = server.login("lab-x");

  // A trader's operator commands are refused without costing a token, and the session stays.
  for (int i = 0; i < 3; ++i) c.send(halt(true, h100()));
  for (int i = 0; i < 3; ++i) CHECK(c.expect<wire::ProtocolReject>()->reason() == wire::Reason::not_operator);

  // Four orders at once: the bucket holds three.
  Bytes batch;
  for (int i = 1; i <= 4; ++i) {
    const auto f = c.enc.command(limit(test::live_numbered("o", i), Side::buy, 20000 + 10 * i, 8));
    batch.insert(batch.end(), f.begin(), f.end());
  }
  REQUIRE(c.write(batch));
  std::vector<std::string> accepted;
  std::vector<std::string> throttled;
  for (int i = 0; i < 4; ++i) {
    Frame f;
    Client::Read r;
    do r = c.read(f); while (r == Client::Read::frame && f.type() == wire::Body::Heartbeat);
    REQUIRE(r == Client::Read::frame);
    INFO(describe(f));
    if (f.type() == wire::Body::Accepted) {
      accepted.emplace_back(sv(f.as<wire::Accepted>()->cl_id()));
    } else {
      REQUIRE(f.type() == wire::Body::Rejected);
      const auto* rj = f.as<wire::Rejected>();
      CHECK(rj->reason() == wire::Reason::throttled);
      CHECK(rj->seq() == 0);
      CHECK(rj->ts() == 0);
      throttled.emplace_back(sv(rj->cl_id()));
    }
  }
  std::sort(accepted.begin(), accepted.end());
  CHECK(accepted == std::vector<std::string>{"o1", "o2", "o3"});
  CHECK(throttled == std::vector<std::string>{"o4"});

  // A cancel with an empty bucket is throttled as a CancelRejected.
  c.send(cancel_cl("o1"));
  {
    const auto r = c.expect<wire::CancelRejected>();
    CHECK(r->reason() == wire::Reason::throttled);
    CHECK(sv(r->cl_id()) == "o1");
  }
  // So is a replace, as a ReplaceRejected, and a mass cancel, as a ProtocolReject that does
  // not close the connection.
  c.send(replace_cl("o2", 20100, 8));
  {
    const auto r = c.expect<wire::ReplaceRejected>();
    CHECK(r->reason() == wire::Reason::throttled);
    CHECK(r->seq() == 0);
  }
  c.send(mass_cancel());
  CHECK(c.expect<wire::ProtocolReject>()->reason() == wire::Reason::throttled);
  // The bucket refills at 5 per second: after 300 ms there is a token again.
  std::this_thread::sleep_for(300ms);
  c.send(cancel_cl("o1"));
  CHECK(c.expect<wire::Canceled>()->reason() == wire::Reason::user);
}

// ==== slow consumers =========================================================================

TEST_CASE("gateway: a subscriber that never reads is cut off while the trader goes on", "[gateway]") {
  GATEWAY_BACKEND(backend);
  TransportConfig transport = test_transport();
  transport.max_queued_bytes = 64 << 10;
  Server server(backend, test_sessions(), transport);
  Client m = server.login("maker-1");
  Client slow = server.login("lab-z", false, 4096);
  subscribe(slow);  // then never reads again

  // New-then-cancel pairs: each gives the subscriber a level update and the trader two reports,
  // which the trader reads batch by batch.
  constexpr int kBatch = 100;
  constexpr int kMaxBatches = 200;
  int batches = 0;
  bool cut = false;
  std::uint64_t reports = 0;
  for (; batches < kMaxBatches && !cut; ++batches) {
    Bytes out;
    for (int i = 0; i < kBatch; ++i) {
      const std::string cl = test::live_numbered("c", i);
      const Price p = 20000 + 10 * Price((batches * kBatch + i) % 100);
      auto f = m.enc.command(limit(cl, Side::buy, p, 8));
      out.insert(out.end(), f.begin(), f.end());
      f = m.enc.command(cancel_cl(cl));
      out.insert(out.end(), f.begin(), f.end());
    }
    REQUIRE(m.write(out));
    for (int i = 0; i < kBatch; ++i) {
      CHECK(sv(m.expect<wire::Accepted>()->cl_id()) == test::live_numbered("c", i));
      CHECK(m.expect<wire::Canceled>()->reason() == wire::Reason::user);
      reports += 2;
    }
    // Has the server given up on the subscriber? Its close queues a FIN behind the bytes the
    // subscriber has not read, so the client cannot tell yet: ask the server's log.
    cut = server.log().find("lab-z: slow consumer") != std::string::npos;
  }
  INFO("batches sent: " << batches << ", reports read: " << reports);
  INFO("server log:\n" << server.log());
  // Whether or not the hang-up showed yet, the subscriber's stream must end once read.
  std::size_t frames = 0;
  CHECK(slow.drain_until_closed(5000ms, &frames));
  CHECK(frames < std::size_t(batches) * kBatch * 2);  // it did not get everything
  CHECK(cut);
  CHECK(server.log().find("maker-1: slow consumer") == std::string::npos);

  // The trader goes on.
  place(m, limit("after", Side::buy, 21000, 8));
  // And a new subscriber gets a consistent snapshot.
  Client sub = server.login("lab-y");
  const auto s = subscribe(sub);
  CHECK(s->bids()->size() == 1);
}

// ==== timeouts ===============================================================================

TEST_CASE("gateway: heartbeats, idle timeout and login timeout", "[gateway]") {
  GATEWAY_BACKEND(backend);
  SessionConfig config = test_sessions();
  config.heartbeat = 50ms;
  config.idle_timeout = 300ms;
  config.login_timeout = 200ms;
  Server server(backend, config);

  Client silent = server.login("lab-x");
  Client chatty = server.login("lab-y");
  Client anonymous = server.connect();
  const auto start = SteadyClock::now();
  chatty.send(chatty.enc.heartbeat());

  // The silent session hears heartbeats while the server waits for it.
  {
    Frame f;
    REQUIRE(silent.read(f, 200ms) == Client::Read::frame);
    CHECK(f.type() == wire::Body::Heartbeat);
  }
  // The connection that never logged in goes at the login timeout.
  {
    const auto r = anonymous.expect<wire::ProtocolReject>();
    CHECK(r->reason() == wire::Reason::idle_timeout);
    anonymous.expect_closed();
    CHECK(SteadyClock::now() - start >= 150ms);
  }
  // The silent one goes at the idle timeout; the chatty one, sending heartbeats, stays.
  bool silent_gone = false;
  // (Until well past the idle timeout for the chatty one, and at most 1 s.)
  while (SteadyClock::now() - start < (silent_gone ? 500ms : 1000ms)) {
    chatty.send(chatty.enc.heartbeat());
    Frame f;
    if (!silent_gone) {
      const Client::Read r = silent.read(f, 25ms);
      if (r == Client::Read::frame && f.type() == wire::Body::ProtocolReject) {
        CHECK(f.as<wire::ProtocolReject>()->reason() == wire::Reason::idle_timeout);
        CHECK(SteadyClock::now() - start >= 250ms);
        silent.expect_closed();
        silent_gone = true;
      } else {
        INFO(describe(f));
        REQUIRE(r != Client::Read::closed);
        if (r == Client::Read::frame) CHECK(f.type() == wire::Body::Heartbeat);
      }
    } else {
      std::this_thread::sleep_for(25ms);
    }
  }
  CHECK(silent_gone);
  place(chatty, limit("alive", Side::buy, 21000, 8));
}
