// The web server of the web view (tools/web/web_server.hpp) over real sockets, without a gpuxd
// to feed it (its feed keeps retrying): the files and nothing else, a WebSocket client's
// snapshot, the bound on clients, and a client whose queue passes its bound is disconnected.
// Every socket operation has a deadline, and a watchdog aborts a hung test.
#include <utility>  // before anything that includes boost/asio (asio 1.74 with GCC 12, C++20)

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/watchdog.hpp"
#include "tools/web/web_server.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

namespace {

struct Root {
  std::filesystem::path dir;
  Root() {
    char pattern[] = "/tmp/gpux-web-test-XXXXXX";
    dir = mkdtemp(pattern);
    for (const char* f : {"index.html", "app.js", "style.css"}) std::ofstream(dir / f) << "<!-- " << f << " -->";
  }
  ~Root() { std::filesystem::remove_all(dir); }
};

gpux::web::WebOptions options(const Root& root) {
  gpux::web::WebOptions o;
  o.port = 0;
  o.web_root = root.dir.string();
  o.gpux_port = 1;  // nothing listens: the feed stays down
  o.products = {"H100.MEM1"};
  return o;
}

http::response<http::string_body> get(std::uint16_t port, const std::string& target, http::verb verb = http::verb::get) {
  asio::io_context io;
  beast::tcp_stream s(io);
  s.expires_after(5s);
  s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  http::request<http::empty_body> req{verb, target, 11};
  req.set(http::field::host, "127.0.0.1");
  http::write(s, req);
  beast::flat_buffer b;
  http::response<http::string_body> res;
  beast::error_code ec;
  http::read(s, b, res, ec);
  return res;
}

}  // namespace

TEST_CASE("web server: files, a snapshot over the WebSocket, the client bound", "[web_server]") {
  gpux::test::Watchdog dog(60s);
  Root root;
  gpux::web::WebOptions o = options(root);
  o.max_clients = 1;
  gpux::web::WebServer server(o);
  std::string error;
  REQUIRE(server.start(error));
  REQUIRE(server.port() != 0);

  auto res = get(server.port(), "/");
  CHECK(res.result() == http::status::ok);
  CHECK(res.body() == "<!-- index.html -->");
  CHECK(get(server.port(), "/app.js").body() == "<!-- app.js -->");
  CHECK(get(server.port(), "/../CMakeLists.txt").result() == http::status::not_found);
  CHECK(get(server.port(), "/", http::verb::post).result() == http::status::method_not_allowed);

  asio::io_context io;
  websocket::stream<beast::tcp_stream> ws(io);
  beast::get_lowest_layer(ws).expires_after(5s);
  beast::get_lowest_layer(ws).connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server.port()));
  ws.handshake("127.0.0.1", "/ws");
  beast::flat_buffer b;
  ws.read(b);
  const nlohmann::json snap = nlohmann::json::parse(beast::buffers_to_string(b.data()));
  CHECK(snap["type"] == "snapshot");
  CHECK(snap["connected"] == false);
  CHECK(snap["products"] == nlohmann::json({"H100.MEM1"}));

  // A second client is past max_clients: 503, no WebSocket.
  websocket::stream<beast::tcp_stream> second(io);
  beast::get_lowest_layer(second).expires_after(5s);
  beast::get_lowest_layer(second).connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server.port()));
  beast::error_code ec;
  second.handshake("127.0.0.1", "/ws", ec);
  CHECK(ec == websocket::error::upgrade_declined);  // answered 503

  // A quote while the feed is down is answered at once.
  ws.write(asio::buffer(std::string(R"({"quote":{"instrument":"H100.MEM1@2026-12-15T00Z+24h","side":"buy","qty":8}})")));
  b.consume(b.size());
  ws.read(b);
  const nlohmann::json q = nlohmann::json::parse(beast::buffers_to_string(b.data()));
  CHECK(q["type"] == "quote");
  CHECK(q["ok"] == false);
  CHECK(q["reason"] == "not_connected");
  server.stop();
}

TEST_CASE("web server: a client whose queue passes its bound is disconnected", "[web_server]") {
  gpux::test::Watchdog dog(60s);
  Root root;
  gpux::web::WebOptions o = options(root);
  o.max_queued_bytes = 16;  // less than the snapshot: the first message already passes it
  gpux::web::WebServer server(o);
  std::string error;
  REQUIRE(server.start(error));
  asio::io_context io;
  websocket::stream<beast::tcp_stream> ws(io);
  beast::get_lowest_layer(ws).expires_after(5s);
  beast::get_lowest_layer(ws).connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server.port()));
  ws.handshake("127.0.0.1", "/ws");
  beast::flat_buffer b;
  beast::error_code ec;
  ws.read(b, ec);
  CHECK(ec);  // closed without a message
  // Others are unaffected: the page is still served.
  CHECK(get(server.port(), "/style.css").result() == http::status::ok);
  server.stop();
}

TEST_CASE("web server: a port in use or a missing page is an error at start", "[web_server]") {
  Root root;
  gpux::web::WebServer first(options(root));
  std::string error;
  REQUIRE(first.start(error));
  gpux::web::WebOptions o = options(root);
  o.port = first.port();
  gpux::web::WebServer second(o);
  CHECK_FALSE(second.start(error));
  CHECK(error.find("cannot listen") != std::string::npos);
  o = options(root);
  o.web_root = (root.dir / "nope").string();
  gpux::web::WebServer third(o);
  CHECK_FALSE(third.start(error));
  CHECK(error.find("index.html") != std::string::npos);
}
