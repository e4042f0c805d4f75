// One sequenced command (docs/rules.md; its log form is docs/order-log.md), already decoded: the
// engine never sees JSON or FlatBuffers.
#pragma once

#include <cstddef>

#include "engine/fixed_string.hpp"
#include "engine/limits.hpp"
#include "engine/types.hpp"

namespace gpux {

// A price as given: missing, unparsable (`bad_price` for the engine) or a value in $0.0001.
struct PriceField {
  bool present;
  bool valid;
  Price value;
};

// A `fund` amount (docs/ledger.md): parsed at the edge like a price; `valid` is false for any
// other spelling or a value outside int64 (`bad_amount`).
struct AmountField {
  bool valid;
  std::int64_t value;
};

// Field order follows use, so a stream of orders touches as few cache lines as it can: the
// first 64 bytes hold what a cancel or replace by order_id reads besides the account, the
// next two lines the account, cl_id and (its first 40 bytes) instrument a `new` reads; what
// only some commands read comes after. A `new` reads 3 lines of the 7, a replace 2.
struct Command {
  CommandType type;
  Side side;
  OrderType order_type;
  Tif tif;  // meaningful when has_tif
  Stp stp;
  bool post_only;
  bool divisible;  // new: one slice per hour in the hour books (docs/hours.md)
  bool has_tif;
  bool has_expire_ts;
  bool has_min_qty;
  bool has_display_qty;
  bool has_cl_id;
  bool has_order_id;
  bool has_new_cl_id;
  bool has_instrument;
  bool has_product;
  Seq seq;
  Ts ts;
  PriceField price;
  Qty qty;
  OrderId order_id;  // cancel/replace when has_order_id

  FixedString<kMaxAccountLen> account;
  FixedString<kMaxClIdLen> cl_id;         // new; cancel/replace when has_cl_id
  FixedString<kMaxSymbolLen> instrument;  // new; mass_cancel/halt/resume when has_instrument

  Ts expire_ts;  // when has_expire_ts
  Qty min_qty;  // when has_min_qty
  Qty display_qty;  // when has_display_qty

  FixedString<kMaxClIdLen> new_cl_id;  // replace when has_new_cl_id
  FixedString<kMaxSymbolLen> product;  // mass_cancel/halt/resume when has_product

  // SPEC §7 (docs/ledger.md). deposit/withdraw use account, instrument (the window) and qty.
  bool risk_on;  // risk: mode `on`
  // Sessions (docs/order-log.md, "Sessions"): which gateway connection sent the command (the
  // journal's record session; 0 for an order log), so that cancel-on-disconnect cancels only
  // the orders of the session that entered them. In padding before `amount`: a Command stays 424 bytes.
  bool session_start;  // the session's first sequenced command: forget older holders' tags of `session`
  bool per_session;    // disconnect: only `session`'s orders (journal version 4); false: the account's
  std::uint32_t session;
  AmountField amount;                         // fund
  FixedString<kMaxAmountLen> amount_text;     // fund: as given, for fund_rejected
};
static_assert(offsetof(Command, account) == 64, "the first line: what every command reads");
static_assert(sizeof(Command) == 424, "the session fields sit in padding");

// A command with every optional field absent and the defaults of docs/order-log.md in place.
inline Command make_command(CommandType type, Seq seq, Ts ts) {
  Command c{};
  c.type = type;
  c.seq = seq;
  c.ts = ts;
  c.order_type = OrderType::limit;
  c.stp = Stp::cancel_resting;
  return c;
}

}  // namespace gpux
