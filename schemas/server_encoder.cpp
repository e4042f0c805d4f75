// The server's frames (schemas/gpux.fbs): execution reports, market data and the answers to
// queries, built into one reused FlatBuffers builder. Split from codec.cpp, which decodes what
// clients send and builds client frames.
#include <cstring>

#include "engine/price.hpp"
#include "schemas/codec.hpp"

namespace gpux::protocol {

namespace fb = flatbuffers;
using wire::Body;

template <class T>
std::span<const std::uint8_t> ServerEncoder::finish(fb::Offset<T> body, Body type) {
  return frame(fbb_, wire::CreateEnvelope(fbb_, type, body.Union()), frame_);
}

std::span<const std::uint8_t> ServerEncoder::login_accepted(std::string_view account, wire::Role role,
                                                            std::uint32_t heartbeat_ms) {
  fbb_.Clear();
  const auto a = fbb_.CreateString(account);
  return finish(wire::CreateLoginAccepted(fbb_, kSchemaVersion, a, role, heartbeat_ms), Body::LoginAccepted);
}

std::span<const std::uint8_t> ServerEncoder::login_refused(wire::Reason reason, std::string_view text) {
  fbb_.Clear();
  const auto t = fbb_.CreateString(text);
  return finish(wire::CreateLoginRefused(fbb_, reason, t), Body::LoginRefused);
}

std::span<const std::uint8_t> ServerEncoder::protocol_reject(wire::Reason reason, std::string_view text) {
  fbb_.Clear();
  const auto t = fbb_.CreateString(text);
  return finish(wire::CreateProtocolReject(fbb_, reason, t), Body::ProtocolReject);
}

std::span<const std::uint8_t> ServerEncoder::heartbeat() {
  fbb_.Clear();
  return finish(wire::CreateHeartbeat(fbb_), Body::Heartbeat);
}

std::span<const std::uint8_t> ServerEncoder::rejected(Seq seq, Ts ts, std::string_view cl, wire::Reason reason) {
  fbb_.Clear();
  const auto c = fbb_.CreateString(cl);
  return finish(wire::CreateRejected(fbb_, seq, ts, c, reason), Body::Rejected);
}

std::span<const std::uint8_t> ServerEncoder::event(const Event& e, std::string_view instrument,
                                                   std::string_view account, Side side) {
  fbb_.Clear();
  const auto cl = [&] { return fbb_.CreateString(e.cl_id.view()); };
  const auto ws = [](Side s) { return s == Side::buy ? wire::Side::buy : wire::Side::sell; };
  const auto wr = to_wire(e.reason);
  // Created first: FlatBuffers builds strings before the table that points at them.
  const auto acct = [&] { return account.empty() ? fb::Offset<fb::String>() : fbb_.CreateString(account); };
  switch (e.type) {
    case EventType::accepted: {
      const auto c = cl();
      const auto i = fbb_.CreateString(instrument);
      const auto a = acct();
      return finish(wire::CreateAccepted(
                        fbb_, e.seq, e.ts, e.order_id, c, i, ws(e.side),
                        e.order_type == OrderType::market ? wire::OrderType::market : wire::OrderType::limit,
                        e.price, e.qty, static_cast<wire::Tif>(e.tif),
                        e.tif == Tif::gtd ? fb::Optional<int64_t>(e.expire_ts) : fb::nullopt, e.post_only,
                        e.has_min_qty ? fb::Optional<int64_t>(e.min_qty) : fb::nullopt,
                        e.has_display_qty ? fb::Optional<int64_t>(e.display_qty) : fb::nullopt,
                        static_cast<wire::Stp>(e.stp), a, e.divisible),
                    Body::Accepted);
    }
    case EventType::rejected: {
      const auto c = cl();
      const auto a = acct();
      return finish(wire::CreateRejected(fbb_, e.seq, e.ts, c, wr, a), Body::Rejected);
    }
    case EventType::trade: {
      // The fill of one side: its order, its leaves; the caller sends one per side.
      const bool buy = side == Side::buy;
      const auto i = fbb_.CreateString(instrument);
      const auto a = acct();
      return finish(wire::CreateFill(fbb_, e.seq, e.ts, e.match, buy ? e.buy_order_id : e.sell_order_id, i,
                                     ws(side), e.aggressor == side, e.price, e.qty,
                                     buy ? e.buy_leaves : e.sell_leaves, a),
                    Body::Fill);
    }
    // A divisible order's cancel or expiry names its hours (a rectangle symbol); a block's
    // names nothing, as in v1, so a v1 client sees the same bytes for blocks.
    case EventType::canceled: {
      const auto c = cl();
      const auto a = acct();
      const auto i = e.has_instrument ? fbb_.CreateString(instrument) : fb::Offset<fb::String>();
      return finish(wire::CreateCanceled(fbb_, e.seq, e.ts, e.order_id, c, e.leaves, wr, a, i), Body::Canceled);
    }
    case EventType::expired: {
      const auto c = cl();
      const auto a = acct();
      const auto i = e.has_instrument ? fbb_.CreateString(instrument) : fb::Offset<fb::String>();
      return finish(wire::CreateExpired(fbb_, e.seq, e.ts, e.order_id, c, e.leaves, wr, a, i), Body::Expired);
    }
    case EventType::replaced: {
      const auto c = cl();
      const auto a = acct();
      return finish(wire::CreateReplaced(fbb_, e.seq, e.ts, e.order_id, c, e.price, e.qty, e.priority_kept, a),
                    Body::Replaced);
    }
    case EventType::cancel_rejected:
    case EventType::replace_rejected:
      return lookup_rejected(e.type == EventType::cancel_rejected, e.seq, e.ts, e.cl_id.view(), e.has_cl_id,
                             e.has_order_id, e.order_id, wr, account);
    case EventType::halted:
    case EventType::resumed: {
      const auto t = fbb_.CreateString(e.target.view());
      const auto i = e.target_is_instrument ? t : fb::Offset<fb::String>();
      const auto p = e.target_is_instrument ? fb::Offset<fb::String>() : t;
      if (e.type == EventType::halted) return finish(wire::CreateHalted(fbb_, e.seq, e.ts, i, p), Body::Halted);
      return finish(wire::CreateResumed(fbb_, e.seq, e.ts, i, p), Body::Resumed);
    }
    case EventType::killed:
    case EventType::unkilled: {
      const auto a = fbb_.CreateString(account);
      if (e.type == EventType::killed) return finish(wire::CreateKilled(fbb_, e.seq, e.ts, a), Body::Killed);
      return finish(wire::CreateUnkilled(fbb_, e.seq, e.ts, a), Body::Unkilled);
    }
    case EventType::risk:
      return finish(wire::CreateRiskSet(fbb_, e.seq, e.ts, e.risk_on ? wire::RiskMode::on : wire::RiskMode::off),
                    Body::RiskSet);
    case EventType::deposited:
    case EventType::withdrawn: {
      const auto a = fbb_.CreateString(account);
      const auto i = fbb_.CreateString(e.target.view());
      if (e.type == EventType::deposited)
        return finish(wire::CreateDeposited(fbb_, e.seq, e.ts, a, i, e.qty), Body::Deposited);
      return finish(wire::CreateWithdrawn(fbb_, e.seq, e.ts, a, i, e.qty), Body::Withdrawn);
    }
    case EventType::deposit_rejected:
    case EventType::withdraw_rejected: {
      const auto a = fbb_.CreateString(account);
      const auto i = fbb_.CreateString(e.target.view());
      if (e.type == EventType::deposit_rejected)
        return finish(wire::CreateDepositRejected(fbb_, e.seq, e.ts, a, i, e.qty, wr), Body::DepositRejected);
      return finish(wire::CreateWithdrawRejected(fbb_, e.seq, e.ts, a, i, e.qty, wr), Body::WithdrawRejected);
    }
    case EventType::funded: {
      const auto a = fbb_.CreateString(account);
      const auto amount = fbb_.CreateString(notional_text(e.amount));
      const auto cash = fbb_.CreateString(notional_text(e.cash));
      return finish(wire::CreateFunded(fbb_, e.seq, e.ts, a, amount, cash), Body::Funded);
    }
    case EventType::fund_rejected: {
      const auto a = fbb_.CreateString(account);
      const auto amount = fbb_.CreateString(e.target.view());
      return finish(wire::CreateFundRejected(fbb_, e.seq, e.ts, a, amount, wr), Body::FundRejected);
    }
  }
  return {};
}

std::span<const std::uint8_t> ServerEncoder::lookup_rejected(bool cancel, Seq seq, Ts ts, std::string_view cl_id,
                                                             bool has_cl_id, bool has_order_id, OrderId order_id,
                                                             wire::Reason reason, std::string_view account) {
  fbb_.Clear();
  const auto c = has_cl_id ? fbb_.CreateString(cl_id) : fb::Offset<fb::String>();
  const auto a = account.empty() ? fb::Offset<fb::String>() : fbb_.CreateString(account);
  const auto id = has_order_id ? fb::Optional<int64_t>(order_id) : fb::nullopt;
  if (cancel) return finish(wire::CreateCancelRejected(fbb_, seq, ts, c, id, reason, a), Body::CancelRejected);
  return finish(wire::CreateReplaceRejected(fbb_, seq, ts, c, id, reason, a), Body::ReplaceRejected);
}

std::span<const std::uint8_t> ServerEncoder::book_snapshot(Seq seq, std::string_view instrument,
                                                           std::span<const wire::Level> bids,
                                                           std::span<const wire::Level> asks) {
  fbb_.Clear();
  const auto i = fbb_.CreateString(instrument);
  const auto b = fbb_.CreateVectorOfStructs(bids.data(), bids.size());
  const auto a = fbb_.CreateVectorOfStructs(asks.data(), asks.size());
  return finish(wire::CreateBookSnapshot(fbb_, seq, i, b, a), Body::BookSnapshot);
}

std::span<const std::uint8_t> ServerEncoder::book_update(Seq seq, std::string_view instrument, Side side,
                                                         const wire::Level& level, bool hours) {
  fbb_.Clear();
  const auto i = fbb_.CreateString(instrument);
  return finish(
      wire::CreateBookUpdate(fbb_, seq, i, side == Side::buy ? wire::Side::buy : wire::Side::sell, &level, hours),
      Body::BookUpdate);
}

std::span<const std::uint8_t> ServerEncoder::hours_snapshot(Seq seq, std::string_view product,
                                                            std::span<const HourBookView> books) {
  fbb_.Clear();
  const auto p = fbb_.CreateString(product);
  hour_books_.clear();
  for (const HourBookView& b : books) {
    const auto i = fbb_.CreateString(b.instrument);
    const auto bids = fbb_.CreateVectorOfStructs(b.bids.data(), b.bids.size());
    const auto asks = fbb_.CreateVectorOfStructs(b.asks.data(), b.asks.size());
    hour_books_.push_back(wire::CreateHourBook(fbb_, i, b.hour, bids, asks));
  }
  const auto v = fbb_.CreateVector(hour_books_);
  return finish(wire::CreateHoursSnapshot(fbb_, seq, p, v), Body::HoursSnapshot);
}

std::string notional_text(I128 units) {
  char buf[kMoneyChars];
  return std::string(buf, format_money(units, buf));
}

std::span<const std::uint8_t> ServerEncoder::quote_reply(Seq seq, std::string_view instrument, Side side, Qty qty,
                                                         const Quote& q) {
  fbb_.Clear();
  const auto i = fbb_.CreateString(instrument);
  const auto n = fbb_.CreateString(notional_text(q.ok ? q.notional : 0));
  const std::int64_t gpu_hours = q.ok ? q.fill_qty * q.hours : 0;
  const std::int64_t average = gpu_hours > 0 ? static_cast<std::int64_t>(q.notional / gpu_hours) : 0;
  wire::QuoteReplyBuilder b(fbb_);
  b.add_seq(seq);
  b.add_instrument(i);
  b.add_side(side == Side::buy ? wire::Side::buy : wire::Side::sell);
  b.add_qty(qty);
  b.add_ok(q.ok);
  if (!q.ok) b.add_reason(to_wire(q.reason));
  if (q.ok) {
    b.add_limit(q.limit);
    b.add_hours(q.hours);
    b.add_window_qty(q.window_qty);
    b.add_sweep_qty(q.sweep_qty);
    b.add_fill_qty(q.fill_qty);
    b.add_average(average);
    b.add_best(q.best);
    b.add_worst(q.worst);
  }
  b.add_notional(n);
  return finish(b.Finish(), Body::QuoteReply);
}

std::span<const std::uint8_t> ServerEncoder::public_trade(const Event& t, std::string_view instrument) {
  fbb_.Clear();
  const auto i = fbb_.CreateString(instrument);
  return finish(wire::CreatePublicTrade(fbb_, t.seq, t.ts, t.match, i, t.price, t.qty,
                                        t.aggressor == Side::buy ? wire::Side::buy : wire::Side::sell),
                Body::PublicTrade);
}

// ---- answers to queries ------------------------------------------------------------------

std::span<const std::uint8_t> ServerEncoder::open_order(Seq seq, const Event& o, std::string_view instrument) {
  fbb_.Clear();
  const auto cl = fbb_.CreateString(o.cl_id.view());
  const auto i = fbb_.CreateString(instrument);
  const auto tif = static_cast<wire::Tif>(o.tif);
  const auto expire = o.tif == Tif::gtd ? fb::Optional<std::int64_t>(o.expire_ts) : fb::nullopt;
  const auto display = o.has_display_qty ? fb::Optional<std::int64_t>(o.display_qty) : fb::nullopt;
  return finish(wire::CreateOpenOrder(fbb_, seq, o.order_id, cl, i, o.side == Side::buy ? wire::Side::buy : wire::Side::sell,
                                      o.price, o.qty, o.leaves, tif, expire, display, o.divisible, o.buy_leaves,
                                      o.sell_leaves),
                Body::OpenOrder);
}

std::span<const std::uint8_t> ServerEncoder::open_orders_end(Seq seq, std::uint32_t count) {
  fbb_.Clear();
  return finish(wire::CreateOpenOrdersEnd(fbb_, seq, count), Body::OpenOrdersEnd);
}

std::span<const std::uint8_t> ServerEncoder::resend_done(Seq since_seq, Seq through_seq) {
  fbb_.Clear();
  return finish(wire::CreateResendDone(fbb_, since_seq, through_seq), Body::ResendDone);
}

std::span<const std::uint8_t> ServerEncoder::balance_reply(Seq seq, std::string_view account, const Balance& b) {
  fbb_.Clear();
  const auto a = fbb_.CreateString(account);
  const auto cash = fbb_.CreateString(notional_text(b.cash));
  const auto committed = fbb_.CreateString(notional_text(b.committed_cash));
  const auto free = fbb_.CreateString(notional_text(b.cash - b.committed_cash));
  return finish(wire::CreateBalanceReply(fbb_, seq, a, cash, committed, free), Body::BalanceReply);
}

std::span<const std::uint8_t> ServerEncoder::holdings_reply(Seq seq, std::string_view account, bool has_start_hour,
                                                            std::int64_t start_hour, std::int64_t hours,
                                                            std::span<const ProductRunsView> products,
                                                            bool truncated) {
  fbb_.Clear();
  const auto a = fbb_.CreateString(account);
  product_holdings_.clear();
  for (const ProductRunsView& p : products) {
    const auto name = fbb_.CreateString(p.product);
    const auto runs = fbb_.CreateVectorOfStructs(p.runs.data(), p.runs.size());
    product_holdings_.push_back(wire::CreateProductHoldings(fbb_, name, runs));
  }
  const auto v = fbb_.CreateVector(product_holdings_);
  return finish(wire::CreateHoldingsReply(fbb_, seq, a, has_start_hour ? fb::Optional<int64_t>(start_hour) : fb::nullopt,
                                          has_start_hour ? hours : 0, v, truncated),
                Body::HoldingsReply);
}

}  // namespace gpux::protocol
