#include "bench/e2e_pingpong.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

namespace gpux::bench {
namespace {

constexpr std::uint64_t kWarmup = 1'000;

void no_delay(int fd) {
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

// Reads exactly `n` bytes with blocking reads; false at end of stream.
bool read_exactly(int fd, std::uint8_t* buf, std::size_t n) {
  for (std::size_t got = 0; got < n;) {
    const ssize_t r = ::read(fd, buf + got, n - got);
    if (r <= 0 && !(r < 0 && errno == EINTR)) return false;
    if (r > 0) got += static_cast<std::size_t>(r);
  }
  return true;
}

void echo(int listener, std::size_t bytes) {
  const int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
  if (fd < 0) return;
  no_delay(fd);
  std::vector<std::uint8_t> buf(bytes);
  while (read_exactly(fd, buf.data(), bytes))
    if (::write(fd, buf.data(), bytes) != static_cast<ssize_t>(bytes)) break;
  ::close(fd);
}

}  // namespace

PingPongResult run_pingpong(std::size_t bytes, std::uint64_t round_trips) {
  PingPongResult r;
  const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listener, 1) != 0 ||
      ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    r.error = "ping-pong listener: " + std::string(std::strerror(errno));
    ::close(listener);
    return r;
  }
  std::thread server(echo, listener, bytes);

  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  no_delay(fd);
  const int ep = ::epoll_create1(EPOLL_CLOEXEC);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    r.error = "ping-pong connect: " + std::string(std::strerror(errno));
  } else {
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ::epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    std::vector<std::uint8_t> ping(bytes, 0x5a), pong(bytes);
    const ThreadTimes before = ThreadTimes::of(::getpid(), ::gettid());
    for (std::uint64_t k = 0; k < kWarmup + round_trips && r.error.empty(); ++k) {
      const std::uint64_t t0 = tsc_now();
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
      if (::write(fd, ping.data(), bytes) != static_cast<ssize_t>(bytes)) {
        r.error = "ping-pong write: " + std::string(std::strerror(errno));
        break;
      }
      for (std::size_t got = 0; got < bytes;) {
        const ssize_t n = ::read(fd, pong.data() + got, bytes - got);
        if (n > 0) {
          got += static_cast<std::size_t>(n);
        } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
          epoll_event out{};
          const timespec poll{0, 0};
          ::epoll_pwait2(ep, &out, 1, &poll, nullptr);
          if (std::chrono::steady_clock::now() > deadline) {
            r.error = "ping-pong: no answer within 1 s";
            break;
          }
        } else {
          r.error = "ping-pong read: the echo closed";
          break;
        }
      }
      if (k >= kWarmup && r.error.empty()) r.rtt.record(tsc_now() - t0);
    }
    r.client = ThreadTimes::of(::getpid(), ::gettid()).since(before);
  }
  ::close(ep);
  ::close(fd);  // the echo sees the end of the stream and returns
  ::shutdown(listener, SHUT_RDWR);  // or leaves accept() if the connect failed
  server.join();
  ::close(listener);
  return r;
}

}  // namespace gpux::bench
