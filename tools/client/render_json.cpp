#include "tools/client/render_json.hpp"

#include <cstdio>
#include <string>

#include "engine/price.hpp"

namespace gpux::client {

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
      out += buf;
    } else {
      out += c;
    }
  }
  out += '"';
}

const flatbuffers::String* report_account(const wire::Envelope& env) {
  using B = wire::Body;
  switch (env.body_type()) {
    case B::Accepted: return env.body_as_Accepted()->account();
    case B::Rejected: return env.body_as_Rejected()->account();
    case B::Fill: return env.body_as_Fill()->account();
    case B::Canceled: return env.body_as_Canceled()->account();
    case B::Expired: return env.body_as_Expired()->account();
    case B::Replaced: return env.body_as_Replaced()->account();
    case B::CancelRejected: return env.body_as_CancelRejected()->account();
    case B::ReplaceRejected: return env.body_as_ReplaceRejected()->account();
    default: return nullptr;
  }
}

std::string message_name(wire::Body type) {
  const std::string_view camel = wire::EnumNameBody(type);
  std::string out;
  for (std::size_t i = 0; i < camel.size(); ++i) {
    const char c = camel[i];
    if (c >= 'A' && c <= 'Z') {
      if (i > 0 && camel[i - 1] >= 'a' && camel[i - 1] <= 'z') out += '_';
      out += static_cast<char>(c - 'A' + 'a');
    } else {
      out += c;
    }
  }
  return out;
}

namespace {

class Json {
 public:
  explicit Json(std::string_view type) {
    out_ = "{";
    str("type", type);
  }
  // An object without a "type": one element of a list.
  Json() : out_("{") {}
  Json& str(std::string_view key, std::string_view v) {
    this->key(key);
    quote(v);
    return *this;
  }
  Json& str(std::string_view key, const flatbuffers::String* v) {
    if (v != nullptr) str(key, std::string_view(v->data(), v->size()));
    return *this;
  }
  Json& num(std::string_view key, std::int64_t v) {
    this->key(key);
    out_ += std::to_string(v);
    return *this;
  }
  Json& opt(std::string_view key, flatbuffers::Optional<std::int64_t> v) {
    if (v.has_value()) num(key, *v);
    return *this;
  }
  Json& boolean(std::string_view key, bool v) {
    this->key(key);
    out_ += v ? "true" : "false";
    return *this;
  }
  Json& price(std::string_view key, Price p) {
    char buf[32];
    return str(key, std::string_view(buf, format_price(p, buf)));
  }
  Json& levels(std::string_view key, const flatbuffers::Vector<const wire::Level*>* v) {
    this->key(key);
    out_ += '[';
    if (v != nullptr) {
      for (flatbuffers::uoffset_t i = 0; i < v->size(); ++i) {
        if (i) out_ += ',';
        level(*v->Get(i));
      }
    }
    out_ += ']';
    return *this;
  }
  Json& hour_books(std::string_view key, const flatbuffers::Vector<flatbuffers::Offset<wire::HourBook>>* v) {
    this->key(key);
    out_ += '[';
    for (flatbuffers::uoffset_t i = 0; v != nullptr && i < v->size(); ++i) {
      const wire::HourBook* b = v->Get(i);
      if (i) out_ += ',';
      Json book;
      book.str("instrument", b->instrument()).num("hour", b->hour()).levels("bids", b->bids()).levels("asks", b->asks());
      out_ += book.done();
    }
    out_ += ']';
    return *this;
  }
  Json& holdings(std::string_view key,
                 const flatbuffers::Vector<flatbuffers::Offset<wire::ProductHoldings>>* v) {
    this->key(key);
    out_ += '[';
    for (flatbuffers::uoffset_t i = 0; v != nullptr && i < v->size(); ++i) {
      const wire::ProductHoldings* p = v->Get(i);
      if (i) out_ += ',';
      out_ += "{\"product\":";
      quote(p->product() ? p->product()->string_view() : std::string_view());
      out_ += ",\"runs\":[";
      for (flatbuffers::uoffset_t k = 0; p->runs() != nullptr && k < p->runs()->size(); ++k) {
        const wire::HoldingRun* r = p->runs()->Get(k);
        if (k) out_ += ',';
        out_ += "{\"start_hour\":" + std::to_string(r->start_hour()) + ",\"hours\":" + std::to_string(r->hours()) +
                ",\"holdings\":" + std::to_string(r->holdings()) + ",\"free\":" + std::to_string(r->free()) + "}";
      }
      out_ += "]}";
    }
    out_ += ']';
    return *this;
  }
  void level(const wire::Level& l) {
    char buf[32];
    out_ += "{\"price\":\"";
    out_.append(buf, format_price(l.price(), buf));
    out_ += "\",\"qty\":" + std::to_string(l.qty()) + ",\"orders\":" + std::to_string(l.orders()) + "}";
  }
  std::string done() {
    out_ += '}';
    return std::move(out_);
  }

 private:
  void key(std::string_view k) {
    if (out_.size() > 1) out_ += ',';
    out_ += '"';
    out_ += k;
    out_ += "\":";
  }
  void quote(std::string_view s) { append_json_string(out_, s); }
  std::string out_;
};

std::string_view name(wire::Side v) { return wire::EnumNameSide(v); }
std::string_view name(wire::Tif v) { return wire::EnumNameTif(v); }
std::string_view name(wire::Stp v) { return wire::EnumNameStp(v); }
std::string_view name(wire::OrderType v) { return wire::EnumNameOrderType(v); }
std::string_view name(wire::Reason v) { return wire::EnumNameReason(v); }
std::string_view name(wire::Role v) {
  return v == wire::Role::operator_   ? "operator"
         : v == wire::Role::drop_copy   ? "drop_copy"
         : v == wire::Role::market_data ? "market_data"
                                        : "trader";
}

}  // namespace

std::string to_json(const wire::Envelope& env) {
  Json j(message_name(env.body_type()));
  using B = wire::Body;
  switch (env.body_type()) {
    case B::LoginAccepted: {
      const auto* b = env.body_as_LoginAccepted();
      j.num("version", b->version()).str("account", b->account()).str("role", name(b->role()));
      j.num("heartbeat_ms", b->heartbeat_ms());
      break;
    }
    case B::LoginRefused: {
      const auto* b = env.body_as_LoginRefused();
      j.str("reason", name(b->reason())).str("text", b->text());
      break;
    }
    case B::ProtocolReject: {
      const auto* b = env.body_as_ProtocolReject();
      j.str("reason", name(b->reason())).str("text", b->text());
      break;
    }
    case B::Accepted: {
      const auto* b = env.body_as_Accepted();
      j.num("seq", b->seq()).num("ts", b->ts()).num("order_id", b->order_id()).str("cl_id", b->cl_id());
      j.str("instrument", b->instrument()).str("side", name(b->side())).str("order_type", name(b->order_type()));
      j.price("price", b->price()).num("qty", b->qty()).str("tif", name(b->tif())).opt("expire_ts", b->expire_ts());
      j.boolean("post_only", b->post_only()).opt("min_qty", b->min_qty()).opt("display_qty", b->display_qty());
      j.str("stp", name(b->stp()));
      if (b->divisible()) j.boolean("divisible", true);  // absent for blocks, as in the order log
      break;
    }
    case B::Rejected: {
      const auto* b = env.body_as_Rejected();
      j.num("seq", b->seq()).num("ts", b->ts()).str("cl_id", b->cl_id()).str("reason", name(b->reason()));
      break;
    }
    case B::Fill: {
      const auto* b = env.body_as_Fill();
      j.num("seq", b->seq()).num("ts", b->ts()).num("match", b->match()).num("order_id", b->order_id());
      j.str("instrument", b->instrument()).str("side", name(b->side())).boolean("aggressor", b->aggressor());
      j.price("price", b->price()).num("qty", b->qty()).num("leaves", b->leaves());
      break;
    }
    case B::Canceled: {
      const auto* b = env.body_as_Canceled();
      j.num("seq", b->seq()).num("ts", b->ts()).num("order_id", b->order_id()).str("cl_id", b->cl_id());
      j.num("leaves", b->leaves()).str("reason", name(b->reason())).str("instrument", b->instrument());
      break;
    }
    case B::Expired: {
      const auto* b = env.body_as_Expired();
      j.num("seq", b->seq()).num("ts", b->ts()).num("order_id", b->order_id()).str("cl_id", b->cl_id());
      j.num("leaves", b->leaves()).str("reason", name(b->reason())).str("instrument", b->instrument());
      break;
    }
    case B::Replaced: {
      const auto* b = env.body_as_Replaced();
      j.num("seq", b->seq()).num("ts", b->ts()).num("order_id", b->order_id()).str("cl_id", b->cl_id());
      j.price("price", b->price()).num("qty", b->qty()).boolean("priority_kept", b->priority_kept());
      break;
    }
    case B::CancelRejected: {
      const auto* b = env.body_as_CancelRejected();
      j.num("seq", b->seq()).num("ts", b->ts()).str("cl_id", b->cl_id()).opt("order_id", b->order_id());
      j.str("reason", name(b->reason()));
      break;
    }
    case B::ReplaceRejected: {
      const auto* b = env.body_as_ReplaceRejected();
      j.num("seq", b->seq()).num("ts", b->ts()).str("cl_id", b->cl_id()).opt("order_id", b->order_id());
      j.str("reason", name(b->reason()));
      break;
    }
    case B::Halted: {
      const auto* b = env.body_as_Halted();
      j.num("seq", b->seq()).num("ts", b->ts()).str("instrument", b->instrument()).str("product", b->product());
      break;
    }
    case B::Resumed: {
      const auto* b = env.body_as_Resumed();
      j.num("seq", b->seq()).num("ts", b->ts()).str("instrument", b->instrument()).str("product", b->product());
      break;
    }
    case B::Killed: {
      const auto* b = env.body_as_Killed();
      j.num("seq", b->seq()).num("ts", b->ts()).str("account", b->account());
      break;
    }
    case B::Unkilled: {
      const auto* b = env.body_as_Unkilled();
      j.num("seq", b->seq()).num("ts", b->ts()).str("account", b->account());
      break;
    }
    case B::BookSnapshot: {
      const auto* b = env.body_as_BookSnapshot();
      j.num("seq", b->seq()).str("instrument", b->instrument()).levels("bids", b->bids()).levels("asks", b->asks());
      break;
    }
    case B::BookUpdate: {
      const auto* b = env.body_as_BookUpdate();
      j.num("seq", b->seq()).str("instrument", b->instrument()).str("side", name(b->side()));
      if (const wire::Level* l = b->level())
        j.price("price", l->price()).num("qty", l->qty()).num("orders", l->orders());
      if (b->hours()) j.boolean("hours", true);
      break;
    }
    case B::HoursSnapshot: {
      const auto* b = env.body_as_HoursSnapshot();
      j.num("seq", b->seq()).str("product", b->product()).hour_books("books", b->books());
      break;
    }
    case B::QuoteReply: {
      const auto* b = env.body_as_QuoteReply();
      j.num("seq", b->seq()).str("instrument", b->instrument()).str("side", name(b->side())).num("qty", b->qty());
      j.boolean("ok", b->ok());
      if (!b->ok()) {
        j.str("reason", name(b->reason()));
        break;
      }
      j.price("limit", b->limit()).num("hours", b->hours()).num("window_qty", b->window_qty());
      j.num("sweep_qty", b->sweep_qty()).num("fill_qty", b->fill_qty()).str("notional", b->notional());
      if (b->fill_qty() > 0) j.price("average", b->average()).price("best", b->best()).price("worst", b->worst());
      break;
    }
    case B::PublicTrade: {
      const auto* b = env.body_as_PublicTrade();
      j.num("seq", b->seq()).num("ts", b->ts()).num("match", b->match()).str("instrument", b->instrument());
      j.price("price", b->price()).num("qty", b->qty()).str("aggressor", name(b->aggressor()));
      break;
    }
    case B::OpenOrder: {
      const auto* b = env.body_as_OpenOrder();
      j.num("seq", b->seq()).num("order_id", b->order_id()).str("cl_id", b->cl_id()).str("instrument", b->instrument());
      j.str("side", name(b->side())).price("price", b->price()).num("qty", b->qty()).num("shown", b->shown());
      j.str("tif", name(b->tif())).opt("expire_ts", b->expire_ts()).opt("display_qty", b->display_qty());
      if (b->divisible()) j.boolean("divisible", true);
      j.num("resting_hours", b->resting_hours()).num("gpu_hours", b->gpu_hours());
      break;
    }
    case B::OpenOrdersEnd: {
      const auto* b = env.body_as_OpenOrdersEnd();
      j.num("seq", b->seq()).num("count", b->count());
      break;
    }
    case B::ResendDone: {
      const auto* b = env.body_as_ResendDone();
      j.num("since_seq", b->since_seq()).num("through_seq", b->through_seq());
      break;
    }
    // SPEC v2 §7: the ledger's events, as `gpux replay` writes them (money as exact strings).
    case B::RiskSet: {
      const auto* b = env.body_as_RiskSet();
      j.num("seq", b->seq()).num("ts", b->ts()).str("mode", wire::EnumNameRiskMode(b->mode()));
      break;
    }
    case B::Deposited:
    case B::Withdrawn: {
      const bool d = env.body_type() == B::Deposited;
      const auto* i = d ? env.body_as_Deposited()->instrument() : env.body_as_Withdrawn()->instrument();
      j.num("seq", d ? env.body_as_Deposited()->seq() : env.body_as_Withdrawn()->seq());
      j.num("ts", d ? env.body_as_Deposited()->ts() : env.body_as_Withdrawn()->ts());
      j.str("account", d ? env.body_as_Deposited()->account() : env.body_as_Withdrawn()->account());
      j.str("instrument", i).num("qty", d ? env.body_as_Deposited()->qty() : env.body_as_Withdrawn()->qty());
      break;
    }
    case B::DepositRejected:
    case B::WithdrawRejected: {
      const bool d = env.body_type() == B::DepositRejected;
      const auto* dr = env.body_as_DepositRejected();
      const auto* wr = env.body_as_WithdrawRejected();
      j.num("seq", d ? dr->seq() : wr->seq()).num("ts", d ? dr->ts() : wr->ts());
      j.str("account", d ? dr->account() : wr->account());
      j.str("instrument", d ? dr->instrument() : wr->instrument()).num("qty", d ? dr->qty() : wr->qty());
      j.str("reason", name(d ? dr->reason() : wr->reason()));
      break;
    }
    case B::Funded: {
      const auto* b = env.body_as_Funded();
      j.num("seq", b->seq()).num("ts", b->ts()).str("account", b->account()).str("amount", b->amount());
      j.str("cash", b->cash());
      break;
    }
    case B::FundRejected: {
      const auto* b = env.body_as_FundRejected();
      j.num("seq", b->seq()).num("ts", b->ts()).str("account", b->account()).str("amount", b->amount());
      j.str("reason", name(b->reason()));
      break;
    }
    case B::BalanceReply: {
      const auto* b = env.body_as_BalanceReply();
      j.num("seq", b->seq()).str("account", b->account()).str("cash", b->cash());
      j.str("committed_cash", b->committed_cash()).str("free_cash", b->free_cash());
      break;
    }
    case B::HoldingsReply: {
      const auto* b = env.body_as_HoldingsReply();
      j.num("seq", b->seq()).str("account", b->account()).opt("start_hour", b->start_hour());
      if (b->start_hour().has_value()) j.num("hours", b->hours());
      j.holdings("products", b->products());
      if (b->truncated()) j.boolean("truncated", true);
      break;
    }
    default:
      break;
  }
  j.str("account", report_account(env));
  return j.done();
}

}  // namespace gpux::client
