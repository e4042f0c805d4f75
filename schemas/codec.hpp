// The wire protocol's codec (schemas/gpux.fbs): client frames to engine commands, engine events
// to server frames. No sockets here; the server and the client library frame bytes with it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <flatbuffers/flatbuffers.h>

#include "engine/command.hpp"
#include "engine/engine.hpp"
#include "engine/event.hpp"
#include "schemas/gpux_generated.h"

namespace gpux::protocol {

constexpr std::uint16_t kSchemaVersion = 1;
constexpr std::size_t kFrameHeader = 4;        // little-endian length of the envelope after it
constexpr std::size_t kMaxClientFrame = 1024;  // a client envelope larger than this is refused
constexpr std::size_t kMaxTokenLen = 128;

enum class ClientKind : std::uint8_t {
  login, command, subscribe, unsubscribe, heartbeat, list_orders, resend, quote, balance, holdings
};

// HoldingsRequest bounds: a window of at most kMaxHoldingsHours from an hour in
// [0, kMaxHoldingsStartHour] (year 13000 or so); a reply carries at most kMaxHoldingRuns runs.
constexpr std::int64_t kMaxHoldingsHours = 100'000;
constexpr std::int64_t kMaxHoldingsStartHour = 100'000'000;
constexpr std::size_t kMaxHoldingRuns = 8192;

struct LoginRequest {
  std::uint16_t version;
  FixedString<kMaxAccountLen> account;
  FixedString<kMaxTokenLen> token;
  bool cancel_all_on_disconnect;
  bool market_data;  // a market-data session: account and token are empty (ignored on the wire)
};

// A decoded client frame. For `command`, every field is set but account, seq and ts: the
// session knows the account, the sequencer stamps seq and ts. A quote travels in `command` too:
// instrument, side, qty, and price (present when a limit was given).
struct ClientMessage {
  ClientKind kind;
  bool operator_only;  // halt, resume, kill, unkill, risk, deposit, withdraw, fund
  LoginRequest login;
  Command command;
  // subscribe, unsubscribe: the instrument, or with `hours` the product; list_orders: the
  // instrument when has_instrument
  FixedString<kMaxSymbolLen> instrument;
  bool has_instrument;
  bool hours;
  Seq since_seq;  // resend
  // holdings: the product in `instrument` when has_instrument; the window when has_start_hour
  bool has_start_hour;
  std::int64_t start_hour;
  std::int64_t window_hours;
};

// One product's runs for a HoldingsReply.
struct ProductRunsView {
  std::string_view product;
  std::span<const wire::HoldingRun> runs;
};

// One hour book for an HoursSnapshot: its one-hour symbol, its hour (hours since the epoch),
// its levels best first.
struct HourBookView {
  std::string_view instrument;
  std::int64_t hour;
  std::span<const wire::Level> bids;
  std::span<const wire::Level> asks;
};

// Dollars with 4 decimals, exact, of an amount in $0.0001 ("15638.4000", "-0.5000"):
// QuoteReply.notional, and the money of Funded and BalanceReply.
std::string notional_text(I128 units);

struct DecodeError {
  wire::Reason reason;
  const char* text;
};

// Finishes `env` and writes header + envelope into `out`; returns the whole frame.
std::span<const std::uint8_t> frame(flatbuffers::FlatBufferBuilder& fbb, flatbuffers::Offset<wire::Envelope> env,
                                    std::vector<std::uint8_t>& out);

// Decodes one envelope (the bytes after the length header). On failure fills `error`: the
// session answers with a ProtocolReject and closes.
bool decode_client(std::span<const std::uint8_t> envelope, ClientMessage& out, DecodeError& error);

// Reads the length header; false when the declared length is 0 or above `max_frame`.
bool frame_length(std::span<const std::uint8_t, kFrameHeader> header, std::size_t max_frame,
                  std::size_t& length);

wire::Reason to_wire(Reason r);

// Builds server frames (header included) into one reused builder; each result stays valid until
// the next call.
class ServerEncoder {
 public:
  std::span<const std::uint8_t> login_accepted(std::string_view account, wire::Role role,
                                               std::uint32_t heartbeat_ms);
  std::span<const std::uint8_t> login_refused(wire::Reason reason, std::string_view text);
  std::span<const std::uint8_t> protocol_reject(wire::Reason reason, std::string_view text);
  std::span<const std::uint8_t> heartbeat();

  // An execution report or operator event for one audience. `instrument` is the event's
  // symbol (accepted, trade), `account` the name of the account it concerns (for a trade, the
  // account of `side`).
  // For a trade, `side` says whose fill this is. Throttled orders go out as `rejected` events
  // with reason throttled, built by the caller.
  std::span<const std::uint8_t> event(const Event& e, std::string_view instrument,
                                      std::string_view account, Side side = Side::buy);
  std::span<const std::uint8_t> rejected(Seq seq, Ts ts, std::string_view cl_id, wire::Reason reason);
  // A CancelRejected (cancel) or ReplaceRejected, for reasons the engine never gives (throttled).
  std::span<const std::uint8_t> lookup_rejected(bool cancel, Seq seq, Ts ts, std::string_view cl_id, bool has_cl_id,
                                                bool has_order_id, OrderId order_id, wire::Reason reason,
                                                std::string_view account = {});

  std::span<const std::uint8_t> book_snapshot(Seq seq, std::string_view instrument,
                                              std::span<const wire::Level> bids,
                                              std::span<const wire::Level> asks);
  // `hours`: a level of the hour book of `instrument` (a one-hour symbol).
  std::span<const std::uint8_t> book_update(Seq seq, std::string_view instrument, Side side,
                                            const wire::Level& level, bool hours = false);
  std::span<const std::uint8_t> hours_snapshot(Seq seq, std::string_view product, std::span<const HourBookView> books);
  // The answer to a quote request for `qty` GPUs of `instrument` on `side`.
  std::span<const std::uint8_t> quote_reply(Seq seq, std::string_view instrument, Side side, Qty qty, const Quote& q);
  std::span<const std::uint8_t> public_trade(const Event& trade, std::string_view instrument);

  // One resting order as of `seq`, carried in an Event's fields: order_id, cl_id, side, price,
  // qty (open), leaves (shown), tif, expire_ts, display_qty (has_display_qty), divisible,
  // buy_leaves (resting hours), sell_leaves (GPU-hours resting).
  std::span<const std::uint8_t> open_order(Seq seq, const Event& order, std::string_view instrument);
  std::span<const std::uint8_t> open_orders_end(Seq seq, std::uint32_t count);
  std::span<const std::uint8_t> resend_done(Seq since_seq, Seq through_seq);
  // The ledger queries' answers (SPEC v2 §7), exact as of `seq`.
  std::span<const std::uint8_t> balance_reply(Seq seq, std::string_view account, const Balance& b);
  std::span<const std::uint8_t> holdings_reply(Seq seq, std::string_view account, bool has_start_hour,
                                               std::int64_t start_hour, std::int64_t hours,
                                               std::span<const ProductRunsView> products, bool truncated);

 private:
  template <class T>
  std::span<const std::uint8_t> finish(flatbuffers::Offset<T> body, wire::Body type);
  flatbuffers::FlatBufferBuilder fbb_{512};
  std::vector<std::uint8_t> frame_;
  std::vector<flatbuffers::Offset<wire::HourBook>> hour_books_;
  std::vector<flatbuffers::Offset<wire::ProductHoldings>> product_holdings_;
};

// Builds client frames: for the client library, tests and the load generator.
class ClientEncoder {
 public:
  std::span<const std::uint8_t> login(std::string_view account, std::string_view token,
                                      bool cancel_all_on_disconnect = false,
                                      std::uint16_t version = kSchemaVersion);
  // A market-data session's Login (market_data true, account and token empty).
  std::span<const std::uint8_t> login_market_data(std::uint16_t version = kSchemaVersion);
  // A new, cancel, replace, mass_cancel, halt, resume, kill, unkill, risk, deposit, withdraw or
  // fund; account, seq and ts of `c` are ignored, except by kill, unkill, deposit, withdraw and
  // fund, whose `c.account` is their target (deposit/withdraw: instrument and qty; fund:
  // amount_text; risk: risk_on).
  std::span<const std::uint8_t> command(const Command& c);
  std::span<const std::uint8_t> subscribe(std::string_view instrument, bool on = true);
  // Every hour book of `product` (Subscribe{product, hours: true}), or its Unsubscribe.
  std::span<const std::uint8_t> subscribe_hours(std::string_view product, bool on = true);
  // limit 0: none (the band's protection price).
  std::span<const std::uint8_t> quote(std::string_view instrument, Side side, Qty qty, Price limit = 0);
  std::span<const std::uint8_t> heartbeat();
  std::span<const std::uint8_t> list_orders(std::string_view instrument = {});  // empty: all
  std::span<const std::uint8_t> resend(Seq since_seq);
  std::span<const std::uint8_t> balance();
  // product empty: every product; has_start_hour false: all time (hours 0).
  std::span<const std::uint8_t> holdings(std::string_view product, bool has_start_hour = false,
                                         std::int64_t start_hour = 0, std::int64_t hours = 0);

 private:
  template <class T>
  std::span<const std::uint8_t> finish(flatbuffers::Offset<T> body, wire::Body type);
  flatbuffers::FlatBufferBuilder fbb_{512};
  std::vector<std::uint8_t> frame_;
};

}  // namespace gpux::protocol
