// The epoll transport: Boost.Asio on one thread. Connection ids index a fixed table whose
// slot is reused only once no operation on the old socket is outstanding, so a completion
// always belongs to the connection that started it.
#include <algorithm>
#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gateway/transport/transport.hpp"

namespace gpux::gateway {

namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

constexpr std::size_t kReadBufferSize = 64 << 10;
// Accept failures such as EMFILE persist until a connection closes: retry later, not at once.
constexpr auto kAcceptRetry = std::chrono::milliseconds(50);

int negative_errno(const error_code& ec) {
  return ec.category() == boost::system::system_category() && ec.value() > 0 ? -ec.value() : -EINVAL;
}

class EpollTransport final : public Transport {
 public:
  explicit EpollTransport(const TransportConfig& config)
      : config_(config), conns_(config.max_connections) {
    for (ConnId id = 0; id < config.max_connections; ++id) free_.push_back(id);
  }

  int listen() override {
    if (acceptor_.is_open()) return -EALREADY;  // failing below would close the listener
    error_code ec;
    tcp::endpoint endpoint;
    const auto address = asio::ip::make_address(config_.host, ec);
    if (!ec) {
      endpoint = tcp::endpoint(address, config_.port);
    } else {
      tcp::resolver resolver(io_);
      const auto results = resolver.resolve(config_.host, std::to_string(config_.port), ec);
      if (ec || results.empty()) return -EADDRNOTAVAIL;
      endpoint = results.begin()->endpoint();
    }
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (!ec) port_ = acceptor_.local_endpoint(ec).port();
    if (ec) {
      error_code ignored;
      acceptor_.close(ignored);
      return negative_errno(ec);
    }
    return 0;
  }

  std::uint16_t port() const override { return port_; }

  void run(TransportHandler& handler) override {
    handler_ = &handler;
    auto work = asio::make_work_guard(io_);
    if (acceptor_.is_open()) start_accept();
    start_timer();
    io_.run();

    // Stopped: abort every connection and let the cancelled operations complete, so each
    // connection gets its on_closed once its slot is really free.
    stopping_ = true;
    work.reset();
    error_code ignored;
    acceptor_.close(ignored);
    tick_timer_.cancel();
    accept_retry_timer_.cancel();
    for (ConnId id = 0; id < conns_.size(); ++id)
      if (conns_[id].state == State::open || conns_[id].state == State::draining) drop(id);
    io_.restart();
    io_.run();
    // Only a second stop() during the drain leaves slots behind; their completions will
    // never run, so nothing can touch them after this.
    for (ConnId id = 0; id < conns_.size(); ++id)
      if (conns_[id].state != State::free) release(id);
    handler_ = nullptr;
  }

  bool send(ConnId id, std::span<const std::uint8_t> bytes) override {
    if (id >= conns_.size()) return false;
    Conn& c = conns_[id];
    if (c.state != State::open) return false;
    if (bytes.empty()) return true;
    if (c.writing.size() + c.pending.size() + bytes.size() > config_.max_queued_bytes) return false;
    c.pending.insert(c.pending.end(), bytes.begin(), bytes.end());
    if (!c.write_in_flight) start_write(id);
    return true;
  }

  void close(ConnId id, bool flush) override {
    if (id >= conns_.size()) return;
    Conn& c = conns_[id];
    if (c.state == State::open && flush && c.write_in_flight) {
      c.state = State::draining;
    } else if (c.state == State::open && flush) {
      shut(id, true);
    } else if (c.state == State::open || c.state == State::draining) {
      drop(id);
    }
  }

  void wake() override {
    if (wake_posted_.exchange(true)) return;
    asio::post(io_, [this] {
      // An exchange, not a store: it acquires what the waking thread published before its
      // wake(), which on_tick is about to read.
      wake_posted_.exchange(false);
      tick();
    });
  }

  void stop() override { io_.stop(); }

  const char* name() const override { return "epoll"; }

 private:
  // open: reading and writing. draining: close(flush) waits for the queue; input is read
  // and dropped so that the final close does not reset the connection over unread bytes.
  // closing: socket closed, waiting for its outstanding operations before release.
  enum class State { free, open, draining, closing };

  struct Conn {
    State state = State::free;
    int ops = 0;  // outstanding asio operations: the read and at most one write
    bool write_in_flight = false;
    std::optional<tcp::socket> socket;
    std::unique_ptr<std::uint8_t[]> read_buffer;
    std::vector<std::uint8_t> writing;  // owned by the write in flight
    std::vector<std::uint8_t> pending;  // queued meanwhile, goes out in the next write
  };

  void start_accept() {
    acceptor_.async_accept([this](const error_code& ec, tcp::socket socket) {
      if (stopping_ || ec == asio::error::operation_aborted) return;
      if (ec) {
        accept_retry_timer_.expires_after(kAcceptRetry);
        accept_retry_timer_.async_wait([this](const error_code& wait_ec) {
          if (!wait_ec && !stopping_) start_accept();
        });
        return;
      }
      open(std::move(socket));
      start_accept();
      request_tick();
    });
  }

  void open(tcp::socket socket) {
    if (free_.empty()) {
      // Full: closing at once tells the client, where leaving it in the backlog would not.
      send_notice(socket.native_handle(), handler_->full_notice());
      error_code ignored;
      socket.close(ignored);
      return;
    }
    const ConnId id = free_.front();
    free_.pop_front();
    Conn& c = conns_[id];
    error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    c.socket.emplace(std::move(socket));
    if (!c.read_buffer) c.read_buffer = std::make_unique<std::uint8_t[]>(kReadBufferSize);
    c.state = State::open;
    handler_->on_open(id);
    if (c.state != State::closing) start_read(id);
  }

  void start_read(ConnId id) {
    Conn& c = conns_[id];
    ++c.ops;
    c.socket->async_read_some(asio::buffer(c.read_buffer.get(), kReadBufferSize),
                              [this, id](const error_code& ec, std::size_t n) { on_read(id, ec, n); });
  }

  void on_read(ConnId id, const error_code& ec, std::size_t n) {
    Conn& c = conns_[id];
    --c.ops;
    if (c.state == State::closing) {
      if (c.ops == 0) release(id);
    } else if (ec == asio::error::eof && c.state == State::draining) {
      // A client that half-closes after its last request still gets the answer queued
      // before close(flush); the write's completion closes.
    } else if (ec) {
      drop(id);  // EOF included: a half-closed client is a disconnected one
    } else {
      if (c.state == State::open) handler_->on_data(id, {c.read_buffer.get(), n});
      if (c.state != State::closing) start_read(id);
    }
    request_tick();
  }

  void start_write(ConnId id) {
    Conn& c = conns_[id];
    c.writing.swap(c.pending);
    c.pending.clear();
    c.write_in_flight = true;
    ++c.ops;
    asio::async_write(*c.socket, asio::buffer(c.writing),
                      [this, id](const error_code& ec, std::size_t) { on_written(id, ec); });
  }

  void on_written(ConnId id, const error_code& ec) {
    Conn& c = conns_[id];
    --c.ops;
    c.write_in_flight = false;
    c.writing.clear();
    if (c.state == State::closing) {
      if (c.ops == 0) release(id);
    } else if (ec) {
      drop(id);
    } else if (!c.pending.empty()) {
      start_write(id);
    } else if (c.state == State::draining) {
      shut(id, true);
    }
    request_tick();
  }

  void drop(ConnId id) { shut(id, false); }

  // Closes the socket; the slot is released once its cancelled operations have completed,
  // or, when none is outstanding, from a posted handler so that on_closed never runs inside
  // the handler call that asked for the close.
  void shut(ConnId id, bool graceful) {
    Conn& c = conns_[id];
    error_code ignored;
    if (graceful) c.socket->shutdown(tcp::socket::shutdown_send, ignored);
    c.socket->close(ignored);
    c.state = State::closing;
    if (c.ops == 0) asio::post(io_, [this, id] { release(id); });
  }

  void release(ConnId id) {
    Conn& c = conns_[id];
    c.socket.reset();
    // A slow consumer may have grown these to max_queued_bytes: give that back.
    std::vector<std::uint8_t>().swap(c.writing);
    std::vector<std::uint8_t>().swap(c.pending);
    c.ops = 0;
    c.write_in_flight = false;
    c.state = State::free;
    free_.push_back(id);
    handler_->on_closed(id);
  }

  // asio has no "end of batch" hook: the first completion of a batch posts one tick, which
  // runs after the completions already queued.
  void request_tick() {
    if (tick_posted_ || stopping_) return;
    tick_posted_ = true;
    asio::post(io_, [this] {
      tick_posted_ = false;
      tick();
    });
  }

  void tick() {
    if (!stopping_) handler_->on_tick();
  }

  void start_timer() {
    tick_timer_.expires_after(std::chrono::milliseconds(std::max<std::uint32_t>(config_.tick_ms, 1)));
    tick_timer_.async_wait([this](const error_code& ec) {
      if (ec || stopping_) return;
      tick();
      start_timer();
    });
  }

  const TransportConfig config_;
  // Declared before the sockets and timers bound to it, so that it outlives them.
  asio::io_context io_{1};
  tcp::acceptor acceptor_{io_};
  asio::steady_timer tick_timer_{io_};
  asio::steady_timer accept_retry_timer_{io_};
  std::vector<Conn> conns_;
  // FIFO: a closed id is reused as late as possible, which makes a stale id in the
  // handler's hands less likely to reach a newer connection.
  std::deque<ConnId> free_;
  TransportHandler* handler_ = nullptr;
  std::uint16_t port_ = 0;
  bool stopping_ = false;
  bool tick_posted_ = false;
  std::atomic<bool> wake_posted_{false};
};

}  // namespace

std::unique_ptr<Transport> make_epoll_transport(const TransportConfig& config) {
  return std::make_unique<EpollTransport>(config);
}

}  // namespace gpux::gateway
