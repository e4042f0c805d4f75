// Connection I/O, the part of the server that differs between io_uring and epoll. A transport
// owns the listening socket and every connection, runs on one thread, and hands bytes to a
// handler (the sessions); the handler answers through send() and close(). Only wake() and
// stop() may be called from other threads.
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace gpux::gateway {

using ConnId = std::uint32_t;

class TransportHandler {
 public:
  virtual ~TransportHandler() = default;
  virtual void on_open(ConnId conn) = 0;
  // Bytes as they arrived: frames may be split or merged anyhow.
  virtual void on_data(ConnId conn, std::span<const std::uint8_t> bytes) = 0;
  // The connection is gone (peer closed, error, or our close() completed); `conn` may be
  // reused afterwards.
  virtual void on_closed(ConnId conn) = 0;
  // Called after every batch of I/O completions, after a wake(), and at least every
  // `tick_ms`: drain the engine's output, run timers.
  virtual void on_tick() = 0;
  // What a connection refused for want of a slot (all max_connections taken) is sent before it
  // is closed, so that a full server is not mistaken for a network fault. Best effort: written
  // once, without waiting, to the new socket's empty send buffer.
  virtual std::span<const std::uint8_t> full_notice() { return {}; }
};

struct TransportConfig {
  std::string host = "127.0.0.1";
  std::uint16_t port = 7001;  // 0: any free port (see Transport::port())
  std::uint32_t max_connections = 1024;
  // Bytes queued for one connection beyond which send() fails: a slow consumer.
  std::size_t max_queued_bytes = 4 << 20;
  std::uint32_t tick_ms = 10;
};

class Transport {
 public:
  virtual ~Transport() = default;

  // Binds and listens; returns 0 or a negative errno.
  virtual int listen() = 0;
  virtual std::uint16_t port() const = 0;  // the bound port, once listening

  // Runs the event loop on the calling thread until stop().
  virtual void run(TransportHandler& handler) = 0;

  // Queues bytes for `conn`; everything queued while a send is in flight goes out together
  // in the next one. False when the connection is gone or its queue would exceed
  // max_queued_bytes (nothing is queued then; the caller disconnects the slow consumer).
  virtual bool send(ConnId conn, std::span<const std::uint8_t> bytes) = 0;

  // Closes `conn` once what is queued for it has been sent (a protocol reject goes out
  // before the close), or at once when `flush` is false. on_closed() follows.
  virtual void close(ConnId conn, bool flush) = 0;

  // Thread-safe: makes run() call on_tick() soon.
  virtual void wake() = 0;
  // Thread-safe: makes run() return; connections are closed.
  virtual void stop() = 0;

  virtual const char* name() const = 0;  // "uring" or "epoll"
};

// io_uring; returns nullptr with `error` set to a negative errno when the kernel refuses
// io_uring (ENOSYS, EPERM: old kernels, seccomp, kernel.io_uring_disabled).
std::unique_ptr<Transport> make_uring_transport(const TransportConfig& config, int& error);

// Sends `notice` to a socket being refused and leaves closing it to the caller. Never blocks.
inline void send_notice(int fd, std::span<const std::uint8_t> notice) {
  if (notice.empty()) return;
  [[maybe_unused]] const ssize_t n = ::send(fd, notice.data(), notice.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
}

// epoll through Boost.Asio: the fallback.
std::unique_ptr<Transport> make_epoll_transport(const TransportConfig& config);

}  // namespace gpux::gateway
