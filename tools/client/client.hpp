// A client of the gpux wire protocol (schemas/gpux.fbs) on Boost.Asio: connect, log in, send
// commands, receive every server frame through a callback. Heartbeats go out by themselves.
// render_json.hpp and render_text.hpp turn the frames into lines to print.
//
// One Client lives on one io_context and is used from the thread that runs it; several
// Clients may share an io_context. Nothing here throws: a call that cannot do its work returns
// false and leaves the reason in error().
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/command.hpp"
#include "schemas/gpux_generated.h"

namespace boost::asio {
class io_context;
}

namespace gpux::client {

// A server frame may carry a whole book: far more than a client frame, but still bounded, so
// a corrupt length cannot make us allocate gigabytes.
constexpr std::size_t kMaxServerFrame = 64u << 20;

// Cuts a byte stream into frames, however it was split or merged, and verifies each envelope.
class FrameReader {
 public:
  using Handler = std::function<void(const wire::Envelope&)>;

  explicit FrameReader(std::size_t max_frame = kMaxServerFrame) : max_frame_(max_frame) {}

  // Calls `handler` for each complete frame in `bytes` plus what an earlier call left over.
  // False, with error() set, at the first frame that is too large or fails verification: the
  // stream cannot be resynchronised after that.
  bool feed(std::span<const std::uint8_t> bytes, const Handler& handler);
  const std::string& error() const { return error_; }
  // The envelope bytes of the frame the handler is given, during the call.
  std::span<const std::uint8_t> frame() const {
    return {reinterpret_cast<const std::uint8_t*>(aligned_.data()), frame_length_};
  }

 private:
  std::size_t max_frame_;
  std::vector<std::uint8_t> pending_;
  std::vector<std::uint64_t> aligned_;  // FlatBuffers reads scalars in place: 8-byte aligned
  std::size_t frame_length_ = 0;
  std::string error_;
};

// Names an existing order for cancel and replace.
struct OrderRef {
  bool by_id;
  OrderId id;
  std::string cl_id;
  static OrderRef order_id(OrderId id) { return {true, id, {}}; }
  static OrderRef client_id(std::string_view cl_id) { return {false, 0, std::string(cl_id)}; }
};

// A server of a list: a primary and its standbys (docs/replication.md).
struct Server {
  std::string host;
  std::uint16_t port = 0;
  std::string text() const;  // as parse_server reads it
};

// "HOST:PORT[,HOST:PORT...]", the servers of one exchange in the order to try them (spaces
// around commas allowed); false with a message in `error` naming the entry at fault.
bool parse_servers(std::string_view text, std::vector<Server>& servers, std::string& error);

struct Credentials {
  std::string account;
  std::string token;
  bool cancel_all_on_disconnect = false;
};

struct FailoverOptions {
  // Per server, so that one dead host cannot use up the deadline.
  std::chrono::milliseconds connect_timeout = std::chrono::seconds(1);
  std::chrono::milliseconds login_timeout = std::chrono::seconds(3);
  std::chrono::milliseconds backoff = std::chrono::milliseconds(250);  // between passes over the list
  // The whole search: long enough for a standby to take over a lapsed lease (3 s by default).
  std::chrono::milliseconds deadline = std::chrono::seconds(10);
  std::function<bool()> stop;  // asked between attempts: true gives up (Ctrl-C)
};

class ReportFilter;

class Client {
 public:
  using MessageFn = std::function<void(const wire::Envelope&)>;
  using ClosedFn = std::function<void(const std::string& why)>;
  using Duration = std::chrono::milliseconds;

  explicit Client(boost::asio::io_context& io);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  boost::asio::io_context& io();

  // Every verified server frame, heartbeats included; the envelope is valid during the call.
  void on_message(MessageFn fn);
  // The connection ended for a reason other than close(): the server closed it, a socket
  // error, a malformed frame. error() says the same.
  void on_closed(ClosedFn fn);

  // Once per connection: reset() first to connect again.
  bool connect(std::string_view host, std::uint16_t port, Duration timeout = std::chrono::seconds(3));
  // Sends Login and waits for LoginAccepted (true) or LoginRefused (false, with the reason).
  bool login(std::string_view account, std::string_view token, bool cancel_all_on_disconnect = false,
             Duration timeout = std::chrono::seconds(3));
  // Sends Login only: the answer arrives through on_message, and logged_in() follows it.
  bool send_login(std::string_view account, std::string_view token, bool cancel_all_on_disconnect = false);
  // A market-data session (no account or token): Subscribe, Unsubscribe, quote and Heartbeat
  // only; it never holds an account's session, so watching never blocks trading.
  bool login_market_data(Duration timeout = std::chrono::seconds(3));
  bool send_login_market_data();

  // new, cancel, replace, mass_cancel, halt, resume, kill, unkill: account, seq and ts of `c`
  // are the server's business (kill and unkill name their target in c.account).
  bool send(const Command& c);
  bool cancel(const OrderRef& order);
  bool replace(const OrderRef& order, Price price, Qty qty, std::string_view new_cl_id = {});
  // Empty strings mean absent: all the account's orders, or one instrument's, or one product's.
  bool mass_cancel(std::string_view instrument = {}, std::string_view product = {});
  bool halt(std::string_view instrument, std::string_view product = {});
  bool resume(std::string_view instrument, std::string_view product = {});
  bool kill(std::string_view account);
  bool unkill(std::string_view account);
  bool subscribe(std::string_view instrument);
  bool unsubscribe(std::string_view instrument);
  // Every hour book of a product: answered by an HoursSnapshot, then BookUpdates with hours.
  bool subscribe_hours(std::string_view product);
  bool unsubscribe_hours(std::string_view product);
  // What a block of `qty` GPUs over the window `instrument` would cost now (limit 0: none):
  // answered by one QuoteReply.
  bool quote(std::string_view instrument, Side side, Qty qty, Price limit = 0);
  bool heartbeat();
  // Answered by one OpenOrder per resting order of the account, then OpenOrdersEnd.
  bool list_orders(std::string_view instrument = {});
  // Answered by the account's reports since `since_seq` as first sent, then ResendDone.
  bool resend(Seq since_seq);
  // Operator: the ledger of SPEC v2 §7. Risk checks on or off; qty GPUs into or out of
  // `account`'s holdings over the window `instrument`; cash in or out of it (`amount` a decimal
  // string in dollars, "-" to take cash out, sent as given).
  bool risk(bool on);
  bool deposit(std::string_view account, std::string_view instrument, Qty qty);
  bool withdraw(std::string_view account, std::string_view instrument, Qty qty);
  bool fund(std::string_view account, std::string_view amount);
  // The session's own account: answered by one BalanceReply, or one HoldingsReply (product
  // empty: every product with holdings; has_start_hour false: all time).
  bool balance();
  bool holdings(std::string_view product = {}, bool has_start_hour = false, std::int64_t start_hour = 0,
                std::int64_t hours = 0);

  // Runs the io_context until `done()` holds, the timeout passes, this connection ends or the
  // io_context is stopped; returns done().
  bool run_until(const std::function<bool()>& done, Duration timeout);
  // The same without a deadline: for streams that run until Ctrl-C stops the io_context.
  bool run_until(const std::function<bool()>& done);
  void run_for(Duration d);

  // Failover: connects and logs in to whichever server of the list is primary. A server that
  // cannot be reached, does not answer, or refuses the login because it is not the primary (a
  // standby answers not_primary) sends us to the next; passes over the list repeat, `backoff`
  // apart, until `deadline`. Returns the index of the server logged in to, or -1 with error()
  // saying what each server did last. A refusal that no other server would answer differently
  // (bad_credentials, bad_version) ends the search at once. Resets this Client first.
  int connect_primary(std::span<const Server> servers, const Credentials& credentials,
                      const FailoverOptions& options = {});
  // After the connection dropped: connect_primary, then Resend{filter.resend_since()} (the
  // server needs --journal) with `filter` holding reports until ResendDone, so that the
  // reports missed arrive once each and in seq order. Returns as connect_primary.
  int reconnect(std::span<const Server> servers, const Credentials& credentials, ReportFilter& filter,
                const FailoverOptions& options = {});

  // Closes the connection at once; on_closed is not called.
  void close();
  // Closes any connection and forgets it, login and all, so that connect() may be called again
  // (on this server or another); the callbacks stay. Not from inside a callback.
  void reset();

  bool connected() const;
  bool logged_in() const;
  const std::string& account() const;
  wire::Role role() const;
  std::uint32_t heartbeat_ms() const;
  const std::string& error() const;
  // Whether the last login was refused, and why (a standby answers not_primary).
  bool login_refused() const;
  wire::Reason refusal_reason() const;
  // The envelope bytes of the frame on_message is handling, valid during the call: resent
  // reports are the same bytes as first sent (ReportFilter).
  std::span<const std::uint8_t> frame() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;  // shared with pending handlers, which may outlive the Client
};

// "HOST:PORT" (or "[V6]:PORT"); false with a message in `error` when it is not one.
bool parse_server(std::string_view text, std::string& host, std::uint16_t& port, std::string& error);

// ---- failover (docs/replication.md) ----------------------------------------------------------

// Which reports a client has seen, so that after a reconnect it can ask for the rest with
// Resend and hand each on exactly once. Execution reports, operator and ledger events carry
// the seq of the command that made them; Resend{since} repeats every report of the account
// with seq > since, byte for byte. Give feed() every frame: other frames pass straight through.
class ReportFilter {
 public:
  // `through`: every report up to this seq is known already (0: none).
  explicit ReportFilter(Seq through = 0) : through_(through) {}

  // The since_seq of the Resend to send after a reconnect: one before the newest report seen,
  // because a connection can drop between two reports of one command.
  Seq resend_since() const;
  // A Resend went out: reports are held until ResendDone, then handed on in seq order without
  // the ones seen before. Live reports may come ahead of the resent ones, and the bytes cannot
  // tell them apart.
  void resending();
  void feed(const wire::Envelope& env, std::span<const std::uint8_t> frame, const Client::MessageFn& deliver);

  Seq last_seq() const { return std::max(last_, through_); }
  std::uint64_t dropped() const { return dropped_; }  // reports seen twice and not handed on

 private:
  void accept(Seq seq, const wire::Envelope& env, std::span<const std::uint8_t> frame,
              const Client::MessageFn& deliver);
  void release(const Client::MessageFn& deliver);

  Seq through_;   // every report up to here was handed on
  Seq last_ = 0;  // the newest report handed on; others of its seq may still come
  std::vector<std::vector<std::uint8_t>> at_last_;
  bool resending_ = false;
  Seq held_through_ = 0;  // what snapshots said during the resend, applied after it
  std::vector<std::pair<Seq, std::vector<std::uint8_t>>> held_;
  std::uint64_t dropped_ = 0;
};

// The seq of an execution report, operator or ledger event (0: a throttled refusal, never
// sequenced); false for any other frame.
bool report_seq(const wire::Envelope& env, Seq& seq);

}  // namespace gpux::client
