#include "tools/client/render_text.hpp"

#include "tools/client/render_json.hpp"

#include <algorithm>
#include <cstdio>

#include "engine/price.hpp"
#include "tools/client/hours_table.hpp"
#include "tools/client/utc_time.hpp"

namespace gpux::client {

namespace {

using flatbuffers::GetString;

std::string reason(wire::Reason r) { return wire::EnumNameReason(r); }

std::string target(const flatbuffers::String* instrument, const flatbuffers::String* product) {
  return instrument ? instrument->str() : "product " + GetString(product);
}

std::string hours_of(const flatbuffers::String* instrument) {
  return instrument ? " hours " + instrument->str() : std::string();
}

}  // namespace

std::string quote_text(const wire::QuoteReply& q) {
  const std::string what = std::string(q.side() == wire::Side::buy ? "buy " : "sell ") + std::to_string(q.qty()) +
                           " " + GetString(q.instrument());
  if (!q.ok()) return "quote " + what + ": " + reason(q.reason());
  if (q.fill_qty() == 0) return "quote " + what + ": nothing fills at " + price_text(q.limit()) + " or better";
  std::string s = "quote " + what + ": " + std::to_string(q.fill_qty()) + " of " + std::to_string(q.qty()) +
                  " fill (" + std::to_string(q.window_qty()) + " window, " + std::to_string(q.sweep_qty()) +
                  " sweep), average " + price_text(q.average());
  if (q.best() != q.worst()) s += " (" + price_text(q.best()) + " to " + price_text(q.worst()) + ")";
  return s + ", notional $" + GetString(q.notional());
}

namespace {

std::string line(const wire::Envelope& env, bool brief) {
  using B = wire::Body;
  switch (env.body_type()) {
    case B::LoginAccepted: {
      const auto* b = env.body_as_LoginAccepted();
      return "logged in as " + GetString(b->account()) + (b->role() == wire::Role::operator_    ? " (operator)"
                                                          : b->role() == wire::Role::drop_copy ? " (drop copy)"
                                                          : b->role() == wire::Role::market_data ? " (market data)"
                                                                                               : "");
    }
    case B::LoginRefused: {
      const auto* b = env.body_as_LoginRefused();
      return "login refused: " + reason(b->reason()) + " (" + GetString(b->text()) + ")";
    }
    case B::ProtocolReject: {
      const auto* b = env.body_as_ProtocolReject();
      return "protocol reject: " + reason(b->reason()) + " (" + GetString(b->text()) + ")";
    }
    case B::Accepted: {
      const auto* b = env.body_as_Accepted();
      std::string s = "accepted order " + std::to_string(b->order_id()) + " " + wire::EnumNameSide(b->side()) + " " +
                      std::to_string(b->qty()) + " " + GetString(b->instrument());
      if (b->order_type() == wire::OrderType::market)
        s += " market (protection " + price_text(b->price()) + ")";
      else
        s += " @ " + price_text(b->price());
      s += std::string(" ") + wire::EnumNameTif(b->tif());
      if (b->expire_ts().has_value()) s += " until " + utc_compact(*b->expire_ts());
      if (b->post_only()) s += " post-only";
      if (b->display_qty().has_value()) s += " iceberg " + std::to_string(*b->display_qty());
      if (b->min_qty().has_value()) s += " min-qty " + std::to_string(*b->min_qty());
      if (b->stp() != wire::Stp::cancel_resting) s += std::string(" stp ") + wire::EnumNameStp(b->stp());
      if (b->divisible()) s += " divisible";
      return s + " (cl_id " + GetString(b->cl_id()) + ")";
    }
    case B::Rejected: {
      const auto* b = env.body_as_Rejected();
      return "rejected: " + reason(b->reason()) + (brief ? "" : " (cl_id " + GetString(b->cl_id()) + ")");
    }
    case B::Fill: {
      const auto* b = env.body_as_Fill();
      const std::string what =
          std::to_string(b->qty()) + " @ " + price_text(b->price()) + " (leaves " + std::to_string(b->leaves()) + ")";
      if (brief) return "filled " + what;
      return "filled order " + std::to_string(b->order_id()) + " " + wire::EnumNameSide(b->side()) + " " +
             GetString(b->instrument()) + " " + what + (b->aggressor() ? " aggressor" : "");
    }
    // A divisible order's name the hours they took ("hours H100.MEM1@...+6h"); leaves is per hour.
    case B::Canceled: {
      const auto* b = env.body_as_Canceled();
      return "canceled order " + std::to_string(b->order_id()) + hours_of(b->instrument()) + " (" +
             reason(b->reason()) + ", " + std::to_string(b->leaves()) + " left" + (b->instrument() ? " in each hour" : "") +
             "; cl_id " + GetString(b->cl_id()) + ")";
    }
    case B::Expired: {
      const auto* b = env.body_as_Expired();
      return "expired order " + std::to_string(b->order_id()) + hours_of(b->instrument()) + " (" +
             reason(b->reason()) + ", " + std::to_string(b->leaves()) + " left" + (b->instrument() ? " in each hour" : "") +
             "; cl_id " + GetString(b->cl_id()) + ")";
    }
    case B::Replaced: {
      const auto* b = env.body_as_Replaced();
      return "replaced order " + std::to_string(b->order_id()) + ": " + std::to_string(b->qty()) + " @ " +
             price_text(b->price()) + (b->priority_kept() ? ", priority kept" : ", priority lost") + " (cl_id " +
             GetString(b->cl_id()) + ")";
    }
    case B::CancelRejected:
      return "cancel rejected: " + reason(env.body_as_CancelRejected()->reason());
    case B::ReplaceRejected:
      return "replace rejected: " + reason(env.body_as_ReplaceRejected()->reason());
    case B::Halted: {
      const auto* b = env.body_as_Halted();
      return "halted " + target(b->instrument(), b->product());
    }
    case B::Resumed: {
      const auto* b = env.body_as_Resumed();
      return "resumed " + target(b->instrument(), b->product());
    }
    case B::Killed:
      return "killed account " + GetString(env.body_as_Killed()->account());
    case B::Unkilled:
      return "unkilled account " + GetString(env.body_as_Unkilled()->account());
    case B::BookSnapshot: {
      const auto* b = env.body_as_BookSnapshot();
      return "book " + GetString(b->instrument()) + ": " + std::to_string(b->bids() ? b->bids()->size() : 0) +
             " bid and " + std::to_string(b->asks() ? b->asks()->size() : 0) + " ask levels";
    }
    case B::BookUpdate: {
      const auto* b = env.body_as_BookUpdate();
      const wire::Level* l = b->level();
      if (l == nullptr) return {};
      const std::string side = b->side() == wire::Side::buy ? " bid " : " ask ";
      const std::string book = (b->hours() ? "hour book " : "book ") + GetString(b->instrument());
      if (l->orders() == 0) return book + side + price_text(l->price()) + " gone";
      return book + side + price_text(l->price()) + ": " + std::to_string(l->qty()) + " in " +
             std::to_string(l->orders()) + (l->orders() == 1 ? " order" : " orders");
    }
    case B::HoursSnapshot: {
      const auto* b = env.body_as_HoursSnapshot();
      const std::size_t n = b->books() ? b->books()->size() : 0;
      return "hour books of " + GetString(b->product()) + ": " + std::to_string(n) + (n == 1 ? " hour" : " hours") +
             " with orders";
    }
    case B::QuoteReply:
      return quote_text(*env.body_as_QuoteReply());
    case B::ResendDone: {
      const auto* b = env.body_as_ResendDone();
      return "resent the reports of seq " + std::to_string(b->since_seq() + 1) + ".." +
             std::to_string(b->through_seq());
    }
    case B::RiskSet:
      return std::string("risk checks ") + wire::EnumNameRiskMode(env.body_as_RiskSet()->mode());
    case B::Deposited: {
      const auto* b = env.body_as_Deposited();
      return "deposited " + std::to_string(b->qty()) + " GPUs over " + GetString(b->instrument()) + " to " +
             GetString(b->account());
    }
    case B::Withdrawn: {
      const auto* b = env.body_as_Withdrawn();
      return "withdrew " + std::to_string(b->qty()) + " GPUs over " + GetString(b->instrument()) + " from " +
             GetString(b->account());
    }
    case B::DepositRejected: {
      const auto* b = env.body_as_DepositRejected();
      return "deposit to " + GetString(b->account()) + " rejected: " + reason(b->reason());
    }
    case B::WithdrawRejected: {
      const auto* b = env.body_as_WithdrawRejected();
      return "withdraw from " + GetString(b->account()) + " rejected: " + reason(b->reason());
    }
    case B::Funded: {
      const auto* b = env.body_as_Funded();
      return "funded " + GetString(b->account()) + " $" + GetString(b->amount()) + ": cash $" + GetString(b->cash());
    }
    case B::FundRejected: {
      const auto* b = env.body_as_FundRejected();
      return "fund of " + GetString(b->account()) + " (" + GetString(b->amount()) + ") rejected: " + reason(b->reason());
    }
    case B::BalanceReply: {
      const auto* b = env.body_as_BalanceReply();
      return "cash $" + GetString(b->cash()) + ", committed $" + GetString(b->committed_cash()) + ", free $" +
             GetString(b->free_cash()) + " (" + GetString(b->account()) + ", as of seq " + std::to_string(b->seq()) +
             ")";
    }
    case B::PublicTrade: {
      const auto* b = env.body_as_PublicTrade();
      return "trade " + GetString(b->instrument()) + " " + std::to_string(b->qty()) + " @ " + price_text(b->price()) +
             " (" + wire::EnumNameSide(b->aggressor()) + " aggressor)";
    }
    default:
      return {};
  }
}

}  // namespace

std::string to_text(const wire::Envelope& env, TextForm form) {
  std::string text = line(env, form == TextForm::brief);
  if (form != TextForm::with_account || text.empty()) return text;
  const flatbuffers::String* account = report_account(env);
  return account ? account->str() + ": " + text : text;
}

std::string price_text(Price p) {
  char buf[32];
  return std::string(buf, format_price(p, buf));
}

std::string holdings_text(const wire::HoldingsReply& h) {
  std::string out = "holdings of " + GetString(h.account());
  if (h.start_hour().has_value()) {
    out += " from ";
    out += hour_text(*h.start_hour());
    out += " for ";
    out += std::to_string(h.hours());
    out += 'h';
  }
  out += ", as of seq " + std::to_string(h.seq()) + "\n";
  const auto* products = h.products();
  if (products == nullptr || products->size() == 0) return out + "no holdings\n";
  using Row = std::array<std::string, 4>;
  for (flatbuffers::uoffset_t i = 0; i < products->size(); ++i) {
    const wire::ProductHoldings* p = products->Get(i);
    out += GetString(p->product()) + "\n";
    if (p->runs() == nullptr || p->runs()->size() == 0) {
      out += "  nothing held or committed\n";
      continue;
    }
    std::vector<Row> rows{Row{"HOURS", "", "HOLDINGS", "FREE"}};
    for (flatbuffers::uoffset_t k = 0; k < p->runs()->size(); ++k) {
      const wire::HoldingRun* r = p->runs()->Get(k);
      // Appends, not "+" + ...: GCC 12 at -O3 warns falsely (-Wrestrict) on the latter.
      std::string length = "+";
      length += std::to_string(r->hours());
      length += 'h';
      rows.push_back({hour_text(r->start_hour()), length, std::to_string(r->holdings()), std::to_string(r->free())});
    }
    std::array<std::size_t, 4> width{};
    for (const Row& r : rows)
      for (std::size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], r[c].size());
    for (const Row& r : rows) {
      std::string line = "  ";
      for (std::size_t c = 0; c < r.size(); ++c) {
        // The hour left-aligned, its length and the numbers right-aligned.
        const std::string pad(width[c] - r[c].size(), ' ');
        line += c == 0 ? r[c] + pad : pad + r[c];
        if (c + 1 < r.size()) line += c == 1 ? "   " : "  ";
      }
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out += line + '\n';
    }
  }
  if (h.truncated()) out += "(cut short: ask for a narrower window with --start and --hours)\n";
  return out;
}

void OpenOrdersTable::add(const wire::OpenOrder& o) {
  std::string tif = wire::EnumNameTif(o.tif());
  if (o.expire_ts().has_value()) {
    // Two appends, not " " + ...: GCC 12 at -O3 warns falsely (-Wrestrict) on the latter here.
    tif += ' ';
    tif += utc_compact(*o.expire_ts());
  }
  // A divisible order's qty is its largest hour; how many hours still rest says the rest.
  if (o.divisible()) tif += " divisible, " + std::to_string(o.resting_hours()) + "h resting";
  const std::string shown = o.display_qty().has_value() ? std::to_string(o.shown()) : "";
  rows_.push_back({std::to_string(o.order_id()), GetString(o.cl_id()), GetString(o.instrument()),
                   wire::EnumNameSide(o.side()), price_text(o.price()), std::to_string(o.qty()), shown, tif});
}

std::string OpenOrdersTable::render(const wire::OpenOrdersEnd& end) const {
  char summary[96];
  if (end.count() == 0) {
    std::snprintf(summary, sizeof summary, "no open orders (as of seq %lld)\n", static_cast<long long>(end.seq()));
    return summary;
  }
  const std::array<std::string, 8> head{"ORDER_ID", "CL_ID", "INSTRUMENT", "SIDE", "PRICE", "QTY", "SHOWN", "TIF"};
  std::array<std::size_t, 8> width{};
  for (std::size_t c = 0; c < width.size(); ++c) {
    width[c] = head[c].size();
    for (const auto& r : rows_) width[c] = std::max(width[c], r[c].size());
  }
  std::string out;
  const auto row = [&](const std::array<std::string, 8>& r) {
    for (std::size_t c = 0; c < r.size(); ++c) {
      // Numbers right-aligned, words left-aligned; the last column is not padded.
      const bool numeric = c == 0 || c == 4 || c == 5 || c == 6;
      const std::string pad(width[c] - r[c].size(), ' ');
      out += numeric ? pad + r[c] : (c + 1 == r.size() ? r[c] : r[c] + pad);
      if (c + 1 < r.size()) out += "  ";
    }
    out += '\n';
  };
  row(head);
  for (const auto& r : rows_) row(r);
  std::snprintf(summary, sizeof summary, "%u open order%s (as of seq %lld)\n", end.count(), end.count() == 1 ? "" : "s",
                static_cast<long long>(end.seq()));
  return out + summary;
}

}  // namespace gpux::client
