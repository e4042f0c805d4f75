// The matching engine: docs/rules.md for every instrument it holds. Pure: no I/O, no threads,
// no clocks; time comes only from the commands, so the same commands give the same events.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/catalog.hpp"
#include "engine/command.hpp"
#include "engine/depth.hpp"
#include "engine/event.hpp"

namespace gpux {

struct EngineConfig {
  // Resting orders the engine can hold at once (its preallocated pool). A `new` arriving when
  // the pool is full is rejected with reason `capacity`.
  std::uint32_t max_orders = 1u << 22;
  // Resting orders one account can hold at once. A gtc or gtd `new` from an account already
  // holding this many is rejected with reason `capacity` (docs/rules.md "Where the spec is
  // silent" 9); ioc, fok and market orders, which never rest, are not counted against it.
  // 1/16 of the default pool, so that no single account can fill it.
  std::uint32_t max_orders_per_account = 1u << 18;
  // Slices (one per hour of a resting divisible order) the engine can hold at once: 40 bytes
  // each, mapped as they are first used. A divisible `new` whose hours do not fit is rejected
  // with reason `capacity`. 2^24 is 23,000 orders of a month each.
  std::uint32_t max_slices = 1u << 24;
  // Touch every page of the pool and indexes up front, so that the first trading hours do
  // not pay page faults (a server wants this; a short-lived replay does not). Without it the
  // order indexes are sized to the live book and double as it grows (engine/order_index.hpp):
  // cache-friendly, but each doubling moves the index on the matching thread.
  bool prefault = false;
};

// What the engine holds beyond its preallocated pool and indexes (docs/engine-memory.md).
struct EngineMemory {
  std::size_t listed_instruments;  // instruments with resting orders, or a last trade and an open gate
  std::size_t instrument_slots;    // listed, plus free ones kept for reuse
  std::size_t level_pages;         // pages of 64 price levels held by books
  std::size_t spare_pages;         // pages given back and kept for reuse
  std::size_t directory_pages;     // page directory entries of all books (8 bytes each, 16 of bitmaps)
  std::size_t accounts;            // every account ever seen
  std::size_t halted_symbols;      // symbol halt entries, resumed ones included
  std::size_t hour_books;          // hour books holding slices
  std::size_t resting_slices;      // slices of resting divisible orders (one per order and hour)
  std::size_t slice_bytes;         // bytes one slice takes in the slice pool
};

// "What would a block cost now?" (docs/hours.md "Quotes"): a block of `qty` GPUs over a window,
// priced as if it arrived now as an ioc order (its window book, then a sweep of the hour
// books), with nothing changed.
struct QuoteRequest {
  std::string_view instrument;  // the window, PRODUCT@YYYY-MM-DDTHHZ+Nh
  Side side;
  Qty qty;
  Price limit;  // 0: no limit but the band's protection price, as a market order has
  std::string_view account;  // optional: whose own orders to pass over, as a real order would
};

struct Quote {
  Reason reason;  // why the request is not quotable; meaningful when !ok
  bool ok;
  Price limit;          // the limit the quote used (the protection price when none was given)
  Qty window_qty;       // GPUs the window book would fill
  Qty sweep_qty;        // GPUs the sweep would fill, every hour of the window
  Qty fill_qty;         // window_qty + sweep_qty
  std::int64_t hours;   // the window's length
  // Sum of price x qty x hours over the fills, in $0.0001; 0 when nothing fills. Fits: below
  // max_qty x max_hours x the band's top, far under 2^127.
  I128 notional;
  Price best;   // the best and worst price a fill would trade at (0 when none)
  Price worst;
};

// A resting order as seen from outside, in priority order within its level.
struct OrderView {
  OrderId order_id;
  AccountId account;
  InstrumentId instrument;
  std::string_view cl_id;
  Side side;
  Price price;
  Qty open;   // whole open quantity
  Qty shown;  // the current clip for an iceberg
  Tif tif;
  Ts expire_ts;  // gtd only
  Qty display_qty;  // 0 when not an iceberg
  // A divisible order (docs/hours.md): `open` and `shown` are the largest open quantity of its
  // resting slices, `resting_hours` how many hours still rest, `gpu_hours` the sum of their
  // open quantities. For a block, resting_hours is its window's length.
  bool divisible;
  std::int64_t resting_hours;
  std::int64_t gpu_hours;
};

// An account's money (SPEC §7, docs/ledger.md), in $0.0001. Free cash is cash - committed.
struct Balance {
  I128 cash;            // int64 by the rules, but kept exact: see docs/ledger.md
  I128 committed_cash;  // price x open x hours over its resting buys
};

// A run of hours where an account's holdings and free capacity in a product are both constant.
struct HoldingRun {
  std::int64_t start_hour;  // hours since the epoch
  std::int64_t hours;
  Qty holdings;
  Qty free;  // holdings minus the open quantity of its resting sells there
};

class Engine {
 public:
  explicit Engine(Catalog catalog, EngineConfig config = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Runs one command, appending its events (in the order of docs/events.md) to `events`; when
  // `depth` is given, also one LevelUpdate per price level the command changed. The instrument
  // ids in them name their instruments (symbol(), product_of()) until the next process() call,
  // even when the command left the instrument unlisted: its slot is reused only after that.
  void process(const Command& cmd, EventBuffer& events, DepthBuffer* depth = nullptr);

  // Runs a batch in order, exactly as one process() call per command would, but prefetching
  // each command's index slots a little ahead, so a cold order lookup overlaps useful work.
  void process(std::span<const Command> cmds, EventBuffer& events, DepthBuffer* depth = nullptr);

  // Starts loading what `cmd` will look up (its cl_id or order_id slot). Purely a hint.
  void prefetch(const Command& cmd) const;

  const Catalog& catalog() const;
  std::string_view account_name(AccountId) const;
  // The listed instruments, in the order they were listed. An instrument is listed by its first
  // accepted order and unlisted once it holds no resting orders and either never traded or has
  // passed its gate (docs/engine-memory.md); listing the symbol again starts afresh. Ids of
  // unlisted instruments are reused, so keep names, not ids, across process() calls.
  void instruments(std::vector<InstrumentId>& out) const;
  std::string_view symbol(InstrumentId) const;
  ProductId product_of(InstrumentId) const;
  std::size_t resting_orders() const;
  EngineMemory memory() const;

  // The book of one instrument, best level first: its window book, or for a one-hour symbol
  // also its hour book of slices.
  void levels(InstrumentId, Side, std::vector<LevelView>& out, BookKind = BookKind::window) const;
  // The listed instruments of a product whose hour books hold slices, ascending hour.
  void hour_books(ProductId, std::vector<InstrumentId>& out) const;
  // The first hour (hours since the epoch) and length of an instrument's window.
  std::int64_t start_hour(InstrumentId) const;
  std::int64_t hours(InstrumentId) const;
  // Prices a block without changing anything (docs/hours.md "Quotes"); runs between commands.
  Quote quote(const QuoteRequest&) const;
  // Its resting orders in priority order; for an hour book, its slices, each as its order with
  // the slice's open quantity as `open` and `shown` (and resting_hours 1).
  void orders(InstrumentId, Side, std::vector<OrderView>& out, BookKind = BookKind::window) const;
  // One account's resting orders, ascending order_id (none for an account never seen).
  void account_orders(std::string_view account, std::vector<OrderView>& out) const;

  // The ledger (SPEC §7, docs/ledger.md), between commands. Whether `new` and `replace` are
  // checked against it now (the `risk` command; off at the start).
  bool risk_checks() const;
  // An account's cash and committed cash (zero for an account never seen).
  Balance balance(std::string_view account) const;
  // Its holdings and free capacity in a product over [first_hour, first_hour + hours), as
  // maximal runs of equal (holdings, free), zeros included: a window of 720 hours over one
  // deposit is one run. Costs O(log R + runs in the window) for R runs (docs/ledger.md).
  void holdings(std::string_view account, ProductId, std::int64_t first_hour, std::int64_t hours,
                std::vector<HoldingRun>& out) const;
  // Every run, over all time, where its holdings or free capacity is not 0.
  void holdings(std::string_view account, ProductId, std::vector<HoldingRun>& out) const;
  // Accounts ever seen: ids 0 .. accounts() - 1, named by account_name().
  std::size_t accounts() const;

  // Snapshots for crash recovery, in the layout of docs/snapshot.md. save_state replaces `out`
  // with the whole state: the last command's seq and ts, the catalog it was built with, product
  // halts, accounts and kills, halted symbols, and every listed instrument in listing order with
  // its last trade price and its book, each resting order in priority order. The bytes are
  // canonical (two engines in the same state give the same bytes), versioned and
  // little-endian. It runs on the matching thread: about 100 ms per million resting orders.
  void save_state(std::vector<std::uint8_t>& out) const;
  // Replaces the whole state with bytes from save_state of an engine built with the same
  // catalog; the engine then behaves exactly as the saved one did. False on truncated, corrupt
  // or incompatible bytes (including more resting orders than EngineConfig::max_orders), with
  // `error` saying what is wrong; the engine is then unchanged. Never reads past `bytes`.
  bool load_state(std::span<const std::uint8_t> bytes, std::string& error);
  // XXH3-64 of save_state's bytes.
  std::uint64_t state_digest() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gpux
