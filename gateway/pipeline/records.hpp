// What the gateway thread and the engine thread hand each other over their SPSC rings. The
// engine's own types are wide (a Command is 424 bytes, an Event 304, with names as 40- and
// 72-byte strings), and an order used to move about 1.5 KB through the rings: its Command in,
// then its Event and its level update out, each with three names as strings. Here a new order
// or a cancel goes in as a 224-byte slot and comes out as two 128-byte slots; names travel once,
// as ids the gateway resolves, and what is rare or wide (replaces, operator commands, queries'
// answers, ledger events) goes whole through a side ring, marked in order in the main one.
// The conversions are the engine thread's and the gateway thread's, at the pipeline's edge.
#pragma once

#include <cstdint>

#include "engine/command.hpp"
#include "engine/depth.hpp"
#include "engine/engine.hpp"
#include "engine/event.hpp"
#include "gateway/pipeline/journal_link.hpp"

namespace gpux::gateway {

// ---- inbound: gateway -> engine ---------------------------------------------------------

// A command or a query as the gateway submits it; the engine thread stamps seq and ts.
struct Inbound {
  // A list_orders, quote, balance or holdings query reads the engine between two commands, so
  // its answer is exact as of a seq; it changes nothing and takes no seq of its own.
  enum class Kind : std::uint8_t { command, list_orders, quote, balance, holdings };
  Command command;  // account set by the session; seq and ts by the sequencer. list_orders:
                    // the account, and the instrument when has_instrument. quote: the account,
                    // instrument, side, qty, and price when a limit was given. balance: the
                    // account. holdings: the account, the product when has_product, and a
                    // window when has_order_id (its first hour in order_id, its hours in qty)
  SessionId session;
  Kind kind = Kind::command;
};

// One inbound ring slot: a new order, a cancel or a clock command, in the fields those use
// (224 bytes, where an Inbound is 432), or `whole`: the next Inbound of the side ring.
struct InboundSlot {
  bool whole;
  CommandType type;
  Side side;
  OrderType order_type;
  Tif tif;
  Stp stp;
  std::uint16_t flags;
  SessionId session;
  PriceField price;
  Qty qty;
  Ts expire_ts;
  Qty min_qty;
  Qty display_qty;
  OrderId order_id;
  FixedString<kMaxAccountLen> account;
  FixedString<kMaxClIdLen> cl_id;
  FixedString<kMaxSymbolLen> instrument;

  enum Flag : std::uint16_t {
    kPostOnly = 1 << 0, kDivisible = 1 << 1, kHasTif = 1 << 2, kHasExpireTs = 1 << 3, kHasMinQty = 1 << 4,
    kHasDisplayQty = 1 << 5, kHasClId = 1 << 6, kHasOrderId = 1 << 7, kHasInstrument = 1 << 8,
  };

  // Whether it fits: a new, cancel or clock command with none of the fields only other
  // commands use (decode_client starts from make_command, so they are at their defaults).
  static bool fits(const Command& c) {
    return (c.type == CommandType::new_order || c.type == CommandType::cancel || c.type == CommandType::clock) &&
           !c.has_new_cl_id && !c.has_product && !c.risk_on && !c.session_start;
  }
  static bool fits(const Inbound& in) { return in.kind == Inbound::Kind::command && fits(in.command); }

  // Only after fits(in).
  void set(const Command& c, SessionId s) {
    whole = false;
    type = c.type;
    side = c.side;
    order_type = c.order_type;
    tif = c.tif;
    stp = c.stp;
    flags = static_cast<std::uint16_t>(
        (c.post_only ? kPostOnly : 0) | (c.divisible ? kDivisible : 0) | (c.has_tif ? kHasTif : 0) |
        (c.has_expire_ts ? kHasExpireTs : 0) | (c.has_min_qty ? kHasMinQty : 0) |
        (c.has_display_qty ? kHasDisplayQty : 0) | (c.has_cl_id ? kHasClId : 0) |
        (c.has_order_id ? kHasOrderId : 0) | (c.has_instrument ? kHasInstrument : 0));
    session = s;
    price = c.price;
    qty = c.qty;
    expire_ts = c.expire_ts;
    min_qty = c.min_qty;
    display_qty = c.display_qty;
    order_id = c.order_id;
    account = c.account;
    cl_id = c.cl_id;
    instrument = c.instrument;
  }

  // The command again, with every field it does not carry at make_command's defaults. Returned
  // rather than assigned: assigning make_command's result zeroed a temporary and copied it
  // (rep stos, rep movs: 80% of taking a slot off the ring).
  Command get() const {
    Command c = make_command(type, 0, 0);
    c.side = side;
    c.order_type = order_type;
    c.tif = tif;
    c.stp = stp;
    c.post_only = flags & kPostOnly;
    c.divisible = flags & kDivisible;
    c.has_tif = flags & kHasTif;
    c.has_expire_ts = flags & kHasExpireTs;
    c.has_min_qty = flags & kHasMinQty;
    c.has_display_qty = flags & kHasDisplayQty;
    c.has_cl_id = flags & kHasClId;
    c.has_order_id = flags & kHasOrderId;
    c.has_instrument = flags & kHasInstrument;
    c.price = price;
    c.qty = qty;
    c.expire_ts = expire_ts;
    c.min_qty = min_qty;
    c.display_qty = display_qty;
    c.order_id = order_id;
    c.account = account;
    c.cl_id = cl_id;
    c.instrument = instrument;
    return c;
  }
};

// ---- outbound: engine -> gateway --------------------------------------------------------

// One engine event of a common type in 112 bytes: accepted (without min_qty or display_qty),
// rejected, trade, canceled, expired, replaced, cancel_rejected, replace_rejected, killed,
// unkilled and risk. Fields are the Event's, for the types that use them, except that a trade
// keeps its buyer in account, order_id and leaves and its seller in sell_account and sell.
// Names are ids: the engine thread names each id once, before its first use (NameRecord).
struct EventRecord {
  struct TradeSide {
    OrderId order_id;
    Qty leaves;
  };
  EventType type;
  Reason reason;
  Side side;
  OrderType order_type;
  Tif tif;
  Stp stp;
  Side aggressor;
  std::uint8_t flags;
  AccountId account;
  InstrumentId instrument;
  std::uint32_t match;
  AccountId sell_account;
  Ts ts;
  OrderId order_id;
  Price price;
  Qty qty;
  Qty leaves;
  union {
    FixedString<kMaxClIdLen> cl_id;  // all but trade, killed, unkilled, risk
    TradeSide sell;                  // trade
  };
  Ts expire_ts;  // accepted, gtd

  enum Flag : std::uint8_t {
    kPostOnly = 1 << 0, kDivisible = 1 << 1, kHasInstrument = 1 << 2, kPriorityKept = 1 << 3, kHasClId = 1 << 4,
    kHasOrderId = 1 << 5, kRiskOn = 1 << 6,
  };

  // Which names the event's reports need (as protocol::report_names gives them).
  static bool names_account(EventType t) { return t != EventType::risk; }
  static bool names_instrument(EventType t, bool has_instrument) {
    return t == EventType::accepted || t == EventType::trade ||
           ((t == EventType::canceled || t == EventType::expired) && has_instrument);
  }

  static bool fits(const Event& e) {
    switch (e.type) {
      case EventType::accepted: return !e.has_min_qty && !e.has_display_qty;
      case EventType::rejected:
      case EventType::trade:
      case EventType::canceled:
      case EventType::expired:
      case EventType::replaced:
      case EventType::cancel_rejected:
      case EventType::replace_rejected:
      case EventType::killed:
      case EventType::unkilled:
      case EventType::risk: return true;
      default: return false;
    }
  }

  // Only after fits(e). Copies the fields e's type uses and no others: the engine leaves the
  // rest uninitialised.
  void set(const Event& e) {
    type = e.type;
    ts = e.ts;
    flags = 0;
    switch (e.type) {
      case EventType::accepted:
        order_id = e.order_id, account = e.account, instrument = e.instrument, cl_id = e.cl_id;
        side = e.side, order_type = e.order_type, tif = e.tif, stp = e.stp, price = e.price, qty = e.qty;
        expire_ts = e.expire_ts;
        flags = static_cast<std::uint8_t>((e.post_only ? kPostOnly : 0) | (e.divisible ? kDivisible : 0));
        return;
      case EventType::rejected: account = e.account, cl_id = e.cl_id, reason = e.reason; return;
      case EventType::trade:
        instrument = e.instrument, match = e.match, price = e.price, qty = e.qty, aggressor = e.aggressor;
        account = e.buy_account, order_id = e.buy_order_id, leaves = e.buy_leaves;
        sell_account = e.sell_account, sell = {e.sell_order_id, e.sell_leaves};
        return;
      case EventType::canceled:
      case EventType::expired:
        account = e.account, order_id = e.order_id, cl_id = e.cl_id, leaves = e.leaves, reason = e.reason;
        if (e.has_instrument) instrument = e.instrument, flags = kHasInstrument;
        return;
      case EventType::replaced:
        account = e.account, order_id = e.order_id, cl_id = e.cl_id, price = e.price, qty = e.qty;
        if (e.priority_kept) flags = kPriorityKept;
        return;
      case EventType::cancel_rejected:
      case EventType::replace_rejected:
        account = e.account, reason = e.reason;
        flags = static_cast<std::uint8_t>((e.has_cl_id ? kHasClId : 0) | (e.has_order_id ? kHasOrderId : 0));
        if (e.has_cl_id) cl_id = e.cl_id;
        if (e.has_order_id) order_id = e.order_id;
        return;
      case EventType::killed:
      case EventType::unkilled: account = e.account; return;
      case EventType::risk:
        if (e.risk_on) flags = kRiskOn;
        return;
      default: return;
    }
  }

  // The event again, in the fields its type uses (the codecs read no others); `seq` is the
  // slot's.
  void get(Seq seq, Event& e) const {
    e.type = type;
    e.seq = seq;
    e.ts = ts;
    e.has_instrument = flags & kHasInstrument;
    switch (type) {
      case EventType::accepted:
        e.order_id = order_id, e.account = account, e.instrument = instrument, e.cl_id = cl_id;
        e.side = side, e.order_type = order_type, e.tif = tif, e.stp = stp, e.price = price, e.qty = qty;
        e.expire_ts = expire_ts;
        e.post_only = flags & kPostOnly;
        e.divisible = flags & kDivisible;
        e.has_min_qty = e.has_display_qty = false;
        return;
      case EventType::rejected: e.account = account, e.cl_id = cl_id, e.reason = reason; return;
      case EventType::trade:
        e.instrument = instrument, e.match = match, e.price = price, e.qty = qty, e.aggressor = aggressor;
        e.buy_account = account, e.buy_order_id = order_id, e.buy_leaves = leaves;
        e.sell_account = sell_account, e.sell_order_id = sell.order_id, e.sell_leaves = sell.leaves;
        return;
      case EventType::canceled:
      case EventType::expired:
        e.account = account, e.order_id = order_id, e.cl_id = cl_id, e.leaves = leaves, e.reason = reason;
        if (e.has_instrument) e.instrument = instrument;
        return;
      case EventType::replaced:
        e.account = account, e.order_id = order_id, e.cl_id = cl_id, e.price = price, e.qty = qty;
        e.priority_kept = flags & kPriorityKept;
        return;
      case EventType::cancel_rejected:
      case EventType::replace_rejected:
        e.account = account, e.reason = reason;
        e.has_cl_id = flags & kHasClId;
        e.has_order_id = flags & kHasOrderId;
        e.cl_id.len = 0;
        if (e.has_cl_id) e.cl_id = cl_id;
        if (e.has_order_id) e.order_id = order_id;
        return;
      case EventType::killed:
      case EventType::unkilled: e.account = account; return;
      case EventType::risk: e.risk_on = flags & kRiskOn; return;
      default: return;
    }
  }
};
static_assert(sizeof(EventRecord) == 112);

// One level update (LevelUpdate without its seq, which is the slot's).
struct LevelRecord {
  InstrumentId instrument;
  Side side;
  bool hours;  // the instrument's hour book
  std::uint32_t orders;
  Price price;
  Qty qty;
};

// The name of an account or an instrument id, sent by the engine thread before the first
// record that uses the id. Names never change, so the gateway keeps them for good.
struct NameRecord {
  enum class What : std::uint8_t { account, instrument };
  What what;
  std::uint32_t id;
  FixedString<kMaxSymbolLen> text;
};

// What does not fit a slot, whole: an event of another type (halted, resumed, the ledger's),
// or one line of an answer to a session's query. An event's names travel with it as strings.
struct Rare {
  // open_order: one answer to list_orders (fields as protocol::ServerEncoder::open_order reads
  // them); orders_end closes the answer (event.qty: how many). quote_reply: the answer to a
  // quote (event.side and event.qty as asked, `instrument` the window, `quote` the engine's
  // answer). balance_reply: `balance`. holding_run: one run of the answer to holdings, `run`,
  // its product in `instrument`; holdings_end closes it (event.priority_kept: cut short at
  // kMaxHoldingRuns). Answers are exact as of the slot's seq, the last command run.
  enum class Kind : std::uint8_t {
    event, open_order, orders_end, quote_reply, balance_reply, holding_run, holdings_end
  };
  Kind kind;
  SessionId session;  // answers: who asked
  Event event;
  // Never both: a union keeps the rare quote from widening every slot of the side ring.
  union {
    Quote quote;
    Balance balance;
    HoldingRun run;
  };
  FixedString<kMaxAccountLen> account;       // the event's account (a trade's buyer); answers: who asked
  FixedString<kMaxAccountLen> counterparty;  // a trade's seller
  FixedString<kMaxSymbolLen> instrument;
};

// One outbound ring slot, 128 bytes: two cache lines.
struct Outbound {
  enum class Kind : std::uint8_t { event, level, name, rare };
  Kind kind;
  bool last_of_command;  // the command's output ends here (so a book mirror is whole again)
  Seq seq;               // event, level: its command's; name: the command that first uses it
  union {
    EventRecord event;
    LevelRecord level;
    NameRecord name;
    // The item of the side ring this slot stands for, set by Pipeline::drain on the gateway
    // thread, valid while the callback runs.
    const Rare* rare;
  };
};
static_assert(sizeof(Outbound) == 128);

}  // namespace gpux::gateway
