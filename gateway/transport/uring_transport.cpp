// The io_uring transport: multishot accept, multishot receive into a provided-buffer ring,
// at most one send in flight per connection with everything produced meanwhile coalesced
// behind it, and an eventfd read for cross-thread wake-ups. Per-connection state is explicit;
// system calls report errors as negative errno.
#include <liburing.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <atomic>
#include <thread>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "gateway/transport/transport.hpp"

namespace gpux::gateway {

namespace {

enum class Op : std::uint8_t { accept = 1, recv, send, wake };

// user_data: the operation, the connection slot and the slot's generation, so that a late
// completion for a slot that has since been reused is recognised and dropped.
std::uint64_t tag(Op op, ConnId conn = 0, std::uint32_t gen = 0) {
  return std::uint64_t{static_cast<std::uint8_t>(op)} << 56 | std::uint64_t{conn & 0xFFFFFF} << 32 | gen;
}
Op op_of(std::uint64_t t) { return static_cast<Op>(t >> 56); }
ConnId conn_of(std::uint64_t t) { return static_cast<ConnId>((t >> 32) & 0xFFFFFF); }
std::uint32_t gen_of(std::uint64_t t) { return static_cast<std::uint32_t>(t); }

constexpr unsigned kEntries = 1024;
constexpr unsigned kBuffers = 512;          // provided receive buffers, a power of two
constexpr unsigned kBufferSize = 16 << 10;  // each
constexpr int kBufferGroup = 1;

struct Conn {
  int fd = -1;
  std::uint32_t gen = 0;
  bool recv_armed = false;
  bool send_in_flight = false;
  bool closing = false;      // no new sends; close once the queue is flushed
  bool shut = false;         // shutdown() issued; waiting for the ops to finish
  std::vector<std::uint8_t> writing;  // the buffer of the send in flight
  std::size_t written = 0;
  std::vector<std::uint8_t> queued;   // what was produced meanwhile
};

class UringTransport final : public Transport {
 public:
  explicit UringTransport(const TransportConfig& config) : config_(config), conns_(config.max_connections) {
    for (ConnId i = config.max_connections; i > 0; --i) free_.push_back(i - 1);
  }
  ~UringTransport() override {
    if (listen_fd_ >= 0) ::close(listen_fd_);
    if (wake_fd_ >= 0) ::close(wake_fd_);
  }

  int listen() override {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listen_fd_ < 0) return -errno;
    const int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(config_.port);
    if (::inet_pton(AF_INET, config_.host.c_str(), &addr.sin_addr) != 1) return -EINVAL;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0) return -errno;
    if (::listen(listen_fd_, 512) < 0) return -errno;
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    wake_fd_ = ::eventfd(0, EFD_CLOEXEC);
    return wake_fd_ < 0 ? -errno : 0;
  }

  std::uint16_t port() const override { return port_; }
  const char* name() const override { return "uring"; }

  void run(TransportHandler& handler) override {
    handler_ = &handler;
    if (setup_ring() < 0) return;
    arm_accept();
    arm_wake();
    while (!stop_.load(std::memory_order_acquire)) {
      // Sleep only when no wake() came since the last look: announce the sleep first, so that a
      // wake() racing with this either is seen here or sees `sleeping_` and writes the eventfd.
      sleeping_.store(true, std::memory_order_seq_cst);
      const bool woken = woken_.exchange(false, std::memory_order_seq_cst);
      int r;
      if (woken) {
        sleeping_.store(false, std::memory_order_relaxed);
        r = io_uring_submit_and_get_events(&ring_);  // the sends, and what completed, no wait
      } else {
        __kernel_timespec timeout{0, static_cast<long long>(config_.tick_ms) * 1'000'000};
        io_uring_cqe* cqe = nullptr;
        r = io_uring_submit_and_wait_timeout(&ring_, &cqe, 1, &timeout, nullptr);
      }
      sleeping_.store(false, std::memory_order_relaxed);
      if (r < 0 && r != -ETIME && r != -EINTR && r != -EBUSY && r != -EAGAIN) break;
      io_uring_cqe* cqe = nullptr;
      unsigned head, seen = 0;
      io_uring_for_each_cqe(&ring_, head, cqe) {
        ++seen;
        complete(*cqe);
      }
      io_uring_cq_advance(&ring_, seen);
      handler.on_tick();
      start_sends();
      if (accept_ended_ && !stop_.load(std::memory_order_relaxed)) {
        accept_ended_ = false;
        arm_accept();
      }
    }
    shutdown_all();
  }

  bool send(ConnId conn, std::span<const std::uint8_t> bytes) override {
    if (conn >= conns_.size()) return false;
    Conn& c = conns_[conn];
    if (c.fd < 0 || c.closing || c.shut) return false;
    const std::size_t backlog = c.writing.size() - c.written + c.queued.size();
    if (backlog + bytes.size() > config_.max_queued_bytes) return false;
    if (c.queued.empty()) dirty_.push_back(conn);
    c.queued.insert(c.queued.end(), bytes.begin(), bytes.end());
    return true;
  }

  void close(ConnId conn, bool flush) override {
    if (conn >= conns_.size() || conns_[conn].fd < 0) return;
    Conn& c = conns_[conn];
    c.closing = true;
    if (!flush) {
      c.queued.clear();
      shut(conn);
    } else if (!c.send_in_flight && c.queued.empty()) {
      shut(conn);
    }
  }

  // A write to the eventfd (a system call, ~1-2 µs on the waker's thread, plus the read
  // completion and its re-arm here) only when run() sleeps or is about to; otherwise the flag
  // is enough, as run() looks at it before every sleep. At saturation the engine thread calls
  // this once per batch it publishes, thousands of times a second.
  void wake() override {
    woken_.store(true, std::memory_order_seq_cst);
    if (!sleeping_.load(std::memory_order_seq_cst)) return;
    if (wake_pending_.exchange(true, std::memory_order_acq_rel)) return;
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto n = ::write(wake_fd_, &one, sizeof one);
  }

  void stop() override {
    stop_.store(true, std::memory_order_release);
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto n = ::write(wake_fd_, &one, sizeof one);
  }

  int setup_ring() {
    // The ring is created on the thread that runs it: SINGLE_ISSUER ties it to its creator.
    io_uring_params p{};
    p.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
    int r = io_uring_queue_init_params(kEntries, &ring_, &p);
    if (r == -EINVAL) {
      p = io_uring_params{};
      r = io_uring_queue_init_params(kEntries, &ring_, &p);
    }
    if (r < 0) return r;
    ring_up_ = true;
    const std::size_t ring_bytes = kBuffers * sizeof(io_uring_buf);
    void* mem = ::mmap(nullptr, ring_bytes + std::size_t{kBuffers} * kBufferSize, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) return -errno;
    buf_ring_ = static_cast<io_uring_buf_ring*>(mem);
    buffers_ = static_cast<std::uint8_t*>(mem) + ring_bytes;
    buffers_bytes_ = ring_bytes + std::size_t{kBuffers} * kBufferSize;
    io_uring_buf_ring_init(buf_ring_);
    io_uring_buf_reg reg{};
    reg.ring_addr = reinterpret_cast<std::uint64_t>(buf_ring_);
    reg.ring_entries = kBuffers;
    reg.bgid = kBufferGroup;
    r = io_uring_register_buf_ring(&ring_, &reg, 0);
    if (r < 0) return r;
    for (unsigned i = 0; i < kBuffers; ++i)
      io_uring_buf_ring_add(buf_ring_, buffers_ + std::size_t{i} * kBufferSize, kBufferSize,
                            static_cast<unsigned short>(i), io_uring_buf_ring_mask(kBuffers), static_cast<int>(i));
    io_uring_buf_ring_advance(buf_ring_, kBuffers);
    return 0;
  }

 private:
  io_uring_sqe* sqe() {
    io_uring_sqe* s = io_uring_get_sqe(&ring_);
    if (s == nullptr) {
      io_uring_submit(&ring_);
      s = io_uring_get_sqe(&ring_);
    }
    return s;
  }

  void arm_accept() {
    io_uring_sqe* s = sqe();
    io_uring_prep_multishot_accept(s, listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    io_uring_sqe_set_data64(s, tag(Op::accept));
  }

  void arm_wake() {
    io_uring_sqe* s = sqe();
    io_uring_prep_read(s, wake_fd_, &wake_value_, sizeof wake_value_, 0);
    io_uring_sqe_set_data64(s, tag(Op::wake));
  }

  void arm_recv(ConnId id) {
    Conn& c = conns_[id];
    io_uring_sqe* s = sqe();
    io_uring_prep_recv_multishot(s, c.fd, nullptr, 0, 0);
    s->flags |= IOSQE_BUFFER_SELECT;
    s->buf_group = kBufferGroup;
    io_uring_sqe_set_data64(s, tag(Op::recv, id, c.gen));
    c.recv_armed = true;
  }

  void give_back(unsigned short bid) {
    io_uring_buf_ring_add(buf_ring_, buffers_ + std::size_t{bid} * kBufferSize, kBufferSize, bid,
                          io_uring_buf_ring_mask(kBuffers), 0);
    io_uring_buf_ring_advance(buf_ring_, 1);
  }

  void complete(const io_uring_cqe& cqe) {
    const std::uint64_t t = io_uring_cqe_get_data64(&cqe);
    const bool more = cqe.flags & IORING_CQE_F_MORE;
    switch (op_of(t)) {
      case Op::accept:
        if (cqe.res >= 0) opened(cqe.res);
        // Re-armed after the next tick, not at once: a lasting error such as EMFILE would
        // otherwise spin.
        if (!more) accept_ended_ = true;
        return;
      case Op::wake:
        wake_pending_.store(false, std::memory_order_release);
        if (!stop_.load(std::memory_order_relaxed)) arm_wake();
        return;
      case Op::recv:
        received(conn_of(t), gen_of(t), cqe, more);
        return;
      case Op::send:
        sent(conn_of(t), gen_of(t), cqe.res);
        return;
    }
  }

  void opened(int fd) {
    if (free_.empty() || stop_.load(std::memory_order_relaxed)) {
      if (free_.empty()) send_notice(fd, handler_->full_notice());
      ::close(fd);
      return;
    }
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    const ConnId id = free_.back();
    free_.pop_back();
    Conn& c = conns_[id];
    c.fd = fd;
    ++c.gen;
    c.closing = c.shut = c.send_in_flight = false;
    c.writing.clear();
    c.queued.clear();
    c.written = 0;
    arm_recv(id);
    handler_->on_open(id);
  }

  void received(ConnId id, std::uint32_t gen, const io_uring_cqe& cqe, bool more) {
    Conn& c = conns_[id];
    const bool current = c.fd >= 0 && c.gen == gen;
    if (cqe.res > 0 && (cqe.flags & IORING_CQE_F_BUFFER)) {
      const auto bid = static_cast<unsigned short>(cqe.flags >> IORING_CQE_BUFFER_SHIFT);
      if (current && !c.shut)
        handler_->on_data(id, {buffers_ + std::size_t{bid} * kBufferSize, static_cast<std::size_t>(cqe.res)});
      give_back(bid);
    }
    if (more || !current) return;
    c.recv_armed = false;
    if (cqe.res == -ENOBUFS && !c.shut) {
      arm_recv(id);  // every buffer was busy: they are back now, listen again
      return;
    }
    // A peer that half-closed after its last request still gets what we flush to it (say, a
    // protocol reject): sent() closes once the queue is empty.
    if (cqe.res == 0 && c.closing && !c.shut && (c.send_in_flight || !c.queued.empty())) return;
    // End of stream, an error, or our own shutdown: the connection is over.
    c.closing = true;
    c.queued.clear();
    shut(id);
  }

  void sent(ConnId id, std::uint32_t gen, int res) {
    Conn& c = conns_[id];
    if (c.fd < 0 || c.gen != gen) return;
    c.send_in_flight = false;
    if (res < 0) {
      c.closing = true;
      c.queued.clear();
      shut(id);
      return;
    }
    c.written += static_cast<std::size_t>(res);
    if (c.written < c.writing.size()) {
      submit_send(id);  // a short send: the rest goes next
      return;
    }
    c.writing.clear();
    c.written = 0;
    if (!c.queued.empty()) submit_send(id);
    else if (c.closing) shut(id);
  }

  void start_sends() {
    for (const ConnId id : dirty_) {
      Conn& c = conns_[id];
      if (c.fd >= 0 && !c.send_in_flight && !c.queued.empty() && !c.shut) submit_send(id);
    }
    dirty_.clear();
  }

  void submit_send(ConnId id) {
    Conn& c = conns_[id];
    if (c.writing.empty()) {
      c.writing.swap(c.queued);
      c.written = 0;
    }
    io_uring_sqe* s = sqe();
    io_uring_prep_send(s, c.fd, c.writing.data() + c.written, c.writing.size() - c.written,
                       MSG_WAITALL | MSG_NOSIGNAL);
    io_uring_sqe_set_data64(s, tag(Op::send, id, c.gen));
    c.send_in_flight = true;
  }

  // Stops the connection's traffic; the socket is closed and on_closed() called once the
  // receive and any send have completed.
  void shut(ConnId id) {
    Conn& c = conns_[id];
    if (!c.shut) {
      c.shut = true;
      ::shutdown(c.fd, SHUT_RDWR);
    }
    if (c.recv_armed || c.send_in_flight) return;
    ::close(c.fd);
    c.fd = -1;
    c.writing.clear();
    c.queued.clear();
    free_.push_back(id);
    handler_->on_closed(id);
  }

  void shutdown_all() {
    for (ConnId id = 0; id < conns_.size(); ++id) {
      if (conns_[id].fd < 0) continue;
      conns_[id].closing = true;
      shut(id);
    }
    // Let the kernel finish the cancelled receives and sends so every slot can close.
    for (int round = 0; round < 100; ++round) {
      bool open = false;
      for (const Conn& c : conns_) open |= c.fd >= 0;
      if (!open) break;
      __kernel_timespec timeout{0, 10'000'000};
      io_uring_cqe* cqe = nullptr;
      io_uring_submit_and_wait_timeout(&ring_, &cqe, 1, &timeout, nullptr);
      unsigned head, seen = 0;
      io_uring_for_each_cqe(&ring_, head, cqe) {
        ++seen;
        complete(*cqe);
      }
      io_uring_cq_advance(&ring_, seen);
    }
    if (ring_up_) io_uring_queue_exit(&ring_);
    ring_up_ = false;
    if (buf_ring_) ::munmap(buf_ring_, buffers_bytes_);
    buf_ring_ = nullptr;
  }

  TransportConfig config_;
  TransportHandler* handler_ = nullptr;
  io_uring ring_{};
  bool ring_up_ = false;
  io_uring_buf_ring* buf_ring_ = nullptr;
  std::uint8_t* buffers_ = nullptr;
  std::size_t buffers_bytes_ = 0;
  int listen_fd_ = -1;
  int wake_fd_ = -1;
  std::uint64_t wake_value_ = 0;
  std::uint16_t port_ = 0;
  bool accept_ended_ = false;
  std::atomic<bool> stop_{false};
  std::atomic<bool> wake_pending_{false};  // an eventfd write not yet read
  std::atomic<bool> woken_{false};          // wake() called since run() last looked
  std::atomic<bool> sleeping_{false};       // run() is in, or about to enter, its wait
  std::vector<Conn> conns_;
  std::vector<ConnId> free_;
  std::vector<ConnId> dirty_;  // connections with queued bytes and maybe no send in flight
};

}  // namespace

namespace {

// Returns 0 when this kernel can run the transport, else a negative errno.
int probe_kernel() {
  // Multishot receive, which the transport is built on, arrived in Linux 6.0; the opcode probe
  // below cannot see it.
  utsname u{};
  unsigned major = 0, minor = 0;
  if (::uname(&u) == 0 && std::sscanf(u.release, "%u.%u", &major, &minor) == 2 && (major < 6)) return -ENOSYS;
  // Probe: the kernel may refuse io_uring outright (ENOSYS, or EPERM under seccomp or
  // kernel.io_uring_disabled), or lack provided-buffer rings (EINVAL on kernels before 5.19).
  io_uring probe{};
  const int r = io_uring_queue_init(8, &probe, 0);
  if (r < 0) return r;
  io_uring_probe* ops = io_uring_get_probe_ring(&probe);
  const bool ok = ops && io_uring_opcode_supported(ops, IORING_OP_SEND) &&
                  io_uring_opcode_supported(ops, IORING_OP_ACCEPT) && io_uring_opcode_supported(ops, IORING_OP_RECV);
  if (ops) io_uring_free_probe(ops);
  io_uring_buf_ring* br = nullptr;
  if (ok) {
    void* mem = ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    br = mem == MAP_FAILED ? nullptr : static_cast<io_uring_buf_ring*>(mem);
  }
  int registered = -ENOMEM;
  if (br) {
    io_uring_buf_reg reg{};
    reg.ring_addr = reinterpret_cast<std::uint64_t>(br);
    reg.ring_entries = 8;
    reg.bgid = kBufferGroup;
    registered = io_uring_register_buf_ring(&probe, &reg, 0);
  }
  io_uring_queue_exit(&probe);
  if (br) ::munmap(br, 4096);
  if (!ok) return -ENOSYS;
  return registered < 0 ? registered : 0;
}

}  // namespace

std::unique_ptr<Transport> make_uring_transport(const TransportConfig& config, int& error) {
  // On a thread of its own: tearing a ring down queues kernel work back to the thread that made
  // it, which interrupts that thread's next blocking call with EINTR.
  std::thread([&error] { error = probe_kernel(); }).join();
  if (error < 0) return nullptr;
  return std::make_unique<UringTransport>(config);
}

}  // namespace gpux::gateway
