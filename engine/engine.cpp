#include "engine/engine.hpp"

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <iterator>
#include <limits>
#include <queue>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/book.hpp"
#include "engine/expiry_heap.hpp"
#include "engine/name_table.hpp"
#include "engine/order.hpp"
#include "engine/order_index.hpp"
#include "engine/state_codec.hpp"
#include "engine/symbol.hpp"

namespace gpux {

namespace {

constexpr Ts kNever = std::numeric_limits<Ts>::max();
__extension__ using I128 = __int128;  // products of prices, quantities and ns that overflow int64

struct Band {
  Price lower;
  Price upper;
};

struct Instrument {
  std::string symbol;
  ProductId product;
  I128 start;  // ns; may lie past int64 for a window far in the future
  Ts gate;     // start - gate_minutes: orders expire here, new ones are refused from here on
  Book book;
  Price last_trade = 0;  // 0 until the first trade
  Price band_ref = 0;    // the reference `band` was computed from
  Band band{};
  bool halted = false;   // the instrument's own flag; the product has another
  std::uint32_t resting = 0;
};

struct Account {
  std::uint64_t name_hash = 0;
  bool killed = false;
  std::uint32_t head = kNil;  // resting orders, ascending order_id (they rest in the order
  std::uint32_t tail = kNil;  // their `new` commands run, so appending keeps the order)
  std::uint32_t resting = 0;
};

// SPEC §3: lower = ceil_to_tick(ref*(100-b)/100), upper = floor_to_tick(ref*(100+b)/100).
Band band_of(Price ref, const Product& p) {
  using I = I128;
  const I unit = I{100} * p.tick;
  const I lo_num = I{ref} * (100 - p.band_pct);
  const I hi_num = I{ref} * (100 + p.band_pct);
  const I lo = (lo_num + unit - 1) / unit;  // numerators are positive
  const I hi = hi_num / unit;
  return Band{static_cast<Price>(lo * p.tick), static_cast<Price>(hi * p.tick)};
}

// Trading in a window stops gate_minutes before it starts (SPEC §1); may lie past int64.
I128 gate_of(I128 start, const Product& p) { return start - I128{p.gate_minutes} * kNsPerMinute; }

// The tick indices a new instrument's book covers up front: its listing band.
std::pair<std::int64_t, std::int64_t> listing_ticks(const Product& p) {
  const Band b = band_of(p.ref_price, p);
  return {std::max<Price>(b.lower / p.tick, 1), b.upper / p.tick};
}

std::uint32_t id_hash(OrderId id) {
  // Order ids are seqs, mostly dense: keeping their low bits keeps neighbours in neighbouring
  // slots, which the cache likes far more than a scrambled hash.
  return static_cast<std::uint32_t>(id);
}

// Seeded with a hash of the account's name rather than its id, so that prefetch() can find
// the slot straight from a command, before the account is even looked up.
std::uint64_t name_hash(std::string_view name) { return NameTable::hash(name); }
std::uint32_t cl_hash(std::uint64_t account_hash, std::string_view cl_id) {
  return static_cast<std::uint32_t>(XXH3_64bits_withSeed(cl_id.data(), cl_id.size(), account_hash));
}

enum class MatchEnd { done, aggressor_canceled };

// Hashes a command needs, computed once: by the batch loop ahead of time (to prefetch with)
// or just before the command runs.
struct Hints {
  std::uint64_t account_hash;
  std::uint32_t cl_id_hash;  // of (account, cl_id); meaningful when the command has a cl_id
};

Hints hints_for(const Command& c) {
  Hints h;
  h.account_hash = name_hash(c.account.view());
  h.cl_id_hash = cl_hash(h.account_hash, c.cl_id.view());
  return h;
}

OrderView view_of(const Order& o) {
  return OrderView{o.id,    o.account, o.instrument, o.cl_id.view(), o.side,     o.price,
                   o.open,  o.shown,   o.tif,        o.expire_ts,    o.display};
}

// ---- snapshot layout (docs/snapshot.md) -----------------------------------------------------

constexpr std::string_view kSnapshotMagic = "GPUXSNAP";
constexpr std::uint32_t kSnapshotVersion = 1;
constexpr std::size_t kHeaderBytes = 8 + 4 + 8 + 8 + 8 + 8;  // magic version size seq ts orders
constexpr std::size_t kChecksumBytes = 8;
// The fewest bytes a record can take: counts that the bytes left cannot hold are corrupt.
constexpr std::size_t kMinOrderBytes = 8 + 4 + 1 + 8 + 8 + 8 + 1 + 8 + 1 + 1;
constexpr std::size_t kMinLevelBytes = 8 + 4 + kMinOrderBytes;
constexpr std::size_t kMinInstrumentBytes = 1 + 8 + 4 + 4;
// A corrupt price could make a book's level array (24 bytes a tick) as large as it likes. Real
// books hardly stray from their listing bands, so all books together may reach at most this
// many ticks beyond them (about 100 MiB).
constexpr std::int64_t kMaxStrayTicks = std::int64_t{1} << 22;

// The product fields matching depends on (gpu, site and fabric are descriptive only). A
// snapshot records them so that loading it into an engine with another catalog fails.
struct ProductLimit {
  std::string_view name;
  std::int64_t Product::*field;
};
constexpr ProductLimit kProductLimits[] = {
    {"lot", &Product::lot},
    {"tick", &Product::tick},
    {"ref_price", &Product::ref_price},
    {"band_pct", &Product::band_pct},
    {"max_qty", &Product::max_qty},
    {"max_hours", &Product::max_hours},
    {"gate_minutes", &Product::gate_minutes},
    {"horizon_hours", &Product::horizon_hours},
};

// Pieces of an error message: text as it is, integers in decimal.
std::string piece(std::string_view s) { return std::string(s); }
template <std::integral T>
std::string piece(T v) {
  return std::to_string(v);
}

// Sets `error` to the pieces joined; returns false for the caller to pass on.
template <class... Parts>
bool fail(std::string& error, const Parts&... parts) {
  error.clear();
  ((error += piece(parts)), ...);
  return false;
}

struct LoadedOrder {
  OrderId id;
  std::uint32_t slot;        // in the pool
  std::uint32_t cl_id_hash;  // its by_cl_id key, computed while the order is in the cache
};
using LoadedOrders = std::vector<LoadedOrder>;

}  // namespace

struct Engine::Impl {
  explicit Impl(Catalog c, EngineConfig cfg)
      : config(cfg),
        catalog(std::move(c)),
        pool(cfg.max_orders),
        by_id(cfg.max_orders),
        by_cl_id(cfg.max_orders),
        gtd(pool),
        product_halted(catalog.products().size(), false) {
    dirty.reserve(256);
    if (cfg.prefault) {
      pool.prefault();
      by_id.prefault();
      by_cl_id.prefault();
    }
  }

  EngineConfig config;
  Catalog catalog;
  OrderPool pool;
  OrderIndex by_id;
  OrderIndex by_cl_id;
  ExpiryHeap gtd;
  NameTable account_names;
  std::vector<Account> accounts;
  NameTable symbols;
  std::vector<Instrument> instruments;
  std::vector<bool> product_halted;
  // Instrument halt flags by symbol, listed or not; a resume keeps the entry so that halting
  // the same symbol again allocates nothing.
  std::map<std::string, bool, std::less<>> symbol_halted;
  using Gate = std::pair<Ts, InstrumentId>;
  std::priority_queue<Gate, std::vector<Gate>, std::greater<>> gates;  // open instruments
  std::vector<std::uint32_t> closing;       // scratch for gate closures
  std::vector<InstrumentId> closed_books;  // freed at the end of the command, after depth

  // The running command's seq and ts; between commands, the last one's (a snapshot keeps them).
  Seq seq = 0;
  Ts now = 0;

  // Per-command state.
  EventBuffer* out = nullptr;
  DepthBuffer* depth = nullptr;
  Hints hints;
  std::uint32_t match_no = 0;
  struct Dirty {
    InstrumentId instrument;
    Side side;
    Price price;
  };
  std::vector<Dirty> dirty;

  // ---- events -------------------------------------------------------------------------

  Event& emit(EventType type, Ts ts) {
    Event& e = out->push();
    e.type = type;
    e.seq = seq;
    e.ts = ts;
    return e;
  }

  void emit_order_end(EventType type, const Order& o, Reason reason, Ts ts) {
    Event& e = emit(type, ts);
    e.order_id = o.id;
    e.account = o.account;
    e.cl_id = o.cl_id;
    e.leaves = o.open;
    e.reason = reason;
  }

  void emit_rejected(const Command& c, AccountId account, Reason reason) {
    Event& e = emit(EventType::rejected, now);
    e.account = account;
    e.cl_id = c.cl_id;
    e.reason = reason;
  }

  void emit_lookup_rejected(EventType type, const Command& c, AccountId account, Reason reason) {
    Event& e = emit(type, now);
    e.account = account;
    e.reason = reason;
    e.has_cl_id = c.has_cl_id;
    e.has_order_id = c.has_order_id;
    e.cl_id = c.cl_id;
    e.order_id = c.order_id;
  }

  // ---- depth --------------------------------------------------------------------------

  void touch(InstrumentId inst, Side side, Level& l, Price price) {
    const std::uint8_t bit = side == Side::buy ? 1 : 2;
    if (depth == nullptr || (l.dirty & bit)) return;
    l.dirty |= bit;
    dirty.push_back(Dirty{inst, side, price});
  }

  void flush_depth() {
    for (const Dirty& d : dirty) {
      Book& book = instruments[d.instrument].book;
      LevelUpdate u{seq, d.instrument, d.side, d.price, 0, 0};
      if (Level* l = book.find_any(d.price)) {
        l->dirty = 0;
        if (l->count > 0 && l->side == d.side) {
          u.qty = l->qty;
          u.orders = l->count;
        }
      }
      depth->push_back(u);
    }
    dirty.clear();
  }

  // ---- names --------------------------------------------------------------------------

  AccountId account_id(const FixedString<kMaxAccountLen>& name) {
    const std::uint32_t id = account_names.intern(name.view(), hints.account_hash);
    if (id == accounts.size()) accounts.emplace_back().name_hash = hints.account_hash;
    return id;
  }

  // The instrument's band as of now; recomputed only when its reference price moved.
  static const Band& band_of(Instrument& ins, const Product& p) {
    const Price ref = ins.last_trade ? ins.last_trade : p.ref_price;
    if (ins.band_ref != ref) {
      ins.band = gpux::band_of(ref, p);
      ins.band_ref = ref;
    }
    return ins.band;
  }
  static Band band_of(Price ref, const Product& p) { return gpux::band_of(ref, p); }

  bool instrument_halted(const Instrument& ins) const {
    return ins.halted || product_halted[ins.product];
  }

  InstrumentId list_instrument(std::string_view symbol, ProductId product, I128 start) {
    const InstrumentId id = symbols.intern(symbol);
    Instrument& ins = instruments.emplace_back();
    const Product& p = catalog.products()[product];
    ins.symbol = std::string(symbol);
    ins.product = product;
    ins.start = start;
    ins.gate = static_cast<Ts>(std::min<I128>(gate_of(start, p), kNever));
    const auto flag = symbol_halted.find(symbol);
    ins.halted = flag != symbol_halted.end() && flag->second;
    const auto [lo, hi] = listing_ticks(p);
    ins.book.init(p.tick, lo, hi);
    gates.push({ins.gate, id});
    return id;
  }

  // ---- resting orders -----------------------------------------------------------------

  void rest(std::uint32_t oi) {
    Order& o = pool[oi];
    Instrument& ins = instruments[o.instrument];
    std::int64_t li;
    Level& l = ins.book.join(o.side, o.price, li);
    o.next = kNil;
    o.prev = l.tail;
    if (l.tail != kNil) pool[l.tail].next = oi;
    else l.head = oi;
    l.tail = oi;
    l.qty += o.shown;
    ++l.count;
    touch(o.instrument, o.side, l, o.price);
  }

  // Takes the order out of its level's FIFO (it stays indexed).
  void unlink(std::uint32_t oi) {
    Order& o = pool[oi];
    Instrument& ins = instruments[o.instrument];
    Book& book = ins.book;
    const std::int64_t li = book.index_of(o.price);
    Level& l = book.at(li);
    if (o.prev != kNil) pool[o.prev].next = o.next;
    else l.head = o.next;
    if (o.next != kNil) pool[o.next].prev = o.prev;
    else l.tail = o.prev;
    l.qty -= o.shown;
    --l.count;
    touch(o.instrument, o.side, l, o.price);
    if (l.count == 0) book.vacate(o.side, li);
  }

  void index(std::uint32_t oi, std::uint32_t cl_id_hash) {
    Order& o = pool[oi];
    by_id.insert(id_hash(o.id), oi);
    by_cl_id.insert(cl_id_hash, oi);
    Account& a = accounts[o.account];
    o.account_next = kNil;
    o.account_prev = a.tail;
    if (a.tail != kNil) pool[a.tail].account_next = oi;
    else a.head = oi;
    a.tail = oi;
    ++a.resting;
    ++instruments[o.instrument].resting;
    o.heap_pos = kNil;
    if (o.tif == Tif::gtd && o.expire_ts < instruments[o.instrument].gate) gtd.push(oi);
  }

  void unindex(std::uint32_t oi) {
    Order& o = pool[oi];
    by_id.erase(id_hash(o.id), oi);
    by_cl_id.erase(cl_hash(accounts[o.account].name_hash, o.cl_id.view()), oi);
    Account& a = accounts[o.account];
    if (o.account_prev != kNil) pool[o.account_prev].account_next = o.account_next;
    else a.head = o.account_next;
    if (o.account_next != kNil) pool[o.account_next].account_prev = o.account_prev;
    else a.tail = o.account_prev;
    --a.resting;
    --instruments[o.instrument].resting;
    if (o.heap_pos != kNil) gtd.erase(oi);
  }

  // Cancels the account's resting orders that `hit` selects, in ascending order_id.
  template <class Hit>
  void cancel_all(AccountId account, Reason reason, Hit&& hit) {
    for (std::uint32_t oi = accounts[account].head; oi != kNil;) {
      const std::uint32_t next = pool[oi].account_next;
      if (hit(pool[oi])) cancel_resting(oi, reason);
      oi = next;
    }
  }

  // Removes a resting order for good, with its closing event.
  void retire(std::uint32_t oi, EventType type, Reason reason, Ts ts) {
    emit_order_end(type, pool[oi], reason, ts);
    unlink(oi);
    unindex(oi);
    pool.release(oi);
  }

  std::uint32_t find_by_id(OrderId id) const {
    return by_id.find(id_hash(id), [&](std::uint32_t oi) { return pool[oi].id == id; });
  }
  std::uint32_t find_by_cl_id(AccountId account, std::string_view cl_id) const {
    return find_by_cl_id(account, cl_id, cl_hash(accounts[account].name_hash, cl_id));
  }
  std::uint32_t find_by_cl_id(AccountId account, std::string_view cl_id, std::uint32_t hash) const {
    return by_cl_id.find(hash, [&](std::uint32_t oi) {
      return pool[oi].account == account && pool[oi].cl_id.view() == cl_id;
    });
  }

  // ---- time ---------------------------------------------------------------------------

  Reason expiry_reason(const Order& o) const {
    return o.tif == Tif::gtd && o.expire_ts < instruments[o.instrument].gate ? Reason::gtd
                                                                             : Reason::gate_closed;
  }

  // SPEC §3 Time: everything due at or before T goes, in ascending (deadline, order_id).
  void run_expiries(Ts t) {
    for (;;) {
      const Ts g = gates.empty() ? kNever : gates.top().first;
      const Ts e = gtd.empty() ? kNever : gtd.top_deadline();
      if (gates.empty() && gtd.empty()) return;
      if (std::min(g, e) > t) return;
      if (e < g) {
        const std::uint32_t oi = gtd.top();
        retire(oi, EventType::expired, Reason::gtd, e);
        continue;
      }
      // Gate closure at g: every order of the closing instruments, and any gtd order elsewhere
      // whose expire_ts is exactly g, leave together in order_id order.
      closing.clear();
      while (!gates.empty() && gates.top().first == g) {
        const InstrumentId id = gates.top().second;
        gates.pop();
        collect_orders(id, [](const Order&) { return true; });
        closed_books.push_back(id);
      }
      while (!gtd.empty() && gtd.top_deadline() == g) {
        const std::uint32_t oi = gtd.top();
        gtd.erase(oi);
        closing.push_back(oi);
      }
      std::sort(closing.begin(), closing.end(),
                [&](std::uint32_t a, std::uint32_t b) { return pool[a].id < pool[b].id; });
      for (const std::uint32_t oi : closing) {
        const Reason r = expiry_reason(pool[oi]);
        retire(oi, EventType::expired, r, g);
      }
    }
  }

  // Appends to `closing` the instrument's resting orders that `pick` selects, in book order.
  template <class Pick>
  void collect_orders(InstrumentId id, Pick&& pick) {
    Book& book = instruments[id].book;
    for (Side s : {Side::buy, Side::sell}) {
      for (std::int64_t li = book.best(s); li >= 0; li = book.next_behind(s, li))
        for (std::uint32_t oi = book.at(li).head; oi != kNil; oi = pool[oi].next)
          if (pick(pool[oi])) closing.push_back(oi);
    }
  }

  // ---- matching -----------------------------------------------------------------------

  void cancel_resting(std::uint32_t oi, Reason reason) {
    retire(oi, EventType::canceled, reason, now);
  }

  // Trades `in` against the other side while it crosses (SPEC §3 Matching). `in` is not in
  // the book. Returns aggressor_canceled when self-trade prevention stopped it; the caller
  // then emits the aggressor's `stp` cancel.
  MatchEnd match(InstrumentId inst, Order& in) {
    Instrument& ins = instruments[inst];
    Book& book = ins.book;
    const Side contra = opposite(in.side);
    while (in.open > 0 && !book.empty(contra)) {
      const std::int64_t li = book.best(contra);
      const Price lp = book.price_at(li);
      if (in.side == Side::buy ? lp > in.price : lp < in.price) break;
      Level& l = book.at(li);
      while (in.open > 0 && l.count > 0) {
        const std::uint32_t ri = l.head;
        Order& r = pool[ri];
        if (r.next != kNil) __builtin_prefetch(&pool[r.next]);  // likely the next one to trade
        if (r.account == in.account) {
          if (in.stp == Stp::cancel_aggressor) return MatchEnd::aggressor_canceled;
          cancel_resting(ri, Reason::stp);
          if (in.stp == Stp::cancel_both) return MatchEnd::aggressor_canceled;
          continue;
        }
        const Qty q = std::min(in.open, r.shown);
        in.open -= q;
        r.open -= q;
        r.shown -= q;
        l.qty -= q;
        ins.last_trade = lp;
        touch(inst, contra, l, lp);
        emit_trade(inst, in, r, lp, q);
        if (r.open == 0) {
          unlink(ri);
          unindex(ri);
          pool.release(ri);
        } else if (r.shown == 0) {
          // Iceberg refill: a fresh clip, at the back of the level.
          r.shown = std::min(r.display, r.open);
          l.qty += r.shown;
          if (r.next != kNil) {
            l.head = r.next;
            pool[r.next].prev = kNil;
            r.prev = l.tail;
            r.next = kNil;
            pool[l.tail].next = ri;
            l.tail = ri;
          }
        }
      }
    }
    return MatchEnd::done;
  }

  void emit_trade(InstrumentId inst, const Order& in, const Order& r, Price price, Qty q) {
    Event& e = emit(EventType::trade, now);
    e.match = ++match_no;
    e.instrument = inst;
    e.price = price;
    e.qty = q;
    const Order& buy = in.side == Side::buy ? in : r;
    const Order& sell = in.side == Side::buy ? r : in;
    e.buy_order_id = buy.id;
    e.sell_order_id = sell.id;
    e.buy_account = buy.account;
    e.sell_account = sell.account;
    e.aggressor = in.side;
    e.buy_leaves = buy.open;
    e.sell_leaves = sell.open;
  }

  // What `in` would trade right now, stopping early once `enough` is reached: the min_qty/fok
  // check, run before anything happens. Follows match() step by step, including self-trade
  // prevention and iceberg refills, without changing anything.
  Qty simulate(const Instrument& ins, const Order& in, Qty enough) const {
    const Book& book = ins.book;
    const Side contra = opposite(in.side);
    Qty left = in.open;
    Qty traded = 0;
    for (std::int64_t li = book.best(contra); li >= 0; li = book.next_behind(contra, li)) {
      const Price lp = book.price_at(li);
      if (in.side == Side::buy ? lp > in.price : lp < in.price) break;
      // One pass over the queue as it stands; icebergs whose clip is used up refill and wait
      // behind it, where nothing can stop them (they are other accounts' orders): the rest of
      // this level then trades min(left, what they still hold).
      Qty requeued = 0;
      for (std::uint32_t ri = book.at(li).head; ri != kNil; ri = pool[ri].next) {
        const Order& r = pool[ri];
        if (r.account == in.account) {
          if (in.stp == Stp::cancel_resting) continue;
          return traded;
        }
        const Qty q = std::min(left, r.shown);
        left -= q;
        traded += q;
        if (traded >= enough || left == 0) return traded;
        requeued += r.open - q;
      }
      const Qty q = std::min(left, requeued);
      left -= q;
      traded += q;
      if (traded >= enough || left == 0) return traded;
    }
    return traded;
  }

  // ---- commands -----------------------------------------------------------------------

  void on_new(const Command& c) {
    const AccountId account = account_id(c.account);
    if (accounts[account].killed) return emit_rejected(c, account, Reason::killed);

    // A listed instrument passed the symbol checks when it was listed; only time can close it.
    const std::uint32_t listed = symbols.find(c.instrument.view());
    Instrument* ins = listed == NameTable::npos ? nullptr : &instruments[listed];
    std::int32_t pid;
    I128 start;
    if (ins) {
      pid = static_cast<std::int32_t>(ins->product);
      start = ins->start;
    } else {
      Symbol sym;
      if (!parse_symbol(c.instrument.view(), sym)) return emit_rejected(c, account, Reason::unknown_instrument);
      pid = catalog.find(sym.product);
      if (pid < 0) return emit_rejected(c, account, Reason::unknown_instrument);
      const Product& p = catalog.products()[static_cast<std::size_t>(pid)];
      if (sym.hours < 1 || sym.hours > p.max_hours) return emit_rejected(c, account, Reason::bad_window);
      start = I128{sym.start_hour} * kNsPerHour;
    }
    const Product& p = catalog.products()[static_cast<std::size_t>(pid)];
    const I128 gate = gate_of(start, p);
    if (gate <= now) return emit_rejected(c, account, Reason::window_closed);
    if (start > I128{now} + I128{p.horizon_hours} * kNsPerHour)
      return emit_rejected(c, account, Reason::window_too_far);

    bool halted;
    if (ins) {
      halted = instrument_halted(*ins);
    } else {
      const auto flag = symbol_halted.find(c.instrument.view());
      halted = product_halted[static_cast<std::size_t>(pid)] || (flag != symbol_halted.end() && flag->second);
    }
    if (halted) return emit_rejected(c, account, Reason::halted);
    if (c.qty <= 0 || c.qty % p.lot != 0 || c.qty > p.max_qty)
      return emit_rejected(c, account, Reason::bad_qty);

    const bool market = c.order_type == OrderType::market;
    const Band band = ins ? band_of(*ins, p) : band_of(p.ref_price, p);
    Price price;
    if (market) {
      if (c.price.present) return emit_rejected(c, account, Reason::bad_price);
      price = c.side == Side::buy ? band.upper : band.lower;
    } else {
      if (!c.price.present || !c.price.valid || c.price.value <= 0 || c.price.value % p.tick != 0)
        return emit_rejected(c, account, Reason::bad_price);
      price = c.price.value;
      if (price < band.lower || price > band.upper) return emit_rejected(c, account, Reason::price_band);
    }

    const Tif tif = c.has_tif ? c.tif : (market ? Tif::ioc : Tif::gtc);
    const bool immediate = tif == Tif::ioc || tif == Tif::fok;
    if ((tif == Tif::gtd && (!c.has_expire_ts || c.expire_ts <= now)) ||
        (tif != Tif::gtd && c.has_expire_ts) ||
        (c.post_only && (immediate || market || c.has_min_qty)) || (market && !immediate))
      return emit_rejected(c, account, Reason::bad_tif);
    if (c.has_min_qty && (c.min_qty <= 0 || c.min_qty > c.qty || c.min_qty % p.lot != 0))
      return emit_rejected(c, account, Reason::bad_min_qty);
    if (c.has_display_qty && (c.display_qty <= 0 || c.display_qty >= c.qty ||
                              c.display_qty % p.lot != 0 || immediate || market))
      return emit_rejected(c, account, Reason::bad_display_qty);
    const std::uint32_t cl_id_hash = hints.cl_id_hash;
    if (find_by_cl_id(account, c.cl_id.view(), cl_id_hash) != kNil)
      return emit_rejected(c, account, Reason::duplicate_cl_id);
    if (c.post_only && ins && ins->book.crosses(c.side, price))
      return emit_rejected(c, account, Reason::post_only);
    if (pool.full()) return emit_rejected(c, account, Reason::capacity);

    const InstrumentId inst =
        ins ? listed : list_instrument(c.instrument.view(), static_cast<ProductId>(pid), start);
    const std::uint32_t oi = pool.allocate();
    Order& o = pool[oi];
    o.price = price;
    o.open = c.qty;
    o.display = c.has_display_qty ? c.display_qty : 0;
    o.shown = o.display ? o.display : o.open;
    o.id = c.seq;
    o.expire_ts = c.has_expire_ts ? c.expire_ts : 0;
    o.account = account;
    o.instrument = inst;
    o.heap_pos = kNil;
    o.side = c.side;
    o.tif = tif;
    o.stp = c.stp;
    o.post_only = c.post_only;
    o.cl_id = c.cl_id;

    Event& e = emit(EventType::accepted, now);
    e.order_id = o.id;
    e.account = account;
    e.cl_id = c.cl_id;
    e.instrument = inst;
    e.side = c.side;
    e.order_type = c.order_type;
    e.price = price;
    e.qty = c.qty;
    e.tif = tif;
    e.expire_ts = o.expire_ts;
    e.post_only = c.post_only;
    e.stp = c.stp;
    e.has_min_qty = c.has_min_qty;
    e.min_qty = c.min_qty;
    e.has_display_qty = c.has_display_qty;
    e.display_qty = c.display_qty;

    if (tif == Tif::fok || c.has_min_qty) {
      const Qty need = tif == Tif::fok ? c.qty : c.min_qty;
      if (simulate(instruments[inst], o, need) < need) {
        emit_order_end(EventType::canceled, o, tif == Tif::fok ? Reason::fok : Reason::min_qty, now);
        pool.release(oi);
        return;
      }
    }
    if (match(inst, o) == MatchEnd::aggressor_canceled) {
      emit_order_end(EventType::canceled, o, Reason::stp, now);
      pool.release(oi);
      return;
    }
    if (o.open == 0) {
      pool.release(oi);
    } else if (immediate) {
      emit_order_end(EventType::canceled, o, Reason::ioc, now);
      pool.release(oi);
    } else {
      o.shown = o.display ? std::min(o.display, o.open) : o.open;
      rest(oi);
      index(oi, cl_id_hash);
    }
  }

  // The account's resting order named by the command (order_id wins over cl_id), or kNil.
  std::uint32_t lookup(const Command& c, AccountId account) const {
    if (c.has_order_id) {
      const std::uint32_t oi = find_by_id(c.order_id);
      return oi != kNil && pool[oi].account == account ? oi : kNil;
    }
    return find_by_cl_id(account, c.cl_id.view(), hints.cl_id_hash);
  }

  void on_cancel(const Command& c) {
    const AccountId account = account_id(c.account);
    const std::uint32_t oi = lookup(c, account);
    if (oi == kNil)
      return emit_lookup_rejected(EventType::cancel_rejected, c, account, Reason::unknown_order);
    cancel_resting(oi, Reason::user);
  }

  void on_replace(const Command& c) {
    const AccountId account = account_id(c.account);
    auto reject = [&](Reason r) { emit_lookup_rejected(EventType::replace_rejected, c, account, r); };
    if (accounts[account].killed) return reject(Reason::killed);
    const std::uint32_t oi = lookup(c, account);
    if (oi == kNil) return reject(Reason::unknown_order);
    Order& o = pool[oi];
    Instrument& ins = instruments[o.instrument];
    const Product& p = catalog.products()[ins.product];
    if (instrument_halted(ins)) return reject(Reason::halted);
    if (c.qty <= 0 || c.qty % p.lot != 0 || c.qty > p.max_qty) return reject(Reason::bad_qty);
    if (!c.price.valid || c.price.value <= 0 || c.price.value % p.tick != 0) return reject(Reason::bad_price);
    const Price price = c.price.value;
    if (price != o.price) {
      const Band band = band_of(ins, p);
      if (price < band.lower || price > band.upper) return reject(Reason::price_band);
    }
    if (o.post_only && ins.book.crosses(o.side, price)) return reject(Reason::post_only);
    if (c.has_new_cl_id) {
      const std::uint32_t other = find_by_cl_id(account, c.new_cl_id.view());
      if (other != kNil && other != oi) return reject(Reason::duplicate_cl_id);
      by_cl_id.erase(cl_hash(accounts[account].name_hash, o.cl_id.view()), oi);
      o.cl_id = c.new_cl_id;
      by_cl_id.insert(cl_hash(accounts[account].name_hash, o.cl_id.view()), oi);
    }

    const bool keep = price == o.price && c.qty <= o.open;
    Event& e = emit(EventType::replaced, now);
    e.order_id = o.id;
    e.account = account;
    e.cl_id = o.cl_id;
    e.price = price;
    e.qty = c.qty;
    e.priority_kept = keep;

    const InstrumentId inst = o.instrument;
    if (keep) {
      Book& book = ins.book;
      Level& l = book.at(book.index_of(o.price));
      const Qty shown = o.display ? std::min(o.shown, c.qty) : c.qty;
      l.qty += shown - o.shown;
      o.shown = shown;
      o.open = c.qty;
      touch(inst, o.side, l, o.price);
      return;
    }
    unlink(oi);
    o.price = price;
    o.open = c.qty;
    o.shown = o.display ? std::min(o.display, o.open) : o.open;
    if (match(inst, o) == MatchEnd::aggressor_canceled) {
      emit_order_end(EventType::canceled, o, Reason::stp, now);
      unindex(oi);
      pool.release(oi);
      return;
    }
    if (o.open == 0) {
      unindex(oi);
      pool.release(oi);
      return;
    }
    o.shown = o.display ? std::min(o.display, o.open) : o.open;
    rest(oi);
  }

  void on_mass_cancel(const Command& c) {
    const AccountId account = account_id(c.account);
    std::uint32_t only_instrument = NameTable::npos;
    std::int32_t only_product = -1;
    if (c.has_instrument) {
      only_instrument = symbols.find(c.instrument.view());
      if (only_instrument == NameTable::npos) return;
    } else if (c.has_product) {
      only_product = catalog.find(c.product.view());
      if (only_product < 0) return;
    }
    // One instrument: walk whichever is shorter, the account's orders or the instrument's.
    if (c.has_instrument && instruments[only_instrument].resting < accounts[account].resting) {
      closing.clear();
      collect_orders(only_instrument, [&](const Order& o) { return o.account == account; });
      std::sort(closing.begin(), closing.end(),
                [&](std::uint32_t a, std::uint32_t b) { return pool[a].id < pool[b].id; });
      for (const std::uint32_t oi : closing) cancel_resting(oi, Reason::mass);
      return;
    }
    cancel_all(account, Reason::mass, [&](const Order& o) {
      return c.has_instrument ? o.instrument == only_instrument
             : c.has_product  ? static_cast<std::int32_t>(instruments[o.instrument].product) == only_product
                              : true;
    });
  }

  void on_halt(const Command& c, bool halt) {
    Event& e = emit(halt ? EventType::halted : EventType::resumed, now);
    e.target_is_instrument = c.has_instrument;
    e.target = c.has_instrument ? c.instrument : c.product;
    if (c.has_instrument) {
      const std::string_view s = c.instrument.view();
      if (auto it = symbol_halted.find(s); it != symbol_halted.end()) it->second = halt;
      else if (halt) symbol_halted.emplace(s, true);
      const std::uint32_t id = symbols.find(s);
      if (id != NameTable::npos) instruments[id].halted = halt;
    } else {
      const std::int32_t pid = catalog.find(c.product.view());
      if (pid >= 0) product_halted[static_cast<std::size_t>(pid)] = halt;
    }
  }

  void on_kill(const Command& c, bool kill) {
    const AccountId account = account_id(c.account);
    accounts[account].killed = kill;
    Event& e = emit(kill ? EventType::killed : EventType::unkilled, now);
    e.account = account;
    if (!kill) return;
    cancel_all(account, Reason::kill, [](const Order&) { return true; });
  }

  // ---- snapshots (docs/snapshot.md) -------------------------------------------------

  // Writes what cannot be derived. Everything else is rebuilt on load: the indexes, the
  // accounts' lists, both heaps, resting counts, band caches, instrument halt flags and the
  // geometry of the book arrays. Costs two passes over the books in priority order and a hash
  // of the bytes: about 100 ns and 48 bytes plus the cl_id per resting order.
  void save(std::vector<std::uint8_t>& bytes) const {
    bytes.clear();
    bytes.reserve(save_bound());
    snapshot::Writer w(bytes);
    w.raw(kSnapshotMagic);
    w.u32(kSnapshotVersion);
    const std::size_t size_at = w.size();
    w.u64(0);
    w.i64(seq);
    w.i64(now);
    w.u64(pool.live());
    const std::vector<Product>& products = catalog.products();
    w.u32(static_cast<std::uint32_t>(products.size()));
    for (std::size_t i = 0; i < products.size(); ++i) {
      w.str(products[i].id);
      for (const ProductLimit& l : kProductLimits) w.i64(products[i].*l.field);
      w.u8(product_halted[i]);
    }
    w.u32(static_cast<std::uint32_t>(accounts.size()));
    for (AccountId a = 0; a < accounts.size(); ++a) {
      w.str(account_names.name(a));
      w.u8(accounts[a].killed);
    }
    // A resumed symbol's entry means the same as none, so only halted ones are written.
    const std::size_t halts_at = w.size();
    w.u32(0);
    std::uint32_t halts = 0;
    for (const auto& [symbol, halted] : symbol_halted) {
      if (!halted) continue;
      w.str(symbol);
      ++halts;
    }
    w.patch_u32(halts_at, halts);
    w.u32(static_cast<std::uint32_t>(instruments.size()));
    std::vector<std::uint32_t> slots;
    for (const Instrument& ins : instruments) {
      w.str(ins.symbol);
      w.i64(ins.last_trade);
      for (const Side side : {Side::buy, Side::sell}) save_side(w, ins.book, side, slots);
    }
    w.patch_u64(size_at, bytes.size() + kChecksumBytes);
    w.u64(XXH3_64bits(bytes.data(), bytes.size()));
  }

  void save_side(snapshot::Writer& w, const Book& book, Side side, std::vector<std::uint32_t>& slots) const {
    priority_order(book, side, slots);
    const std::size_t levels_at = w.size();
    w.u32(0);
    std::uint32_t levels = 0;
    std::size_t at = 0;
    for (std::int64_t li = book.best(side); li >= 0; li = book.next_behind(side, li)) {
      const Level& l = book.at(li);
      w.i64(book.price_at(li));
      w.u32(l.count);
      for (const std::size_t end = at + l.count; at < end; ++at) {
        constexpr std::size_t kAhead = 16;  // about one memory latency of writing
        if (at + kAhead < slots.size()) __builtin_prefetch(&pool[slots[at + kAhead]]);
        const Order& o = pool[slots[at]];
        w.i64(o.id);
        w.u32(o.account);
        w.str(o.cl_id.view());
        w.i64(o.open);
        w.i64(o.shown);
        w.i64(o.display);
        w.u8(static_cast<std::uint8_t>(o.tif));
        w.i64(o.expire_ts);
        w.u8(static_cast<std::uint8_t>(o.stp));
        w.u8(o.post_only);
      }
      ++levels;
    }
    w.patch_u32(levels_at, levels);
  }

  // The pool slots of one side's orders, best level first, each level in FIFO order. Every step
  // along a FIFO is likely a cache miss; following many levels at once overlaps the misses.
  void priority_order(const Book& book, Side side, std::vector<std::uint32_t>& slots) const {
    struct Walk {
      std::uint32_t oi;  // the level's next order
      std::size_t at;    // where it goes in `slots`
    };
    std::vector<Walk> levels;
    std::size_t total = 0;
    for (std::int64_t li = book.best(side); li >= 0; li = book.next_behind(side, li)) {
      levels.push_back({book.at(li).head, total});
      total += book.at(li).count;
    }
    slots.resize(total);
    constexpr std::size_t kLanes = 16;
    Walk lanes[kLanes];
    std::size_t busy = 0;
    for (std::size_t next = 0; next < levels.size() || busy > 0;) {
      while (busy < kLanes && next < levels.size()) lanes[busy++] = levels[next++];
      for (std::size_t i = 0; i < busy;) {
        Walk& w = lanes[i];
        slots[w.at++] = w.oi;
        w.oi = pool[w.oi].next;
        if (w.oi == kNil) w = lanes[--busy];
        else ++i;
      }
    }
  }

  // At least what save() writes, so that it never reallocates.
  std::size_t save_bound() const {
    return kHeaderBytes + 4 * 4 + kChecksumBytes +
           catalog.products().size() * (1 + kMaxProductLen + 8 * std::size(kProductLimits) + 1) +
           accounts.size() * (1 + kMaxAccountLen + 1) + symbol_halted.size() * (1 + kMaxSymbolLen) +
           instruments.size() * (kMinInstrumentBytes + kMaxSymbolLen) +
           pool.live() * (kMinLevelBytes + kMaxClIdLen);
  }

  // Fills this fresh Impl from a snapshot; false, with `error`, when the bytes are not one
  // this engine can take. Checks everything the rebuilt structures rely on, whatever the bytes.
  bool load(std::span<const std::uint8_t> bytes, std::string& error) {
    snapshot::Reader r(bytes);
    if (r.raw(kSnapshotMagic.size()) != kSnapshotMagic)
      return bytes.size() < kSnapshotMagic.size()
                 ? fail(error, "truncated snapshot: ", bytes.size(), " bytes")
                 : fail(error, "not a gpux snapshot: no GPUXSNAP magic");
    const std::uint32_t version = r.u32();
    if (!r.ok()) return fail(error, "truncated snapshot: ", bytes.size(), " bytes");
    if (version != kSnapshotVersion)
      return fail(error, "snapshot format version ", version, ", this engine reads version ", kSnapshotVersion);
    const std::uint64_t size = r.u64();
    if (!r.ok()) return fail(error, "truncated snapshot: ", bytes.size(), " bytes");
    if (size > bytes.size()) return fail(error, "truncated snapshot: ", bytes.size(), " of its ", size, " bytes");
    if (size < bytes.size()) return fail(error, "snapshot of ", size, " bytes followed by ", bytes.size() - size, " more");
    if (size < kHeaderBytes + kChecksumBytes) return fail(error, "corrupt snapshot: its size is ", size, " bytes");
    const std::span<const std::uint8_t> body = bytes.first(size - kChecksumBytes);
    if (snapshot::Reader(bytes.last(kChecksumBytes)).u64() != XXH3_64bits(body.data(), body.size()))
      return fail(error, "corrupt snapshot: checksum mismatch");

    snapshot::Reader b(body);
    b.raw(kSnapshotMagic.size() + 4 + 8);
    seq = b.i64();
    now = b.i64();
    const std::uint64_t orders = b.u64();
    if (orders > config.max_orders)
      return fail(error, "the snapshot holds ", orders, " resting orders, more than this engine's pool of ",
                  config.max_orders, " (EngineConfig::max_orders)");
    LoadedOrders loaded;
    loaded.reserve(std::min<std::uint64_t>(orders, body.size() / kMinOrderBytes));
    if (!load_products(b, error) || !load_accounts(b, error) || !load_halts(b, error) ||
        !load_instruments(b, orders, loaded, error))
      return false;
    if (loaded.size() != orders)
      return fail(error, "corrupt snapshot: ", loaded.size(), " resting orders, its header says ", orders);
    if (b.left() != 0) return fail(error, "corrupt snapshot: ", b.left(), " bytes after the last instrument");
    if (!index_loaded(loaded, error)) return false;
    // Instruments whose gate closed before the snapshot: closed again, as run_expiries left them.
    while (!gates.empty() && gates.top().first <= now) {
      instruments[gates.top().second].book.release();
      gates.pop();
    }
    return true;
  }

  static bool ends_early(const snapshot::Reader& r, std::string_view where, std::string& error) {
    return fail(error, "corrupt snapshot: ends inside ", where, " (byte ", r.offset(), ")");
  }

  bool load_products(snapshot::Reader& r, std::string& error) {
    const std::vector<Product>& products = catalog.products();
    const std::uint32_t n = r.u32();
    if (!r.ok()) return ends_early(r, "the products", error);
    if (n != products.size())
      return fail(error, "snapshot of another catalog: ", n, " products, this engine has ", products.size());
    for (std::size_t i = 0; i < products.size(); ++i) {
      const Product& p = products[i];
      const std::string_view id = r.str();
      std::int64_t limits[std::size(kProductLimits)];
      for (std::int64_t& v : limits) v = r.i64();
      const std::uint8_t halted = r.u8();
      if (!r.ok()) return ends_early(r, "the products", error);
      if (id != p.id)
        return fail(error, "snapshot of another catalog: product ", i, " is ", id, ", this engine's is ", p.id);
      for (std::size_t k = 0; k < std::size(kProductLimits); ++k)
        if (limits[k] != p.*kProductLimits[k].field)
          return fail(error, "snapshot of another catalog: ", p.id, " has ", kProductLimits[k].name, " ", limits[k],
                      ", this engine's ", p.*kProductLimits[k].field);
      if (halted > 1) return fail(error, "corrupt snapshot: ", p.id, "'s halt flag is ", halted);
      product_halted[i] = halted;
    }
    return true;
  }

  // Accounts in id order, so that interning them again gives the same ids.
  bool load_accounts(snapshot::Reader& r, std::string& error) {
    const std::uint32_t n = r.count(2);
    for (std::uint32_t i = 0; i < n; ++i) {
      const std::string_view name = r.str();
      const std::uint8_t killed = r.u8();
      if (!r.ok()) break;
      if (name.size() > kMaxAccountLen || killed > 1)
        return fail(error, "corrupt snapshot: account ", i, " (", name, ") is malformed");
      const std::uint64_t h = name_hash(name);
      if (account_names.intern(name, h) != i) return fail(error, "corrupt snapshot: account ", name, " is listed twice");
      Account& a = accounts.emplace_back();
      a.name_hash = h;
      a.killed = killed;
    }
    return r.ok() || ends_early(r, "the accounts", error);
  }

  // Halted symbols, ascending: they must be known before the instruments are listed.
  bool load_halts(snapshot::Reader& r, std::string& error) {
    const std::uint32_t n = r.count(1);
    for (std::uint32_t i = 0; i < n; ++i) {
      const std::string_view symbol = r.str();
      if (!r.ok()) break;
      if (symbol.size() > kMaxSymbolLen || (i > 0 && symbol <= symbol_halted.rbegin()->first))
        return fail(error, "corrupt snapshot: halted symbol ", i, " (", symbol, ") is malformed or out of order");
      symbol_halted.emplace_hint(symbol_halted.end(), symbol, true);
    }
    return r.ok() || ends_early(r, "the halted symbols", error);
  }

  // Instruments in listing order, so that listing them again gives the same ids.
  bool load_instruments(snapshot::Reader& r, std::uint64_t orders, LoadedOrders& loaded, std::string& error) {
    const std::uint32_t n = r.count(kMinInstrumentBytes);
    std::int64_t stray = 0;  // ticks of book arrays beyond the listing bands, all books together
    for (std::uint32_t i = 0; i < n; ++i) {
      const std::string_view symbol = r.str();
      const Price last_trade = r.i64();
      if (!r.ok()) break;
      Symbol sym;
      if (symbol.size() > kMaxSymbolLen || !parse_symbol(symbol, sym) || catalog.find(sym.product) < 0 ||
          symbols.find(symbol) != NameTable::npos)
        return fail(error, "corrupt snapshot: instrument ", i, " (", symbol,
                    ") is not a symbol of the catalog, or is listed twice");
      const auto product = static_cast<ProductId>(catalog.find(sym.product));
      const Product& p = catalog.products()[product];
      if (sym.hours < 1 || sym.hours > p.max_hours || last_trade < 0 || last_trade % p.tick != 0)
        return fail(error, "corrupt snapshot: instrument ", symbol, " has a bad window or last trade price");
      const InstrumentId id = list_instrument(symbol, product, I128{sym.start_hour} * kNsPerHour);
      instruments[id].last_trade = last_trade;
      if (!load_book(r, id, orders, loaded, stray, error)) return false;
    }
    return r.ok() || ends_early(r, "the instruments", error);
  }

  // Rests the book's orders again, in the priority order they were saved in.
  bool load_book(snapshot::Reader& r, InstrumentId id, std::uint64_t orders, LoadedOrders& loaded,
                 std::int64_t& stray, std::string& error) {
    const Instrument& ins = instruments[id];
    const Product& p = catalog.products()[ins.product];
    auto [lo, hi] = listing_ticks(p);
    for (const Side side : {Side::buy, Side::sell}) {
      const std::uint32_t levels = r.count(kMinLevelBytes);
      if (levels > 0 && ins.gate <= now)
        return fail(error, "corrupt snapshot: orders rest on ", ins.symbol, ", whose gate closed before it");
      Price prev = 0;
      for (std::uint32_t lv = 0; lv < levels; ++lv) {
        const Price price = r.i64();
        const std::uint32_t count = r.count(kMinOrderBytes);
        if (!r.ok()) return ends_early(r, ins.symbol, error);
        // Best level first, the book never crossed, no empty levels.
        const bool in_order = lv == 0 ? !ins.book.crosses(side, price) : side == Side::buy ? price < prev : price > prev;
        if (price <= 0 || price % p.tick != 0 || !in_order || count == 0)
          return fail(error, "corrupt snapshot: ", ins.symbol, " has a bad ", to_string(side), " level at ", price);
        const std::int64_t t = price / p.tick;
        const std::int64_t beyond = t < lo ? lo - t : t > hi ? t - hi : 0;
        if (beyond > kMaxStrayTicks - stray)
          return fail(error, "corrupt snapshot: prices lie more than ", kMaxStrayTicks, " ticks outside the bands");
        stray += beyond;
        lo = std::min(lo, t);
        hi = std::max(hi, t);
        for (std::uint32_t k = 0; k < count; ++k) {
          if (!load_order(r, id, side, price, orders, loaded, error)) return false;
        }
        prev = price;
      }
    }
    return r.ok() || ends_early(r, ins.symbol, error);
  }

  bool load_order(snapshot::Reader& r, InstrumentId id, Side side, Price price, std::uint64_t orders,
                  LoadedOrders& loaded, std::string& error) {
    Order o{};
    o.id = r.i64();
    o.account = r.u32();
    const std::string_view cl_id = r.str();
    o.open = r.i64();
    o.shown = r.i64();
    o.display = r.i64();
    o.tif = static_cast<Tif>(r.u8());
    o.expire_ts = r.i64();
    o.stp = static_cast<Stp>(r.u8());
    const std::uint8_t post_only = r.u8();
    if (!r.ok()) return ends_early(r, instruments[id].symbol, error);
    if (loaded.size() == orders)
      return fail(error, "corrupt snapshot: more resting orders than the ", orders, " its header says");
    if (const char* flaw = order_flaw(o, cl_id.size(), post_only, catalog.products()[instruments[id].product]))
      return fail(error, "corrupt snapshot: order ", o.id, " on ", instruments[id].symbol, ": ", flaw);
    o.price = price;
    o.side = side;
    o.instrument = id;
    o.post_only = post_only;
    o.cl_id.assign(cl_id);
    const std::uint32_t oi = pool.allocate();
    pool[oi] = o;
    rest(oi);
    loaded.push_back({o.id, oi, cl_hash(accounts[o.account].name_hash, cl_id)});
    return true;
  }

  // What makes the fields of a resting order read from a snapshot impossible, or nullptr.
  const char* order_flaw(const Order& o, std::size_t cl_id_len, std::uint8_t post_only, const Product& p) const {
    if (o.account >= accounts.size()) return "unknown account";
    if (cl_id_len > kMaxClIdLen) return "cl_id too long";
    if (o.tif != Tif::gtc && o.tif != Tif::gtd) return "a tif that cannot rest";
    if (o.tif == Tif::gtc && o.expire_ts != 0) return "expire_ts on a gtc order";
    if (o.stp > Stp::cancel_both || post_only > 1) return "bad stp or post_only";
    if (o.open <= 0 || o.open > p.max_qty || o.open % p.lot != 0) return "bad open quantity";
    const bool shown_ok = o.display == 0 ? o.shown == o.open
                                         : o.display > 0 && o.display <= p.max_qty && o.display % p.lot == 0 &&
                                               o.shown > 0 && o.shown <= std::min(o.display, o.open) &&
                                               o.shown % p.lot == 0;
    return shown_ok ? nullptr : "bad shown or display quantity";
  }

  // Indexes the orders in ascending order_id, the order of the accounts' lists.
  bool index_loaded(LoadedOrders& loaded, std::string& error) {
    std::sort(loaded.begin(), loaded.end(), [](const LoadedOrder& a, const LoadedOrder& b) { return a.id < b.id; });
    for (std::size_t i = 0; i < loaded.size(); ++i) {
      constexpr std::size_t kAhead = 8;  // the slots below are scattered: start loading them early
      if (i + kAhead < loaded.size()) {
        const LoadedOrder& later = loaded[i + kAhead];
        __builtin_prefetch(&pool[later.slot]);
        by_cl_id.prefetch(later.cl_id_hash);
      }
      const auto [id, oi, hash] = loaded[i];
      if (i > 0 && loaded[i - 1].id == id) return fail(error, "corrupt snapshot: order id ", id, " rests twice");
      const Order& o = pool[oi];
      if (find_by_cl_id(o.account, o.cl_id.view(), hash) != kNil)
        return fail(error, "corrupt snapshot: two resting orders of ", account_names.name(o.account),
                    " have cl_id ", o.cl_id.view());
      index(oi, hash);
    }
    return true;
  }

  void prefetch(const Command& c, const Hints& h) const {
    if (c.type == CommandType::new_order || (c.has_cl_id && !c.has_order_id)) by_cl_id.prefetch(h.cl_id_hash);
    else if (c.has_order_id) by_id.prefetch(id_hash(c.order_id));
  }

  void run(const Command& c, const Hints& h, EventBuffer& events, DepthBuffer* depth_out) {
    out = &events;
    depth = depth_out;
    seq = c.seq;
    now = c.ts;
    hints = h;
    match_no = 0;
    process(c);
    if (depth != nullptr) flush_depth();
    for (const InstrumentId id : closed_books) instruments[id].book.release();
    closed_books.clear();
  }

  void process(const Command& c) {
    run_expiries(c.ts);
    switch (c.type) {
      case CommandType::new_order: on_new(c); break;
      case CommandType::cancel: on_cancel(c); break;
      case CommandType::replace: on_replace(c); break;
      case CommandType::mass_cancel: on_mass_cancel(c); break;
      case CommandType::halt: on_halt(c, true); break;
      case CommandType::resume: on_halt(c, false); break;
      case CommandType::kill: on_kill(c, true); break;
      case CommandType::unkill: on_kill(c, false); break;
      case CommandType::clock: break;
      case CommandType::disconnect:
        cancel_all(account_id(c.account), Reason::disconnect, [](const Order&) { return true; });
        break;
    }
  }
};

Engine::Engine(Catalog catalog, EngineConfig config)
    : impl_(std::make_unique<Impl>(std::move(catalog), config)) {}

Engine::~Engine() = default;

void Engine::prefetch(const Command& cmd) const { impl_->prefetch(cmd, hints_for(cmd)); }

void Engine::process(std::span<const Command> cmds, EventBuffer& events, DepthBuffer* depth) {
  // Two stages ahead of the command being run: first its bytes, then (once they are here)
  // its hashes and the index slot they point at. Each distance is about one memory latency.
  constexpr std::size_t kSlotAhead = 4;
  constexpr std::size_t kBytesAhead = 2 * kSlotAhead;
  constexpr std::size_t kUsedBytes = offsetof(Command, new_cl_id);  // what a `new` reads
  Impl& m = *impl_;
  Hints ahead[kSlotAhead];
  for (std::size_t i = 0; i < std::min(kSlotAhead, cmds.size()); ++i) ahead[i] = hints_for(cmds[i]);
  for (std::size_t i = 0; i < cmds.size(); ++i) {
    if (i + kBytesAhead < cmds.size()) {
      const char* p = reinterpret_cast<const char*>(&cmds[i + kBytesAhead]);
      for (std::size_t b = 0; b < kUsedBytes; b += 64) __builtin_prefetch(p + b);
    }
    const Hints now = ahead[i % kSlotAhead];
    if (i + kSlotAhead < cmds.size()) {
      const Command& later = cmds[i + kSlotAhead];
      ahead[i % kSlotAhead] = hints_for(later);
      m.prefetch(later, ahead[i % kSlotAhead]);
    }
    m.run(cmds[i], now, events, depth);
  }
}

void Engine::process(const Command& cmd, EventBuffer& events, DepthBuffer* depth) {
  impl_->run(cmd, hints_for(cmd), events, depth);
}

void Engine::save_state(std::vector<std::uint8_t>& out) const { impl_->save(out); }

bool Engine::load_state(std::span<const std::uint8_t> bytes, std::string& error) {
  // Into a new Impl, so that a load failing halfway leaves this engine as it was.
  auto loaded = std::make_unique<Impl>(impl_->catalog, impl_->config);
  if (!loaded->load(bytes, error)) return false;
  impl_ = std::move(loaded);
  return true;
}

std::uint64_t Engine::state_digest() const {
  std::vector<std::uint8_t> bytes;
  save_state(bytes);
  return XXH3_64bits(bytes.data(), bytes.size());
}

const Catalog& Engine::catalog() const { return impl_->catalog; }
std::string_view Engine::account_name(AccountId a) const { return impl_->account_names.name(a); }
std::size_t Engine::instrument_count() const { return impl_->instruments.size(); }
std::string_view Engine::symbol(InstrumentId i) const { return impl_->instruments[i].symbol; }
ProductId Engine::product_of(InstrumentId i) const { return impl_->instruments[i].product; }
std::size_t Engine::resting_orders() const { return impl_->pool.live(); }

void Engine::levels(InstrumentId id, Side side, std::vector<LevelView>& out) const {
  out.clear();
  const Book& book = impl_->instruments[id].book;
  for (std::int64_t li = book.best(side); li >= 0; li = book.next_behind(side, li)) {
    const Level& l = book.at(li);
    out.push_back(LevelView{book.price_at(li), l.qty, l.count});
  }
}

void Engine::orders(InstrumentId id, Side side, std::vector<OrderView>& out) const {
  out.clear();
  const Impl& m = *impl_;
  const Book& book = m.instruments[id].book;
  for (std::int64_t li = book.best(side); li >= 0; li = book.next_behind(side, li)) {
    for (std::uint32_t oi = book.at(li).head; oi != kNil; oi = m.pool[oi].next) {
      out.push_back(view_of(m.pool[oi]));
    }
  }
}

void Engine::account_orders(std::string_view account, std::vector<OrderView>& out) const {
  out.clear();
  const Impl& m = *impl_;
  const std::uint32_t a = m.account_names.find(account);
  if (a == NameTable::npos) return;
  for (std::uint32_t oi = m.accounts[a].head; oi != kNil; oi = m.pool[oi].account_next) {
    out.push_back(view_of(m.pool[oi]));
  }
}

}  // namespace gpux
