// Engine::Impl, private to engine/: the engine's state, and the bookkeeping that every part of
// it shares, defined here so that each part can inline it. The parts define their own member
// functions in their own files:
//   engine.cpp     the public Engine, and execute(): one command from start to finish
//   commands.cpp   what each command does (on_new, on_cancel, on_replace, ...)
//   matching.cpp   the book: resting orders joining and leaving it, and matching (hot)
//   expiry.cpp     time: gtd expiries and gate closures
//   hours.cpp      divisible orders: their slices in the hour books, matching hour by hour
//   sweep.cpp      blocks sweeping the hour books, on arrival and standing
//   hour_events.cpp  events of hours: merged trades, runs of cancels and expiries, rectangles
//   ledger.cpp     capacity and credit (SPEC §7): risk, deposit, withdraw, fund, the checks,
//                  and trades settling in the ledger
//   snapshot.cpp   save and load (cold)
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/book.hpp"
#include "engine/engine.hpp"
#include "engine/expiry_heap.hpp"
#include "engine/gate_heap.hpp"
#include "engine/hour_directory.hpp"
#include "engine/ledger.hpp"
#include "engine/level_pages.hpp"
#include "engine/name_table.hpp"
#include "engine/order.hpp"
#include "engine/order_checks.hpp"
#include "engine/order_index.hpp"
#include "engine/slice.hpp"
#include "engine/state_codec.hpp"
#include "engine/symbol_index.hpp"

namespace gpux {

struct Engine::Impl {
  static constexpr Ts kNever = std::numeric_limits<Ts>::max();

  // A slot of `instruments`. An instrument is listed by its first accepted order and unlisted
  // at the end of the command that leaves it worth nothing (worthless() below); its slot is then
  // reused, with its vectors' capacity, by a later listing. docs/engine-memory.md has the costs.
  struct Instrument {
    Book book;  // blocks whose window this is
    // A one-hour instrument P@h+1h: its hour book of hour h's slices, in `hour_books`. Only
    // one-hour instruments have one, so the others do not pay for its directory.
    std::uint32_t hour_slot = kNil;
    I128 start;  // ns; may lie past int64 for a window far in the future
    std::int64_t start_hour = 0;
    std::int64_t length = 0;  // hours
    Ts gate;     // start - gate_minutes: orders expire here, new ones are refused from here on
    Price last_trade = 0;  // 0 until the first trade
    Price band_ref = 0;    // the reference `band` was computed from
    Band band{};
    ProductId product = 0;
    std::uint32_t resting = 0;  // orders whose window this is: blocks and divisible orders
    std::uint32_t blocks = 0;   // resting blocks, in `book`
    std::uint32_t slices = 0;   // resting slices, in `hours`
    // The product's window books holding blocks (ProductState::first_with_blocks): where
    // standing blocks are looked for.
    InstrumentId prev_with_blocks = kNil;
    InstrumentId next_with_blocks = kNil;
    InstrumentId prev_listed = kNil;  // listing order, which snapshots and books are listed in
    InstrumentId next_listed = kNil;
    bool listed = false;
    bool halted = false;   // the instrument's own flag; the product has another
    bool in_emptied = false;  // listed in `emptied` for this command's end
    FixedString<kMaxSymbolLen> symbol;
  };

  struct Account {
    std::uint64_t name_hash = 0;
    bool killed = false;
    // Resting divisible orders, buys and sells: a sweep reads slice by slice, to pass over the
    // account's own, only when it has some on the side it sweeps.
    std::uint32_t divisible[2] = {0, 0};
    std::uint32_t head = kNil;  // resting orders, ascending order_id (they rest in the order
    std::uint32_t tail = kNil;  // their `new` commands run, so appending keeps the order)
    std::uint32_t resting = 0;
  };

  // Hashes a command needs, computed once: by the batch loop ahead of time (to prefetch with)
  // or just before the command runs.
  struct Hints {
    std::uint64_t account_hash;
    std::uint32_t cl_id_hash;  // of (account, cl_id); meaningful when the command has a cl_id
  };

  enum class MatchEnd { done, aggressor_canceled };

  // An hour's slices, a book per side: unlike a window book, an hour book can hold bids and
  // asks at one price, since an account's own slices pass each other over and both rest.
  struct HourBook {
    Book bids;
    Book asks;
    Book& of(Side s) { return s == Side::buy ? bids : asks; }
    const Book& of(Side s) const { return s == Side::buy ? bids : asks; }
  };

  // What a product keeps beside its instruments.
  struct ProductState {
    HourDirectory hours;                 // its one-hour instruments, whose hour books hold slices
    InstrumentId first_with_blocks = kNil;  // its window books holding blocks
    std::set<std::int64_t> halted_hours;    // hours whose one-hour symbol is halted
  };

  // One hour of a divisible order on its way in or out: its open quantity there and, for
  // expiries, why it goes. Runs of these become events (hour_events.cpp).
  struct HourLeft {
    std::int64_t hour;
    Qty open;
    Reason reason;
  };

  // A trade of hours waiting for its name: the rectangle it covers, resolved to an instrument
  // once the pass that made it ends (hour_events.cpp).
  struct Rect {
    std::uint32_t event;
    std::int64_t start_hour;
    std::int64_t hours;
  };

  // ---- hashes and the rules' arithmetic -----------------------------------------------------

  static std::uint32_t id_hash(OrderId id) {
    // Order ids are seqs, mostly dense: keeping their low bits keeps neighbours in neighbouring
    // slots, which the cache likes far more than a scrambled hash.
    return static_cast<std::uint32_t>(id);
  }

  // Seeded with a hash of the account's name rather than its id, so that prefetch_slot() can
  // find the slot straight from a command, before the account is even looked up.
  static std::uint64_t name_hash(std::string_view name) { return NameTable::hash(name); }
  // Clients number their orders, so an account's consecutive cl_ids differ in their last
  // character ("q1041", "q1042"). The hash keeps runs of 16 such cl_ids (equal but for the low
  // four bits of the last byte) in one aligned block of 16 slots, two cache lines, and scatters
  // the blocks: a fresh cl_id's lookup then finds its block in cache 15 times in 16, where a
  // scrambled hash missed every time (~20% of add-only's time). Blocks, not one long run: a run
  // per account would let two accounts' runs overlap into probe chains as long as their books.
  static std::uint32_t cl_hash(std::uint64_t account_hash, std::string_view cl_id) {
    if (cl_id.empty()) return static_cast<std::uint32_t>(account_hash);
    const auto last = static_cast<unsigned char>(cl_id.back());
    // The last byte's high bits go into the seed, so its low bits alone pick the slot in the block.
    const std::uint64_t seed = account_hash + (static_cast<std::uint64_t>(last >> 4) + 1) * 0x9E3779B97F4A7C15ull;
    const auto block = static_cast<std::uint32_t>(XXH3_64bits_withSeed(cl_id.data(), cl_id.size() - 1, seed));
    return (block & ~15u) | (last & 15u);
  }

  // Always inline: Engine::process's batch loop runs it once per command, and GCC would
  // otherwise leave it out of line there.
  [[gnu::always_inline]] static Hints hints_for(const Command& c) {
    Hints h;
    h.account_hash = name_hash(c.account.view());
    // Only what the command looks up: a replace by order_id then reads one line less.
    h.cl_id_hash = c.type == CommandType::new_order || c.has_cl_id ? cl_hash(h.account_hash, c.cl_id.view()) : 0;
    return h;
  }

  // Trading in a window stops gate_minutes before it starts (docs/rules.md "Expiry and gate
  // closure"); may lie past int64.
  static I128 gate_of(I128 start, const Product& p) { return start - I128{p.gate_minutes} * kNsPerMinute; }

  // The tick indices of an instrument's band when it is listed.
  static std::pair<std::int64_t, std::int64_t> listing_ticks(const Product& p) {
    const Band b = band_of(p.ref_price, p);
    return {std::max<Price>(b.lower / p.tick, 1), b.upper / p.tick};
  }

  // ---- state --------------------------------------------------------------------------------

  explicit Impl(Catalog c, EngineConfig cfg)
      : config(cfg),
        catalog(std::move(c)),
        pool(cfg.max_orders),
        order_session(cfg.max_orders),
        by_id(cfg.max_orders, !cfg.prefault),
        by_cl_id(cfg.max_orders, !cfg.prefault),
        gtd(pool),
        slices(cfg.max_slices),
        product_halted(catalog.products().size(), false),
        products(catalog.products().size()),
        ledger(catalog.products().size()) {
    dirty.reserve(256);
    empty_pages.reserve(256);
    hour_trades[0].reserve(64);
    hour_trades[1].reserve(64);
    rects.reserve(1024);
    hours_left.reserve(1024);
    rested.reserve(1024);
    standing.reserve(256);
    closing.reserve(1024);
    if (cfg.prefault) {
      pool.prefault();
      by_id.prefault();
      by_cl_id.prefault();
    }
  }

  EngineConfig config;
  Catalog catalog;
  OrderPool pool;
  // Per pool slot: the session that entered the order, plus 1 (0: none), for per-session
  // cancel-on-disconnect. Beside the pool, not in Order, which stays 128 bytes; mapped lazily
  // (zero: no session), 4 bytes an order.
  HugeArray<std::uint32_t> order_session;
  OrderIndex by_id;
  OrderIndex by_cl_id;
  ExpiryHeap gtd;
  SlicePool slices;
  std::uint64_t next_priority = 1;  // the time-priority clock (Order::priority)
  std::uint64_t loading_clock = 0;  // a snapshot's clock, while it loads
  NameTable account_names;
  std::vector<Account> accounts;
  LevelPagePool pages;  // declared before `instruments`, whose books give their pages back to it
  SymbolIndex symbols;  // the listed instruments
  std::vector<Instrument> instruments;
  InstrumentId first_listed = kNil;  // the oldest listing, then on through next_listed
  InstrumentId last_listed = kNil;
  std::size_t listed = 0;
  std::vector<InstrumentId> free_slots;
  // Slots unlisted since the last public process() call began: the events of that call may
  // name them, and callers read the names after it returns, so they are reused only from the
  // next call on.
  std::vector<InstrumentId> retired_slots;
  std::vector<bool> product_halted;
  std::vector<ProductState> products;
  std::vector<HourBook> hour_books;  // by Instrument::hour_slot; free ones keep their capacity
  // SPEC §7 (ledger.cpp): cash, holdings and commitments, and whether new orders are checked.
  Ledger ledger;
  bool risk_on = false;
  // Commitments and trades' holdings not yet in the ledger (commit(), settle_trades()). A
  // divisible order's slices rest, leave and trade hour after hour, each a one-hour range
  // update of its account's free capacity; consecutive hours of one account and product
  // changing by the same amount are joined here into one update, so a 720-hour order resting
  // costs one, not 720. Adds commute, so only reads need them flushed (flush_commits()).
  struct PendingCommit {
    AccountId account;
    ProductId product;
    std::int64_t first;
    std::int64_t hours;
    Qty delta;
    bool holdings;  // to holdings, else to free capacity
  };
  std::array<PendingCommit, 8> pending{};
  std::uint32_t pending_n = 0;
  std::vector<std::uint32_t> free_hour_books;
  // Instrument halt flags by symbol, listed or not; a resume keeps the entry so that halting
  // the same symbol again allocates nothing.
  std::map<std::string, bool, std::less<>> symbol_halted;
  GateHeap gates;                     // the listed instruments
  std::vector<std::uint32_t> closing;  // scratch for gate closures
  // Left for the end of the command, after its depth updates: pages whose levels all emptied,
  // and instruments that may have lost their last order (or their gate). A page given back and
  // taken again within the command would lose its levels' depth marks.
  struct PageRef {
    InstrumentId instrument;
    bool hours;         // of its hour book, the side's
    Side side;
    std::int64_t page;  // Book::page_of
  };
  std::vector<PageRef> empty_pages;
  std::vector<InstrumentId> emptied;  // each at most once

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
    bool hours;
    Price price;
  };
  std::vector<Dirty> dirty;
  // Scratch of the hours parts, kept for their capacity.
  std::vector<std::uint32_t> hour_trades[2];  // trades of the hour before and of this one
  int this_hour = 0;                          // which of hour_trades is this hour's
  std::size_t rects_from = 0;                 // this pass's first entry in `rects`
  std::vector<Rect> rects;
  std::vector<HourLeft> hours_left;
  std::vector<std::int64_t> rested;     // hours where a divisible order's slices came to rest
  std::vector<std::uint32_t> standing;  // blocks about to sweep as standing blocks

  // ---- one command (engine.cpp) -------------------------------------------------------------

  void prefetch_slot(const Command& c, const Hints& h) const;
  // Inline, and defined and called only in engine.cpp: execute() runs once per command inside
  // Engine::process's loops, and GCC finds it too large to inline there unasked.
  [[gnu::always_inline]] inline void execute(const Command& c, const Hints& h, EventBuffer& events,
                                             DepthBuffer* depth_out);
  inline void flush_depth();
  void release_emptied();

  // ---- commands (commands.cpp) --------------------------------------------------------------

  void on_new(const Command& c);
  void on_cancel(const Command& c);
  void on_replace(const Command& c);
  void on_mass_cancel(const Command& c);
  void on_halt(const Command& c, bool halt);
  void on_kill(const Command& c, bool kill);
  void on_disconnect(const Command& c);
  void forget_session(const Command& c);  // a session_start: untag older holders' orders
  std::uint32_t lookup(const Command& c, AccountId account) const;
  bool renamable(std::uint32_t oi, AccountId account, const FixedString<kMaxClIdLen>& cl_id) const;
  void rename(std::uint32_t oi, AccountId account, const FixedString<kMaxClIdLen>& cl_id);
  InstrumentId list_instrument(std::string_view symbol, std::uint32_t hash, ProductId product, I128 start,
                               std::int64_t hours);
  InstrumentId take_slot();
  void unlist(InstrumentId id);
  void emit_rejected(const Command& c, AccountId account, Reason reason);
  void emit_lookup_rejected(EventType type, const Command& c, AccountId account, Reason reason);

  // ---- the book (matching.cpp) --------------------------------------------------------------

  void rest(std::uint32_t oi);
  void unlink(std::uint32_t oi);
  void index(std::uint32_t oi, std::uint32_t cl_id_hash);
  void unindex(std::uint32_t oi);
  void retire(std::uint32_t oi, EventType type, Reason reason, Ts ts);
  MatchEnd match(InstrumentId inst, Order& in);
  // Inline, and defined and called only in matching.cpp: once per trade, inside match().
  inline void emit_trade(InstrumentId inst, const Order& in, const Order& r, Price price, Qty q);
  // `stopped`: self-trade prevention would cancel `in` before it traded `enough`.
  Qty simulate(const Instrument& ins, const Order& in, Qty enough, bool& stopped) const;

  // ---- divisible orders (hours.cpp) ---------------------------------------------------------

  bool hours_halted(ProductId p, std::int64_t first, std::int64_t n) const;
  bool hours_cross(ProductId p, std::int64_t first, std::int64_t n, Side side, Price price) const;
  void place_divisible(std::uint32_t oi, std::uint32_t cl_id_hash);
  void replace_divisible(const Command& c, std::uint32_t oi, AccountId account);
  void match_hours(std::uint32_t oi);
  Qty match_hour(InstrumentId hb, std::uint32_t oi, Qty open, std::int64_t hour);
  void rest_left(std::uint32_t oi);
  std::uint32_t rest_slice(std::uint32_t oi, InstrumentId hb, Qty open);
  void unlink_slice(std::uint32_t si);
  bool drop_slice(std::uint32_t si);
  void drop_filled_slice(std::uint32_t si);
  void retire_divisible(std::uint32_t oi, EventType type, Reason reason, Ts ts);
  void expire_slices(std::uint32_t oi, Ts deadline);
  InstrumentId hour_book(ProductId p, std::int64_t hour) const { return products[p].hours.find(hour); }
  InstrumentId ensure_hour_book(ProductId p, std::int64_t hour);
  Ts slice_gate(const Slice& s) const { return instruments[s.book].gate; }
  // One side of the hour book of a one-hour instrument.
  Book& hours_of(InstrumentId id, Side s) { return hour_books[instruments[id].hour_slot].of(s); }
  const Book& hours_of(InstrumentId id, Side s) const { return hour_books[instruments[id].hour_slot].of(s); }

  // ---- sweeps (sweep.cpp) -------------------------------------------------------------------

  Qty sweep_quantity(const Order& b, Qty r) const;
  Qty sweep_size(ProductId p, std::int64_t first, std::int64_t n, Side contra, Price limit, AccountId account,
                 Qty r) const;
  Qty crossing_qty(InstrumentId hb, Side contra, Price limit, AccountId account, Qty cap) const;
  Qty sweep(std::uint32_t oi, Qty r, bool standing);
  void take_hour(InstrumentId hb, std::uint32_t oi, Qty q, Qty leaves, std::int64_t hour, bool standing);
  void settle_standing(std::uint32_t oi, Qty q);
  void sweep_standing(ProductId p, Side slice_side);
  void link_blocks(InstrumentId id);
  void unlink_blocks(InstrumentId id);

  // ---- events of hours (hour_events.cpp) ----------------------------------------------------

  void begin_hours();
  void next_hour(bool adjacent);
  void hour_trade(std::int64_t hour, const Order& in, const Order& r, Price price, Qty q, Qty in_leaves,
                  Qty r_leaves, Side aggressor);
  void end_hours(ProductId p);
  InstrumentId name_rect(ProductId p, std::int64_t start_hour, std::int64_t hours);
  void emit_runs(const Order& o, EventType type, Ts ts);

  // ---- capacity and credit (ledger.cpp) ----------------------------------------------------

  void on_risk(const Command& c);
  void on_deposit(const Command& c, bool withdraw);
  void on_fund(const Command& c);
  bool new_order_backed(AccountId account, Side side, ProductId p, std::int64_t first, std::int64_t hours,
                        Price price, Qty qty) const;
  bool replace_backed(const Order& o, Price price, Qty qty) const;
  void settle_trades(std::size_t first_event);
  // Checks turning on: free capacity and committed cash, not kept while they were off, from the
  // holdings and the resting orders. O(runs held + resting orders + their slices).
  void rebuild_commitments();
  // What an account commits, worked out from its resting orders when checks are off and the
  // ledger keeps no commitments; the ledger's own figures when they are on. The runs returned
  // by free_runs() live until the next call (`free_scratch`).
  const HourRuns* free_runs(AccountId account, ProductId p) const;
  I128 committed_cash(AccountId account) const;
  mutable HourRuns free_scratch;
  // Calls f(first hour, hours, open) for what the resting order commits: a block its whole
  // window at its open quantity, a divisible order each resting slice's hour.
  template <class F>
  void each_commitment(const Order& o, F&& f) const {
    if (!o.divisible) return f(instruments[o.instrument].start_hour, instruments[o.instrument].length, o.open);
    for (std::uint32_t si = o.prev; si != kNil; si = slices[si].order_next)
      f(instruments[slices[si].book].start_hour, std::int64_t{1}, slices[si].open);
  }

  // A resting order's open quantity over [first, first + hours) of its hours changing by
  // `delta`: joining the book (+open), trading or leaving it (-q), a replace. A sell commits
  // capacity, a buy cash at its own price.
  // Kept only while checks are on (docs/ledger.md "Checks off"): nothing else needs them
  // between commands, and reads with checks off work them out from the book instead
  // (free_runs(), committed_cash()). With checks off this took 13% of the hours workload.
  void commit(const Order& o, std::int64_t first, std::int64_t hours, Qty delta) {
    if (delta == 0 || !risk_on) return;
    if (o.side == Side::buy) return ledger.commit_cash(o.account, I128{o.price} * delta * hours);
    // Committing capacity takes it from free capacity.
    pend(o.account, instruments[o.instrument].product, first, hours, -delta, false);
  }
  // Adds `delta` to the account's free capacity over [first, first + hours), or to its holdings
  // when `holdings`, once flush_commits() runs. Joined with a pending update of the same
  // account, product and kind when it continues it hour after hour with the same delta, or
  // covers the same hours: a sweep's trades with many sellers over one window.
  void pend(AccountId account, ProductId product, std::int64_t first, std::int64_t hours, Qty delta, bool holdings) {
    for (std::uint32_t i = 0; i < pending_n; ++i) {
      PendingCommit& c = pending[i];
      if (c.account != account || c.product != product || c.holdings != holdings) continue;
      if (c.delta == delta && c.first + c.hours == first) {
        c.hours += hours;
        return;
      }
      if (c.first == first && c.hours == hours) {
        c.delta += delta;
        return;
      }
    }
    if (pending_n == pending.size()) flush_commits();
    pending[pending_n++] = PendingCommit{account, product, first, hours, delta, holdings};
  }
  // Before anything reads holdings or free capacity: the checks, a deposit or withdraw, a
  // snapshot, the queries. Not at the end of every command: updates wait across commands, so
  // a stream of trades over one window settles in one update per account when someone looks
  // (add-only: two range updates per trade were ~10% of its time).
  void flush_commits() {
    for (std::uint32_t i = 0; i < pending_n; ++i) {
      const PendingCommit& c = pending[i];
      if (c.holdings) ledger.add_holdings(c.account, c.product, c.first, c.hours, c.delta);
      else ledger.commit(c.account, c.product, c.first, c.hours, -c.delta);
    }
    pending_n = 0;
  }
  void commit_block(const Order& o, Qty delta) {
    const Instrument& w = instruments[o.instrument];
    commit(o, w.start_hour, w.length, delta);
  }
  void commit_slice(const Order& o, const Slice& s, Qty delta) { commit(o, instruments[s.book].start_hour, 1, delta); }

  // ---- time (expiry.cpp) --------------------------------------------------------------------

  void run_expiries(Ts t);
  Reason expiry_reason(const Order& o) const;

  // ---- quotes (quote.cpp) -------------------------------------------------------------------

  Quote quote(const QuoteRequest& req) const;

  // ---- snapshots (snapshot.cpp) -------------------------------------------------------------

  struct LoadedOrder;
  using LoadedOrders = std::vector<LoadedOrder>;

  void save(std::vector<std::uint8_t>& bytes) const;
  void save_side(snapshot::Writer& w, const Book& book, Side side, std::vector<std::uint32_t>& slots) const;
  void priority_order(const Book& book, Side side, std::vector<std::uint32_t>& slots) const;
  std::size_t save_bound() const;
  bool load(std::span<const std::uint8_t> bytes, std::string& error);
  bool load_products(snapshot::Reader& r, std::string& error);
  bool load_accounts(snapshot::Reader& r, std::string& error);
  bool load_halts(snapshot::Reader& r, std::string& error);
  void save_ledger(snapshot::Writer& w) const;
  std::size_t ledger_bound() const;
  bool load_ledger(snapshot::Reader& r, std::string& error);
  bool load_instruments(snapshot::Reader& r, std::uint64_t orders, LoadedOrders& loaded, std::string& error);
  bool load_book(snapshot::Reader& r, InstrumentId id, std::uint64_t orders, LoadedOrders& loaded,
                 std::int64_t& stray, std::string& error);
  bool load_order(snapshot::Reader& r, InstrumentId id, Side side, Price price, std::uint64_t orders,
                  LoadedOrders& loaded, std::string& error);
  const char* order_flaw(const Order& o, std::size_t cl_id_len, std::uint8_t post_only, const Product& p) const;
  bool index_loaded(LoadedOrders& loaded, std::string& error);
  void save_divisible(snapshot::Writer& w, const std::vector<InstrumentId>& order) const;
  void save_sessions(snapshot::Writer& w) const;
  bool load_divisible(snapshot::Reader& r, std::uint64_t orders, std::uint64_t slice_count, LoadedOrders& loaded,
                      std::string& error);

  // ---- shared by the parts above, inline ----------------------------------------------------

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
    e.has_instrument = false;
  }

  // Marks a level for this command's depth updates, once per side.
  void touch(InstrumentId inst, Side side, Level& l, Price price, bool hours = false) {
    const std::uint8_t bit = side == Side::buy ? 1 : 2;
    if (depth == nullptr || (l.dirty & bit)) return;
    l.dirty |= bit;
    dirty.push_back(Dirty{inst, side, hours, price});
  }

  AccountId account_id(const FixedString<kMaxAccountLen>& name) {
    const std::uint32_t id = account_names.intern(name.view(), hints.account_hash);
    if (id == accounts.size()) accounts.emplace_back().name_hash = hints.account_hash;
    return id;
  }

  // The instrument's band as of now; recomputed only when its reference price moved.
  static const Band& current_band(Instrument& ins, const Product& p) {
    const Price ref = ins.last_trade ? ins.last_trade : p.ref_price;
    if (ins.band_ref != ref) {
      ins.band = band_of(ref, p);
      ins.band_ref = ref;
    }
    return ins.band;
  }

  bool instrument_halted(const Instrument& ins) const {
    return ins.halted || product_halted[ins.product];
  }

  // The listed instruments, the oldest listing first.
  void listing_order(std::vector<InstrumentId>& out) const {
    out.clear();
    for (InstrumentId id = first_listed; id != kNil; id = instruments[id].next_listed) out.push_back(id);
  }

  // Slots unlisted during the previous public call may be reused from now on.
  void recycle_slots() {
    if (retired_slots.empty()) return;
    free_slots.insert(free_slots.end(), retired_slots.begin(), retired_slots.end());
    retired_slots.clear();
  }

  // For the end of the command: the instrument may have lost its last order, or its gate.
  void mark_emptied(InstrumentId id) {
    Instrument& ins = instruments[id];
    if (ins.in_emptied) return;
    ins.in_emptied = true;
    emptied.push_back(id);
  }

  // The listed instrument with this symbol (and hash, SymbolIndex::hash), or kNil.
  InstrumentId find_instrument(std::string_view symbol, std::uint32_t hash) const {
    return symbols.find(hash, [&](std::uint32_t id) { return instruments[id].symbol.view() == symbol; });
  }
  InstrumentId find_instrument(std::string_view symbol) const {
    return find_instrument(symbol, SymbolIndex::hash(symbol));
  }

  // Nothing in it that a fresh listing would not give back: no resting orders, and no last
  // trade price (the band's reference) or a gate already closed. Unlisting such an instrument
  // changes no event; its halt flag stays in symbol_halted.
  bool worthless(const Instrument& ins) const {
    return ins.resting == 0 && ins.slices == 0 && (ins.last_trade == 0 || ins.gate <= now);
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

  void cancel_resting(std::uint32_t oi, Reason reason) {
    retire(oi, EventType::canceled, reason, now);
  }

  std::uint64_t stamp() { return next_priority++; }

  // Cancels the account's resting orders that `hit` selects, in ascending order_id.
  template <class Hit>
  void cancel_all(AccountId account, Reason reason, Hit&& hit) {
    for (std::uint32_t oi = accounts[account].head; oi != kNil;) {
      const std::uint32_t next = pool[oi].account_next;
      if (hit(pool[oi])) cancel_resting(oi, reason);
      oi = next;
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

  // Sorts `closing` into ascending order_id, the order cancels and expiries go in.
  void sort_closing_by_id() {
    std::sort(closing.begin(), closing.end(),
              [&](std::uint32_t a, std::uint32_t b) { return pool[a].id < pool[b].id; });
  }
};

}  // namespace gpux
