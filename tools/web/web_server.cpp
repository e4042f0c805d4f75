#include "tools/web/web_server.hpp"

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <thread>

#include "engine/symbol.hpp"
#include "tools/client/client.hpp"
#include "tools/web/mirror.hpp"
#include "tools/web/out_queue.hpp"

namespace gpux::web {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

std::vector<StaticFile> static_files() {
  return {{"/", "index.html", "text/html; charset=utf-8"},
          {"/index.html", "index.html", "text/html; charset=utf-8"},
          {"/app.js", "app.js", "text/javascript; charset=utf-8"},
          {"/style.css", "style.css", "text/css; charset=utf-8"}};
}

const StaticFile* find_static(std::string_view target) {
  static const std::vector<StaticFile> files = static_files();
  if (const auto q = target.find('?'); q != std::string_view::npos) target = target.substr(0, q);
  for (const StaticFile& f : files)
    if (target == f.path) return &f;
  return nullptr;
}

namespace {


std::int64_t now_hour() {
  const auto s = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
  return s.count() / 3600;
}

}  // namespace

struct WsSession;
struct HttpSession;

struct WebServer::Impl : std::enable_shared_from_this<Impl> {
  explicit Impl(WebOptions o) : options(std::move(o)), mirror(options.products), acceptor(io), tick(io) {}

  WebOptions options;
  std::map<std::string, std::string> files;  // file name -> bytes, read at start

  // Shared by the two threads: the mirror, behind `lock`.
  std::mutex lock;
  Mirror mirror;

  // The web thread.
  asio::io_context io;
  tcp::acceptor acceptor;
  asio::steady_timer tick;
  std::map<std::uint64_t, std::weak_ptr<WsSession>> clients;
  std::map<std::uint64_t, std::weak_ptr<HttpSession>> http_sessions;
  std::uint64_t next_id = 1;
  std::thread web_thread;
  std::atomic<bool> web_done{false};

  // The feed thread.
  asio::io_context feed_io;
  std::thread feed_thread;
  std::atomic<bool> stopping{false};
  struct QuoteAsk {
    std::uint64_t client;
    std::string instrument;
    Side side;
    Qty qty;
  };
  std::deque<QuoteAsk> quotes;  // the first is in flight when quote_in_flight
  bool quote_in_flight = false;
  client::Client* feed = nullptr;

  void log(const std::string& text) {
    if (options.log) options.log("web: " + text);
  }

  void accept();
  void push_tick();
  void deliver(std::uint64_t client, std::string json);
  void ask_quote(std::uint64_t client, std::string instrument, Side side, Qty qty);
  void send_next_quote();
  void answer_quote(std::string json);
  void feed_loop();
  std::vector<std::string> windows() const;
};

// ---- WebSocket clients ------------------------------------------------------------------------

struct WsSession : std::enable_shared_from_this<WsSession> {
  WsSession(std::shared_ptr<WebServer::Impl> server, tcp::socket socket, std::uint64_t id)
      : server(std::move(server)), ws(std::move(socket)), queue(this->server->options.max_queued_bytes), id(id) {}

  std::shared_ptr<WebServer::Impl> server;
  websocket::stream<beast::tcp_stream> ws;
  beast::flat_buffer in;
  OutQueue queue;
  std::uint64_t id;
  bool writing = false;
  bool closed = false;
  std::chrono::steady_clock::time_point last_quote{};

  void run(http::request<http::empty_body> request) {
    beast::get_lowest_layer(ws).expires_never();
    ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws.read_message_max(server->options.max_message_bytes);
    ws.async_accept(request, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->close();
      self->server->clients[self->id] = self;
      std::string snapshot;
      {
        std::lock_guard guard(self->server->lock);
        snapshot = self->server->mirror.snapshot_json();
      }
      self->send(std::make_shared<const std::string>(std::move(snapshot)));
      self->read();
    });
  }

  void send(std::shared_ptr<const std::string> message) {
    if (closed) return;
    if (!queue.push(std::move(message))) {
      server->log("disconnecting a slow web client (" + std::to_string(queue.bytes()) + " bytes queued)");
      return close();
    }
    write();
  }

  void write() {
    if (writing || closed || queue.empty()) return;
    writing = true;
    ws.text(true);
    ws.async_write(asio::buffer(queue.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->writing = false;
      if (ec) return self->close();
      self->queue.pop();
      self->write();
    });
  }

  void read() {
    ws.async_read(in, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->close();
      const std::string text = beast::buffers_to_string(self->in.data());
      self->in.consume(self->in.size());
      self->request(text);
      self->read();
    });
  }

  // {"quote":{"instrument":"H100.MEM1@2026-12-06T00Z+72h","side":"buy","qty":64}}
  void request(const std::string& text) {
    const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("quote") || !j["quote"].is_object()) return;
    const nlohmann::json& q = j["quote"];
    const auto refuse = [&](std::string_view why) {
      send(std::make_shared<const std::string>(quote_refused_json(why)));
    };
    if (!q.contains("instrument") || !q["instrument"].is_string() || !q.contains("qty") ||
        !q["qty"].is_number_integer())
      return refuse("bad_request");
    const std::string instrument = q["instrument"].get<std::string>();
    const std::int64_t qty = q["qty"].get<std::int64_t>();
    const bool sell = q.contains("side") && q["side"] == "sell";
    Symbol sym;
    if (instrument.size() > 64 || !parse_symbol(instrument, sym)) return refuse("unknown_instrument");
    if (qty <= 0 || qty > 1'000'000) return refuse("bad_qty");
    // One quote every 200 ms per page: each is priced by the engine thread.
    const auto now = std::chrono::steady_clock::now();
    if (now - last_quote < std::chrono::milliseconds(200)) return refuse("throttled");
    last_quote = now;
    server->ask_quote(id, instrument, sell ? Side::sell : Side::buy, qty);
  }

  void close() {
    if (closed) return;
    closed = true;
    server->clients.erase(id);
    beast::error_code ignored;
    beast::get_lowest_layer(ws).socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(ws).close();
  }
};

// ---- HTTP -------------------------------------------------------------------------------------

struct HttpSession : std::enable_shared_from_this<HttpSession> {
  HttpSession(std::shared_ptr<WebServer::Impl> server, tcp::socket socket, std::uint64_t id)
      : server(std::move(server)), stream(std::move(socket)), id(id) {}
  ~HttpSession() { server->http_sessions.erase(id); }

  std::shared_ptr<WebServer::Impl> server;
  beast::tcp_stream stream;
  std::uint64_t id;
  beast::flat_buffer buffer;
  std::optional<http::request_parser<http::empty_body>> parser;
  std::shared_ptr<void> response;  // kept alive while it is written

  void read() {
    parser.emplace();
    parser->header_limit(static_cast<std::uint32_t>(server->options.max_request_bytes));
    parser->body_limit(0);
    stream.expires_after(std::chrono::seconds(15));
    http::async_read(stream, buffer, *parser, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) {
        beast::error_code ignored;
        self->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        return;
      }
      self->handle(self->parser->release());
    });
  }

  template <class Body>
  void reply(http::response<Body>&& res) {
    auto r = std::make_shared<http::response<Body>>(std::move(res));
    response = r;
    http::async_write(stream, *r, [self = shared_from_this(), close = r->need_eof()](beast::error_code ec, std::size_t) {
      self->response.reset();
      if (ec || close) {
        beast::error_code ignored;
        self->stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
        return;
      }
      self->read();
    });
  }

  void simple(const http::request<http::empty_body>& req, http::status status, std::string text) {
    http::response<http::string_body> res{status, req.version()};
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    res.keep_alive(req.keep_alive());
    res.body() = std::move(text);
    res.prepare_payload();
    reply(std::move(res));
  }

  void handle(http::request<http::empty_body> req) {
    if (req.target() == "/ws" && websocket::is_upgrade(req)) {
      if (server->clients.size() >= server->options.max_clients) {
        server->log("refusing a web client: " + std::to_string(server->clients.size()) + " connected (the bound)");
        return simple(req, http::status::service_unavailable, "too many web clients\n");
      }
      auto ws = std::make_shared<WsSession>(server, stream.release_socket(), server->next_id++);
      ws->run(std::move(req));
      return;
    }
    if (req.method() != http::verb::get && req.method() != http::verb::head)
      return simple(req, http::status::method_not_allowed, "read only\n");
    const StaticFile* f = find_static(std::string_view(req.target().data(), req.target().size()));
    if (f == nullptr) return simple(req, http::status::not_found, "not found\n");
    http::response<http::string_body> res{http::status::ok, req.version()};
    res.set(http::field::content_type, f->content_type);
    res.set(http::field::cache_control, "no-cache");
    res.set("X-Content-Type-Options", "nosniff");
    res.set("Content-Security-Policy", "default-src 'self'; connect-src 'self' ws: wss:");
    res.keep_alive(req.keep_alive());
    if (req.method() == http::verb::get) res.body() = server->files[f->file];
    res.prepare_payload();
    if (req.method() == http::verb::head) res.content_length(server->files[f->file].size());
    reply(std::move(res));
  }
};

// ---- the web thread ---------------------------------------------------------------------------

void WebServer::Impl::accept() {
  acceptor.async_accept([self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !self->acceptor.is_open()) return;
    if (!ec) {
      if (self->http_sessions.size() >= self->options.max_http_connections) {
        beast::error_code ignored;
        socket.close(ignored);
      } else {
        const std::uint64_t id = self->next_id++;
        auto h = std::make_shared<HttpSession>(self, std::move(socket), id);
        self->http_sessions[id] = h;
        h->read();
      }
    }
    self->accept();
  });
}

void WebServer::Impl::push_tick() {
  tick.expires_after(options.push_interval);
  tick.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec || self->stopping) return;
    std::string delta;
    {
      std::lock_guard guard(self->lock);
      delta = self->mirror.take_delta_json();
    }
    if (!delta.empty()) {
      const auto message = std::make_shared<const std::string>(std::move(delta));
      std::vector<std::shared_ptr<WsSession>> live;
      for (auto& [id, weak] : self->clients)
        if (auto s = weak.lock()) live.push_back(std::move(s));
      for (auto& s : live) s->send(message);
    }
    self->push_tick();
  });
}

void WebServer::Impl::deliver(std::uint64_t client, std::string json) {
  asio::post(io, [self = shared_from_this(), client, json = std::move(json)]() mutable {
    const auto it = self->clients.find(client);
    if (it == self->clients.end()) return;
    if (auto s = it->second.lock()) s->send(std::make_shared<const std::string>(std::move(json)));
  });
}

// ---- the feed thread --------------------------------------------------------------------------

// Called on the web thread: the quote goes to the feed thread, its answer comes back.
void WebServer::Impl::ask_quote(std::uint64_t client, std::string instrument, Side side, Qty qty) {
  asio::post(feed_io, [self = shared_from_this(), client, instrument = std::move(instrument), side, qty]() mutable {
    if (self->quotes.size() >= self->options.max_clients) {
      self->deliver(client, quote_refused_json("busy"));
      return;
    }
    self->quotes.push_back({client, std::move(instrument), side, qty});
    self->send_next_quote();
  });
}

void WebServer::Impl::send_next_quote() {
  while (!quote_in_flight && !quotes.empty()) {
    const QuoteAsk& q = quotes.front();
    if (feed != nullptr && feed->logged_in() && feed->quote(q.instrument, q.side, q.qty)) {
      quote_in_flight = true;
      return;
    }
    deliver(q.client, quote_refused_json("not_connected"));
    quotes.pop_front();
  }
}

void WebServer::Impl::answer_quote(std::string json) {
  if (!quote_in_flight || quotes.empty()) return;
  deliver(quotes.front().client, std::move(json));
  quotes.pop_front();
  quote_in_flight = false;
  send_next_quote();
}

std::vector<std::string> WebServer::Impl::windows() const {
  std::vector<std::string> out;
  const std::int64_t today = now_hour() / 24;
  for (const std::string& p : options.products)
    for (int d = 1; d <= options.window_days; ++d) out.push_back(format_symbol(p, (today + d) * 24, 24));
  return out;
}

void WebServer::Impl::feed_loop() {
  bool was_up = false;
  std::string last_error;
  while (!stopping) {
    client::Client c(feed_io);
    c.on_message([&](const wire::Envelope& env) {
      if (const auto* q = env.body_as_QuoteReply()) return answer_quote(quote_json(*q));
      if (const auto* r = env.body_as_ProtocolReject()) {
        const std::string_view text = flatbuffers::GetStringView(r->text());
        if (quote_in_flight && (text.find("quote") != std::string_view::npos || r->reason() == wire::Reason::in_progress ||
                                r->reason() == wire::Reason::server_busy ||
                                r->reason() == wire::Reason::journal_unavailable))
          answer_quote(quote_refused_json(wire::EnumNameReason(r->reason())));
        else
          log(std::string("gpuxd refused a request of the feed: ") + wire::EnumNameReason(r->reason()));
        return;
      }
      std::lock_guard guard(lock);
      mirror.apply(env);
    });
    std::vector<std::string> followed;
    const bool up = c.connect(options.gpux_host, options.gpux_port, std::chrono::seconds(1)) && c.login_market_data();
    if (up) {
      feed = &c;
      bool ok = true;
      for (const std::string& p : options.products) ok = ok && c.subscribe_hours(p);
      followed = windows();
      for (const std::string& w : followed) ok = ok && c.subscribe(w);
      {
        std::lock_guard guard(lock);
        mirror.set_windows(followed);
        mirror.set_connected(ok);
      }
      log("feed logged in to " + options.gpux_host + ":" + std::to_string(options.gpux_port) + " as a market-data session" +
          ", following " + std::to_string(options.products.size()) + " products' hour books and " +
          std::to_string(followed.size()) + " windows");
      was_up = true;
      last_error.clear();
      // Runs until the connection ends or stop(); every minute, the days' windows move on.
      while (!stopping && c.connected()) {
        c.run_until([&] { return stopping.load(); }, std::chrono::seconds(60));
        if (stopping || !c.connected()) break;
        std::vector<std::string> next = windows();
        if (next != followed) {
          for (const std::string& w : followed)
            if (std::find(next.begin(), next.end(), w) == next.end()) c.unsubscribe(w);
          for (const std::string& w : next)
            if (std::find(followed.begin(), followed.end(), w) == followed.end()) c.subscribe(w);
          followed = std::move(next);
          std::lock_guard guard(lock);
          mirror.set_windows(followed);
        }
      }
      feed = nullptr;
    }
    if (stopping) break;
    {
      std::lock_guard guard(lock);
      mirror.set_connected(false);
    }
    // Quotes waiting for this connection will not be answered by it.
    quote_in_flight = false;
    while (!quotes.empty()) {
      deliver(quotes.front().client, quote_refused_json("not_connected"));
      quotes.pop_front();
    }
    if (was_up || c.error() != last_error) log("feed to gpuxd: " + (c.error().empty() ? "closed" : c.error()) + "; retrying every second");
    was_up = false;
    last_error = c.error();
    c.close();
    for (int i = 0; i < 20 && !stopping; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      feed_io.restart();
      feed_io.poll();
    }
  }
  feed = nullptr;
}

// ---- WebServer --------------------------------------------------------------------------------

WebServer::WebServer(WebOptions options) : impl_(std::make_shared<Impl>(std::move(options))) {}
WebServer::~WebServer() { stop(); }

std::uint16_t WebServer::port() const {
  beast::error_code ec;
  const auto ep = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

bool WebServer::start(std::string& error) {
  Impl& s = *impl_;
  for (const StaticFile& f : static_files()) {
    if (s.files.contains(f.file)) continue;
    const std::string path = s.options.web_root + "/" + f.file;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      error = "cannot read " + path + " (--web-root names the folder of the page)";
      return false;
    }
    std::stringstream text;
    text << in.rdbuf();
    s.files[f.file] = text.str();
  }
  beast::error_code ec;
  const auto address = asio::ip::make_address(s.options.host, ec);
  if (ec) {
    error = "--web-host " + s.options.host + ": " + ec.message();
    return false;
  }
  const tcp::endpoint endpoint(address, s.options.port);
  s.acceptor.open(endpoint.protocol(), ec);
  if (!ec) s.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor.bind(endpoint, ec);
  if (!ec) s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    error = "cannot listen on " + s.options.host + ":" + std::to_string(s.options.port) + ": " + ec.message();
    return false;
  }
  s.accept();
  s.push_tick();
  s.web_thread = std::thread([impl = impl_] {
    impl->io.run();
    impl->web_done = true;
  });
  s.feed_thread = std::thread([impl = impl_] { impl->feed_loop(); });
  return true;
}

void WebServer::stop() {
  Impl& s = *impl_;
  if (s.stopping.exchange(true)) return;
  // The feed first: its run_until wakes on this and sees `stopping`. Then what was posted to
  // it runs (quote requests answer nothing now), so no handler keeps the server alive.
  asio::post(s.feed_io, [] {});
  if (s.feed_thread.joinable()) s.feed_thread.join();
  s.feed_io.restart();
  s.feed_io.poll();
  s.quotes.clear();
  if (!s.web_thread.joinable()) return;
  // Then every connection closes, and the web thread's io_context runs out of work.
  asio::post(s.io, [impl = impl_] {
    beast::error_code ignored;
    impl->acceptor.close(ignored);
    impl->tick.cancel();
    std::vector<std::shared_ptr<WsSession>> ws;
    for (auto& [id, weak] : impl->clients)
      if (auto c = weak.lock()) ws.push_back(std::move(c));
    for (auto& c : ws) c->close();
    std::vector<std::shared_ptr<HttpSession>> http;
    for (auto& [id, weak] : impl->http_sessions)
      if (auto h = weak.lock()) http.push_back(std::move(h));
    for (auto& h : http) h->stream.close();
  });
  for (int i = 0; i < 100 && !s.web_done; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  s.io.stop();
  s.web_thread.join();
}

}  // namespace gpux::web
