#include "tests/support/wire_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace gpux::test {

namespace {

using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

constexpr int kConnectWaitMs = 2000;  // the longest an interrupted connect is waited for

}  // namespace

WireConnection::WireConnection(WireConnection&& o) noexcept
    : fd_(std::exchange(o.fd_, -1)), rx_(std::move(o.rx_)), used_(o.used_) {}

bool WireConnection::connect(std::uint16_t port, std::string& error, int rcvbuf) {
  close();
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    error = std::string("socket: ") + std::strerror(errno);
    return false;
  }
  if (rcvbuf > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  const timeval tv{2, 0};  // connect and blocking sends never wait longer than this
  ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  int r = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  if (r < 0 && errno == EINTR) {
    // Interrupted by a signal: the connect goes on asynchronously; wait for its outcome.
    pollfd p{fd_, POLLOUT, 0};
    int err = 0;
    socklen_t len = sizeof err;
    if (::poll(&p, 1, kConnectWaitMs) == 1 && ::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len) == 0) {
      r = err == 0 ? 0 : -1;
      errno = err;
    }
  }
  if (r != 0) {
    error = std::string("connect: ") + std::strerror(errno);
    return false;
  }
  const int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return true;
}

void WireConnection::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void WireConnection::shutdown_write() { ::shutdown(fd_, SHUT_WR); }

bool WireConnection::write(std::span<const std::uint8_t> bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

WireConnection::Read WireConnection::read(Frame& out, milliseconds timeout, std::string& error) {
  const auto deadline = SteadyClock::now() + timeout;
  for (;;) {
    if (rx_.size() - used_ >= protocol::kFrameHeader) {
      const std::uint8_t* h = rx_.data() + used_;
      const std::size_t n =
          std::size_t{h[0]} | std::size_t{h[1]} << 8 | std::size_t{h[2]} << 16 | std::size_t{h[3]} << 24;
      if (n < 8 || n >= (1u << 24)) {
        error = "a server frame declares " + std::to_string(n) + " bytes";
        return Read::bad;
      }
      if (rx_.size() - used_ - protocol::kFrameHeader >= n) {
        out.storage.assign((n + 7) / 8, 0);
        out.size = n;
        std::memcpy(out.storage.data(), h + protocol::kFrameHeader, n);
        used_ += protocol::kFrameHeader + n;
        if (used_ == rx_.size()) {
          rx_.clear();
          used_ = 0;
        }
        const auto* bytes = reinterpret_cast<const std::uint8_t*>(out.storage.data());
        if (!flatbuffers::BufferHasIdentifier(bytes, wire::EnvelopeIdentifier())) {
          error = "a server frame lacks the GPUX file identifier";
          return Read::bad;
        }
        flatbuffers::Verifier v(bytes, n);
        if (!wire::VerifyEnvelopeBuffer(v)) {
          error = "a server frame fails FlatBuffers verification";
          return Read::bad;
        }
        if (out.env()->body() == nullptr) {
          error = "a server frame has no body";
          return Read::bad;
        }
        return Read::frame;
      }
    }
    if (fd_ < 0) return Read::closed;
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - SteadyClock::now()).count();
    if (left <= 0) return Read::timeout;
    pollfd p{fd_, POLLIN, 0};
    const int r = ::poll(&p, 1, static_cast<int>(left));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      error = std::string("poll: ") + std::strerror(errno);
      return Read::bad;
    }
    if (r == 0) return Read::timeout;
    std::uint8_t buf[64 << 10];
    const ssize_t k = ::recv(fd_, buf, sizeof buf, MSG_DONTWAIT);
    if (k > 0) {
      rx_.insert(rx_.end(), buf, buf + k);
      continue;
    }
    if (k == 0) return Read::closed;
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) continue;
    if (errno == ECONNRESET || errno == EPIPE) return Read::closed;  // the server died or dropped us
    error = std::string("recv: ") + std::strerror(errno);
    return Read::bad;
  }
}

}  // namespace gpux::test
