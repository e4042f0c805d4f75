// A blocking POSIX-socket connection to a gpuxd over loopback that speaks the wire protocol:
// connect, write raw bytes, and read server frames (each one verified) with a deadline.
// No Catch2 macros: the fault test's client threads use it, so every failure comes back as a
// value with its reason in a string. tests/support/gateway_client.hpp layers
// its asserting client on top, for the tests of tests/gateway/.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "schemas/codec.hpp"

namespace gpux::test {

// One server envelope, copied into 8-byte-aligned storage and verified.
struct Frame {
  std::vector<std::uint64_t> storage;
  std::size_t size = 0;

  const wire::Envelope* env() const { return wire::GetEnvelope(storage.data()); }
  wire::Body type() const { return env()->body_type(); }
  template <class T>
  const T* as() const {
    return env()->template body_as<T>();
  }
};

class WireConnection {
 public:
  // bad: the server sent something that is not a valid frame, or the socket failed in a way a
  // dying server does not explain.
  enum class Read { frame, timeout, closed, bad };

  WireConnection() = default;
  ~WireConnection() { close(); }
  WireConnection(WireConnection&& o) noexcept;
  WireConnection& operator=(WireConnection&&) = delete;
  WireConnection(const WireConnection&) = delete;

  // Connects to 127.0.0.1:`port`; false with the reason in `error`. `rcvbuf` > 0 shrinks the
  // receive buffer first (a slow consumer's kernel then absorbs little).
  bool connect(std::uint16_t port, std::string& error, int rcvbuf = 0);
  void close();
  void shutdown_write();
  int fd() const { return fd_; }

  // Writes everything; false when the connection is gone.
  bool write(std::span<const std::uint8_t> bytes);

  // Reads one frame, waiting at most `timeout`; the reason in `error` when bad.
  Read read(Frame& out, std::chrono::milliseconds timeout, std::string& error);

  protocol::ClientEncoder enc;

 private:
  int fd_ = -1;
  std::vector<std::uint8_t> rx_;
  std::size_t used_ = 0;
};

}  // namespace gpux::test
