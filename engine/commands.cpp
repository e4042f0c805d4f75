// What each command does, checks first (docs/rules.md, from "Placing an order" to "Kill and
// unkill"). execute() has already run the command's expiries; its events come after theirs.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/engine_impl.hpp"
#include "engine/symbol.hpp"

namespace gpux {

// ---- rejections -------------------------------------------------------------------------------

void Engine::Impl::emit_rejected(const Command& c, AccountId account, Reason reason) {
  Event& e = emit(EventType::rejected, now);
  e.account = account;
  e.cl_id = c.cl_id;
  e.reason = reason;
}

void Engine::Impl::emit_lookup_rejected(EventType type, const Command& c, AccountId account, Reason reason) {
  Event& e = emit(type, now);
  e.account = account;
  e.reason = reason;
  e.has_cl_id = c.has_cl_id;
  e.has_order_id = c.has_order_id;
  e.cl_id = c.cl_id;
  e.order_id = c.order_id;
}

// ---- new --------------------------------------------------------------------------------------

void Engine::Impl::on_new(const Command& c) {
  const AccountId account = account_id(c.account);
  if (accounts[account].killed) [[unlikely]] return emit_rejected(c, account, Reason::killed);

  // A listed instrument passed the symbol checks when it was listed; only time can close it.
  const std::uint32_t symbol_hash = SymbolIndex::hash(c.instrument.view());
  const InstrumentId listed = find_instrument(c.instrument.view(), symbol_hash);
  Instrument* ins = listed == kNil ? nullptr : &instruments[listed];
  std::int32_t pid;
  I128 start;
  std::int64_t start_hour;
  std::int64_t length;
  if (ins) {
    pid = static_cast<std::int32_t>(ins->product);
    start = ins->start;
    start_hour = ins->start_hour;
    length = ins->length;
  } else {
    Symbol sym;
    Reason why;
    if (resolve_symbol(catalog, c.instrument.view(), sym, pid, why) != nullptr) [[unlikely]] return emit_rejected(c, account, why);
    start = I128{sym.start_hour} * kNsPerHour;
    start_hour = sym.start_hour;
    length = sym.hours;
  }
  const Product& p = catalog.products()[static_cast<std::size_t>(pid)];
  const I128 gate = gate_of(start, p);
  if (gate <= now) [[unlikely]] return emit_rejected(c, account, Reason::window_closed);
  if (start > I128{now} + I128{p.horizon_hours} * kNsPerHour) [[unlikely]]
    return emit_rejected(c, account, Reason::window_too_far);

  bool halted;
  if (ins) {
    halted = instrument_halted(*ins);
  } else {
    const auto flag = symbol_halted.find(c.instrument.view());
    halted = product_halted[static_cast<std::size_t>(pid)] || (flag != symbol_halted.end() && flag->second);
  }
  if (!halted && c.divisible) halted = hours_halted(static_cast<ProductId>(pid), start_hour, length);
  if (halted) [[unlikely]] return emit_rejected(c, account, Reason::halted);
  if (!valid_qty(c.qty, p)) [[unlikely]] return emit_rejected(c, account, Reason::bad_qty);

  const bool market = c.order_type == OrderType::market;
  const Band band = ins ? current_band(*ins, p) : band_of(p.ref_price, p);
  Price price;
  if (market) {
    if (c.price.present) [[unlikely]] return emit_rejected(c, account, Reason::bad_price);
    price = c.side == Side::buy ? band.upper : band.lower;
  } else {
    if (!c.price.present || !valid_limit_price(c.price, p)) [[unlikely]] return emit_rejected(c, account, Reason::bad_price);
    price = c.price.value;
    if (!in_band(price, band)) [[unlikely]] return emit_rejected(c, account, Reason::price_band);
  }

  const Tif tif = c.has_tif ? c.tif : (market ? Tif::ioc : Tif::gtc);
  const bool immediate = tif == Tif::ioc || tif == Tif::fok;
  if ((tif == Tif::gtd && (!c.has_expire_ts || c.expire_ts <= now)) ||
      (tif != Tif::gtd && c.has_expire_ts) ||
      (c.post_only && (immediate || market || c.has_min_qty)) || (market && !immediate) ||
      (c.divisible && tif == Tif::fok)) [[unlikely]]
    return emit_rejected(c, account, Reason::bad_tif);
  if (c.has_min_qty && (c.divisible || c.min_qty <= 0 || c.min_qty > c.qty || c.min_qty % p.lot != 0)) [[unlikely]]
    return emit_rejected(c, account, Reason::bad_min_qty);
  if (c.has_display_qty && (c.divisible || c.display_qty <= 0 || c.display_qty >= c.qty ||
                            c.display_qty % p.lot != 0 || immediate || market)) [[unlikely]]
    return emit_rejected(c, account, Reason::bad_display_qty);
  const std::uint32_t cl_id_hash = hints.cl_id_hash;
  if (find_by_cl_id(account, c.cl_id.view(), cl_id_hash) != kNil) [[unlikely]]
    return emit_rejected(c, account, Reason::duplicate_cl_id);
  if (risk_on) flush_commits();  // the command's expiries may have freed capacity
  if (risk_on && !new_order_backed(account, c.side, static_cast<ProductId>(pid), start_hour, length, price, c.qty)) [[unlikely]]
    return emit_rejected(c, account, c.side == Side::sell ? Reason::no_capacity : Reason::no_credit);
  if (c.post_only && (c.divisible ? hours_cross(static_cast<ProductId>(pid), start_hour, length, c.side, price)
                                   : ins && ins->book.crosses(c.side, price))) [[unlikely]]
    return emit_rejected(c, account, Reason::post_only);
  // The per-account bound counts resting orders, so ioc, fok and market orders pass it
  // (docs/rules.md "Where the spec is silent" 9).
  // A divisible order that rests needs a slice per hour, at most.
  if (pool.full() || (!immediate && accounts[account].resting >= config.max_orders_per_account) ||
      (c.divisible && !immediate && slices.available() < static_cast<std::uint64_t>(length))) [[unlikely]]
    return emit_rejected(c, account, Reason::capacity);

  const InstrumentId inst =
      ins ? listed : list_instrument(c.instrument.view(), symbol_hash, static_cast<ProductId>(pid), start, length);
  if (!ins) mark_emptied(inst);  // a fresh book has nothing to trade with: empty unless it rests
  const std::uint32_t oi = pool.allocate();
  order_session[oi] = c.session + 1;
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
  o.divisible = c.divisible;
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
  e.divisible = c.divisible;
  e.stp = c.stp;
  e.has_min_qty = c.has_min_qty;
  e.min_qty = c.min_qty;
  e.has_display_qty = c.has_display_qty;
  e.display_qty = c.display_qty;

  if (c.divisible) return place_divisible(oi, cl_id_hash);
  // min_qty and fok count the window book's trades and the sweep that would follow them.
  if (tif == Tif::fok || c.has_min_qty) {
    const Qty need = tif == Tif::fok ? c.qty : c.min_qty;
    bool stopped;
    Qty can = simulate(instruments[inst], o, need, stopped);
    if (can < need && !stopped) can += sweep_quantity(o, o.open - can);
    if (can < need) {
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
  if (o.open > 0 && !o.post_only) sweep(oi, o.open, false);
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

// Books appear on acceptance (docs/rules.md "Where the spec is silent" 10): on_new() lists an
// instrument only once every check has passed. A listing in a reused slot allocates nothing.
InstrumentId Engine::Impl::list_instrument(std::string_view symbol, std::uint32_t hash, ProductId product,
                                           I128 start, std::int64_t hours) {
  const InstrumentId id = take_slot();
  Instrument& ins = instruments[id];
  const Product& p = catalog.products()[product];
  ins.symbol.assign(symbol);
  ins.product = product;
  ins.start = start;
  ins.start_hour = static_cast<std::int64_t>(start / kNsPerHour);
  ins.length = hours;
  ins.blocks = 0;
  ins.slices = 0;
  ins.prev_with_blocks = ins.next_with_blocks = kNil;
  ins.gate = static_cast<Ts>(std::min<I128>(gate_of(start, p), kNever));
  ins.last_trade = 0;
  ins.band_ref = 0;
  ins.resting = 0;
  const auto flag = symbol_halted.find(symbol);
  ins.halted = flag != symbol_halted.end() && flag->second;
  ins.book.init(pages, p.tick);
  ins.hour_slot = kNil;
  if (hours == 1) {
    if (!free_hour_books.empty()) {
      ins.hour_slot = free_hour_books.back();
      free_hour_books.pop_back();
    } else {
      ins.hour_slot = static_cast<std::uint32_t>(hour_books.size());
      HourBook& hb = hour_books.emplace_back();
      hb.bids.reserve_first_directory();
      hb.asks.reserve_first_directory();
    }
    hour_books[ins.hour_slot].bids.init(pages, p.tick);
    hour_books[ins.hour_slot].asks.init(pages, p.tick);
    products[product].hours.insert(ins.start_hour, id);
  }
  ins.listed = true;
  ins.prev_listed = last_listed;
  ins.next_listed = kNil;
  (last_listed == kNil ? first_listed : instruments[last_listed].next_listed) = id;
  last_listed = id;
  ++listed;
  symbols.insert(hash, id);
  gates.push(id, ins.gate);
  return id;
}

// A free slot, or a new one. Everything sized by the number of slots grows with `instruments`,
// at once, so that only listing more instruments at a time than ever before allocates.
InstrumentId Engine::Impl::take_slot() {
  if (!free_slots.empty()) {
    const InstrumentId id = free_slots.back();
    free_slots.pop_back();
    return id;
  }
  const auto id = static_cast<InstrumentId>(instruments.size());
  if (instruments.size() == instruments.capacity()) {
    const std::size_t n = std::max<std::size_t>(64, 2 * instruments.size());
    instruments.reserve(n);
    free_slots.reserve(n);
    retired_slots.reserve(n);
    emptied.reserve(n);
    gates.reserve(n);
    symbols.reserve(n);
  }
  instruments.emplace_back().book.reserve_first_directory();
  return id;
}

// Forgets a worthless() instrument. Its name stays readable until its slot is reused, which
// recycle_slots() allows from the next public process() call on.
void Engine::Impl::unlist(InstrumentId id) {
  Instrument& ins = instruments[id];
  symbols.erase(SymbolIndex::hash(ins.symbol.view()), id);
  if (gates.contains(id)) gates.erase(id);
  (ins.prev_listed == kNil ? first_listed : instruments[ins.prev_listed].next_listed) = ins.next_listed;
  (ins.next_listed == kNil ? last_listed : instruments[ins.next_listed].prev_listed) = ins.prev_listed;
  ins.listed = false;
  --listed;
  ins.book.clear();
  if (ins.hour_slot != kNil) {
    products[ins.product].hours.erase(ins.start_hour);
    hour_books[ins.hour_slot].bids.clear();
    hour_books[ins.hour_slot].asks.clear();
    free_hour_books.push_back(ins.hour_slot);
    ins.hour_slot = kNil;
  }
  retired_slots.push_back(id);
}

// ---- cancel and replace -----------------------------------------------------------------------

// The account's resting order named by the command (order_id wins over cl_id), or kNil.
std::uint32_t Engine::Impl::lookup(const Command& c, AccountId account) const {
  if (c.has_order_id) {
    const std::uint32_t oi = find_by_id(c.order_id);
    return oi != kNil && pool[oi].account == account ? oi : kNil;
  }
  return find_by_cl_id(account, c.cl_id.view(), hints.cl_id_hash);
}

void Engine::Impl::on_cancel(const Command& c) {
  const AccountId account = account_id(c.account);
  const std::uint32_t oi = lookup(c, account);
  if (oi == kNil)
    return emit_lookup_rejected(EventType::cancel_rejected, c, account, Reason::unknown_order);
  cancel_resting(oi, Reason::user);
}

void Engine::Impl::on_replace(const Command& c) {
  const AccountId account = account_id(c.account);
  auto reject = [&](Reason r) { emit_lookup_rejected(EventType::replace_rejected, c, account, r); };
  if (accounts[account].killed) return reject(Reason::killed);
  const std::uint32_t oi = lookup(c, account);
  if (oi == kNil) return reject(Reason::unknown_order);
  if (pool[oi].divisible) return replace_divisible(c, oi, account);
  Order& o = pool[oi];
  Instrument& ins = instruments[o.instrument];
  const Product& p = catalog.products()[ins.product];
  if (instrument_halted(ins)) return reject(Reason::halted);
  if (!valid_qty(c.qty, p)) return reject(Reason::bad_qty);
  if (!valid_limit_price(c.price, p)) return reject(Reason::bad_price);
  const Price price = c.price.value;
  // The band only binds a price that changes.
  if (price != o.price && !in_band(price, current_band(ins, p))) return reject(Reason::price_band);
  if (o.post_only && ins.book.crosses(o.side, price)) return reject(Reason::post_only);
  if (c.has_new_cl_id && !renamable(oi, account, c.new_cl_id)) return reject(Reason::duplicate_cl_id);
  if (risk_on) flush_commits();
  if (risk_on && !replace_backed(o, price, c.qty))
    return reject(o.side == Side::sell ? Reason::no_capacity : Reason::no_credit);
  if (c.has_new_cl_id) rename(oi, account, c.new_cl_id);

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
    commit_block(o, c.qty - o.open);
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
  if (o.open > 0 && !o.post_only) sweep(oi, o.open, false);
  if (o.open == 0) {
    unindex(oi);
    pool.release(oi);
    return;
  }
  o.shown = o.display ? std::min(o.display, o.open) : o.open;
  rest(oi);
}

// A replace's new_cl_id: false when another of the account's resting orders holds it.
bool Engine::Impl::renamable(std::uint32_t oi, AccountId account, const FixedString<kMaxClIdLen>& cl_id) const {
  const std::uint32_t other = find_by_cl_id(account, cl_id.view());
  return other == kNil || other == oi;
}

// Gives the order a checked (renamable) new cl_id.
void Engine::Impl::rename(std::uint32_t oi, AccountId account, const FixedString<kMaxClIdLen>& cl_id) {
  Order& o = pool[oi];
  by_cl_id.erase(cl_hash(accounts[account].name_hash, o.cl_id.view()), oi);
  o.cl_id = cl_id;
  by_cl_id.insert(cl_hash(accounts[account].name_hash, o.cl_id.view()), oi);
}

// ---- mass cancel, halt, kill, disconnect ------------------------------------------------------

void Engine::Impl::on_mass_cancel(const Command& c) {
  const AccountId account = account_id(c.account);
  InstrumentId only_instrument = kNil;
  std::int32_t only_product = -1;
  if (c.has_instrument) {
    only_instrument = find_instrument(c.instrument.view());
    if (only_instrument == kNil) return;
  } else if (c.has_product) {
    only_product = catalog.find(c.product.view());
    if (only_product < 0) return;
  }
  // One instrument: walk whichever is shorter, the account's orders or the instrument's.
  // (Divisible orders rest in no window book: the walk would miss them.)
  const Instrument* only = c.has_instrument ? &instruments[only_instrument] : nullptr;
  if (only && only->resting == only->blocks && only->resting < accounts[account].resting) {
    closing.clear();
    collect_orders(only_instrument, [&](const Order& o) { return o.account == account; });
    sort_closing_by_id();
    for (const std::uint32_t oi : closing) cancel_resting(oi, Reason::mass);
    return;
  }
  cancel_all(account, Reason::mass, [&](const Order& o) {
    return c.has_instrument ? o.instrument == only_instrument
           : c.has_product  ? static_cast<std::int32_t>(instruments[o.instrument].product) == only_product
                            : true;
  });
}

void Engine::Impl::on_halt(const Command& c, bool halt) {
  Event& e = emit(halt ? EventType::halted : EventType::resumed, now);
  e.target_is_instrument = c.has_instrument;
  e.target = c.has_instrument ? c.instrument : c.product;
  if (c.has_instrument) {
    const std::string_view s = c.instrument.view();
    if (auto it = symbol_halted.find(s); it != symbol_halted.end()) it->second = halt;
    else if (halt) symbol_halted.emplace(s, true);
    const InstrumentId id = find_instrument(s);
    if (id != kNil) instruments[id].halted = halt;
    // A one-hour symbol halts an hour of its product's hour books too.
    Symbol sym;
    if (parse_symbol(s, sym) && sym.hours == 1) {
      const std::int32_t pid = catalog.find(sym.product);
      if (pid >= 0) {
        auto& hours = products[static_cast<std::size_t>(pid)].halted_hours;
        if (halt) hours.insert(sym.start_hour);
        else hours.erase(sym.start_hour);
      }
    }
  } else {
    const std::int32_t pid = catalog.find(c.product.view());
    if (pid >= 0) product_halted[static_cast<std::size_t>(pid)] = halt;
  }
}

void Engine::Impl::on_kill(const Command& c, bool kill) {
  const AccountId account = account_id(c.account);
  accounts[account].killed = kill;
  Event& e = emit(kill ? EventType::killed : EventType::unkilled, now);
  e.account = account;
  if (!kill) return;
  cancel_all(account, Reason::kill, [](const Order&) { return true; });
}

// Per-session cancel-on-disconnect (journal version 4): the gateway's disconnect names the
// session (the connection) that ended, and only the account's orders that session entered are
// canceled. Older journals' and order logs' disconnects cancel every order of the account, as
// they did when an account had one session.
void Engine::Impl::on_disconnect(const Command& c) {
  if (!c.per_session) {
    cancel_all(account_id(c.account), Reason::disconnect, [](const Order&) { return true; });
    return;
  }
  const std::uint32_t tag = c.session + 1;
  cancel_all(account_id(c.account), Reason::disconnect,
             [&](const Order& o) { return order_session[static_cast<std::size_t>(&o - &pool[0])] == tag; });
}

// Connection ids are reused (and restart at 0 after a restart or a failover), so a session's
// first command clears the tag from the account's orders that an earlier holder of the same
// connection entered: those are nobody's now, and this session's disconnect must not cancel them.
void Engine::Impl::forget_session(const Command& c) {
  const std::uint32_t id = account_names.find(c.account.view());
  if (id == kNil || id >= accounts.size()) return;
  const std::uint32_t tag = c.session + 1;
  for (std::uint32_t oi = accounts[id].head; oi != kNil; oi = pool[oi].account_next)
    if (order_session[oi] == tag) order_session[oi] = 0;
}

}  // namespace gpux
