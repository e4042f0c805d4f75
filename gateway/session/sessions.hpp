// Trading sessions on top of a transport: framing, login, permissions, rate limits, heartbeats
// and idle timeouts, routing the engine's output to the accounts it concerns, and market data
// (an L2 mirror of every book, for snapshots on subscribe). Runs on the gateway thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <deque>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

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

 private:
  using Clock = std::chrono::steady_clock;

  struct Session {
    bool open = false;
    bool logged_in = false;
    bool closing = false;
    std::string account;
    wire::Role role = wire::Role::trader;
    bool cancel_all_on_disconnect = false;
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
  };

  struct Book {
    std::map<Price, wire::Level, std::greater<>> bids;
    std::map<Price, wire::Level> asks;
  };

  void frame(ConnId conn, std::span<const std::uint8_t> envelope);
  void handle(ConnId conn, const protocol::ClientMessage& m);
  void login(ConnId conn, const protocol::LoginRequest& req);
  void command(ConnId conn, Command c, bool operator_only);
  void refuse_command(ConnId conn, const Command& c, wire::Reason reason);  // never sequenced
  void to_drop_copies(std::span<const std::uint8_t> frame);
  void deliver(ConnId conn, std::span<const std::uint8_t> frame);  // a report: held during a resend
  void resend(ConnId conn, Seq since);
  void resent(ResendResult& result);
  void pump_resend(ConnId conn);
  void subscribe(ConnId conn, const FixedString<kMaxSymbolLen>& instrument, bool on);
  void list_orders(ConnId conn, const protocol::ClientMessage& m);
  void answer(const Outbound& out);  // to the session that asked, if it is still there
  void route(const Outbound& out);
  void to_account(std::string_view account, std::span<const std::uint8_t> frame);
  void send(ConnId conn, std::span<const std::uint8_t> frame);
  void refuse(ConnId conn, wire::Reason reason, std::string_view text);  // reject, then close
  bool take_token(Session& s);
  void submit(const Inbound& in);

  Transport& transport_;
  Pipeline& pipeline_;
  const Accounts& accounts_;
  SessionConfig config_;
  LogFn log_;
  protocol::ServerEncoder encoder_;
  std::vector<Session> sessions_;  // by ConnId
  std::unordered_map<std::string, ConnId> by_account_;
  std::vector<ConnId> drop_copies_;
  History* history_ = nullptr;
  std::unordered_map<std::string, std::vector<ConnId>> subscribers_;  // by instrument
  std::unordered_map<std::string, Book> books_;
  std::deque<Inbound> backlog_;  // commands the full inbound ring could not take yet
  Clock::time_point last_clock_{};
  Seq mirror_seq_ = 0;  // the last command whose whole output the book mirror holds
  bool submitted_ = false;
};

}  // namespace gpux::gateway
