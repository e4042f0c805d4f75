// asio 1.74's awaitable.hpp uses std::exchange without including <utility>; GCC 12 in C++20
// mode does not bring it in by accident, so it must come first.
#include <utility>

#include "tools/client/client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <cstring>

#include "schemas/codec.hpp"

namespace gpux::client {

namespace asio = boost::asio;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

// ---- framing -------------------------------------------------------------------------------

bool FrameReader::feed(std::span<const std::uint8_t> bytes, const Handler& handler) {
  if (!error_.empty()) return false;
  pending_.insert(pending_.end(), bytes.begin(), bytes.end());
  std::size_t used = 0;
  bool ok = true;
  while (pending_.size() - used >= protocol::kFrameHeader) {
    std::size_t length = 0;
    const std::span<const std::uint8_t, protocol::kFrameHeader> header(pending_.data() + used, protocol::kFrameHeader);
    if (!protocol::frame_length(header, max_frame_, length)) {
      error_ = "the server sent a frame of length " + std::to_string(length) + " (0 or above the limit)";
      ok = false;
      break;
    }
    if (pending_.size() - used - protocol::kFrameHeader < length) break;
    aligned_.resize((length + 7) / 8);
    std::memcpy(aligned_.data(), pending_.data() + used + protocol::kFrameHeader, length);
    used += protocol::kFrameHeader + length;
    frame_length_ = length;
    const auto* data = reinterpret_cast<const std::uint8_t*>(aligned_.data());
    if (length < 8 || !flatbuffers::BufferHasIdentifier(data, wire::EnvelopeIdentifier())) {
      error_ = "the server sent a frame that is not a gpux envelope";
      ok = false;
      break;
    }
    flatbuffers::Verifier verifier(data, length);
    if (!wire::VerifyEnvelopeBuffer(verifier)) {
      error_ = "the server sent an envelope that fails FlatBuffers verification";
      ok = false;
      break;
    }
    handler(*wire::GetEnvelope(data));
  }
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(used));
  return ok;
}

// ---- the connection ------------------------------------------------------------------------

namespace {

std::string reason_text(wire::Reason reason, const flatbuffers::String* text) {
  std::string out = wire::EnumNameReason(reason);
  if (text != nullptr && text->size() > 0) out += " (" + text->str() + ")";
  return out;
}

}  // namespace

struct Client::Impl : std::enable_shared_from_this<Impl> {
  enum class State { idle, connecting, connected, closed };

  explicit Impl(asio::io_context& io) : io(io), socket(io), heartbeat_timer(io) {}

  asio::io_context& io;
  tcp::socket socket;
  asio::steady_timer heartbeat_timer;
  std::shared_ptr<tcp::resolver> resolver;
  State state = State::idle;
  protocol::ClientEncoder encoder;
  FrameReader reader;
  std::array<std::uint8_t, 1 << 16> rx{};
  std::vector<std::uint8_t> queued, writing;  // writing is in flight while queued fills up
  bool write_active = false;
  Clock::time_point last_sent{};

  bool login_answered = false;
  bool logged_in = false;
  bool login_refused = false;
  wire::Reason refusal_reason = wire::Reason::bad_credentials;
  std::string account;
  wire::Role role = wire::Role::trader;
  std::uint32_t heartbeat_ms = 0;

  std::string error;
  std::string refusal;  // what the server said before it closed, which beats "closed"
  MessageFn on_message;
  ClosedFn on_closed;

  void fail(const std::string& why) {
    if (state == State::closed) return;
    state = State::closed;
    logged_in = false;
    error = refusal.empty() ? why : refusal;
    shutdown();
    if (on_closed) on_closed(error);
  }

  void shutdown() {
    boost::system::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
    heartbeat_timer.cancel();
    if (resolver) resolver->cancel();
  }

  void read() {
    socket.async_read_some(asio::buffer(rx), [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
      if (self->state != State::connected) return;
      if (ec) {
        self->fail(ec == asio::error::eof ? "the server closed the connection" : "connection lost: " + ec.message());
        return;
      }
      const bool ok =
          self->reader.feed(std::span<const std::uint8_t>(self->rx.data(), n), [&](const wire::Envelope& env) {
            if (self->state == State::connected) self->dispatch(env);
          });
      if (!ok) return self->fail(self->reader.error());
      if (self->state == State::connected) self->read();
    });
  }

  void dispatch(const wire::Envelope& env) {
    switch (env.body_type()) {
      case wire::Body::LoginAccepted: {
        const auto* b = env.body_as_LoginAccepted();
        login_answered = logged_in = true;
        if (b->account()) account = b->account()->str();
        role = b->role();
        heartbeat_ms = b->heartbeat_ms();
        schedule_heartbeat();
        break;
      }
      case wire::Body::LoginRefused: {
        const auto* b = env.body_as_LoginRefused();
        login_answered = login_refused = true;
        refusal_reason = b->reason();
        refusal = error = "login refused: " + reason_text(b->reason(), b->text());
        break;
      }
      case wire::Body::ProtocolReject: {
        const auto* b = env.body_as_ProtocolReject();
        refusal = error = "the server rejected a frame: " + reason_text(b->reason(), b->text());
        break;
      }
      default:
        // Some rejects leave the session open (not_operator, throttled): a refusal explains a
        // close only when nothing came between them.
        refusal.clear();
        break;
    }
    if (on_message) on_message(env);
  }

  bool send(std::span<const std::uint8_t> frame) {
    if (state != State::connected) {
      error = state == State::closed && !error.empty() ? error : "not connected";
      return false;
    }
    queued.insert(queued.end(), frame.begin(), frame.end());
    last_sent = Clock::now();
    if (!write_active) write();
    return true;
  }

  void write() {
    write_active = true;
    writing.swap(queued);
    queued.clear();
    asio::async_write(socket, asio::buffer(writing),
                      [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                        self->write_active = false;
                        self->writing.clear();
                        if (self->state != State::connected) return;
                        if (ec) return self->fail("connection lost: " + ec.message());
                        if (!self->queued.empty()) self->write();
                      });
  }

  // The server closes sessions it has not heard from; we speak whenever we were silent for
  // the interval it asked for.
  void schedule_heartbeat() {
    if (heartbeat_ms == 0 || state != State::connected) return;
    const auto interval = std::chrono::milliseconds(heartbeat_ms);
    heartbeat_timer.expires_at(std::max(last_sent + interval, Clock::now() + std::chrono::milliseconds(1)));
    heartbeat_timer.async_wait([self = shared_from_this(), interval](boost::system::error_code ec) {
      if (ec || self->state != State::connected) return;
      if (Clock::now() - self->last_sent >= interval) self->send(self->encoder.heartbeat());
      self->schedule_heartbeat();
    });
  }
};

Client::Client(asio::io_context& io) : impl_(std::make_shared<Impl>(io)) {}

Client::~Client() {
  impl_->on_message = nullptr;
  impl_->on_closed = nullptr;
  close();
}

asio::io_context& Client::io() { return impl_->io; }
void Client::on_message(MessageFn fn) { impl_->on_message = std::move(fn); }
void Client::on_closed(ClosedFn fn) { impl_->on_closed = std::move(fn); }

bool Client::connect(std::string_view host, std::uint16_t port, Duration timeout) {
  Impl& s = *impl_;
  if (s.state != Impl::State::idle) {
    s.error = "a Client connects once until reset(), which it needs before connecting again";
    return false;
  }
  const std::string where = std::string(host) + ":" + std::to_string(port);
  s.state = Impl::State::connecting;
  s.resolver = std::make_shared<tcp::resolver>(s.io);
  auto self = impl_;
  s.resolver->async_resolve(std::string(host), std::to_string(port),
                            [self, where](boost::system::error_code ec, const tcp::resolver::results_type& endpoints) {
                              if (self->state != Impl::State::connecting) return;
                              if (ec) {
                                self->state = Impl::State::closed;
                                self->error = "cannot resolve " + where + ": " + ec.message();
                                return;
                              }
                              asio::async_connect(self->socket, endpoints,
                                                  [self, where](boost::system::error_code ec, const tcp::endpoint&) {
                                                    if (self->state != Impl::State::connecting) return;
                                                    if (ec) {
                                                      self->state = Impl::State::closed;
                                                      self->error = "cannot connect to " + where + ": " + ec.message();
                                                      return;
                                                    }
                                                    boost::system::error_code ignored;
                                                    self->socket.set_option(tcp::no_delay(true), ignored);
                                                    self->state = Impl::State::connected;
                                                    self->read();
                                                  });
                            });
  run_until([&] { return s.state != Impl::State::connecting; }, timeout);
  if (s.state == Impl::State::connecting) {
    s.state = Impl::State::closed;
    s.shutdown();
    s.error = "cannot connect to " + where + ": timed out";
  }
  return s.state == Impl::State::connected;
}

bool Client::send_login(std::string_view account, std::string_view token, bool cancel_all_on_disconnect) {
  impl_->login_answered = impl_->login_refused = false;
  return impl_->send(impl_->encoder.login(account, token, cancel_all_on_disconnect));
}

bool Client::send_login_market_data() {
  impl_->login_answered = impl_->login_refused = false;
  return impl_->send(impl_->encoder.login_market_data());
}

bool Client::login_market_data(Duration timeout) {
  if (!send_login_market_data()) return false;
  if (!run_until([&] { return impl_->login_answered; }, timeout) && impl_->error.empty())
    impl_->error = "no answer to login within " + std::to_string(timeout.count()) + " ms";
  return impl_->logged_in;
}

bool Client::login(std::string_view account, std::string_view token, bool cancel_all_on_disconnect, Duration timeout) {
  if (!send_login(account, token, cancel_all_on_disconnect)) return false;
  if (!run_until([&] { return impl_->login_answered; }, timeout) && impl_->error.empty())
    impl_->error = "no answer to login within " + std::to_string(timeout.count()) + " ms";
  return impl_->logged_in;
}

bool Client::send(const Command& c) {
  switch (c.type) {
    case CommandType::clock:
    case CommandType::disconnect:
      impl_->error = "clock and disconnect commands are the server's own";
      return false;
    default:
      return impl_->send(impl_->encoder.command(c));
  }
}

namespace {

void set_ref(Command& c, const OrderRef& order) {
  c.has_order_id = order.by_id;
  c.order_id = order.id;
  c.has_cl_id = !order.by_id;
  if (!order.by_id) c.cl_id.assign(order.cl_id);
}

}  // namespace

bool Client::cancel(const OrderRef& order) {
  Command c = make_command(CommandType::cancel, 0, 0);
  set_ref(c, order);
  return send(c);
}

bool Client::replace(const OrderRef& order, Price price, Qty qty, std::string_view new_cl_id) {
  Command c = make_command(CommandType::replace, 0, 0);
  set_ref(c, order);
  c.price = PriceField{true, true, price};
  c.qty = qty;
  c.has_new_cl_id = !new_cl_id.empty();
  c.new_cl_id.assign(new_cl_id);
  return send(c);
}

namespace {

Command targeted(CommandType type, std::string_view instrument, std::string_view product) {
  Command c = make_command(type, 0, 0);
  c.has_instrument = !instrument.empty();
  c.instrument.assign(instrument);
  c.has_product = !product.empty();
  c.product.assign(product);
  return c;
}

}  // namespace

bool Client::mass_cancel(std::string_view instrument, std::string_view product) {
  return send(targeted(CommandType::mass_cancel, instrument, product));
}
bool Client::halt(std::string_view instrument, std::string_view product) {
  return send(targeted(CommandType::halt, instrument, product));
}
bool Client::resume(std::string_view instrument, std::string_view product) {
  return send(targeted(CommandType::resume, instrument, product));
}

bool Client::kill(std::string_view account) {
  Command c = make_command(CommandType::kill, 0, 0);
  c.account.assign(account);
  return send(c);
}

bool Client::unkill(std::string_view account) {
  Command c = make_command(CommandType::unkill, 0, 0);
  c.account.assign(account);
  return send(c);
}

bool Client::subscribe(std::string_view instrument) { return impl_->send(impl_->encoder.subscribe(instrument, true)); }
bool Client::unsubscribe(std::string_view instrument) {
  return impl_->send(impl_->encoder.subscribe(instrument, false));
}
bool Client::heartbeat() { return impl_->send(impl_->encoder.heartbeat()); }
bool Client::subscribe_hours(std::string_view product) {
  return impl_->send(impl_->encoder.subscribe_hours(product, true));
}
bool Client::unsubscribe_hours(std::string_view product) {
  return impl_->send(impl_->encoder.subscribe_hours(product, false));
}
bool Client::quote(std::string_view instrument, Side side, Qty qty, Price limit) {
  return impl_->send(impl_->encoder.quote(instrument, side, qty, limit));
}
bool Client::list_orders(std::string_view instrument) { return impl_->send(impl_->encoder.list_orders(instrument)); }
bool Client::resend(Seq since_seq) { return impl_->send(impl_->encoder.resend(since_seq)); }

bool Client::risk(bool on) {
  Command c = make_command(CommandType::risk, 0, 0);
  c.risk_on = on;
  return send(c);
}

namespace {
bool ledger_command(Client& client, CommandType type, std::string_view account, std::string_view instrument, Qty qty,
                    std::string_view amount) {
  Command c = make_command(type, 0, 0);
  c.account.assign(account);
  c.instrument.assign(instrument);
  c.has_instrument = true;
  c.qty = qty;
  c.amount_text.assign(amount);
  return client.send(c);
}
}  // namespace

bool Client::deposit(std::string_view account, std::string_view instrument, Qty qty) {
  return ledger_command(*this, CommandType::deposit, account, instrument, qty, {});
}
bool Client::withdraw(std::string_view account, std::string_view instrument, Qty qty) {
  return ledger_command(*this, CommandType::withdraw, account, instrument, qty, {});
}
bool Client::fund(std::string_view account, std::string_view amount) {
  return ledger_command(*this, CommandType::fund, account, {}, 0, amount);
}
bool Client::balance() { return impl_->send(impl_->encoder.balance()); }
bool Client::holdings(std::string_view product, bool has_start_hour, std::int64_t start_hour, std::int64_t hours) {
  return impl_->send(impl_->encoder.holdings(product, has_start_hour, start_hour, hours));
}

bool Client::run_until(const std::function<bool()>& done, Duration timeout) {
  const auto now = Clock::now();
  const auto deadline = timeout >= std::chrono::duration_cast<Duration>(Clock::time_point::max() - now)
                            ? Clock::time_point::max()
                            : now + timeout;
  asio::io_context& io = impl_->io;
  if (io.stopped()) io.restart();
  while (!done() && impl_->state != Impl::State::closed) {
    if (Clock::now() >= deadline) break;
    if (io.run_one_until(deadline) == 0 && io.stopped()) break;
  }
  return done();
}

bool Client::run_until(const std::function<bool()>& done) { return run_until(done, Duration::max()); }

void Client::run_for(Duration d) {
  run_until([] { return false; }, d);
}

void Client::close() {
  Impl& s = *impl_;
  if (s.state == Impl::State::idle || s.state == Impl::State::closed) return;
  s.state = Impl::State::closed;
  s.logged_in = false;
  s.shutdown();
}

void Client::reset() {
  close();
  auto fresh = std::make_shared<Impl>(impl_->io);
  fresh->on_message = impl_->on_message;
  fresh->on_closed = impl_->on_closed;
  impl_->on_message = nullptr;
  impl_->on_closed = nullptr;
  impl_ = std::move(fresh);
}

bool Client::connected() const { return impl_->state == Impl::State::connected; }
bool Client::logged_in() const { return impl_->logged_in; }
const std::string& Client::account() const { return impl_->account; }
wire::Role Client::role() const { return impl_->role; }
std::uint32_t Client::heartbeat_ms() const { return impl_->heartbeat_ms; }
const std::string& Client::error() const { return impl_->error; }
bool Client::login_refused() const { return impl_->login_refused; }
wire::Reason Client::refusal_reason() const { return impl_->refusal_reason; }
std::span<const std::uint8_t> Client::frame() const { return impl_->reader.frame(); }

bool parse_server(std::string_view text, std::string& host, std::uint16_t& port, std::string& error) {
  std::string_view h, p;
  if (text.starts_with('[')) {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      error = "expected [ADDRESS]:PORT, got '" + std::string(text) + "'";
      return false;
    }
    h = text.substr(1, close - 1);
    p = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      error = "expected HOST:PORT, got '" + std::string(text) + "'";
      return false;
    }
    h = text.substr(0, colon);
    p = text.substr(colon + 1);
  }
  unsigned value = 0;
  bool digits = !p.empty() && p.size() <= 5;
  for (char c : p) {
    if (c < '0' || c > '9')
      digits = false;
    else
      value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (h.empty() || !digits || value == 0 || value > 65535) {
    error = "expected HOST:PORT with a port in 1..65535, got '" + std::string(text) + "'";
    return false;
  }
  host = std::string(h);
  port = static_cast<std::uint16_t>(value);
  return true;
}

// ---- failover ------------------------------------------------------------------------------

std::string Server::text() const {
  const std::string p = std::to_string(port);
  return host.find(':') == std::string::npos ? host + ":" + p : "[" + host + "]:" + p;
}

bool parse_servers(std::string_view text, std::vector<Server>& servers, std::string& error) {
  constexpr const char* kForm = "HOST:PORT[,HOST:PORT...]";
  std::vector<Server> out;
  std::size_t at = 0;
  for (int n = 1;; ++n) {
    const auto comma = text.find(',', at);
    std::string_view entry = text.substr(at, comma == std::string_view::npos ? std::string_view::npos : comma - at);
    while (!entry.empty() && entry.front() == ' ') entry.remove_prefix(1);
    while (!entry.empty() && entry.back() == ' ') entry.remove_suffix(1);
    const std::string which = "server " + std::to_string(n) + " of '" + std::string(text) + "'";
    if (entry.empty()) {
      error = comma == std::string_view::npos && n == 1 ? std::string("expected ") + kForm + ", got nothing"
                                                        : which + " is empty (expected " + kForm + ")";
      return false;
    }
    Server s;
    std::string why;
    if (!parse_server(entry, s.host, s.port, why)) {
      error = which + ": " + why;
      return false;
    }
    for (const Server& earlier : out)
      if (earlier.host == s.host && earlier.port == s.port) {
        error = which + ": " + s.text() + " is listed twice";
        return false;
      }
    out.push_back(std::move(s));
    if (comma == std::string_view::npos) break;
    at = comma + 1;
  }
  servers = std::move(out);
  return true;
}

namespace {

// Waits on the io_context rather than sleeping, so that other clients on it stay served. The
// flag is shared: if the io_context stops first, the handler runs after we have returned.
void idle_for(asio::io_context& io, Client::Duration d) {
  asio::steady_timer timer(io, d);
  auto fired = std::make_shared<bool>(false);
  timer.async_wait([fired](boost::system::error_code) { *fired = true; });
  if (io.stopped()) io.restart();
  while (!*fired && io.run_one() > 0) {
  }
}

}  // namespace

int Client::connect_primary(std::span<const Server> servers, const Credentials& credentials,
                            const FailoverOptions& options) {
  if (servers.empty()) {
    reset();
    impl_->error = "no server to connect to";
    return -1;
  }
  const auto deadline = Clock::now() + options.deadline;
  const auto left = [&] {
    return std::max(Duration(1), std::chrono::duration_cast<Duration>(deadline - Clock::now()));
  };
  std::vector<std::string> last(servers.size());
  for (;;) {
    for (std::size_t i = 0; i < servers.size(); ++i) {
      const Server& s = servers[i];
      reset();
      if (connect(s.host, s.port, std::min(options.connect_timeout, left())) &&
          login(credentials.account, credentials.token, credentials.cancel_all_on_disconnect,
                std::min(options.login_timeout, left())))
        return static_cast<int>(i);
      last[i] = error();
      if (login_refused() &&
          (refusal_reason() == wire::Reason::bad_credentials || refusal_reason() == wire::Reason::bad_version)) {
        reset();
        impl_->error = s.text() + ": " + last[i];
        return -1;
      }
      if (Clock::now() >= deadline || (options.stop && options.stop())) break;
    }
    if (Clock::now() + options.backoff >= deadline || (options.stop && options.stop())) break;
    idle_for(io(), options.backoff);
  }
  std::string why = "no primary among " + std::to_string(servers.size()) + " server" +
                    (servers.size() == 1 ? "" : "s") + " within " + std::to_string(options.deadline.count()) + " ms";
  for (std::size_t i = 0; i < servers.size(); ++i)
    why += (i == 0 ? ": " : "; ") + servers[i].text() + " " + (last[i].empty() ? "not tried" : last[i]);
  reset();
  impl_->error = why;
  return -1;
}

bool report_seq(const wire::Envelope& env, Seq& seq) {
  using B = wire::Body;
  switch (env.body_type()) {
#define GPUX_REPORT(T) \
  case B::T:           \
    seq = env.body_as_##T()->seq(); \
    return true;
    GPUX_REPORT(Accepted)
    GPUX_REPORT(Rejected)
    GPUX_REPORT(Fill)
    GPUX_REPORT(Canceled)
    GPUX_REPORT(Expired)
    GPUX_REPORT(Replaced)
    GPUX_REPORT(CancelRejected)
    GPUX_REPORT(ReplaceRejected)
    GPUX_REPORT(Halted)
    GPUX_REPORT(Resumed)
    GPUX_REPORT(Killed)
    GPUX_REPORT(Unkilled)
    GPUX_REPORT(RiskSet)
    GPUX_REPORT(Deposited)
    GPUX_REPORT(Withdrawn)
    GPUX_REPORT(DepositRejected)
    GPUX_REPORT(WithdrawRejected)
    GPUX_REPORT(Funded)
    GPUX_REPORT(FundRejected)
#undef GPUX_REPORT
    default:
      return false;
  }
}

Seq ReportFilter::resend_since() const { return last_ > through_ ? last_ - 1 : through_; }

void ReportFilter::resending() {
  resending_ = true;
  held_through_ = 0;
}

void ReportFilter::feed(const wire::Envelope& env, std::span<const std::uint8_t> frame,
                        const Client::MessageFn& deliver) {
  Seq seq = 0;
  if (report_seq(env, seq)) {
    if (seq == 0) return deliver(env);  // a throttled refusal: never sequenced, never resent
    if (!resending_) return accept(seq, env, frame, deliver);
    held_.emplace_back(seq, std::vector<std::uint8_t>(frame.begin(), frame.end()));
    return;
  }
  // A snapshot is taken after every report up to its seq was routed to us; an update is routed
  // with its command's reports, which may still follow it.
  Seq complete = 0;
  if (const auto* b = env.body_as_BookSnapshot()) complete = b->seq();
  if (const auto* b = env.body_as_HoursSnapshot()) complete = b->seq();
  if (const auto* b = env.body_as_BookUpdate()) complete = b->seq() - 1;
  if (const auto* b = env.body_as_PublicTrade()) complete = b->seq() - 1;
  if (const auto* d = env.body_as_ResendDone(); d != nullptr && resending_) {
    held_through_ = std::max(held_through_, d->through_seq());
    release(deliver);
  } else if (const auto* r = env.body_as_ProtocolReject(); r != nullptr && resending_ &&
             (r->reason() == wire::Reason::resend_unavailable || r->reason() == wire::Reason::throttled ||
              r->reason() == wire::Reason::in_progress)) {
    release(deliver);  // no resend after all: hand on what came; the caller hears why next
  }
  if (resending_)
    held_through_ = std::max(held_through_, complete);
  else
    through_ = std::max(through_, complete);
  deliver(env);
}

void ReportFilter::accept(Seq seq, const wire::Envelope& env, std::span<const std::uint8_t> frame,
                          const Client::MessageFn& deliver) {
  if (seq <= through_ || seq < last_) {
    ++dropped_;
    return;
  }
  if (seq == last_) {
    for (const auto& seen : at_last_)
      if (std::equal(seen.begin(), seen.end(), frame.begin(), frame.end())) {
        ++dropped_;
        return;
      }
  } else {
    last_ = seq;
    at_last_.clear();
  }
  at_last_.emplace_back(frame.begin(), frame.end());
  deliver(env);
}

void ReportFilter::release(const Client::MessageFn& deliver) {
  resending_ = false;
  auto held = std::move(held_);
  held_.clear();
  std::stable_sort(held.begin(), held.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::uint64_t> aligned;  // FlatBuffers reads scalars in place
  for (const auto& [seq, bytes] : held) {
    aligned.assign((bytes.size() + 7) / 8, 0);
    std::memcpy(aligned.data(), bytes.data(), bytes.size());
    const std::span<const std::uint8_t> frame(reinterpret_cast<const std::uint8_t*>(aligned.data()), bytes.size());
    accept(seq, *wire::GetEnvelope(frame.data()), frame, deliver);
  }
  through_ = std::max(through_, held_through_);
}

int Client::reconnect(std::span<const Server> servers, const Credentials& credentials, ReportFilter& filter,
                      const FailoverOptions& options) {
  const int used = connect_primary(servers, credentials, options);
  if (used < 0) return -1;
  filter.resending();
  if (!resend(filter.resend_since())) return -1;
  return used;
}

}  // namespace gpux::client
