// A client of the gpux wire protocol (schemas/gpux.fbs) on Boost.Asio: connect, log in, send
// commands, receive every server frame through a callback. Heartbeats go out by themselves.
// render_json.hpp and render_text.hpp turn the frames into lines to print.
//
// One Client lives on one io_context and is used from the thread that runs it; several
// Clients may share an io_context. Nothing here throws: a call that cannot do its work returns
// false and leaves the reason in error().
#pragma once

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

 private:
  std::size_t max_frame_;
  std::vector<std::uint8_t> pending_;
  std::vector<std::uint64_t> aligned_;  // FlatBuffers reads scalars in place: 8-byte aligned
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

  // A Client connects once; a new connection needs a new Client.
  bool connect(std::string_view host, std::uint16_t port, Duration timeout = std::chrono::seconds(3));
  // Sends Login and waits for LoginAccepted (true) or LoginRefused (false, with the reason).
  bool login(std::string_view account, std::string_view token, bool cancel_all_on_disconnect = false,
             Duration timeout = std::chrono::seconds(3));
  // Sends Login only: the answer arrives through on_message, and logged_in() follows it.
  bool send_login(std::string_view account, std::string_view token, bool cancel_all_on_disconnect = false);

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

  // Closes the connection at once; on_closed is not called.
  void close();

  bool connected() const;
  bool logged_in() const;
  const std::string& account() const;
  wire::Role role() const;
  std::uint32_t heartbeat_ms() const;
  const std::string& error() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;  // shared with pending handlers, which may outlive the Client
};

// "HOST:PORT" (or "[V6]:PORT"); false with a message in `error` when it is not one.
bool parse_server(std::string_view text, std::string& host, std::uint16_t& port, std::string& error);

}  // namespace gpux::client
