// Failover in the client library (tools/client): server lists, connecting to whichever server
// is primary (past dead ports, and past a standby that refuses the login with not_primary,
// played by a few lines of fake server), and a reconnect whose Resend brings every missed
// report once, across a restart of gpuxd on its journal at another address.
// Every wait has a deadline and a watchdog aborts a hung test; the client and the fake server
// run on the test's thread, the in-process gpuxd on its own threads.
#include <utility>  // before anything that includes boost/asio (asio 1.74 with GCC 12, C++20)

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "schemas/codec.hpp"
#include "tests/support/live_orders.hpp"
#include "tests/support/server.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/watchdog.hpp"
#include "tools/client/client.hpp"

using namespace std::chrono_literals;

namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using gpux::Seq;
using gpux::client::Client;
using gpux::client::Credentials;
using gpux::client::FailoverOptions;
using gpux::client::ReportFilter;
using gpux::client::Server;
using gpux::test::InProcessServer;
using gpux::test::ServerSetup;
using gpux::test::TempDir;
using gpux::test::Watchdog;

constexpr auto kWait = 2000ms;

std::vector<Server> parse(const std::string& text, std::string* error = nullptr) {
  std::vector<Server> out;
  std::string why;
  if (!gpux::client::parse_servers(text, out, why)) {
    if (error) *error = why;
    return {};
  }
  return out;
}

std::string parse_error(const std::string& text) {
  std::string why;
  std::vector<Server> out{{"untouched", 1}};
  CHECK_FALSE(gpux::client::parse_servers(text, out, why));
  CHECK(out.size() == 1);  // a failed parse leaves the list as it was
  return why;
}

// A port where nothing listens: bound, so that no one else takes it, but not listening.
struct DeadPort {
  explicit DeadPort(asio::io_context& io) : socket(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {}
  std::uint16_t port() const { return socket.local_endpoint().port(); }
  tcp::socket socket;
};

// A standby, as far as a client can tell: it answers every login with LoginRefused(not_primary)
// and closes. Runs on the client's io_context.
struct FakeStandby {
  explicit FakeStandby(asio::io_context& io) : acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    accept();
  }
  std::uint16_t port() const { return acceptor.local_endpoint().port(); }

  void accept() {
    acceptor.async_accept([this](boost::system::error_code ec, tcp::socket s) {
      if (ec) return;
      auto socket = std::make_shared<tcp::socket>(std::move(s));
      auto buffer = std::make_shared<std::array<std::uint8_t, 1024>>();
      socket->async_read_some(asio::buffer(*buffer), [this, socket, buffer](boost::system::error_code ec, std::size_t) {
        if (ec) return;
        ++logins;
        const auto frame = encoder.login_refused(gpux::wire::Reason::not_primary, "standby");
        auto out = std::make_shared<std::vector<std::uint8_t>>(frame.begin(), frame.end());
        asio::async_write(*socket, asio::buffer(*out), [socket, out](boost::system::error_code, std::size_t) {
          boost::system::error_code ignored;
          socket->shutdown(tcp::socket::shutdown_both, ignored);
          socket->close(ignored);
        });
      });
      accept();
    });
  }

  tcp::acceptor acceptor;
  gpux::protocol::ServerEncoder encoder;
  int logins = 0;
};

Server local(std::uint16_t port) { return {"127.0.0.1", port}; }

}  // namespace

TEST_CASE("failover: server lists parse, and say which entry is wrong", "[client][failover]") {
  const auto one = parse("127.0.0.1:7001");
  REQUIRE(one.size() == 1);
  CHECK(one[0].host == "127.0.0.1");
  CHECK(one[0].port == 7001);

  const auto three = parse("gpux-a:7001, gpux-b:7002 ,[::1]:7003");
  REQUIRE(three.size() == 3);
  CHECK(three[0].text() == "gpux-a:7001");
  CHECK(three[1].host == "gpux-b");
  CHECK(three[1].port == 7002);
  CHECK(three[2].host == "::1");
  CHECK(three[2].text() == "[::1]:7003");

  CHECK(parse_error("") == "expected HOST:PORT[,HOST:PORT...], got nothing");
  CHECK(parse_error("a:1,") == "server 2 of 'a:1,' is empty (expected HOST:PORT[,HOST:PORT...])");
  CHECK(parse_error("a:1,,b:2") == "server 2 of 'a:1,,b:2' is empty (expected HOST:PORT[,HOST:PORT...])");
  CHECK(parse_error("a:1,b") == "server 2 of 'a:1,b': expected HOST:PORT, got 'b'");
  CHECK(parse_error("a:0") == "server 1 of 'a:0': expected HOST:PORT with a port in 1..65535, got 'a:0'");
  CHECK(parse_error("a:1,b:70000").find("port in 1..65535") != std::string::npos);
  CHECK(parse_error("[::1:7001") == "server 1 of '[::1:7001': expected [ADDRESS]:PORT, got '[::1:7001'");
  CHECK(parse_error("a:1, a:1") == "server 2 of 'a:1, a:1': a:1 is listed twice");
}

TEST_CASE("failover: connect_primary passes a dead port and logs in to the next server", "[client][failover]") {
  Watchdog watchdog(20s);
  InProcessServer server("epoll", ServerSetup{});
  asio::io_context io;
  DeadPort dead(io);
  Client c(io);
  const std::vector<Server> servers{local(dead.port()), local(server.port())};
  CHECK(c.connect_primary(servers, Credentials{"lab-x", "demo"}) == 1);
  CHECK(c.logged_in());
  CHECK(c.account() == "lab-x");

  SECTION("nothing but dead ports: -1 by the deadline, saying what each did") {
    DeadPort other(io);
    FailoverOptions quick;
    quick.deadline = 600ms;
    const auto start = std::chrono::steady_clock::now();
    CHECK(c.connect_primary(std::vector<Server>{local(dead.port()), local(other.port())},
                            Credentials{"lab-x", "demo"}, quick) == -1);
    CHECK(std::chrono::steady_clock::now() - start < 3s);
    CHECK_FALSE(c.connected());
    CHECK(c.error().starts_with("no primary among 2 servers within 600 ms: 127.0.0.1:" +
                                std::to_string(dead.port()) + " cannot connect to"));
    CHECK(c.error().find("; 127.0.0.1:" + std::to_string(other.port()) + " cannot connect to") != std::string::npos);
  }
  SECTION("a wrong token ends the search at once: no server would take it") {
    FakeStandby never(io);
    const std::vector<Server> wrong{local(server.port()), local(never.port())};
    CHECK(c.connect_primary(wrong, Credentials{"lab-x", "nope"}) == -1);
    CHECK(c.error().find("bad_credentials") != std::string::npos);
    CHECK(c.error().starts_with("127.0.0.1:" + std::to_string(server.port()) + ": login refused"));
    CHECK(never.logins == 0);
  }
}

TEST_CASE("failover: a standby's not_primary sends the client to the next server", "[client][failover]") {
  Watchdog watchdog(20s);
  InProcessServer server("epoll", ServerSetup{});
  asio::io_context io;
  FakeStandby standby(io);
  Client c(io);
  CHECK(c.connect_primary(std::vector<Server>{local(standby.port()), local(server.port())},
                          Credentials{"lab-x", "demo"}) == 1);
  CHECK(standby.logins == 1);
  CHECK(c.logged_in());

  SECTION("only standbys: the list is tried again, backoff apart, until the deadline") {
    FailoverOptions quick;
    quick.deadline = 800ms;
    quick.backoff = 100ms;
    CHECK(c.connect_primary(std::vector<Server>{local(standby.port())}, Credentials{"lab-x", "demo"}, quick) == -1);
    CHECK(standby.logins >= 3);
    CHECK(c.error().find("login refused: not_primary (standby)") != std::string::npos);
  }
}

TEST_CASE("failover: a report filter hands each report on once, in seq order, across a resend", "[client][failover]") {
  gpux::protocol::ServerEncoder enc;
  ReportFilter filter;
  std::vector<std::string> got;  // "seq cl_id" of each report handed on, or the message's name
  const auto push = [&](std::span<const std::uint8_t> frame) {
    gpux::client::FrameReader reader;
    REQUIRE(reader.feed(frame, [&](const gpux::wire::Envelope& env) {
      filter.feed(env, reader.frame(), [&](const gpux::wire::Envelope& e) {
        if (const auto* r = e.body_as_Rejected())
          got.push_back(std::to_string(r->seq()) + " " + r->cl_id()->str());
        else
          got.push_back(gpux::wire::EnumNameBody(e.body_type()));
      });
    }));
  };
  const auto reject = [&](Seq seq, const char* cl_id) {
    return enc.rejected(seq, 1000 + seq, cl_id, gpux::wire::Reason::price_band);
  };
  push(reject(5, "a"));
  push(reject(6, "b"));
  // The connection drops here, between two reports of seq 6: c never came.
  CHECK(filter.resend_since() == 5);
  filter.resending();
  push(reject(9, "live"));  // routed before the server took the Resend: held
  push(reject(0, "throttled"));  // never sequenced: straight through
  push(reject(6, "b"));  // seen
  push(reject(6, "c"));
  push(reject(7, "d"));
  push(reject(9, "live"));  // the resent copy
  push(enc.resend_done(5, 9));
  push(reject(10, "e"));
  push(reject(9, "live"));  // late and old: dropped
  const std::vector<std::string> expected{"5 a", "6 b", "0 throttled", "6 c", "7 d", "9 live", "ResendDone", "10 e"};
  CHECK(got == expected);
  CHECK(filter.dropped() == 3);
  CHECK(filter.last_seq() == 10);
  CHECK(filter.resend_since() == 9);

  SECTION("a snapshot says every report up to its seq has come") {
    const std::vector<gpux::wire::Level> none;
    push(enc.book_snapshot(20, "H100.MEM1@2026-12-01T00Z+24h", none, none));
    CHECK(filter.resend_since() == 20);
    push(reject(15, "old"));
    CHECK(got.back() == "BookSnapshot");
  }
}

TEST_CASE("failover: reconnect after a restart elsewhere brings the missed reports once", "[client][failover]") {
  Watchdog watchdog(30s);
  TempDir dir("gpux-failover");
  ServerSetup setup;
  setup.journal_dir = dir.path();
  auto first = std::make_unique<InProcessServer>("epoll", setup);
  const std::uint16_t first_port = first->port();
  const std::string instrument = gpux::test::live_symbol("H100.MEM1");

  asio::io_context io;
  Client x(io), y(io);
  ReportFilter filter;
  std::vector<std::string> reports;  // "type seq side" of each report x handed on
  bool resend_done = false;
  x.on_message([&](const gpux::wire::Envelope& env) {
    filter.feed(env, x.frame(), [&](const gpux::wire::Envelope& e) {
      Seq seq = 0;
      if (e.body_type() == gpux::wire::Body::ResendDone) resend_done = true;
      if (!gpux::client::report_seq(e, seq)) return;
      std::string line = std::string(gpux::wire::EnumNameBody(e.body_type())) + " " + std::to_string(seq);
      if (const auto* f = e.body_as_Fill()) line += std::string(" ") + gpux::wire::EnumNameSide(f->side());
      reports.push_back(line);
    });
  });
  const Credentials lab_x{"lab-x", "demo"};
  const Credentials lab_y{"lab-y", "demo"};
  REQUIRE(x.connect_primary(std::vector<Server>{local(first_port)}, lab_x) == 0);
  REQUIRE(y.connect_primary(std::vector<Server>{local(first_port)}, lab_y) == 0);

  // y's orders; each fills against x's resting sell, and y sees its own fill.
  int y_fills = 0;
  y.on_message([&](const gpux::wire::Envelope& env) { y_fills += env.body_type() == gpux::wire::Body::Fill; });
  const auto y_buys = [&](int n) {
    REQUIRE(y.send(gpux::test::live_new("y-" + std::to_string(n), instrument, gpux::Side::buy, 21500, 8)));
    REQUIRE(y.run_until([&] { return y_fills == n; }, kWait));
  };

  REQUIRE(x.send(gpux::test::live_new("x-sell", instrument, gpux::Side::sell, 21500, 64)));
  REQUIRE(x.run_until([&] { return reports.size() == 1; }, kWait));
  y_buys(1);
  REQUIRE(x.run_until([&] { return reports.size() == 2; }, kWait));

  // x goes away; y trades with its order meanwhile; then gpuxd goes, and comes back on its
  // journal at another address, where y trades once more before x is back.
  x.close();
  y_buys(2);
  y.close();
  first.reset();
  InProcessServer second("epoll", setup);
  REQUIRE(y.connect_primary(std::vector<Server>{local(second.port())}, lab_y) == 0);
  y_buys(3);

  const std::vector<Server> servers{local(first_port), local(second.port())};
  const int used = x.reconnect(servers, lab_x, filter);
  REQUIRE(used >= 0);
  CHECK(servers[used].port == second.port());  // the first port is dead (unless the second took it)
  REQUIRE(x.run_until([&] { return resend_done; }, kWait));
  y_buys(4);
  REQUIRE(x.run_until([&] { return reports.size() == 5; }, kWait));
  x.run_for(100ms);  // anything further would be a duplicate

  REQUIRE(reports.size() == 5);
  CHECK(reports[0].starts_with("Accepted "));
  Seq previous = 0;
  for (std::size_t i = 0; i < reports.size(); ++i) {
    if (i > 0) CHECK(reports[i].starts_with("Fill ") == true);
    if (i > 0) CHECK(reports[i].ends_with(" sell"));
    const Seq seq = std::stoll(reports[i].substr(reports[i].find(' ') + 1));
    CHECK(seq > previous);  // no report twice, and in seq order
    previous = seq;
  }
  // The Resend began one before the last report seen, so that one came again and was dropped.
  CHECK(filter.dropped() == 1);
}
