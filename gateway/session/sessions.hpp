// Trading sessions on top of a transport: framing, login, permissions, rate limits, heartbeats
// and idle timeouts, routing the engine's output to the accounts it concerns, and market data
// (an L2 mirror of every book that has levels, window and hour books, for snapshots on
// subscribe; market_data.cpp). Runs on the gateway
// thread. What it holds follows what is live: a session's subscriptions go with it, and an
// instrument is tracked only while its book has levels or it has subscribers (docs/limits.md).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/catalog.hpp"
#include "gateway/session/accounts.hpp"
#include "schemas/codec.hpp"
#include "gateway/pipeline/history.hpp"
#include "gateway/pipeline/pipeline.hpp"
#include "gateway/transport/transport.hpp"

namespace gpux::gateway {

struct SessionConfig {
  double orders_per_sec = 20'000;  // token bucket refill, per session
  double burst = 2'000;            // token bucket size
  std::chrono::milliseconds heartbeat{1'000};      // we send one when we were silent this long
  std::chrono::milliseconds idle_timeout{10'000};  // a session silent this long is closed
  std::chrono::milliseconds login_timeout{5'000};
  std::chrono::milliseconds clock_interval{100};   // clock commands, so expiries need no traffic
  // Instruments one session may subscribe to at once. A screen that watches every daily window
  // of the built-in catalog's 3 products for a month needs about 90; 256 leaves room, and keeps
  // a session's close at most 256 table updates (a few µs) and what it can make the gateway
  // hold at most 256 × ~200 bytes.
  std::uint32_t max_subscriptions = 256;
  // Commands waiting for room in the engine's inbound ring (2^14), over all sessions. It fills
  // only when the engine stalls (a slow disk under --journal): at ~340 bytes a command, 65,536
  // hold 22 MB, and well over a second of every session's flow at the engine's usual pace.
  std::size_t max_backlog = 1 << 16;
  // Sessions one account may hold at once (a bot, a risk monitor, a person with gpux): a login
  // past it is refused too_many_sessions. Each gets every report of the account's orders.
  std::uint32_t max_sessions_per_account = 8;
  // Market-data sessions (Login.market_data: no account, public data only) at once; they count
  // against --max-connections too. Past it: LoginRefused(too_many_sessions).
  std::uint32_t max_market_data_sessions = 1024;
};

using LogFn = std::function<void(std::string_view)>;

class Sessions final : public TransportHandler {
 public:
  Sessions(Transport& transport, Pipeline& pipeline, const Accounts& accounts, const SessionConfig& config,
           LogFn log);

  // Before the transport runs: the book mirror starts from the engine's books (after a
  // recovery they are not empty).
  void seed_books(const Engine& engine);
  // Where resends come from; without one a Resend is refused with resend_unavailable.
  void set_history(History* history) { history_ = history; }

  void on_open(ConnId conn) override;
  void on_data(ConnId conn, std::span<const std::uint8_t> bytes) override;
  void on_closed(ConnId conn) override;
  void on_tick() override;
  std::span<const std::uint8_t> full_notice() override { return full_notice_; }

  // What the gateway holds, for tests and operators (gateway thread only): instruments it
  // tracks (a book with levels, or subscribers), and subscriptions over all sessions.
  std::size_t tracked_instruments() const { return markets_.size(); }
  std::size_t tracked_hour_products() const { return hours_markets_.size(); }
  std::size_t subscriptions() const { return subscriptions_; }
  std::size_t market_data_sessions() const { return market_data_sessions_; }

 private:
  using Clock = std::chrono::steady_clock;

  // Lookups by a string_view of a symbol or an account, without building a std::string.
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  template <class T>
  using ByName = std::unordered_map<std::string, T, NameHash, std::equal_to<>>;

  // One instrument as the gateway sees it: the L2 mirror of its book and who listens. Kept only
  // while either is non-empty.
  struct Market {
    std::map<Price, wire::Level, std::greater<>> bids;
    std::map<Price, wire::Level> asks;
    std::vector<ConnId> subscribers;
    // The engine's id of the instrument once a level update named it: market_by_id_ points
    // here until the entry is forgotten.
    std::int64_t id = -1;
    bool idle() const { return bids.empty() && asks.empty() && subscribers.empty(); }
  };
  using MarketEntry = ByName<Market>::value_type;  // node-based: a pointer to one stays valid

  // One hour book of a product (the slices of divisible orders in one hour), as mirrored.
  struct HourBookMirror {
    std::string symbol;  // its one-hour symbol, P@h+1h
    std::map<Price, wire::Level, std::greater<>> bids;
    std::map<Price, wire::Level> asks;
  };
  // A product's hour books that have levels, by hour, and the sessions subscribed to them all.
  // Kept only while either is non-empty; an hour book only while it has levels.
  struct HoursMarket {
    std::map<std::int64_t, HourBookMirror> books;
    std::vector<ConnId> subscribers;
    bool idle() const { return books.empty() && subscribers.empty(); }
  };
  using HoursEntry = ByName<HoursMarket>::value_type;

  struct Session {
    bool open = false;
    bool logged_in = false;
    bool closing = false;
    std::string account;
    wire::Role role = wire::Role::trader;
    bool cancel_all_on_disconnect = false;
    // It has sequenced a command of its account (the first carried session_start): until then
    // its disconnect has nothing of its own to cancel.
    bool started = false;
    std::vector<std::uint8_t> rx;  // bytes of an incomplete frame
    double tokens = 0;
    Clock::time_point refilled;
    Clock::time_point heard;    // last frame received
    Clock::time_point spoke;    // last frame sent
    Clock::time_point opened;
    // A resend under way: live reports wait in `held` until the journal's are all sent.
    bool resending = false;
    Seq resend_since = 0;
    Seq resend_through = 0;
    bool replay_ready = false;
    std::vector<std::uint8_t> replay;  // the journal's frames
    std::size_t replay_sent = 0;
    std::vector<std::uint8_t> held;
    // The instruments this session subscribed to, at most max_subscriptions: its close undoes
    // exactly these.
    std::vector<MarketEntry*> subscriptions;
    std::vector<HoursEntry*> hour_subscriptions;  // products' hour books; counted with the above
    // A ListOrders is being answered: one at a time, as its cost is the account's orders.
    bool listing = false;
    bool quoting = false;  // a quote is being answered: one at a time, as a listing is
    bool balancing = false;  // a BalanceRequest is being answered: one at a time
    // A HoldingsRequest is being answered, one at a time: what it asked, and its runs so far
    // (the engine thread sends them one by one, then holdings_end).
    bool holding = false;
    std::string holdings_product;  // empty: every product
    bool holdings_has_start = false;
    std::int64_t holdings_start = 0;
    std::int64_t holdings_hours = 0;
    std::vector<wire::HoldingRun> holding_runs;
    std::vector<std::pair<std::string, std::size_t>> holding_products;  // product, its runs
  };

  // The sessions of an account, in login order (at most max_sessions_per_account). Kept in
  // by_account_ for good once the account logged in (a node: pointers to it stay valid), so
  // that routing by id follows a pointer to a short list rather than hashing a name.
  using Conns = std::vector<ConnId>;
  // A session's account as the engine thread names it: `conns` its sessions (nullptr: none ever
  // logged in here). `lookup`: not known here, look the name up in by_account_.
  struct Party {
    std::string_view name;
    const Conns* conns;
    bool lookup = false;
  };
  struct AccountName {
    std::string name;
    const Conns* conns = nullptr;
  };

  void frame(ConnId conn, std::span<const std::uint8_t> envelope);
  void handle(ConnId conn, protocol::ClientMessage& m);
  void login(ConnId conn, const protocol::LoginRequest& req);
  void command(ConnId conn, Command& c, bool operator_only);
  void refuse_command(ConnId conn, const Command& c, wire::Reason reason);  // never sequenced
  void to_drop_copies(std::span<const std::uint8_t> frame);
  void to_operators(std::span<const std::uint8_t> frame, std::string_view except);  // but `except`'s
  void to_subscribers(const std::vector<ConnId>& subscribers, std::span<const std::uint8_t> frame);
  void deliver(ConnId conn, std::span<const std::uint8_t> frame);  // a report: held during a resend
  void resend(ConnId conn, Seq since);
  void resent(ResendResult& result);
  void pump_resend(ConnId conn);
  void subscribe(ConnId conn, std::string_view instrument);
  void unsubscribe(ConnId conn, std::string_view instrument);
  // Why no book could ever exist for `symbol` (SPEC §1: syntax, product, window length), or
  // nullptr when one can.
  const char* unlistable(std::string_view symbol, wire::Reason& reason) const;
  void drop_subscriber(MarketEntry& market, ConnId conn);
  void forget_if_idle(MarketEntry& market);
  void subscribe_hours(ConnId conn, std::string_view product);
  void unsubscribe_hours(ConnId conn, std::string_view product);
  void drop_hours_subscriber(HoursEntry& market, ConnId conn);
  void forget_hours_if_idle(HoursEntry& market);
  void level(const Outbound& out);        // a window book's level: mirror, subscribers
  void hours_level(const Outbound& out);  // an hour book's level: mirror, the product's subscribers
  void learn(const NameRecord& name);     // an id's name, from the engine thread
  void quote(ConnId conn, const protocol::ClientMessage& m);
  void list_orders(ConnId conn, const protocol::ClientMessage& m);
  void answer(const Outbound& out);  // to the session that asked, if it is still there
  void ledger_query(ConnId conn, const protocol::ClientMessage& m);  // BalanceRequest, HoldingsRequest
  void holdings_answer(ConnId conn, const Outbound& out);
  void route(Outbound& out);
  // An event's execution reports, to the accounts it concerns (the event's account, a trade's
  // seller as counterparty), drop copies and operators, and a trade to its market.
  void report(const Event& e, std::string_view instrument, const Party& account, const Party& counterparty);
  Party party(AccountId id) const { return {account_names_[id].name, account_names_[id].conns}; }
  void to_account(std::string_view account, std::span<const std::uint8_t> frame);
  void to_sessions(const Conns& conns, std::span<const std::uint8_t> frame);  // every session of an account
  void send(ConnId conn, std::span<const std::uint8_t> frame);
  void refuse(ConnId conn, wire::Reason reason, std::string_view text);  // reject, then close
  bool take_token(Session& s);
  void submit(const Inbound& in);
  void submit(const Command& c, ConnId conn);

  Transport& transport_;
  Pipeline& pipeline_;
  const Accounts& accounts_;
  const Catalog catalog_;  // the engine's: products and their window limits, for Subscribe
  SessionConfig config_;
  LogFn log_;
  protocol::ServerEncoder encoder_;
  std::vector<Session> sessions_;  // by ConnId
  ByName<Conns> by_account_;  // the sessions of each account that ever logged in
  std::size_t market_data_sessions_ = 0;
  // The names of the engine's ids, as the engine thread sends them: by AccountId (with the
  // account's sessions, by_account_'s list), and by InstrumentId.
  std::vector<AccountName> account_names_;
  ByName<AccountId> account_ids_;
  std::vector<std::string> symbols_;
  Event event_;  // an EventRecord made whole again for the encoder, reused
  std::vector<ConnId> drop_copies_;
  History* history_ = nullptr;
  ByName<Market> markets_;  // by symbol
  // By InstrumentId: the tracked window books that level updates reached, so that the next
  // update of one needs no hash of its symbol (the mirror's lookups were ~3% of the gateway).
  std::vector<MarketEntry*> market_by_id_;
  ByName<HoursMarket> hours_markets_;  // by product
  std::size_t subscriptions_ = 0;
  std::vector<wire::Level> bids_, asks_;  // a snapshot's levels, reused
  std::vector<wire::Level> hour_levels_;  // an hours snapshot's levels, reused
  std::vector<protocol::HourBookView> hour_views_;
  std::vector<ConnId> audience_;          // who gets a frame being sent, reused
  std::vector<ConnId> account_audience_;  // the same, for an account's sessions
  std::vector<std::uint8_t> full_notice_;  // ProtocolReject(server_full)
  std::deque<Inbound> backlog_;  // commands the full inbound ring could not take yet
  Clock::time_point last_clock_{};
  // The time as of the current call from the transport (on_open, on_data, on_tick): one clock
  // read per call, not one per frame sent and per command (each ~50 ns here; 5% of the
  // gateway thread at 1M orders/s). Heartbeats and rate limits need no finer.
  Clock::time_point now_{};
  Seq mirror_seq_ = 0;  // the last command whose whole output the book mirror holds
  bool submitted_ = false;
};

}  // namespace gpux::gateway
