// The client library (tools/client): its framing over arbitrary splits and merges, and whole
// conversations with an in-process gpuxd on every backend: crossing orders and both fills,
// market data, a refused login, heartbeats that keep an idle session alive.
// Every wait has a deadline and a watchdog aborts a hung test; Catch2 is called only from the
// test's thread (the client runs there too), the server runs on its own threads.
#include <utility>  // before anything that includes boost/asio (asio 1.74 with GCC 12, C++20)

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <catch2/catch.hpp>

#include "tests/support/server.hpp"
#include "tests/support/watchdog.hpp"
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "engine/catalog.hpp"
#include "engine/engine.hpp"
#include "engine/symbol.hpp"
#include "gateway/session/accounts.hpp"
#include "schemas/codec.hpp"
#include "gateway/pipeline/pipeline.hpp"
#include "gateway/session/sessions.hpp"
#include "gateway/transport/transport.hpp"
#include "tools/client/client.hpp"
#include "tools/client/render_json.hpp"

using namespace std::chrono_literals;
using nlohmann::json;

namespace {

using gpux::client::Client;

constexpr auto kWait = 2000ms;

using gpux::test::Watchdog;


using gpux::test::InProcessServer;
using gpux::test::ServerSetup;

// Every message a client received, as the JSON the library renders it to.
struct Inbox {
  std::vector<json> messages;

  void attach(Client& c) {
    c.on_message(
        [this](const gpux::wire::Envelope& env) { messages.push_back(json::parse(gpux::client::to_json(env))); });
  }
  const json* find(const std::string& type, const std::function<bool(const json&)>& match = {}) const {
    for (const json& m : messages)
      if (m["type"] == type && (!match || match(m))) return &m;
    return nullptr;
  }
};

// A window two days ahead: open, and well inside the built-in catalog's horizon.
std::string test_instrument() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const std::int64_t day = std::chrono::duration_cast<std::chrono::hours>(now).count() / 24;
  return gpux::format_symbol("H100.MEM1", (day + 2) * 24, 24);
}

gpux::Command limit(gpux::Side side, const std::string& instrument, gpux::Price price, gpux::Qty qty,
                    const std::string& cl_id) {
  gpux::Command c = gpux::make_command(gpux::CommandType::new_order, 0, 0);
  c.side = side;
  c.instrument.assign(instrument);
  c.has_instrument = true;
  c.price = gpux::PriceField{true, true, price};
  c.qty = qty;
  c.cl_id.assign(cl_id);
  c.has_cl_id = true;
  return c;
}

}  // namespace

TEST_CASE("client framing: frames split anywhere or merged are all delivered, bad ones refused", "[client]") {
  gpux::protocol::ServerEncoder enc;
  std::vector<std::uint8_t> stream;
  const auto append = [&](std::span<const std::uint8_t> f) { stream.insert(stream.end(), f.begin(), f.end()); };
  append(enc.login_accepted("lab-x", gpux::wire::Role::trader, 1000));
  const std::vector<gpux::wire::Level> bids{{21000, 16, 2}, {20990, 8, 1}};
  append(enc.book_snapshot(7, "H100.MEM1@2026-12-01T00Z+24h", bids, {}));
  append(enc.heartbeat());
  append(enc.rejected(9, 10, "odd-length-cl-id", gpux::wire::Reason::price_band));

  const auto deliver = [&](const std::vector<std::size_t>& cuts) {
    gpux::client::FrameReader reader;
    std::vector<std::string> types;
    std::size_t at = 0;
    for (const std::size_t cut : cuts) {
      REQUIRE(reader.feed(std::span(stream).subspan(at, cut - at), [&](const gpux::wire::Envelope& env) {
        types.push_back(gpux::client::message_name(env.body_type()));
        if (const auto* s = env.body_as_BookSnapshot()) {
          CHECK(s->bids()->size() == 2);
          CHECK(s->bids()->Get(0)->price() == 21000);
        }
      }));
      at = cut;
    }
    return types;
  };
  const std::vector<std::string> expected{"login_accepted", "book_snapshot", "heartbeat", "rejected"};

  CHECK(deliver({stream.size()}) == expected);
  std::vector<std::size_t> every_byte;
  for (std::size_t i = 1; i <= stream.size(); ++i) every_byte.push_back(i);
  CHECK(deliver(every_byte) == expected);
  std::mt19937 rng(42);
  for (int round = 0; round < 50; ++round) {
    std::vector<std::size_t> cuts;
    for (std::size_t at = 0; at < stream.size();) {
      at = std::min(stream.size(), at + 1 + rng() % 40);
      cuts.push_back(at);
    }
    CHECK(deliver(cuts) == expected);
  }

  SECTION("a frame that is not a gpux envelope") {
    std::vector<std::uint8_t> bad(stream.begin(), stream.end());
    bad[4 + 4] = 'X';  // the file identifier of the first envelope
    gpux::client::FrameReader reader;
    CHECK_FALSE(reader.feed(bad, [](const gpux::wire::Envelope&) { FAIL("delivered a bad frame"); }));
    CHECK(reader.error().find("not a gpux envelope") != std::string::npos);
  }
  SECTION("a length above the limit") {
    gpux::client::FrameReader reader(64);
    const std::uint8_t header[4] = {0xff, 0xff, 0, 0};
    CHECK_FALSE(reader.feed(header, [](const gpux::wire::Envelope&) { FAIL("delivered a bad frame"); }));
    CHECK_FALSE(reader.error().empty());
  }
}

TEST_CASE("client and server: crossing orders fill both sides, market data, refused login", "[client]") {
  GPUX_EACH_BACKEND(backend, 20);
  InProcessServer server(backend, ServerSetup{});
  const std::string instrument = test_instrument();

  boost::asio::io_context io;
  Client x(io), y(io);
  Inbox xs, ys;
  xs.attach(x);
  ys.attach(y);
  REQUIRE(x.connect("127.0.0.1", server.port(), kWait));
  REQUIRE(y.connect("127.0.0.1", server.port(), kWait));
  REQUIRE(x.login("lab-x", "demo", false, kWait));
  REQUIRE(y.login("lab-y", "demo", false, kWait));
  CHECK(x.account() == "lab-x");
  CHECK(x.role() == gpux::wire::Role::trader);
  CHECK(x.heartbeat_ms() > 0);

  REQUIRE(y.subscribe(instrument));
  REQUIRE(y.run_until([&] { return ys.find("book_snapshot") != nullptr; }, kWait));
  const json& snapshot = *ys.find("book_snapshot");
  CHECK(snapshot["instrument"] == instrument);
  CHECK(snapshot["bids"].empty());
  CHECK(snapshot["asks"].empty());

  REQUIRE(x.send(limit(gpux::Side::sell, instrument, 21500, 32, "x-sell-1")));
  REQUIRE(x.run_until([&] { return xs.find("accepted") != nullptr; }, kWait));
  const std::int64_t sell_id = (*xs.find("accepted"))["order_id"];
  CHECK((*xs.find("accepted"))["cl_id"] == "x-sell-1");
  const auto resting_ask = [](const json& m) { return m["side"] == "sell" && m["price"] == "2.1500"; };
  REQUIRE(y.run_until([&] { return ys.find("book_update", resting_ask) != nullptr; }, kWait));
  CHECK((*ys.find("book_update", resting_ask))["qty"] == 32);
  CHECK((*ys.find("book_update", resting_ask))["orders"] == 1);

  REQUIRE(y.send(limit(gpux::Side::buy, instrument, 21500, 24, "y-buy-1")));
  REQUIRE(y.run_until([&] { return ys.find("fill") != nullptr && ys.find("public_trade") != nullptr; }, kWait));
  REQUIRE(x.run_until([&] { return xs.find("fill") != nullptr; }, kWait));
  const json& buyer = *ys.find("fill");
  CHECK(buyer["side"] == "buy");
  CHECK(buyer["aggressor"] == true);
  CHECK(buyer["price"] == "2.1500");
  CHECK(buyer["qty"] == 24);
  CHECK(buyer["leaves"] == 0);
  CHECK(buyer["order_id"] == (*ys.find("accepted"))["order_id"]);
  const json& seller = *xs.find("fill");
  CHECK(seller["side"] == "sell");
  CHECK(seller["aggressor"] == false);
  CHECK(seller["order_id"] == sell_id);
  CHECK(seller["qty"] == 24);
  CHECK(seller["leaves"] == 8);
  CHECK(seller["seq"] == buyer["seq"]);
  CHECK((*ys.find("public_trade"))["qty"] == 24);
  CHECK((*ys.find("public_trade"))["aggressor"] == "buy");
  const auto ask_left = [](const json& m) { return m["side"] == "sell" && m["qty"] == 8; };
  REQUIRE(y.run_until([&] { return ys.find("book_update", ask_left) != nullptr; }, kWait));

  // Only the trader's own orders are its business.
  CHECK(xs.find("public_trade") == nullptr);
  CHECK(xs.find("book_update") == nullptr);

  REQUIRE(x.cancel(gpux::client::OrderRef::client_id("x-sell-1")));
  REQUIRE(x.run_until([&] { return xs.find("canceled") != nullptr; }, kWait));
  CHECK((*xs.find("canceled"))["leaves"] == 8);
  CHECK((*xs.find("canceled"))["reason"] == "user");
  const auto ask_gone = [](const json& m) { return m["side"] == "sell" && m["orders"] == 0; };
  REQUIRE(y.run_until([&] { return ys.find("book_update", ask_gone) != nullptr; }, kWait));

  Client z(io);
  Inbox zs;
  zs.attach(z);
  REQUIRE(z.connect("127.0.0.1", server.port(), kWait));
  CHECK_FALSE(z.login("lab-z", "not-the-token", false, kWait));
  CHECK_FALSE(z.logged_in());
  REQUIRE(zs.find("login_refused") != nullptr);
  CHECK((*zs.find("login_refused"))["reason"] == "bad_credentials");
  CHECK(z.error().find("bad_credentials") != std::string::npos);
  // The server closes a refused session; the reason stays the refusal, not the close.
  REQUIRE(z.run_until([&] { return !z.connected(); }, kWait));
  CHECK(z.error().find("bad_credentials") != std::string::npos);
  CHECK_FALSE(z.send(limit(gpux::Side::buy, instrument, 21000, 8, "z-1")));
}

TEST_CASE("client heartbeats keep an idle session open, a server going away is reported", "[client]") {
  GPUX_EACH_BACKEND(backend, 20);
  gpux::gateway::SessionConfig config;
  config.heartbeat = 40ms;
  config.idle_timeout = 200ms;
  auto server = std::make_unique<InProcessServer>(backend, ServerSetup{config});

  boost::asio::io_context io;
  Client x(io);
  std::string closed_because;
  x.on_closed([&](const std::string& why) { closed_because = why; });
  REQUIRE(x.connect("127.0.0.1", server->port(), kWait));
  REQUIRE(x.login("lab-x", "demo", false, kWait));
  CHECK(x.heartbeat_ms() == 40);
  x.run_for(500ms);
  CHECK(x.connected());
  CHECK(closed_because.empty());

  server.reset();
  CHECK_FALSE(x.run_until([] { return false; }, kWait));
  CHECK_FALSE(x.connected());
  CHECK_FALSE(closed_because.empty());
  CHECK(x.error() == closed_because);
}

TEST_CASE("client: connecting where nothing listens fails with a message", "[client]") {
  Watchdog watchdog(std::chrono::seconds(20));
  boost::asio::io_context io;
  // Bound but not listening: connections to it are refused, and no one else can take it.
  boost::asio::ip::tcp::socket bound(io, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  Client c(io);
  CHECK_FALSE(c.connect("127.0.0.1", bound.local_endpoint().port(), kWait));
  CHECK_FALSE(c.connected());
  CHECK(c.error().find("cannot connect to 127.0.0.1:") != std::string::npos);
  CHECK_FALSE(c.login("lab-x", "demo", false, kWait));
  CHECK_FALSE(c.connect("127.0.0.1", bound.local_endpoint().port(), kWait));
  CHECK(c.error().find("connects once") != std::string::npos);
}
