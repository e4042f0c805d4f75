// The public Engine, and Impl::execute(): one command from start to finish. The other parts of
// Impl are listed in engine/engine_impl.hpp.
#include "engine/engine.hpp"

#include <algorithm>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/engine_impl.hpp"

namespace gpux {

namespace {

OrderView view_of(const Order& o, const SlicePool& slices, std::int64_t window_hours) {
  OrderView v{o.id,   o.account, o.instrument, o.cl_id.view(), o.side, o.price, o.open, o.shown,
              o.tif,  o.expire_ts, o.display, o.divisible, window_hours, o.open * window_hours};
  if (!o.divisible) return v;
  v.open = v.shown = 0;
  v.resting_hours = v.gpu_hours = 0;
  for (std::uint32_t si = o.prev; si != kNil; si = slices[si].order_next) {
    v.open = v.shown = std::max(v.open, slices[si].open);
    ++v.resting_hours;
    v.gpu_hours += slices[si].open;
  }
  return v;
}

}  // namespace

// ---- one command ------------------------------------------------------------------------------

void Engine::Impl::prefetch_slot(const Command& c, const Hints& h) const {
  if (c.type == CommandType::new_order || (c.has_cl_id && !c.has_order_id)) by_cl_id.prefetch(h.cl_id_hash);
  else if (c.has_order_id) by_id.prefetch(id_hash(c.order_id));
}

inline void Engine::Impl::flush_depth() {
  for (const Dirty& d : dirty) {
    Instrument& ins = instruments[d.instrument];
    Book& book = d.hours ? hour_books[ins.hour_slot].of(d.side) : ins.book;
    LevelUpdate u{seq, d.instrument, d.side, d.hours, d.price, 0, 0};
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

inline void Engine::Impl::execute(const Command& c, const Hints& h, EventBuffer& events, DepthBuffer* depth_out) {
  out = &events;
  depth = depth_out;
  seq = c.seq;
  now = c.ts;
  hints = h;
  match_no = 0;
  const std::size_t first_event = events.size();
  run_expiries(c.ts);
  if (c.session_start) [[unlikely]] forget_session(c);
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
    case CommandType::disconnect: on_disconnect(c); break;
    case CommandType::risk: on_risk(c); break;
    case CommandType::deposit: on_deposit(c, false); break;
    case CommandType::withdraw: on_deposit(c, true); break;
    case CommandType::fund: on_fund(c); break;
  }
  // Only these trade (standing blocks sweep inside them too).
  if (c.type == CommandType::new_order || c.type == CommandType::replace) settle_trades(first_event);
  if (depth != nullptr) flush_depth();
  if (!empty_pages.empty() || !emptied.empty()) [[unlikely]] release_emptied();
}

// The end of a command, once its depth is out: pages whose levels all emptied go back to the
// pool, instruments left worth nothing are unlisted, and hour books left without slices are
// emptied.
void Engine::Impl::release_emptied() {
  for (const PageRef& r : empty_pages) {
    Instrument& ins = instruments[r.instrument];
    (r.hours ? hour_books[ins.hour_slot].of(r.side) : ins.book).release_if_empty(r.page);
  }
  empty_pages.clear();
  for (const InstrumentId id : emptied) {
    Instrument& ins = instruments[id];
    ins.in_emptied = false;
    if (!ins.listed || ins.resting > 0 || ins.slices > 0) continue;
    // Unlisting empties the books. One that stays listed (it traded, its gate is open) keeps
    // its window book's directory: its pages went back already, the directory's capacity stays
    // either way, and an order arriving next need not centre it again (a book emptied and
    // refilled every few commands spent 7% of a journal replay re-centring).
    if (worthless(ins)) {
      unlist(id);
      continue;
    }
    if (ins.hour_slot != kNil) {
      hour_books[ins.hour_slot].bids.clear();
      hour_books[ins.hour_slot].asks.clear();
    }
  }
  emptied.clear();
}

// ---- Engine -----------------------------------------------------------------------------------

Engine::Engine(Catalog catalog, EngineConfig config)
    : impl_(std::make_unique<Impl>(std::move(catalog), config)) {}

Engine::~Engine() = default;

void Engine::prefetch(const Command& cmd) const { impl_->prefetch_slot(cmd, Impl::hints_for(cmd)); }

void Engine::process(std::span<const Command> cmds, EventBuffer& events, DepthBuffer* depth) {
  // Two stages ahead of the command being run: first its bytes, then (once they are here)
  // its hashes and the index slot they point at. Each distance is about one memory latency.
  constexpr std::size_t kSlotAhead = 4;
  constexpr std::size_t kBytesAhead = 2 * kSlotAhead;
  constexpr std::size_t kUsedBytes = offsetof(Command, instrument) + 40;  // what a `new` reads
  Impl& m = *impl_;
  m.recycle_slots();
  Impl::Hints ahead[kSlotAhead];
  for (std::size_t i = 0; i < std::min(kSlotAhead, cmds.size()); ++i) ahead[i] = Impl::hints_for(cmds[i]);
  for (std::size_t i = 0; i < cmds.size(); ++i) {
    if (i + kBytesAhead < cmds.size()) {
      const char* p = reinterpret_cast<const char*>(&cmds[i + kBytesAhead]);
      for (std::size_t b = 0; b < kUsedBytes; b += 64) __builtin_prefetch(p + b);
    }
    const Impl::Hints now = ahead[i % kSlotAhead];
    if (i + kSlotAhead < cmds.size()) {
      const Command& later = cmds[i + kSlotAhead];
      ahead[i % kSlotAhead] = Impl::hints_for(later);
      m.prefetch_slot(later, ahead[i % kSlotAhead]);
    }
    m.execute(cmds[i], now, events, depth);
  }
}

void Engine::process(const Command& cmd, EventBuffer& events, DepthBuffer* depth) {
  impl_->recycle_slots();
  impl_->execute(cmd, Impl::hints_for(cmd), events, depth);
}

void Engine::save_state(std::vector<std::uint8_t>& out) const {
  impl_->flush_commits();  // pending holdings are part of the state
  impl_->save(out);
}

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
std::string_view Engine::symbol(InstrumentId i) const { return impl_->instruments[i].symbol.view(); }
ProductId Engine::product_of(InstrumentId i) const { return impl_->instruments[i].product; }
std::size_t Engine::resting_orders() const { return impl_->pool.live(); }

void Engine::instruments(std::vector<InstrumentId>& out) const { impl_->listing_order(out); }

EngineMemory Engine::memory() const {
  const Impl& m = *impl_;
  EngineMemory r{};
  r.listed_instruments = m.listed;
  r.instrument_slots = m.instruments.size();
  r.level_pages = m.pages.in_use();
  r.spare_pages = m.pages.spare();
  for (const Impl::Instrument& ins : m.instruments) {
    r.directory_pages += ins.book.directory_pages();
    if (ins.listed && ins.slices > 0) ++r.hour_books;
  }
  for (const Impl::HourBook& b : m.hour_books) r.directory_pages += b.bids.directory_pages() + b.asks.directory_pages();
  r.accounts = m.accounts.size();
  r.halted_symbols = m.symbol_halted.size();
  r.resting_slices = m.slices.live();
  r.slice_bytes = sizeof(Slice);
  return r;
}

void Engine::levels(InstrumentId id, Side side, std::vector<LevelView>& out, BookKind kind) const {
  out.clear();
  const Impl::Instrument& ins = impl_->instruments[id];
  if (kind == BookKind::hours && ins.hour_slot == kNil) return;
  const Book& book = kind == BookKind::hours ? impl_->hour_books[ins.hour_slot].of(side) : ins.book;
  for (std::int64_t li = book.best(side); li >= 0; li = book.next_behind(side, li)) {
    const Level& l = book.at(li);
    out.push_back(LevelView{book.price_at(li), l.qty, l.count});
  }
}

void Engine::orders(InstrumentId id, Side side, std::vector<OrderView>& out, BookKind kind) const {
  out.clear();
  const Impl& m = *impl_;
  if (kind == BookKind::hours) {
    if (m.instruments[id].hour_slot == kNil) return;
    const Book& book = m.hours_of(id, side);
    for (std::int64_t li = book.best(side); li >= 0; li = book.next_behind(side, li)) {
      for (std::uint32_t si = book.at(li).head; si != kNil; si = m.slices[si].next) {
        OrderView v = view_of(m.pool[m.slices[si].order], m.slices, 1);
        v.open = v.shown = v.gpu_hours = m.slices[si].open;
        v.resting_hours = 1;
        out.push_back(v);
      }
    }
    return;
  }
  const Book& book = m.instruments[id].book;
  for (std::int64_t li = book.best(side); li >= 0; li = book.next_behind(side, li)) {
    for (std::uint32_t oi = book.at(li).head; oi != kNil; oi = m.pool[oi].next) {
      out.push_back(view_of(m.pool[oi], m.slices, m.instruments[id].length));
    }
  }
}

void Engine::hour_books(ProductId p, std::vector<InstrumentId>& out) const {
  out.clear();
  const Impl& m = *impl_;
  m.products[p].hours.each([&](InstrumentId id) {
    if (m.instruments[id].slices > 0) out.push_back(id);
  });
}

std::int64_t Engine::start_hour(InstrumentId id) const { return impl_->instruments[id].start_hour; }
std::int64_t Engine::hours(InstrumentId id) const { return impl_->instruments[id].length; }

void Engine::account_orders(std::string_view account, std::vector<OrderView>& out) const {
  out.clear();
  const Impl& m = *impl_;
  const std::uint32_t a = m.account_names.find(account);
  if (a == NameTable::npos) return;
  for (std::uint32_t oi = m.accounts[a].head; oi != kNil; oi = m.pool[oi].account_next) {
    out.push_back(view_of(m.pool[oi], m.slices, m.instruments[m.pool[oi].instrument].length));
  }
}

}  // namespace gpux
