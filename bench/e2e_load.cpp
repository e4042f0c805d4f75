#include "bench/e2e_load.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <string_view>
#include <vector>

#include "bench/machine.hpp"
#include "engine/catalog.hpp"
#include "engine/command.hpp"
#include "engine/symbol.hpp"
#include "schemas/codec.hpp"

namespace gpux::bench {
namespace {

namespace wire = gpux::wire;
using protocol::kFrameHeader;

constexpr std::size_t kClIdLen = 12;              // hex digits of the order's ordinal
constexpr std::string_view kPlaceholder = "~~~~~~~~~~~~";
constexpr std::uint64_t kLevels = 8;              // price levels each side spreads over
constexpr std::size_t kTxBytes = 256 << 10;       // per connection
constexpr std::size_t kRxBytes = 256 << 10;       // per connection; also the largest frame read
constexpr double kLateNs = 10'000;                // a send this far behind schedule is late
// Closer than this to the next scheduled send, poll instead of sleeping: waking from a sleep
// takes tens of µs on a VM, and the send would go out that much late.
constexpr double kSpinNs = 100'000;
constexpr double kDrainNs = 5e9;                  // after the last send, wait this long for answers
constexpr double kLoginNs = 10e9;

// The command a connection sends as its n-th (see the header).
struct Step {
  bool cancel;
  std::uint64_t ordinal;  // of the new order sent, or canceled
};

Step step(std::uint64_t n, std::uint64_t depth) {
  if (n < depth) return {false, n};
  const std::uint64_t j = n - depth;
  return j % 2 == 0 ? Step{true, j / 2} : Step{false, depth + j / 2};
}
std::uint64_t index_of_new(std::uint64_t ordinal, std::uint64_t depth) {
  return ordinal < depth ? ordinal : depth + 2 * (ordinal - depth) + 1;
}
std::uint64_t index_of_cancel(std::uint64_t ordinal, std::uint64_t depth) { return depth + 2 * ordinal; }

// Command frames built once by ClientEncoder with a placeholder cl_id; each send copies one
// and writes the cl_id over the placeholder. The length does not change, so the FlatBuffer
// stays valid, and the one generator thread, which shares the CPUs with gpuxd, spends a
// copy on each command instead of a FlatBufferBuilder run.
class Frames {
 public:
  Frames() {
    const Catalog catalog = Catalog::builtin();
    const Product& p = catalog.products()[static_cast<std::size_t>(catalog.find("H100.MEM1"))];
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    const std::int64_t day = std::chrono::duration_cast<std::chrono::hours>(now).count() / 24;
    const std::string symbol = format_symbol(p.id, (day + 2) * 24, 24);
    protocol::ClientEncoder enc;
    for (std::uint64_t side = 0; side < 2; ++side) {
      for (std::uint64_t level = 0; level < kLevels; ++level) {
        Command c = make_command(CommandType::new_order, 0, 0);
        c.cl_id.assign(kPlaceholder);
        c.instrument.assign(symbol);
        c.has_instrument = true;
        c.side = side == 0 ? Side::buy : Side::sell;
        const Price offset = static_cast<Price>(level + 1) * p.tick;
        c.price = PriceField{true, true, side == 0 ? p.ref_price - offset : p.ref_price + offset};
        c.qty = p.lot;
        c.has_tif = true;
        c.tif = Tif::gtc;
        news_[side * kLevels + level] = make(enc.command(c));
      }
    }
    Command c = make_command(CommandType::cancel, 0, 0);
    c.cl_id.assign(kPlaceholder);
    c.has_cl_id = true;
    cancel_ = make(enc.command(c));
  }

  // Writes command n's frame at `out`; returns its length.
  std::size_t write(std::uint64_t n, std::uint64_t depth, std::uint8_t* out) const {
    const Step s = step(n, depth);
    const Template& t = s.cancel ? cancel_ : news_[(s.ordinal & 1) * kLevels + (s.ordinal >> 1) % kLevels];
    std::memcpy(out, t.bytes.data(), t.bytes.size());
    static constexpr char hex[] = "0123456789abcdef";
    for (std::size_t i = 0; i < kClIdLen; ++i)
      out[t.cl_id_at + i] = static_cast<std::uint8_t>(hex[(s.ordinal >> (4 * (kClIdLen - 1 - i))) & 15]);
    return t.bytes.size();
  }

  std::size_t max_bytes() const {
    std::size_t m = cancel_.bytes.size();
    for (const Template& t : news_) m = std::max(m, t.bytes.size());
    return m;
  }
  std::size_t new_order_bytes() const { return news_[0].bytes.size(); }

 private:
  struct Template {
    std::vector<std::uint8_t> bytes;
    std::size_t cl_id_at = 0;
  };
  static Template make(std::span<const std::uint8_t> frame) {
    Template t{{frame.begin(), frame.end()}, 0};
    const auto at = std::search(t.bytes.begin(), t.bytes.end(), kPlaceholder.begin(), kPlaceholder.end());
    t.cl_id_at = static_cast<std::size_t>(at - t.bytes.begin());
    return t;
  }
  std::array<Template, 2 * kLevels> news_;
  Template cancel_;
};

// The ordinal in a cl_id we sent, or false for anything else.
bool parse_cl_id(const flatbuffers::String* s, std::uint64_t& ordinal) {
  if (s == nullptr || s->size() != kClIdLen) return false;
  ordinal = 0;
  for (const char ch : s->string_view()) {
    const int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
    if (d < 0) return false;
    ordinal = ordinal << 4 | static_cast<std::uint64_t>(d);
  }
  return true;
}

struct Conn {
  int fd = -1;
  bool logged_in = false;
  bool dirty = false;         // on the list of connections with bytes to write
  bool want_out = false;      // the socket was full: EPOLLOUT is armed
  std::uint64_t next = 0;     // commands queued so far (the index of the next one)
  std::uint64_t answered = 0;
  std::vector<std::uint8_t> tx = std::vector<std::uint8_t>(kTxBytes);
  std::vector<std::uint8_t> rx = std::vector<std::uint8_t>(kRxBytes);
  std::size_t tx_from = 0, tx_to = 0, rx_len = 0;
  std::vector<std::uint64_t> sent_at;  // saturation: TSC at which command n was queued, at n & mask
};

class Generator {
 public:
  Generator(const LoadConfig& config, const TscClock& clock)
      : cfg_(config), clock_(clock), conns_(config.connections), scratch_(kRxBytes / 8) {
    dirty_.reserve(conns_.size());
    const std::size_t ring = std::bit_ceil(std::size_t{config.window}) * 2;
    for (Conn& c : conns_) c.sent_at.assign(ring, 0);
    mask_ = ring - 1;
  }

  ~Generator() {
    for (Conn& c : conns_)
      if (c.fd >= 0) ::close(c.fd);
    if (ep_ >= 0) ::close(ep_);
  }

  LoadResult run() {
    // Timed waits end when they are due, not up to the default 50 µs later.
    ::prctl(PR_SET_TIMERSLACK, 1UL);
    if (connect_and_log_in()) {
      // CPU use over the whole run, warm-up and drain included: reading /proc takes long
      // enough that doing it at the edges of the measured interval would delay measured acks.
      const ThreadTimes gen0 = ThreadTimes::of(::getpid(), ::gettid());
      const ServerTimes srv0 = ServerTimes::of(cfg_.server_pid);
      const CpuJiffies machine0 = CpuJiffies::now();
      const std::uint64_t t0 = tsc_now();
      if (cfg_.rate > 0) open_loop();
      else saturate();
      r_.cpu_seconds = clock_.to_ns(tsc_now() - t0) * 1e-9;
      r_.generator = ThreadTimes::of(::getpid(), ::gettid()).since(gen0);
      r_.server = ServerTimes::of(cfg_.server_pid).since(srv0);
      const CpuJiffies machine1 = CpuJiffies::now();
      r_.machine_busy_seconds = static_cast<double>((machine1.all - machine1.idle) - (machine0.all - machine0.idle)) /
                                static_cast<double>(::sysconf(_SC_CLK_TCK));
    }
    for (const Conn& c : conns_) r_.unanswered += c.next - c.answered;
    return std::move(r_);
  }

 private:
  bool fail(std::string why) {
    if (r_.error.empty()) r_.error = std::move(why);
    return false;
  }

  bool connect_and_log_in() {
    ep_ = ::epoll_create1(EPOLL_CLOEXEC);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(cfg_.port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    protocol::ClientEncoder enc;
    for (std::uint32_t i = 0; i < conns_.size(); ++i) {
      Conn& c = conns_[i];
      c.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      const int one = 1;
      ::setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      if (::connect(c.fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0)
        return fail("connect to gpuxd: " + std::string(std::strerror(errno)));
      ::fcntl(c.fd, F_SETFL, ::fcntl(c.fd, F_GETFL) | O_NONBLOCK);
      epoll_event ev{};
      ev.events = EPOLLIN;
      ev.data.u32 = i;
      ::epoll_ctl(ep_, EPOLL_CTL_ADD, c.fd, &ev);
      // Cancel-on-disconnect: the next run starts from the book this one found.
      const auto frame = enc.login(bench_account(cfg_.first_account + i), kBenchToken, true);
      std::memcpy(c.tx.data(), frame.data(), frame.size());
      c.tx_to = frame.size();
      mark_dirty(i);
    }
    flush();
    const std::uint64_t deadline = tsc_now() + clock_.from_ns(kLoginNs);
    while (logged_in_ < conns_.size() && r_.error.empty()) {
      if (tsc_now() > deadline) return fail("gpuxd did not answer every login within 10 s");
      wait(1e6);
    }
    return r_.error.empty();
  }

  void open_loop() {
    const std::uint64_t total = std::llround(cfg_.rate * (cfg_.warmup_seconds + cfg_.seconds));
    const std::uint64_t warm = std::llround(cfg_.rate * cfg_.warmup_seconds);
    const std::uint64_t late = clock_.from_ns(kLateNs), spin = clock_.from_ns(kSpinNs);
    const std::size_t room = kTxBytes - frames_.max_bytes();
    const std::size_t n_conns = conns_.size();
    t0_ = tsc_now() + clock_.from_ns(1e6);  // a millisecond to settle
    per_slot_ = clock_.ticks_per_ns * 1e9 / cfg_.rate;
    warm_slots_ = warm;
    std::uint64_t k = 0, drain_deadline = 0;
    // Slot k is command k / C of connection k % C, due at t0 + k / rate.
    while (r_.error.empty()) {
      const std::uint64_t now = tsc_now();
      while (k < total && due(k) <= now) {
        Conn& c = conns_[k % n_conns];
        if (c.tx_to > room) break;  // the socket is full: the generator is behind
        if (k >= warm) {
          const std::uint64_t slip = now - due(k);
          r_.slip.record(slip);
          if (slip > late) ++r_.late;
        }
        queue(static_cast<std::uint32_t>(k % n_conns), now);
        if (++k == total) drain_deadline = now + clock_.from_ns(kDrainNs);
      }
      flush();
      if (k == total && (answered_ == r_.sent || now > drain_deadline)) break;
      // Poll while an ack is due too: sleeping would add the generator's own wake-up to it.
      const std::uint64_t until = answered_ < r_.sent ? now
                                  : k < total        ? due(k) - std::min(due(k), spin)
                                                     : drain_deadline;
      wait(until > now ? clock_.to_ns(until - now) : 0);
    }
    if (last_measured_ack_ > due(warm)) r_.measured_seconds = clock_.to_ns(last_measured_ack_ - due(warm)) * 1e-9;
  }

  void saturate() {
    std::uint64_t now = tsc_now();
    for (std::uint32_t i = 0; i < conns_.size(); ++i)
      for (std::uint32_t w = 0; w < cfg_.window; ++w) queue(i, now);
    flush();
    warm_at_ = now + clock_.from_ns(cfg_.warmup_seconds * 1e9);
    end_at_ = warm_at_ + clock_.from_ns(cfg_.seconds * 1e9);
    std::uint64_t drain_deadline = 0;
    while (r_.error.empty()) {
      now = tsc_now();
      if (!stopped_ && now >= end_at_) {
        stopped_ = true;
        drain_deadline = now + clock_.from_ns(kDrainNs);
      }
      if (stopped_ && (answered_ == r_.sent || now > drain_deadline)) break;
      const std::uint64_t until = stopped_ ? drain_deadline : now < warm_at_ ? warm_at_ : end_at_;
      wait(clock_.to_ns(until - std::min(until, now)));
      flush();
    }
    r_.measured_seconds = cfg_.seconds;
  }

  std::uint64_t due(std::uint64_t slot) const {
    return t0_ + static_cast<std::uint64_t>(static_cast<double>(slot) * per_slot_);
  }

  // Appends the connection's next command to its output.
  void queue(std::uint32_t i, std::uint64_t now) {
    Conn& c = conns_[i];
    c.tx_to += frames_.write(c.next, cfg_.depth, c.tx.data() + c.tx_to);
    c.sent_at[c.next & mask_] = now;
    ++c.next;
    ++r_.sent;
    mark_dirty(i);
  }

  void mark_dirty(std::uint32_t i) {
    if (conns_[i].dirty) return;
    conns_[i].dirty = true;
    dirty_.push_back(i);
  }

  void flush() {
    for (const std::uint32_t i : dirty_) {
      Conn& c = conns_[i];
      c.dirty = false;
      if (!c.want_out) write_out(i);
    }
    dirty_.clear();
  }

  void write_out(std::uint32_t i) {
    Conn& c = conns_[i];
    while (c.tx_from < c.tx_to) {
      const ssize_t n = ::write(c.fd, c.tx.data() + c.tx_from, c.tx_to - c.tx_from);
      if (n > 0) {
        c.tx_from += static_cast<std::size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && errno == EAGAIN) break;
      fail("write to gpuxd: " + std::string(std::strerror(errno)));
      return;
    }
    if (c.tx_from == c.tx_to) c.tx_from = c.tx_to = 0;
    const bool want_out = c.tx_from < c.tx_to;
    if (want_out != c.want_out) {
      c.want_out = want_out;
      epoll_event ev{};
      ev.events = EPOLLIN | (want_out ? EPOLLOUT : 0u);
      ev.data.u32 = i;
      ::epoll_ctl(ep_, EPOLL_CTL_MOD, c.fd, &ev);
    }
  }

  // One epoll wait of at most `ns`, then every ready connection's input and output.
  void wait(double ns) {
    timespec timeout{static_cast<time_t>(ns / 1e9), static_cast<long>(std::fmod(ns, 1e9))};
    epoll_event evs[256];
    const int n = ::epoll_pwait2(ep_, evs, 256, &timeout, nullptr);
    for (int e = 0; e < n; ++e) {
      const std::uint32_t i = evs[e].data.u32;
      if (evs[e].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) read_in(i);
      if ((evs[e].events & EPOLLOUT) && conns_[i].fd >= 0) write_out(i);
    }
  }

  void read_in(std::uint32_t i) {
    Conn& c = conns_[i];
    const ssize_t n = ::read(c.fd, c.rx.data() + c.rx_len, kRxBytes - c.rx_len);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
      fail("gpuxd closed connection " + std::to_string(i) + (n < 0 ? ": " + std::string(std::strerror(errno)) : ""));
      return;
    }
    if (n < 0) return;
    const std::uint64_t now = tsc_now();
    c.rx_len += static_cast<std::size_t>(n);
    std::size_t used = 0;
    while (c.rx_len - used >= kFrameHeader) {
      std::size_t length = 0;
      if (!protocol::frame_length(std::span<const std::uint8_t, kFrameHeader>(c.rx.data() + used, kFrameHeader),
                                 kRxBytes - kFrameHeader, length)) {
        fail("gpuxd sent a frame of length 0 or above " + std::to_string(kRxBytes - kFrameHeader));
        return;
      }
      if (c.rx_len - used - kFrameHeader < length) break;
      // FlatBuffers verification wants the envelope 8-byte aligned; in the stream it is not.
      auto* env = reinterpret_cast<std::uint8_t*>(scratch_.data());
      std::memcpy(env, c.rx.data() + used + kFrameHeader, length);
      used += kFrameHeader + length;
      flatbuffers::Verifier verifier(env, length);
      // The identifier as 4 bytes at offset 4 (BufferHasIdentifier calls strncmp for them).
      if (length < 8 || std::memcmp(env + 4, wire::EnvelopeIdentifier(), 4) != 0 ||
          !verifier.VerifyBuffer<wire::Envelope>(nullptr)) {  // the identifier is checked above
        fail("gpuxd sent an envelope that fails verification");
        return;
      }
      on_frame(i, *wire::GetEnvelope(env), now);
    }
    c.rx_len -= used;
    std::memmove(c.rx.data(), c.rx.data() + used, c.rx_len);
  }

  void on_frame(std::uint32_t i, const wire::Envelope& env, std::uint64_t now) {
    std::uint64_t ordinal = 0;
    switch (env.body_type()) {
      case wire::Body::Accepted:
        if (!parse_cl_id(env.body_as_Accepted()->cl_id(), ordinal)) break;
        ++r_.accepted;
        return answered(i, index_of_new(ordinal, cfg_.depth), true, now);
      case wire::Body::Canceled:
        if (env.body_as_Canceled()->reason() != wire::Reason::user ||
            !parse_cl_id(env.body_as_Canceled()->cl_id(), ordinal))
          break;
        ++r_.canceled;
        return answered(i, index_of_cancel(ordinal, cfg_.depth), true, now);
      case wire::Body::Rejected: {
        const auto* b = env.body_as_Rejected();
        if (!parse_cl_id(b->cl_id(), ordinal)) break;
        ++r_.rejected;
        ++r_.reject_reasons[static_cast<std::size_t>(b->reason()) % r_.reject_reasons.size()];
        return answered(i, index_of_new(ordinal, cfg_.depth), false, now);
      }
      case wire::Body::CancelRejected: {
        const auto* b = env.body_as_CancelRejected();
        if (!parse_cl_id(b->cl_id(), ordinal)) break;
        ++r_.cancel_rejected;
        ++r_.reject_reasons[static_cast<std::size_t>(b->reason()) % r_.reject_reasons.size()];
        return answered(i, index_of_cancel(ordinal, cfg_.depth), false, now);
      }
      case wire::Body::LoginAccepted:
        if (conns_[i].logged_in) break;
        conns_[i].logged_in = true;
        ++logged_in_;
        return;
      case wire::Body::LoginRefused:
        fail("gpuxd refused login " + bench_account(cfg_.first_account + i) + ": " +
             wire::EnumNameReason(env.body_as_LoginRefused()->reason()));
        return;
      case wire::Body::ProtocolReject:
        ++r_.protocol_rejects;
        fail(std::string("gpuxd sent ProtocolReject ") + wire::EnumNameReason(env.body_as_ProtocolReject()->reason()));
        return;
      case wire::Body::Heartbeat:
        return;
      default:
        break;
    }
    ++r_.unexpected;
  }

  void answered(std::uint32_t i, std::uint64_t n, bool ok, std::uint64_t now) {
    Conn& c = conns_[i];
    if (n >= c.next) {
      ++r_.unexpected;
      return;
    }
    ++c.answered;
    ++answered_;
    if (cfg_.rate > 0) {
      const std::uint64_t k = n * conns_.size() + i;
      if (ok && k >= warm_slots_) {
        r_.latency.record(now - std::min(now, due(k)));
        count_measured(n);
        last_measured_ack_ = now;
      }
      return;
    }
    if (ok && now >= warm_at_ && now < end_at_) {
      r_.latency.record(now - c.sent_at[n & mask_]);
      count_measured(n);
    }
    if (!stopped_ && c.next - c.answered < cfg_.window) queue(i, now);
  }

  void count_measured(std::uint64_t n) {
    ++r_.measured_acks;
    if (!step(n, cfg_.depth).cancel) ++r_.measured_new_acks;
  }

  const LoadConfig cfg_;
  const TscClock clock_;
  const Frames frames_;
  std::vector<Conn> conns_;
  std::vector<std::uint32_t> dirty_;
  std::vector<std::uint64_t> scratch_;  // 8-byte aligned copy of one envelope
  std::size_t mask_ = 0;
  int ep_ = -1;
  std::size_t logged_in_ = 0;
  std::uint64_t answered_ = 0;
  LoadResult r_;
  // open loop
  std::uint64_t t0_ = 0;
  double per_slot_ = 0;
  std::uint64_t warm_slots_ = 0, last_measured_ack_ = 0;
  // saturation
  std::uint64_t warm_at_ = 0, end_at_ = 0;
  bool stopped_ = false;
};

}  // namespace

LoadResult run_load(const LoadConfig& config, const TscClock& clock) { return Generator(config, clock).run(); }

std::size_t order_frame_bytes() { return Frames().new_order_bytes(); }

}  // namespace gpux::bench
