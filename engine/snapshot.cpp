// Snapshots: the engine's state as bytes and back, in the layout of docs/snapshot.md. Cold: they
// run at a snapshot interval or at recovery, never per command.
#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/engine_impl.hpp"
#include "engine/symbol.hpp"

namespace gpux {

namespace {

constexpr std::string_view kSnapshotMagic = "GPUXSNAP";
// Version 2 added divisible orders, their slices and time priorities; version 3 the ledger;
// version 4 the sessions that entered resting orders (docs/snapshot.md). Version 3 is still read:
// its orders are no session's.
constexpr std::uint32_t kSnapshotVersion = 4;
// magic version size seq ts orders slices priority-clock
constexpr std::size_t kHeaderBytes = 8 + 4 + 8 + 8 + 8 + 8 + 8 + 8;
constexpr std::size_t kChecksumBytes = 8;
// The fewest bytes a record can take: counts that the bytes left cannot hold are corrupt.
constexpr std::size_t kMinOrderBytes = 8 + 4 + 1 + 8 + 8 + 8 + 1 + 8 + 1 + 1 + 8;
constexpr std::size_t kMinDivisibleBytes = 4 + 8 + 4 + 1 + 1 + 8 + 8 + 1 + 8 + 1 + 1 + 4;
constexpr std::size_t kSliceBytes = 8 + 8 + 8;
constexpr std::size_t kMinLevelBytes = 8 + 4 + kMinOrderBytes;
constexpr std::size_t kMinInstrumentBytes = 1 + 8 + 4 + 4;
// A corrupt price could make a book's page directory (24 bytes per 64 ticks of the span of its
// resting prices, and up to twice that span with its slack) as large as it likes. Real books
// hardly stray from their listing bands, so all books together may reach at most this many
// ticks beyond them (2^22 pages: at most 200 MiB of directory).
constexpr std::int64_t kMaxStrayTicks = std::int64_t{1} << 28;

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

bool ends_early(const snapshot::Reader& r, std::string_view where, std::string& error) {
  return fail(error, "corrupt snapshot: ends inside ", where, " (byte ", r.offset(), ")");
}

}  // namespace

struct Engine::Impl::LoadedOrder {
  OrderId id;
  std::uint32_t slot;        // in the pool
  std::uint32_t cl_id_hash;  // its by_cl_id key, computed while the order is in the cache
};

// ---- save -------------------------------------------------------------------------------------

// Writes what cannot be derived. Everything else is rebuilt on load: the indexes, the
// accounts' lists, both heaps, resting counts, band caches, instrument halt flags, instrument
// slots and the books' pages. Costs two passes over the books in priority order and a hash
// of the bytes: about 100 ns and 48 bytes plus the cl_id per resting order.
void Engine::Impl::save(std::vector<std::uint8_t>& bytes) const {
  bytes.clear();
  // max() changes nothing, but spares GCC 12 a false -Wstringop-overflow on the magic below.
  bytes.reserve(std::max(save_bound(), kHeaderBytes));
  snapshot::Writer w(bytes);
  w.raw(kSnapshotMagic);
  w.u32(kSnapshotVersion);
  const std::size_t size_at = w.size();
  w.u64(0);
  w.i64(seq);
  w.i64(now);
  w.u64(pool.live());
  w.u64(slices.live());
  w.u64(next_priority);
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
  save_ledger(w);
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
  // In listing order, not slot order: slots are reused in an order that depends on how commands
  // were batched, listing order only on the commands.
  std::vector<InstrumentId> order;
  listing_order(order);
  w.u32(static_cast<std::uint32_t>(order.size()));
  std::vector<std::uint32_t> slots;
  for (const InstrumentId id : order) {
    const Instrument& ins = instruments[id];
    w.str(ins.symbol.view());
    w.i64(ins.last_trade);
    for (const Side side : {Side::buy, Side::sell}) save_side(w, ins.book, side, slots);
  }
  save_divisible(w, order);
  save_sessions(w);
  w.patch_u64(size_at, bytes.size() + kChecksumBytes);
  w.u64(XXH3_64bits(bytes.data(), bytes.size()));
}

void Engine::Impl::save_side(snapshot::Writer& w, const Book& book, Side side,
                             std::vector<std::uint32_t>& slots) const {
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
      w.u64(o.priority);
    }
    ++levels;
  }
  w.patch_u32(levels_at, levels);
}

// Divisible orders in ascending order_id, each with its window (as its place in listing order)
// and its slices in ascending hour. The hour books are rebuilt from the slices' priorities.
void Engine::Impl::save_divisible(snapshot::Writer& w, const std::vector<InstrumentId>& order) const {
  std::vector<std::uint32_t> listed_at(instruments.size(), 0);
  for (std::uint32_t i = 0; i < order.size(); ++i) listed_at[order[i]] = i;
  std::vector<std::uint32_t> divisible;
  for (const Account& a : accounts)
    for (std::uint32_t oi = a.head; oi != kNil; oi = pool[oi].account_next)
      if (pool[oi].divisible) divisible.push_back(oi);
  std::sort(divisible.begin(), divisible.end(), [&](std::uint32_t a, std::uint32_t b) { return pool[a].id < pool[b].id; });
  w.u32(static_cast<std::uint32_t>(divisible.size()));
  for (const std::uint32_t oi : divisible) {
    const Order& o = pool[oi];
    w.u32(listed_at[o.instrument]);
    w.i64(o.id);
    w.u32(o.account);
    w.str(o.cl_id.view());
    w.u8(static_cast<std::uint8_t>(o.side));
    w.i64(o.price);
    w.i64(o.open);
    w.u8(static_cast<std::uint8_t>(o.tif));
    w.i64(o.expire_ts);
    w.u8(static_cast<std::uint8_t>(o.stp));
    w.u8(o.post_only);
    const std::size_t count_at = w.size();
    w.u32(0);
    std::uint32_t n = 0;
    for (std::uint32_t si = o.prev; si != kNil; si = slices[si].order_next, ++n) {
      w.i64(instruments[slices[si].book].start_hour);
      w.i64(slices[si].open);
      w.u64(slices[si].priority);
    }
    w.patch_u32(count_at, n);
  }
}

// Version 4: the resting orders a session entered (per-session cancel-on-disconnect), as
// (order_id, session) in ascending order_id; orders of no session are left out.
void Engine::Impl::save_sessions(snapshot::Writer& w) const {
  std::vector<std::pair<OrderId, std::uint32_t>> tagged;
  for (const Account& a : accounts)
    for (std::uint32_t oi = a.head; oi != kNil; oi = pool[oi].account_next)
      if (order_session[oi] != 0) tagged.emplace_back(pool[oi].id, order_session[oi] - 1);
  std::sort(tagged.begin(), tagged.end());
  w.u32(static_cast<std::uint32_t>(tagged.size()));
  for (const auto& [id, session] : tagged) {
    w.i64(id);
    w.u32(session);
  }
}

// The pool slots of one side's orders, best level first, each level in FIFO order. Every step
// along a FIFO is likely a cache miss; following many levels at once overlaps the misses.
void Engine::Impl::priority_order(const Book& book, Side side, std::vector<std::uint32_t>& slots) const {
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
std::size_t Engine::Impl::save_bound() const {
  return kHeaderBytes + 4 * 4 + kChecksumBytes +
         catalog.products().size() * (1 + kMaxProductLen + 8 * std::size(kProductLimits) + 1) +
         accounts.size() * (1 + kMaxAccountLen + 1) + ledger_bound() + symbol_halted.size() * (1 + kMaxSymbolLen) +
         listed * (kMinInstrumentBytes + kMaxSymbolLen) +
         pool.live() * (kMinLevelBytes + kMinDivisibleBytes + kMaxClIdLen) + slices.live() * kSliceBytes;
}

// ---- load -------------------------------------------------------------------------------------

// Fills this fresh Impl from a snapshot; false, with `error`, when the bytes are not one
// this engine can take. Checks everything the rebuilt structures rely on, whatever the bytes.
bool Engine::Impl::load(std::span<const std::uint8_t> bytes, std::string& error) {
  snapshot::Reader r(bytes);
  if (r.raw(kSnapshotMagic.size()) != kSnapshotMagic)
    return bytes.size() < kSnapshotMagic.size()
               ? fail(error, "truncated snapshot: ", bytes.size(), " bytes")
               : fail(error, "not a gpux snapshot: no GPUXSNAP magic");
  const std::uint32_t version = r.u32();
  if (!r.ok()) return fail(error, "truncated snapshot: ", bytes.size(), " bytes");
  if (version == 1 || version == 2)
    return fail(error, "snapshot format version ", version,
                version == 1 ? " predates divisible orders and time priorities across books"
                             : " predates the ledger of cash and holdings",
                "; this engine reads version ", kSnapshotVersion, ": recover from the journal's commands instead");
  if (version != kSnapshotVersion && version != 3)
    return fail(error, "snapshot format version ", version, ", this engine reads versions 3 and ", kSnapshotVersion);
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
  const std::uint64_t slice_count = b.u64();
  loading_clock = b.u64();
  if (orders > config.max_orders)
    return fail(error, "the snapshot holds ", orders, " resting orders, more than this engine's pool of ",
                config.max_orders, " (EngineConfig::max_orders)");
  if (slice_count > config.max_slices)
    return fail(error, "the snapshot holds ", slice_count, " resting slices, more than this engine's pool of ",
                config.max_slices, " (EngineConfig::max_slices)");
  LoadedOrders loaded;
  loaded.reserve(std::min<std::uint64_t>(orders, body.size() / kMinOrderBytes));
  if (!load_products(b, error) || !load_accounts(b, error) || !load_ledger(b, error) || !load_halts(b, error) ||
      !load_instruments(b, orders, loaded, error) || !load_divisible(b, orders, slice_count, loaded, error))
    return false;
  if (loaded.size() != orders)
    return fail(error, "corrupt snapshot: ", loaded.size(), " resting orders, its header says ", orders);
  std::vector<std::pair<OrderId, std::uint32_t>> tagged;  // version 4: (order_id, session)
  if (version >= 4) {
    const std::uint32_t n = b.count(8 + 4);
    tagged.reserve(n);
    for (std::uint32_t i = 0; i < n; ++i) {
      const OrderId id = b.i64();
      const std::uint32_t session = b.u32();
      tagged.emplace_back(id, session);
    }
    if (!b.ok()) return ends_early(b, "the orders' sessions", error);
  }
  if (b.left() != 0) return fail(error, "corrupt snapshot: ", b.left(), " bytes after the last instrument");
  if (!index_loaded(loaded, error)) return false;
  for (const LoadedOrder& o : loaded) order_session[o.slot] = 0;
  for (const auto& [id, session] : tagged) {
    const auto it = std::lower_bound(loaded.begin(), loaded.end(), id,
                                     [](const LoadedOrder& o, OrderId v) { return o.id < v; });
    if (it == loaded.end() || it->id != id || session == UINT32_MAX)
      return fail(error, "corrupt snapshot: a session is given for order ", id, ", which does not rest");
    order_session[it->slot] = session + 1;
  }
  next_priority = loading_clock;  // resting the orders again stamped them anew
  flush_commits();
  // Instruments the engine would have unlisted: a snapshot of this engine has none, an older
  // one may list empty books, and those whose gate had closed.
  for (InstrumentId id = first_listed; id != kNil;) {
    const InstrumentId next = instruments[id].next_listed;
    if (worthless(instruments[id])) unlist(id);
    id = next;
  }
  recycle_slots();
  return true;
}

bool Engine::Impl::load_products(snapshot::Reader& r, std::string& error) {
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
bool Engine::Impl::load_accounts(snapshot::Reader& r, std::string& error) {
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
bool Engine::Impl::load_halts(snapshot::Reader& r, std::string& error) {
  const std::uint32_t n = r.count(1);
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::string_view symbol = r.str();
    if (!r.ok()) break;
    if (symbol.size() > kMaxSymbolLen || (i > 0 && symbol <= symbol_halted.rbegin()->first))
      return fail(error, "corrupt snapshot: halted symbol ", i, " (", symbol, ") is malformed or out of order");
    symbol_halted.emplace_hint(symbol_halted.end(), symbol, true);
    Symbol sym;
    if (parse_symbol(symbol, sym) && sym.hours == 1 && catalog.find(sym.product) >= 0)
      products[static_cast<std::size_t>(catalog.find(sym.product))].halted_hours.insert(sym.start_hour);
  }
  return r.ok() || ends_early(r, "the halted symbols", error);
}

// Instruments in listing order, so that listing them again keeps it.
bool Engine::Impl::load_instruments(snapshot::Reader& r, std::uint64_t orders, LoadedOrders& loaded,
                                    std::string& error) {
  const std::uint32_t n = r.count(kMinInstrumentBytes);
  std::int64_t stray = 0;  // ticks of book directories beyond the listing bands, all books together
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::string_view symbol = r.str();
    const Price last_trade = r.i64();
    if (!r.ok()) break;
    Symbol sym;
    if (symbol.size() > kMaxSymbolLen || !parse_symbol(symbol, sym) || catalog.find(sym.product) < 0 ||
        find_instrument(symbol) != kNil)
      return fail(error, "corrupt snapshot: instrument ", i, " (", symbol,
                  ") is not a symbol of the catalog, or is listed twice");
    const auto product = static_cast<ProductId>(catalog.find(sym.product));
    const Product& p = catalog.products()[product];
    if (sym.hours < 1 || sym.hours > p.max_hours || last_trade < 0 || last_trade % p.tick != 0)
      return fail(error, "corrupt snapshot: instrument ", symbol, " has a bad window or last trade price");
    const InstrumentId id =
        list_instrument(symbol, SymbolIndex::hash(symbol), product, I128{sym.start_hour} * kNsPerHour, sym.hours);
    instruments[id].last_trade = last_trade;
    if (!load_book(r, id, orders, loaded, stray, error)) return false;
  }
  return r.ok() || ends_early(r, "the instruments", error);
}

// Rests the book's orders again, in the priority order they were saved in.
bool Engine::Impl::load_book(snapshot::Reader& r, InstrumentId id, std::uint64_t orders, LoadedOrders& loaded,
                             std::int64_t& stray, std::string& error) {
  const Instrument& ins = instruments[id];
  const Product& p = catalog.products()[ins.product];
  auto [lo, hi] = listing_ticks(p);
  for (const Side side : {Side::buy, Side::sell}) {
    const std::uint32_t levels = r.count(kMinLevelBytes);
    if (levels > 0 && ins.gate <= now)
      return fail(error, "corrupt snapshot: orders rest on ", ins.symbol.view(), ", whose gate closed before it");
    Price prev = 0;
    for (std::uint32_t lv = 0; lv < levels; ++lv) {
      const Price price = r.i64();
      const std::uint32_t count = r.count(kMinOrderBytes);
      if (!r.ok()) return ends_early(r, ins.symbol.view(), error);
      // Best level first, the book never crossed, no empty levels.
      const bool in_order = lv == 0 ? !ins.book.crosses(side, price) : side == Side::buy ? price < prev : price > prev;
      if (price <= 0 || price % p.tick != 0 || !in_order || count == 0)
        return fail(error, "corrupt snapshot: ", ins.symbol.view(), " has a bad ", to_string(side), " level at ", price);
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
  return r.ok() || ends_early(r, ins.symbol.view(), error);
}

bool Engine::Impl::load_order(snapshot::Reader& r, InstrumentId id, Side side, Price price, std::uint64_t orders,
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
  const std::uint64_t priority = r.u64();
  if (!r.ok()) return ends_early(r, instruments[id].symbol.view(), error);
  if (priority == 0 || priority >= loading_clock)
    return fail(error, "corrupt snapshot: order ", o.id, " has time priority ", priority);
  if (loaded.size() == orders)
    return fail(error, "corrupt snapshot: more resting orders than the ", orders, " its header says");
  if (const char* flaw = order_flaw(o, cl_id.size(), post_only, catalog.products()[instruments[id].product]))
    return fail(error, "corrupt snapshot: order ", o.id, " on ", instruments[id].symbol.view(), ": ", flaw);
  o.price = price;
  o.side = side;
  o.instrument = id;
  o.post_only = post_only;
  o.cl_id.assign(cl_id);
  const std::uint32_t oi = pool.allocate();
  pool[oi] = o;
  rest(oi);
  pool[oi].priority = priority;
  loaded.push_back({o.id, oi, cl_hash(accounts[o.account].name_hash, cl_id)});
  return true;
}

// Divisible orders, then their slices rested again in ascending time priority: each level's
// FIFO order (and each order's ascending hours, which priority follows).
bool Engine::Impl::load_divisible(snapshot::Reader& r, std::uint64_t orders, std::uint64_t slice_count,
                                  LoadedOrders& loaded, std::string& error) {
  std::vector<InstrumentId> listing;
  listing_order(listing);
  struct LoadedSlice {
    std::uint64_t priority;
    std::uint32_t order;
    InstrumentId book;
    Qty open;
  };
  std::vector<LoadedSlice> all;
  const std::uint32_t n = r.count(kMinDivisibleBytes);
  OrderId before = 0;
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::uint32_t at = r.u32();
    Order o{};
    o.id = r.i64();
    o.account = r.u32();
    const std::string_view cl_id = r.str();
    const std::uint8_t side = r.u8();
    o.price = r.i64();
    o.open = o.shown = r.i64();
    o.tif = static_cast<Tif>(r.u8());
    o.expire_ts = r.i64();
    o.stp = static_cast<Stp>(r.u8());
    const std::uint8_t post_only = r.u8();
    const std::uint32_t count = r.count(kSliceBytes);
    if (!r.ok()) return ends_early(r, "the divisible orders", error);
    if (loaded.size() == orders)
      return fail(error, "corrupt snapshot: more resting orders than the ", orders, " its header says");
    if (at >= listing.size() || side > 1 || o.id <= before || count == 0)
      return fail(error, "corrupt snapshot: divisible order ", o.id, " is malformed or out of order");
    const InstrumentId id = listing[at];
    const Instrument& w = instruments[id];
    const Product& p = catalog.products()[w.product];
    if (const char* flaw = order_flaw(o, cl_id.size(), post_only, p))
      return fail(error, "corrupt snapshot: divisible order ", o.id, ": ", flaw);
    if (o.price <= 0 || o.price % p.tick != 0)
      return fail(error, "corrupt snapshot: divisible order ", o.id, " has price ", o.price);
    o.side = static_cast<Side>(side);
    o.instrument = id;
    o.post_only = post_only;
    o.divisible = true;
    o.prev = o.next = kNil;
    o.cl_id.assign(cl_id);
    const std::uint32_t oi = pool.allocate();
    pool[oi] = o;
    std::int64_t last_hour = w.start_hour - 1;
    std::uint64_t last_priority = 0;
    for (std::uint32_t k = 0; k < count; ++k) {
      const std::int64_t hour = r.i64();
      const Qty open = r.i64();
      const std::uint64_t priority = r.u64();
      if (!r.ok()) return ends_early(r, "the divisible orders", error);
      const InstrumentId hb = hour > last_hour && hour < w.start_hour + w.length ? hour_book(w.product, hour) : kNil;
      if (hb == kNil || instruments[hb].gate <= now || !valid_qty(open, p) || priority <= last_priority ||
          priority >= loading_clock)
        return fail(error, "corrupt snapshot: divisible order ", o.id, " has a bad slice at hour ", hour);
      all.push_back(LoadedSlice{priority, oi, hb, open});
      last_hour = hour;
      last_priority = priority;
    }
    loaded.push_back({o.id, oi, cl_hash(accounts[o.account].name_hash, cl_id)});
    before = o.id;
  }
  if (all.size() != slice_count)
    return fail(error, "corrupt snapshot: ", all.size(), " resting slices, its header says ", slice_count);
  std::sort(all.begin(), all.end(), [](const LoadedSlice& a, const LoadedSlice& b) { return a.priority < b.priority; });
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (i > 0 && all[i].priority == all[i - 1].priority)
      return fail(error, "corrupt snapshot: two slices have time priority ", all[i].priority);
    slices[rest_slice(all[i].order, all[i].book, all[i].open)].priority = all[i].priority;
  }
  return r.ok() || ends_early(r, "the divisible orders", error);
}

// What makes the fields of a resting order read from a snapshot impossible, or nullptr.
const char* Engine::Impl::order_flaw(const Order& o, std::size_t cl_id_len, std::uint8_t post_only,
                                     const Product& p) const {
  if (o.account >= accounts.size()) return "unknown account";
  if (cl_id_len > kMaxClIdLen) return "cl_id too long";
  if (o.tif != Tif::gtc && o.tif != Tif::gtd) return "a tif that cannot rest";
  if (o.tif == Tif::gtc && o.expire_ts != 0) return "expire_ts on a gtc order";
  if (o.stp > Stp::cancel_both || post_only > 1) return "bad stp or post_only";
  if (!valid_qty(o.open, p)) return "bad open quantity";
  const bool shown_ok = o.display == 0 ? o.shown == o.open
                                       : valid_qty(o.display, p) && o.shown > 0 &&
                                             o.shown <= std::min(o.display, o.open) && o.shown % p.lot == 0;
  return shown_ok ? nullptr : "bad shown or display quantity";
}

// Indexes the orders in ascending order_id, the order of the accounts' lists.
bool Engine::Impl::index_loaded(LoadedOrders& loaded, std::string& error) {
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

}  // namespace gpux
