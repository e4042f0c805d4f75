// The transports over loopback, every backend through the same Transport interface: echo
// integrity under arbitrary fragmentation, many connections, close with flush, slow
// consumers, peer resets, wake/stop from other threads, and bind failures.
// The handler runs on the transport's thread and only records (Catch2 is not thread-safe);
// clients are blocking POSIX sockets with timeouts, and a watchdog aborts a hung test.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>

#include "tests/support/watchdog.hpp"
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "gateway/transport/transport.hpp"

using namespace gpux::gateway;
using namespace std::chrono_literals;

namespace {

using Factory = std::function<std::unique_ptr<Transport>(const TransportConfig&)>;
using Bytes = std::vector<std::uint8_t>;

std::vector<std::pair<const char*, Factory>> backends() {
  std::vector<std::pair<const char*, Factory>> list;
  list.emplace_back("epoll", [](const TransportConfig& config) { return make_epoll_transport(config); });
#ifdef GPUX_HAVE_URING_TRANSPORT
  // Kernels or sandboxes that refuse io_uring get the epoll tests only.
  int error = 0;
  if (make_uring_transport(TransportConfig{}, error)) {
    list.emplace_back("uring", [](const TransportConfig& config) {
      int ignored = 0;
      return make_uring_transport(config, ignored);
    });
  }
#endif
  return list;
}

using gpux::test::Watchdog;

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds limit = 3000ms) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

Bytes pattern(std::size_t n, std::uint32_t seed) {
  Bytes out(n);
  std::mt19937 rng(seed);
  for (auto& b : out) b = static_cast<std::uint8_t>(rng());
  return out;
}

// "" when equal, else where they part: Catch2 would print a megabyte vector byte by byte.
std::string mismatch(const Bytes& got, const Bytes& want) {
  if (got == want) return "";
  const auto [g, w] = std::mismatch(got.begin(), got.end(), want.begin(), want.end());
  return "got " + std::to_string(got.size()) + " bytes, want " + std::to_string(want.size()) +
         ", first difference at " + std::to_string(g - got.begin());
}

// Records what the transport reports and checks its promises (no data or second on_closed
// for a connection that is not open); the behaviour under test goes in the hooks.
class TestHandler : public TransportHandler {
 public:
  std::function<void(ConnId)> open_hook;
  std::function<void(ConnId, std::span<const std::uint8_t>)> data_hook;  // default: echo
  std::function<void()> tick_hook;

  void attach(Transport& transport, std::uint32_t max_connections) {
    transport_ = &transport;
    live_.assign(max_connections, false);
  }
  Transport& transport() { return *transport_; }

  void on_open(ConnId conn) override {
    if (conn >= live_.size() || live_[conn]) ++violations;
    if (conn < live_.size()) live_[conn] = true;
    ++opened;
    if (open_hook) open_hook(conn);
  }
  void on_data(ConnId conn, std::span<const std::uint8_t> bytes) override {
    if (conn >= live_.size() || !live_[conn] || bytes.empty()) ++violations;
    if (data_hook) {
      data_hook(conn, bytes);
    } else if (!transport_->send(conn, bytes)) {
      ++send_failures;
    }
  }
  void on_closed(ConnId conn) override {
    if (conn >= live_.size() || !live_[conn]) ++violations;
    if (conn < live_.size()) live_[conn] = false;
    ++closed;
  }
  void on_tick() override {
    ++ticks;
    if (tick_hook) tick_hook();
  }

  std::atomic<int> opened{0}, closed{0}, ticks{0}, violations{0}, send_failures{0};

 private:
  Transport* transport_ = nullptr;
  std::vector<bool> live_;  // transport thread only
};

// A transport listening on 127.0.0.1, some free port, running on its own thread until the
// end of scope.
class Server {
 public:
  Server(const Factory& make, TransportConfig config, TestHandler& handler) {
    config.host = "127.0.0.1";
    config.port = 0;
    transport_ = make(config);
    REQUIRE(transport_);
    REQUIRE(transport_->listen() == 0);
    REQUIRE(transport_->port() != 0);
    handler.attach(*transport_, config.max_connections);
    thread_ = std::thread([this, &handler] {
      transport_->run(handler);
      returned_ = true;
    });
  }
  ~Server() { stop(); }
  void stop() {
    if (!thread_.joinable()) return;
    transport_->stop();
    thread_.join();
  }
  bool returned() const { return returned_; }
  Transport& transport() { return *transport_; }
  std::uint16_t port() const { return transport_->port(); }

 private:
  std::unique_ptr<Transport> transport_;
  std::thread thread_;
  std::atomic<bool> returned_{false};
};

class Client {
 public:
  // `rcvbuf` > 0 shrinks the receive buffer (and so the advertised window) before connecting.
  explicit Client(std::uint16_t port, int rcvbuf = 0) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    REQUIRE(fd_ >= 0);
    const int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (rcvbuf > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    // Connected before the timeouts are set: without one, an interrupted connect restarts.
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    const timeval timeout{3, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  }
  ~Client() { close(); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool send(const std::uint8_t* data, std::size_t n) {
    while (n > 0) {
      const ssize_t k = ::send(fd_, data, n, MSG_NOSIGNAL);
      if (k < 0 && errno == EINTR) continue;
      if (k <= 0) return false;
      data += k;
      n -= static_cast<std::size_t>(k);
    }
    return true;
  }
  bool send(const Bytes& bytes) { return send(bytes.data(), bytes.size()); }
  bool send(const char* text) { return send(reinterpret_cast<const std::uint8_t*>(text), std::strlen(text)); }

  // EINTR is retried everywhere: a socket call with a timeout is not restarted after an
  // interruption, and a thread that has used io_uring gets spurious ones (the kernel's
  // teardown of a ring runs task work on its creator, flagged like a signal).

  // Up to `n` bytes, fewer on EOF, error or timeout.
  Bytes recv(std::size_t n) {
    Bytes out(n);
    std::size_t got = 0;
    while (got < n) {
      const ssize_t k = ::recv(fd_, out.data() + got, n - got, 0);
      if (k < 0 && errno == EINTR) continue;
      if (k <= 0) break;
      got += static_cast<std::size_t>(k);
    }
    out.resize(got);
    return out;
  }
  // 0 on EOF, -errno on error (ECONNRESET; EAGAIN on timeout), else the byte count.
  ssize_t recv_some() {
    std::uint8_t buffer[4096];
    ssize_t k;
    do k = ::recv(fd_, buffer, sizeof buffer, 0);
    while (k < 0 && errno == EINTR);
    return k < 0 ? -errno : k;
  }

  void shutdown_write() { ::shutdown(fd_, SHUT_WR); }

  // RST instead of FIN, dropping whatever is unsent or unread.
  void reset() {
    const linger abortive{1, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &abortive, sizeof abortive);
    close();
  }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

}  // namespace

TEST_CASE("transport: echo of 1 MB sent in random fragments", "[transport]") {
  for (const auto& [name, make] : backends()) {
    INFO("backend " << name);
    Watchdog dog(30s);
    TestHandler handler;
    Server server(make, {}, handler);
    Client client(server.port());

    const Bytes payload = pattern(1 << 20, 1);
    Bytes echoed;
    std::thread reader([&] { echoed = client.recv(payload.size()); });
    std::mt19937 rng(2);
    std::size_t sent = 0;
    bool send_ok = true;
    while (sent < payload.size() && send_ok) {
      // Half the writes are single bytes: the worst case for reassembly.
      std::size_t n = rng() % 2 ? 1 : 1 + rng() % 7000;
      n = std::min(n, payload.size() - sent);
      send_ok = client.send(payload.data() + sent, n);
      sent += n;
    }
    reader.join();
    CHECK(send_ok);
    CHECK(mismatch(echoed, payload) == "");
    client.close();
    CHECK(eventually([&] { return handler.closed == 1; }));
    server.stop();
    CHECK(server.returned());
    CHECK(handler.opened == 1);
    CHECK(handler.closed == 1);
    CHECK(handler.violations == 0);
    CHECK(handler.send_failures == 0);
  }
}

TEST_CASE("transport: 64 concurrent connections, each echoed independently", "[transport]") {
  constexpr int kClients = 64;
  constexpr std::size_t kBytes = 8 << 10;
  for (const auto& [name, make] : backends()) {
    INFO("backend " << name);
    Watchdog dog(30s);
    TestHandler handler;
    Server server(make, {.max_connections = 128}, handler);

    std::vector<std::unique_ptr<Client>> clients;
    for (int i = 0; i < kClients; ++i) clients.push_back(std::make_unique<Client>(server.port()));
    CHECK(eventually([&] { return handler.opened == kClients; }));
    // All send before any reads, so every connection has bytes in flight at once.
    for (int i = 0; i < kClients; ++i) CHECK(clients[i]->send(pattern(kBytes, 100 + i)));
    for (int i = 0; i < kClients; ++i) CHECK(mismatch(clients[i]->recv(kBytes), pattern(kBytes, 100 + i)) == "");
    clients.clear();
    CHECK(eventually([&] { return handler.closed == kClients; }));
    server.stop();
    CHECK(handler.opened == kClients);
    CHECK(handler.closed == kClients);
    CHECK(handler.violations == 0);
  }
}

TEST_CASE("transport: ids stay below max_connections and are reused, extra connections are refused",
          "[transport]") {
  for (const auto& [name, make] : backends()) {
    INFO("backend " << name);
    Watchdog dog(30s);
    TestHandler handler;
    std::set<ConnId> ids;  // transport thread until the server stops
    handler.open_hook = [&](ConnId conn) { ids.insert(conn); };
    Server server(make, {.max_connections = 2}, handler);

    for (int round = 0; round < 4; ++round) {
      Client a(server.port()), b(server.port());
      CHECK(eventually([&] { return handler.opened == 2 * (round + 1); }));
      Client extra(server.port());
      CHECK(extra.recv_some() <= 0);  // closed by the server: EOF or reset, not a timeout
      CHECK(a.send("ping"));
      CHECK(a.recv(4).size() == 4);
      a.close();
      b.close();
      CHECK(eventually([&] { return handler.closed == 2 * (round + 1); }));
    }
    server.stop();
    CHECK(handler.violations == 0);
    CHECK(ids.size() <= 2);
    for (ConnId id : ids) CHECK(id < 2);
  }
}

TEST_CASE("transport: close with flush delivers everything queued, then EOF", "[transport]") {
  for (const auto& [name, make] : backends()) {
    INFO("backend " << name);
    Watchdog dog(30s);
    const Bytes message = pattern(1 << 20, 7);
    std::atomic<int> sends_after_close_accepted{0};
    TestHandler handler;
    handler.open_hook = [&](ConnId conn) {
      // Two sends, so that the second is queued behind a write in flight.
      const std::span<const std::uint8_t> all(message);
      handler.transport().send(conn, all.first(1000));
      handler.transport().send(conn, all.subspan(1000));
      handler.transport().close(conn, true);
      if (handler.transport().send(conn, all.first(1))) ++sends_after_close_accepted;
    };
    Server server(make, {}, handler);

    Client client(server.port());
    CHECK(mismatch(client.recv(message.size() + 1), message) == "");  // +1: the read ends at EOF
    CHECK(client.recv_some() == 0);
    CHECK(eventually([&] { return handler.closed == 1; }));
    server.stop();
    CHECK(sends_after_close_accepted == 0);
    CHECK(handler.violations == 0);
  }
}

TEST_CASE("transport: close with flush answers a client that has half-closed", "[transport]") {
  for (const auto& [name, make] : backends()) {
    INFO("backend " << name);
    Watchdog dog(30s);
    const Bytes answer = pattern(1 << 20, 8);
    TestHandler handler;
    handler.data_hook = [&](ConnId conn, std::span<const std::uint8_t>) {
      handler.transport().send(conn, answer);
      handler.transport().close(conn, true);
    };
    Server server(make, {}, handler);

    Client client(server.port());
    CHECK(client.send("request"));
    client.shutdown_write();  // its EOF reaches the server while the answer is still queued
    CHECK(mismatch(client.recv(answer.size() + 1), answer) == "");
    CHECK(eventually([&] { return handler.closed == 1; }));
    server.stop();
    CHECK(handler.violations == 0);
  }
}

TEST_CASE("transport: close without flush drops the connection at once", "[transport]") {
  for (const auto& [name, make] : backends()) {
    INFO("backend " << name);
    Watchdog dog(30s);
    TestHandler handler;
    handler.data_hook = [&](ConnId conn, std::span<const std::uint8_t>) {
      handler.transport().close(conn, false);
      handler.transport().close(conn, false);  // a second close is harmless
    };
    Server server(make, {}, handler);

    Client client(server.port());
    CHECK(client.send("x"));
    const ssize_t result = client.recv_some();
    CHECK((result == 0 || result == -ECONNRESET));
    CHECK(eventually([&] { return handler.closed == 1; }));
    server.stop();
    CHECK(handler.closed == 1);
    CHECK(handler.violations == 0);
  }
}

TEST_CASE("transport: a slow consumer fills its queue and is cut off, others are unaffected",
          "[transport]") {
  for (const auto& [name, make] : backends()) {
    INFO("backend " << name);
    Watchdog dog(30s);
    const Bytes chunk(64 << 10, 0xab);
    // The first byte a connection sends picks its role: 'S' never reads, the rest echo.
    std::optional<ConnId> hog_conn;  // transport thread only
    std::set<ConnId> seen;           // transport thread only
    std::atomic<int> hog_accepted_chunks{0}, hog_rejected{0};

    TestHandler handler;
    handler.data_hook = [&](ConnId conn, std::span<const std::uint8_t> bytes) {
      if (seen.insert(conn).second && bytes[0] == 'S') {
        hog_conn = conn;
      } else if (!handler.transport().send(conn, bytes)) {
        ++handler.send_failures;
      }
    };
    handler.tick_hook = [&] {
      // A few chunks per tick, like an engine producing faster than the peer reads.
      for (int i = 0; i < 4 && hog_conn; ++i) {
        if (handler.transport().send(*hog_conn, chunk)) {
          ++hog_accepted_chunks;
        } else {
          ++hog_rejected;
          handler.transport().close(*hog_conn, false);
          hog_conn.reset();
        }
      }
    };
    Server server(make, {.max_queued_bytes = 256 << 10, .tick_ms = 1}, handler);

    const auto echo_round = [&](std::vector<std::unique_ptr<Client>>& clients, std::uint32_t seed) {
      for (std::size_t i = 0; i < clients.size(); ++i) {
        Bytes data = pattern(100 << 10, seed + static_cast<std::uint32_t>(i));
        data[0] = 'E';
        CHECK(clients[i]->send(data));
        CHECK(mismatch(clients[i]->recv(data.size()), data) == "");
      }
    };
    std::vector<std::unique_ptr<Client>> others;
    for (int i = 0; i < 3; ++i) others.push_back(std::make_unique<Client>(server.port()));
    Client hog(server.port(), 4096);
    CHECK(hog.send("S"));
    echo_round(others, 300);
    CHECK(eventually([&] { return hog_rejected == 1; }));
    CHECK(eventually([&] { return handler.closed == 1; }));
    // The hog's connection is gone: it reads what the kernel held, then EOF or reset.
    ssize_t result = 1;
    while (result > 0) result = hog.recv_some();
    CHECK((result == 0 || result == -ECONNRESET));
    echo_round(others, 400);

    server.stop();
    CHECK(hog_rejected == 1);
    CHECK(hog_accepted_chunks >= 4);  // at least max_queued_bytes went in before the refusal
    CHECK(handler.send_failures == 0);
    CHECK(handler.closed == 4);
    CHECK(handler.violations == 0);
  }
}

TEST_CASE("transport: peer resets and abrupt closes mid-stream", "[transport]") {
  constexpr int kRounds = 10;
  for (const auto& [name, make] : backends()) {
    INFO("backend " << name);
    Watchdog dog(30s);
    const Bytes burst = pattern(1 << 20, 9);
    TestHandler handler;
    handler.data_hook = [&](ConnId conn, std::span<const std::uint8_t> bytes) {
      // 'B' asks for a burst the client will not read; anything else is echoed.
      const bool ok = bytes[0] == 'B' ? handler.transport().send(conn, burst) : handler.transport().send(conn, bytes);
      if (!ok) ++handler.send_failures;
    };
    Server server(make, {}, handler);

    for (int round = 0; round < kRounds; ++round) {
      Client silent(server.port());
      silent.reset();

      Client talker(server.port());
      CHECK(talker.send("hello"));
      talker.reset();

      Client bursting(server.port());
      CHECK(bursting.send("B"));
      CHECK(bursting.recv(1000).size() == 1000);  // the server is mid-burst
      bursting.reset();

      Client half(server.port());
      CHECK(half.send("B"));
      half.close();  // FIN with the burst unread: the kernel answers the rest with RST
    }
    CHECK(eventually([&] { return handler.closed == 4 * kRounds; }));
    CHECK(handler.opened == 4 * kRounds);

    Client after(server.port());  // still serving
    CHECK(after.send("still there"));
    CHECK(after.recv(11).size() == 11);
    after.close();
    CHECK(eventually([&] { return handler.closed == 4 * kRounds + 1; }));
    server.stop();
    CHECK(handler.violations == 0);
  }
}

TEST_CASE("transport: ticks, wake() and stop() from other threads", "[transport]") {
  for (const auto& [name, make] : backends()) {
    INFO("backend " << name);
    Watchdog dog(30s);
    {
      TestHandler handler;
      Server server(make, {.tick_ms = 5}, handler);
      CHECK(eventually([&] { return handler.ticks >= 5; }));  // the timer alone ticks
    }

    TestHandler handler;
    Server server(make, {.tick_ms = 60'000}, handler);  // no timer ticks during the test
    const int before = handler.ticks;
    std::thread([&] { server.transport().wake(); }).join();
    CHECK(eventually([&] { return handler.ticks > before; }));

    // A storm of wakes from two threads is coalesced, and must not leave the transport deaf:
    // once it has settled, a single wake still ticks.
    std::thread storm_a([&] {
      for (int i = 0; i < 10'000; ++i) server.transport().wake();
    });
    std::thread storm_b([&] {
      for (int i = 0; i < 10'000; ++i) server.transport().wake();
    });
    storm_a.join();
    storm_b.join();
    int settled = -1;
    CHECK(eventually([&] {
      const int now = handler.ticks;
      std::this_thread::sleep_for(20ms);
      return std::exchange(settled, now) == now;
    }));
    server.transport().wake();
    CHECK(eventually([&] { return handler.ticks > settled; }));

    std::vector<std::unique_ptr<Client>> clients;
    for (int i = 0; i < 3; ++i) clients.push_back(std::make_unique<Client>(server.port()));
    CHECK(eventually([&] { return handler.opened == 3; }));
    std::thread([&] { server.transport().stop(); }).join();
    CHECK(eventually([&] { return server.returned(); }));
    server.stop();
    CHECK(handler.closed == 3);  // stop() closed every connection
    CHECK(handler.violations == 0);
    for (auto& client : clients) CHECK(client->recv_some() <= 0);
  }
}

TEST_CASE("transport: listen() on a port in use returns -EADDRINUSE", "[transport]") {
  for (const auto& [name, make] : backends()) {
    INFO("backend " << name);
    TransportConfig config{.port = 0};
    auto first = make(config);
    REQUIRE(first->listen() == 0);
    config.port = first->port();
    auto second = make(config);
    CHECK(second->listen() == -EADDRINUSE);
    CHECK(std::string(first->name()) == name);
  }
}
