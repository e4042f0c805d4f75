#include "gateway/session/sessions.hpp"

#include <algorithm>

#include "engine/symbol.hpp"
#include "schemas/reports.hpp"

namespace gpux::gateway {

using namespace protocol;

Sessions::Sessions(Transport& transport, Pipeline& pipeline, const Accounts& accounts,
                   const SessionConfig& config, LogFn log)
    : transport_(transport),
      pipeline_(pipeline),
      accounts_(accounts),
      catalog_(pipeline.catalog()),
      config_(config),
      log_(std::move(log)) {
  const auto notice = encoder_.protocol_reject(wire::Reason::server_full, "every connection slot is taken (--max-connections)");
  full_notice_.assign(notice.begin(), notice.end());
}

void Sessions::on_open(ConnId conn) {
  if (sessions_.size() <= conn) sessions_.resize(conn + 1);
  Session& s = sessions_[conn];
  s = Session{};
  s.open = true;
  now_ = Clock::now();
  s.opened = s.heard = s.spoke = s.refilled = now_;
  s.tokens = config_.burst;
}

void Sessions::on_data(ConnId conn, std::span<const std::uint8_t> bytes) {
  Session& s = sessions_[conn];
  if (s.closing) return;
  now_ = Clock::now();
  s.heard = now_;
  // Frames are parsed straight from the transport's buffer; only a partial frame is copied.
  std::span<const std::uint8_t> in = bytes;
  if (!s.rx.empty()) {
    s.rx.insert(s.rx.end(), bytes.begin(), bytes.end());
    in = s.rx;
  }
  std::size_t used = 0;
  while (!s.closing && in.size() - used >= kFrameHeader) {
    std::size_t length = 0;
    if (!frame_length(in.subspan(used).first<kFrameHeader>(), kMaxClientFrame, length)) {
      refuse(conn, wire::Reason::too_large, "frame length is 0 or above the limit");
      break;
    }
    if (in.size() - used - kFrameHeader < length) break;
    frame(conn, in.subspan(used + kFrameHeader, length));
    used += kFrameHeader + length;
  }
  if (s.closing) {
    s.rx.clear();
  } else if (!s.rx.empty()) {
    s.rx.erase(s.rx.begin(), s.rx.begin() + static_cast<std::ptrdiff_t>(used));
  } else {
    s.rx.assign(in.begin() + static_cast<std::ptrdiff_t>(used), in.end());
  }
}

void Sessions::frame(ConnId conn, std::span<const std::uint8_t> envelope) {
  ClientMessage m;
  DecodeError err{};
  if (!decode_client(envelope, m, err)) {
    refuse(conn, err.reason, err.text);
    return;
  }
  handle(conn, m);
}

void Sessions::handle(ConnId conn, ClientMessage& m) {
  Session& s = sessions_[conn];
  if (!s.logged_in && m.kind != ClientKind::login) {
    refuse(conn, wire::Reason::not_logged_in, "log in first");
    return;
  }
  // A market-data session reads public data only: anything that trades, asks about an
  // account or replays its reports is refused, and the session stays open.
  if (s.role == wire::Role::market_data && s.logged_in) {
    switch (m.kind) {
      case ClientKind::login:
      case ClientKind::subscribe:
      case ClientKind::unsubscribe:
      case ClientKind::heartbeat:
      case ClientKind::quote: break;
      default:
        send(conn, encoder_.protocol_reject(wire::Reason::read_only, "a market-data session cannot trade or ask about an account"));
        return;
    }
  }
  switch (m.kind) {
    case ClientKind::login: login(conn, m.login); return;
    case ClientKind::command: command(conn, m.command, m.operator_only); return;
    case ClientKind::subscribe:
      if (m.hours) subscribe_hours(conn, m.instrument.view());
      else subscribe(conn, m.instrument.view());
      return;
    case ClientKind::unsubscribe:
      if (m.hours) unsubscribe_hours(conn, m.instrument.view());
      else unsubscribe(conn, m.instrument.view());
      return;
    // Free: it changes nothing and has no reply, so it costs no more than the decoding every
    // frame gets (a throttled frame too); charging it would only let an idle client's
    // heartbeats throttle its orders.
    case ClientKind::heartbeat: return;
    case ClientKind::list_orders: list_orders(conn, m); return;
    case ClientKind::resend: resend(conn, m.since_seq); return;
    case ClientKind::quote: quote(conn, m); return;
    case ClientKind::balance:
    case ClientKind::holdings: ledger_query(conn, m); return;
  }
}

void Sessions::login(ConnId conn, const LoginRequest& req) {
  Session& s = sessions_[conn];
  if (s.logged_in) {
    refuse(conn, wire::Reason::already_logged_in, "this session is logged in already");
    return;
  }
  auto refused = [&](wire::Reason r, std::string_view text) {
    send(conn, encoder_.login_refused(r, text));
    s.closing = true;
    transport_.close(conn, true);
    log_("login refused: " + std::string(req.account.view()) + ": " + std::string(text));
  };
  if (req.version != kSchemaVersion) return refused(wire::Reason::bad_version, "unsupported schema version");
  // A market-data session: no account, so no credentials; a standby serves it too.
  if (req.market_data) {
    if (market_data_sessions_ >= config_.max_market_data_sessions)
      return refused(wire::Reason::too_many_sessions, "every market-data session is taken (--max-market-data-sessions)");
    s.logged_in = true;
    s.role = wire::Role::market_data;
    ++market_data_sessions_;
    send(conn, encoder_.login_accepted("", wire::Role::market_data, static_cast<std::uint32_t>(config_.heartbeat.count())));
    log_("login: market data");
    return;
  }
  const AccountEntry* a = accounts_.authenticate(req.account.view(), req.token.view());
  if (a == nullptr) return refused(wire::Reason::bad_credentials, "unknown account or wrong token");
  // Replication: only the primary trades; a standby serves drop copies (docs/replication.md).
  if (!pipeline_.primary() && a->role != wire::Role::drop_copy)
    return refused(wire::Reason::not_primary, "this gpuxd is not the primary: try the next server");
  Conns& conns = by_account_[a->name];
  if (conns.size() >= config_.max_sessions_per_account)
    return refused(wire::Reason::too_many_sessions, "the account has --max-sessions-per-account sessions already");
  s.logged_in = true;
  s.account = a->name;
  s.role = a->role;
  s.cancel_all_on_disconnect = req.cancel_all_on_disconnect;
  conns.push_back(conn);
  // The id may have been learned before any login of the account (a standby learns names from
  // the log's commands), or before a refused one created the entry: point it at the list now.
  if (const auto id = account_ids_.find(a->name); id != account_ids_.end()) account_names_[id->second].conns = &conns;
  if (a->role == wire::Role::drop_copy) drop_copies_.push_back(conn);
  send(conn, encoder_.login_accepted(a->name, a->role, static_cast<std::uint32_t>(config_.heartbeat.count())));
  log_("login: " + a->name +
       (a->role == wire::Role::operator_ ? " (operator)" : a->role == wire::Role::drop_copy ? " (drop copy)" : ""));
}

bool Sessions::take_token(Session& s) {
  const double elapsed = std::chrono::duration<double>(now_ - s.refilled).count();
  s.refilled = now_;
  s.tokens = std::min(config_.burst, s.tokens + elapsed * config_.orders_per_sec);
  if (s.tokens < 1) return false;
  s.tokens -= 1;
  return true;
}

void Sessions::command(ConnId conn, Command& c, bool operator_only) {
  Session& s = sessions_[conn];
  if (operator_only && s.role != wire::Role::operator_) {
    send(conn, encoder_.protocol_reject(wire::Reason::not_operator, "operator commands need the operator role"));
    return;
  }
  if (s.role == wire::Role::drop_copy) {
    send(conn, encoder_.protocol_reject(wire::Reason::read_only, "a drop-copy session cannot trade"));
    return;
  }
  if (!take_token(s)) return refuse_command(conn, c, wire::Reason::throttled);
  if (!pipeline_.primary()) return refuse_command(conn, c, wire::Reason::not_primary);
  if (pipeline_.journal_failed()) return refuse_command(conn, c, wire::Reason::journal_unavailable);
  if (backlog_.size() >= config_.max_backlog) return refuse_command(conn, c, wire::Reason::server_busy);
  // Kill, unkill and the ledger's deposit, withdraw and fund name the account they act on.
  const bool targets_account = c.type == CommandType::kill || c.type == CommandType::unkill ||
                               c.type == CommandType::deposit || c.type == CommandType::withdraw ||
                               c.type == CommandType::fund;
  if (!targets_account) {
    c.account.assign(s.account);
    // The session's first command of its own account: the engine forgets the tags an earlier
    // holder of this connection id left on the account's orders (engine/commands.cpp).
    if (!s.started) {
      s.started = true;
      c.session_start = true;
    }
  }
  submit(c, conn);
}

void Sessions::refuse_command(ConnId conn, const Command& c, wire::Reason reason) {
  const Ts now = 0;  // never sequenced: the command has no seq and no market time
  if (c.type == CommandType::new_order) {
    send(conn, encoder_.rejected(0, now, c.cl_id.view(), reason));
  } else if (c.type == CommandType::cancel || c.type == CommandType::replace) {
    send(conn, encoder_.lookup_rejected(c.type == CommandType::cancel, 0, now, c.has_cl_id ? c.cl_id.view() : "",
                                        c.has_cl_id, c.has_order_id, c.order_id, reason));
  } else {
    send(conn, encoder_.protocol_reject(reason, "command refused"));
  }
}

void Sessions::to_drop_copies(std::span<const std::uint8_t> frame) {
  // A copy: a slow consumer's close may run on_closed inside deliver, which edits drop_copies_.
  audience_.assign(drop_copies_.begin(), drop_copies_.end());
  for (const ConnId c : audience_) deliver(c, frame);
}

void Sessions::to_operators(std::span<const std::uint8_t> frame, std::string_view except) {
  for (ConnId c = 0; c < sessions_.size(); ++c)
    if (sessions_[c].logged_in && sessions_[c].role == wire::Role::operator_ && sessions_[c].account != except)
      deliver(c, frame);
}

void Sessions::to_subscribers(const std::vector<ConnId>& subscribers, std::span<const std::uint8_t> frame) {
  // A copy: a send may close a slow consumer, whose on_closed edits (or erases) the market.
  audience_.assign(subscribers.begin(), subscribers.end());
  for (const ConnId c : audience_) send(c, frame);
}

void Sessions::deliver(ConnId conn, std::span<const std::uint8_t> frame) {
  Session& s = sessions_[conn];
  if (!s.resending) return send(conn, frame);
  // Bounded like an output queue: a resend that never completes must not hold memory forever.
  constexpr std::size_t kMaxHeld = 64u << 20;
  if (s.held.size() + frame.size() > kMaxHeld) {
    if (!s.closing) {
      log_("disconnecting " + s.account + ": slow consumer (reports held during a resend)");
      s.closing = true;
      transport_.close(conn, false);
    }
    return;
  }
  s.held.insert(s.held.end(), frame.begin(), frame.end());
}

void Sessions::resend(ConnId conn, Seq since) {
  Session& s = sessions_[conn];
  if (!take_token(s)) {
    send(conn, encoder_.protocol_reject(wire::Reason::throttled, "resend throttled"));
    return;
  }
  if (history_ == nullptr) {
    send(conn, encoder_.protocol_reject(wire::Reason::resend_unavailable, "gpuxd runs without a journal"));
    return;
  }
  if (s.resending) {
    send(conn, encoder_.protocol_reject(wire::Reason::in_progress, "a resend is under way already"));
    return;
  }
  // Everything up to mirror_seq_ has been routed; every report of a later command is still to
  // come and will be held: the journal covers the first, live routing the rest, and no
  // report falls between them or comes twice.
  const Seq through = mirror_seq_;
  if (since >= through) {
    send(conn, encoder_.resend_done(since, through));
    return;
  }
  s.resending = true;
  s.resend_since = since;
  s.resend_through = through;
  s.replay_ready = false;
  s.replay.clear();
  s.replay_sent = 0;
  s.held.clear();
  history_->request(ResendRequest{conn, s.account, s.role == wire::Role::drop_copy, since, through});
}

void Sessions::resent(ResendResult& result) {
  const ResendRequest& r = result.request;
  Session& s = sessions_[r.conn];
  // The session may have gone, and its connection id with it, while the journal was read.
  if (!s.logged_in || !s.resending || s.account != r.account || s.resend_since != r.since ||
      s.resend_through != r.through)
    return;
  if (!result.error.empty()) {
    send(r.conn, encoder_.protocol_reject(wire::Reason::resend_unavailable, result.error));
    result.frames.clear();
  }
  s.replay = std::move(result.frames);
  s.replay_sent = result.error.empty() ? 0 : s.replay.size();
  s.replay_ready = true;
  pump_resend(r.conn);
}

void Sessions::pump_resend(ConnId conn) {
  Session& s = sessions_[conn];
  // Whole frames, a slice at a time, as fast as the client takes them: a full output queue
  // here means "later", not "slow consumer".
  constexpr std::size_t kSlice = 256u << 10;
  while (s.replay_sent < s.replay.size() && !s.closing) {
    std::size_t end = s.replay_sent;
    while (end < s.replay.size() && end - s.replay_sent < kSlice) {
      const std::uint8_t* h = s.replay.data() + end;
      end += kFrameHeader + (std::size_t{h[0]} | std::size_t{h[1]} << 8 | std::size_t{h[2]} << 16 |
                             std::size_t{h[3]} << 24);
    }
    if (!transport_.send(conn, {s.replay.data() + s.replay_sent, end - s.replay_sent})) return;
    s.replay_sent = end;
    s.spoke = now_;
  }
  if (s.closing) return;
  send(conn, encoder_.resend_done(s.resend_since, s.resend_through));
  s.resending = false;
  s.replay_ready = false;
  std::vector<std::uint8_t>().swap(s.replay);
  if (!s.held.empty()) send(conn, s.held);
  std::vector<std::uint8_t>().swap(s.held);
}

void Sessions::list_orders(ConnId conn, const ClientMessage& m) {
  Session& s = sessions_[conn];
  if (!take_token(s)) {
    send(conn, encoder_.protocol_reject(wire::Reason::throttled, "list_orders throttled"));
    return;
  }
  // Its answer would wait behind output that will never be released.
  if (pipeline_.journal_failed()) {
    send(conn, encoder_.protocol_reject(wire::Reason::journal_unavailable, "the journal failed"));
    return;
  }
  // The engine thread walks all the account's orders for it (up to --max-orders): one at a
  // time per session, so others' commands wait behind one listing at most.
  if (s.listing) {
    send(conn, encoder_.protocol_reject(wire::Reason::in_progress, "a list_orders is under way already"));
    return;
  }
  if (backlog_.size() >= config_.max_backlog) {
    send(conn, encoder_.protocol_reject(wire::Reason::server_busy, "the engine is behind; try again"));
    return;
  }
  s.listing = true;
  Inbound in{make_command(CommandType::clock, 0, 0), conn, Inbound::Kind::list_orders};
  in.command.account.assign(s.account);
  in.command.has_instrument = m.has_instrument;
  in.command.instrument = m.instrument;
  submit(in);
}

void Sessions::quote(ConnId conn, const ClientMessage& m) {
  Session& s = sessions_[conn];
  if (!take_token(s)) {
    send(conn, encoder_.protocol_reject(wire::Reason::throttled, "quote throttled"));
    return;
  }
  // The path and the bounds of ListOrders: the engine thread answers between two commands, so
  // the answer waits behind released output, and one at a time keeps a session from queueing
  // sweeps of long windows ahead of everyone's commands.
  if (pipeline_.journal_failed()) {
    send(conn, encoder_.protocol_reject(wire::Reason::journal_unavailable, "the journal failed"));
    return;
  }
  if (s.quoting) {
    send(conn, encoder_.protocol_reject(wire::Reason::in_progress, "a quote is under way already"));
    return;
  }
  if (backlog_.size() >= config_.max_backlog) {
    send(conn, encoder_.protocol_reject(wire::Reason::server_busy, "the engine is behind; try again"));
    return;
  }
  s.quoting = true;
  Inbound in{m.command, conn, Inbound::Kind::quote};
  in.command.account.assign(s.account);
  submit(in);
}

void Sessions::ledger_query(ConnId conn, const ClientMessage& m) {
  Session& s = sessions_[conn];
  const bool balance = m.kind == ClientKind::balance;
  if (!take_token(s)) {
    send(conn, encoder_.protocol_reject(wire::Reason::throttled, balance ? "balance throttled" : "holdings throttled"));
    return;
  }
  // The path and the bounds of ListOrders and QuoteRequest.
  if (pipeline_.journal_failed()) {
    send(conn, encoder_.protocol_reject(wire::Reason::journal_unavailable, "the journal failed"));
    return;
  }
  if (balance ? s.balancing : s.holding) {
    send(conn, encoder_.protocol_reject(wire::Reason::in_progress,
                                        balance ? "a balance is under way already" : "a holdings is under way already"));
    return;
  }
  if (!balance && m.has_instrument && catalog_.find(m.instrument.view()) < 0) {
    send(conn, encoder_.protocol_reject(wire::Reason::unknown_instrument, "no such product"));
    return;
  }
  if (backlog_.size() >= config_.max_backlog) {
    send(conn, encoder_.protocol_reject(wire::Reason::server_busy, "the engine is behind; try again"));
    return;
  }
  Inbound in{make_command(CommandType::clock, 0, 0), conn, balance ? Inbound::Kind::balance : Inbound::Kind::holdings};
  in.command.account.assign(s.account);
  if (balance) {
    s.balancing = true;
  } else {
    s.holding = true;
    s.holdings_product.assign(m.has_instrument ? m.instrument.view() : std::string_view());
    s.holdings_has_start = m.has_start_hour;
    s.holdings_start = m.start_hour;
    s.holdings_hours = m.window_hours;
    s.holding_runs.clear();
    s.holding_products.clear();
    in.command.has_product = m.has_instrument;
    in.command.product = m.instrument;
    in.command.has_order_id = m.has_start_hour;
    in.command.order_id = m.start_hour;
    in.command.qty = m.window_hours;
  }
  submit(in);
}

void Sessions::holdings_answer(ConnId conn, const Outbound& out) {
  Session& s = sessions_[conn];
  const Rare& r = *out.rare;
  if (r.kind == Rare::Kind::holding_run) {
    if (s.holding_products.empty() || s.holding_products.back().first != r.instrument.view())
      s.holding_products.emplace_back(std::string(r.instrument.view()), 0);
    ++s.holding_products.back().second;
    s.holding_runs.emplace_back(r.run.start_hour, r.run.hours, r.run.holdings, r.run.free);
    return;
  }
  s.holding = false;
  // The product asked for is in the answer even when it has no runs.
  if (!s.holdings_product.empty() && s.holding_products.empty()) s.holding_products.emplace_back(s.holdings_product, 0);
  std::vector<ProductRunsView> views;
  views.reserve(s.holding_products.size());
  std::size_t at = 0;
  for (const auto& [product, n] : s.holding_products) {
    views.push_back({product, std::span<const wire::HoldingRun>(s.holding_runs.data() + at, n)});
    at += n;
  }
  send(conn, encoder_.holdings_reply(out.seq, s.account, s.holdings_has_start, s.holdings_start, s.holdings_hours,
                                     views, r.event.priority_kept));
  std::vector<wire::HoldingRun>().swap(s.holding_runs);
  s.holding_products.clear();
}

void Sessions::answer(const Outbound& out) {
  const Rare& r = *out.rare;
  Session& s = sessions_[r.session];
  // The connection may have closed and its id gone to someone else since the question.
  if (!s.logged_in || s.account != r.account.view()) return;
  switch (r.kind) {
    case Rare::Kind::holding_run:
    case Rare::Kind::holdings_end: return holdings_answer(r.session, out);
    case Rare::Kind::balance_reply:
      s.balancing = false;
      return send(r.session, encoder_.balance_reply(out.seq, s.account, r.balance));
    case Rare::Kind::open_order: return send(r.session, encoder_.open_order(out.seq, r.event, r.instrument.view()));
    case Rare::Kind::quote_reply:
      s.quoting = false;
      return send(r.session, encoder_.quote_reply(out.seq, r.instrument.view(), r.event.side, r.event.qty, r.quote));
    case Rare::Kind::orders_end:
      s.listing = false;
      return send(r.session, encoder_.open_orders_end(out.seq, static_cast<std::uint32_t>(r.event.qty)));
    case Rare::Kind::event: return;  // not an answer: route() reports it
  }
}

void Sessions::submit(const Inbound& in) {
  submitted_ = true;
  if (!backlog_.empty() || !pipeline_.submit(in)) backlog_.push_back(in);
}

void Sessions::submit(const Command& c, ConnId conn) {
  submitted_ = true;
  if (!backlog_.empty() || !pipeline_.submit(c, conn)) backlog_.push_back(Inbound{c, conn});
}

void Sessions::send(ConnId conn, std::span<const std::uint8_t> frame) {
  Session& s = sessions_[conn];
  if (!s.open) return;
  if (!transport_.send(conn, frame)) {
    if (!s.closing) {
      log_("disconnecting " + (s.account.empty() ? std::string("a session") : s.account) +
           ": slow consumer (output queue full)");
      s.closing = true;
      transport_.close(conn, false);
    }
    return;
  }
  s.spoke = now_;
}

void Sessions::refuse(ConnId conn, wire::Reason reason, std::string_view text) {
  Session& s = sessions_[conn];
  if (s.closing) return;
  send(conn, encoder_.protocol_reject(reason, text));
  s.closing = true;
  transport_.close(conn, true);
  log_("closing " + (s.account.empty() ? std::string("a session") : s.account) + ": " + std::string(text));
}

void Sessions::on_closed(ConnId conn) {
  Session& s = sessions_[conn];
  if (s.logged_in && s.role == wire::Role::market_data) {
    --market_data_sessions_;
    log_("logout: market data");
  } else if (s.logged_in) {
    if (const auto it = by_account_.find(s.account); it != by_account_.end()) std::erase(it->second, conn);
    std::erase(drop_copies_, conn);
    // Per session: the engine cancels only the orders this connection entered (per_session),
    // not those of the account's other sessions. A session that sequenced nothing entered none.
    if (s.cancel_all_on_disconnect && s.started && pipeline_.primary()) {
      Command c = make_command(CommandType::disconnect, 0, 0);
      c.account.assign(s.account);
      c.per_session = true;
      submit(Inbound{c, conn});
    }
    log_("logout: " + s.account);
  }
  // What this session holds, and nothing else: at most max_subscriptions table updates.
  for (MarketEntry* market : s.subscriptions) drop_subscriber(*market, conn);
  for (HoursEntry* hours : s.hour_subscriptions) drop_hours_subscriber(*hours, conn);
  s = Session{};
}

void Sessions::to_account(std::string_view account, std::span<const std::uint8_t> frame) {
  const auto it = by_account_.find(account);
  if (it != by_account_.end()) to_sessions(it->second, frame);
}

void Sessions::to_sessions(const Conns& conns, std::span<const std::uint8_t> frame) {
  if (conns.size() == 1) return deliver(conns[0], frame);  // the usual case: no copy
  // A copy: a slow consumer's close may run on_closed inside deliver, which edits the list.
  account_audience_.assign(conns.begin(), conns.end());
  for (const ConnId c : account_audience_) deliver(c, frame);
}

void Sessions::learn(const NameRecord& n) {
  if (n.what == NameRecord::What::instrument) {
    if (symbols_.size() <= n.id) symbols_.resize(n.id + 1);
    symbols_[n.id] = n.text.view();
    // The id named another instrument before (ids of unlisted instruments are reused): the
    // mirror's entry found by it is that other one's.
    if (n.id < market_by_id_.size() && market_by_id_[n.id] != nullptr) {
      market_by_id_[n.id]->second.id = -1;
      market_by_id_[n.id] = nullptr;
    }
    return;
  }
  if (account_names_.size() <= n.id) account_names_.resize(n.id + 1);
  AccountName& a = account_names_[n.id];
  a.name = n.text.view();
  const auto it = by_account_.find(a.name);
  a.conns = it == by_account_.end() ? nullptr : &it->second;
  account_ids_[a.name] = n.id;
}

void Sessions::route(Outbound& out) {
  if (out.last_of_command) mirror_seq_ = out.seq;
  switch (out.kind) {
    case Outbound::Kind::name: return learn(out.name);
    case Outbound::Kind::level: return out.level.hours ? hours_level(out) : level(out);
    case Outbound::Kind::event: {
      const EventRecord& r = out.event;
      r.get(out.seq, event_);
      const bool names_instrument = EventRecord::names_instrument(r.type, r.flags & EventRecord::kHasInstrument);
      return report(event_, names_instrument ? std::string_view(symbols_[r.instrument]) : std::string_view(),
                    EventRecord::names_account(r.type) ? party(r.account) : Party{{}, nullptr},
                    r.type == EventType::trade ? party(r.sell_account) : Party{{}, nullptr});
    }
    case Outbound::Kind::rare: {
      const Rare& r = *out.rare;
      if (r.kind != Rare::Kind::event) return answer(out);
      return report(r.event, r.instrument.view(), {r.account.view(), nullptr, true},
                    {r.counterparty.view(), nullptr, true});
    }
  }
}

void Sessions::report(const Event& e, std::string_view instrument, const Party& account, const Party& counterparty) {
  // An operator hears of every kill and unkill, and of every move of the ledger it commands
  // (deposits, withdrawals, funds, and their rejections), whoever's account it is.
  const bool operators_too = e.type == EventType::killed || e.type == EventType::unkilled ||
                             e.type == EventType::deposited || e.type == EventType::withdrawn ||
                             e.type == EventType::deposit_rejected || e.type == EventType::withdraw_rejected ||
                             e.type == EventType::funded || e.type == EventType::fund_rejected;
  execution_reports(encoder_, e, instrument, account.name, counterparty.name,
                    [&](Audience audience, std::string_view name, std::span<const std::uint8_t> frame) {
                      if (audience == Audience::everyone) {
                        // Not market-data sessions: they get no execution reports.
                        for (ConnId c = 0; c < sessions_.size(); ++c)
                          if (sessions_[c].logged_in && sessions_[c].role != wire::Role::market_data) deliver(c, frame);
                        return;
                      }
                      if (audience == Audience::operators) {
                        to_operators(frame, {});
                        to_drop_copies(frame);
                        return;
                      }
                      // The name is one of the two passed in (the same view): its session is
                      // known without a lookup by name.
                      const Party& p = name.data() == counterparty.name.data() && !name.empty() ? counterparty : account;
                      if (p.lookup) to_account(name, frame);
                      else if (p.conns != nullptr && !p.conns->empty()) to_sessions(*p.conns, frame);
                      to_drop_copies(frame);
                      if (operators_too) to_operators(frame, name);
                    });
  if (e.type == EventType::trade) {
    if (const auto it = markets_.find(instrument); it != markets_.end() && !it->second.subscribers.empty())
      to_subscribers(it->second.subscribers, encoder_.public_trade(e, instrument));
  }
}

void Sessions::on_tick() {
  now_ = Clock::now();
  pipeline_.drain([this](Outbound& out) { route(out); });
  if (history_ != nullptr) history_->poll([this](ResendResult& r) { resent(r); });
  for (ConnId c = 0; c < sessions_.size(); ++c)
    if (sessions_[c].replay_ready) pump_resend(c);
  // Commands moved from the backlog ring the engine's doorbell like any other submission: a
  // parked engine thread would otherwise sleep on them until the next clock command (100 ms).
  while (!backlog_.empty() && pipeline_.submit(backlog_.front())) {
    backlog_.pop_front();
    submitted_ = true;
  }

  const Clock::time_point now = now_;
  // A standby's clock is the primary's: its clock commands come through the replicated log.
  if (now - last_clock_ >= config_.clock_interval && pipeline_.primary()) {
    last_clock_ = now;
    submit(Inbound{make_command(CommandType::clock, 0, 0), 0});
  }
  if (submitted_) {
    submitted_ = false;
    pipeline_.flush_submissions();
  }
  for (ConnId c = 0; c < sessions_.size(); ++c) {
    Session& s = sessions_[c];
    if (!s.open || s.closing) continue;
    if (!s.logged_in && now - s.opened > config_.login_timeout) {
      refuse(c, wire::Reason::idle_timeout, "no login in time");
    } else if (now - s.heard > config_.idle_timeout) {
      refuse(c, wire::Reason::idle_timeout, "nothing heard for too long");
    } else if (s.logged_in && now - s.spoke >= config_.heartbeat) {
      send(c, encoder_.heartbeat());
    }
  }
}

}  // namespace gpux::gateway
