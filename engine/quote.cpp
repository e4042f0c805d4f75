// Quotes (docs/hours.md "Quotes"): what a block would fill and cost if it arrived now as an
// ioc order, read from the books without changing them. It runs between commands, on the
// matching thread, like any other read of the books: its cost is a sweep's sizing and
// taking, without the trades.
#include <algorithm>
#include <cstdint>

#include "engine/engine_impl.hpp"
#include "engine/symbol.hpp"

namespace gpux {

Quote Engine::Impl::quote(const QuoteRequest& req) const {
  Quote q{};
  auto refuse = [&](Reason r) {
    q.reason = r;
    return q;
  };
  Symbol sym;
  std::int32_t pid;
  Reason why;
  if (resolve_symbol(catalog, req.instrument, sym, pid, why) != nullptr) return refuse(why);
  const Product& p = catalog.products()[static_cast<std::size_t>(pid)];
  const auto product = static_cast<ProductId>(pid);
  const I128 start = I128{sym.start_hour} * kNsPerHour;
  if (gate_of(start, p) <= now) return refuse(Reason::window_closed);
  if (start > I128{now} + I128{p.horizon_hours} * kNsPerHour) return refuse(Reason::window_too_far);
  const InstrumentId listed = find_instrument(req.instrument);
  const Instrument* ins = listed == kNil ? nullptr : &instruments[listed];
  const auto flag = symbol_halted.find(req.instrument);
  if (product_halted[product] || (flag != symbol_halted.end() && flag->second)) return refuse(Reason::halted);
  if (!valid_qty(req.qty, p)) return refuse(Reason::bad_qty);
  const Price ref = ins && ins->last_trade ? ins->last_trade : p.ref_price;
  const Band band = band_of(ref, p);
  Price limit = req.side == Side::buy ? band.upper : band.lower;
  if (req.limit != 0) {
    if (req.limit < 0 || req.limit % p.tick != 0) return refuse(Reason::bad_price);
    if (!in_band(req.limit, band)) return refuse(Reason::price_band);
    limit = req.limit;
  }
  const std::uint32_t found = account_names.find(req.account);
  const AccountId account = found == NameTable::npos ? kNil : found;

  q.ok = true;
  q.limit = limit;
  q.hours = sym.hours;
  const Side contra = opposite(req.side);
  auto crosses = [&](Price lp) { return req.side == Side::buy ? lp <= limit : lp >= limit; };
  auto fill = [&](Price price, Qty qty, std::int64_t hours) {
    q.notional += I128{price} * qty * hours;
    if (q.best == 0) q.best = price;
    q.worst = price;
  };
  // The window book: an incoming ioc trades every crossing order's whole open quantity (an
  // iceberg refills behind the same level), passing over its own account's.
  if (ins) {
    const Book& book = ins->book;
    for (std::int64_t li = book.best(contra); li >= 0 && q.window_qty < req.qty; li = book.next_behind(contra, li)) {
      const Price lp = book.price_at(li);
      if (!crosses(lp)) break;
      Qty at_level = 0;
      for (std::uint32_t oi = book.at(li).head; oi != kNil; oi = pool[oi].next)
        if (pool[oi].account != account) at_level += pool[oi].open;
      const Qty t = std::min(at_level, req.qty - q.window_qty);
      if (t > 0) fill(lp, t, sym.hours);
      q.window_qty += t;
    }
  }
  // Then the sweep, hour by hour, best slices first.
  q.sweep_qty = sweep_size(product, sym.start_hour, sym.hours, contra, limit, account, req.qty - q.window_qty);
  if (q.sweep_qty > 0) {
    Price best = 0;
    for (std::int64_t h = sym.start_hour; h < sym.start_hour + sym.hours; ++h) {
      const Book& book = hours_of(hour_book(product, h), contra);
      Qty need = q.sweep_qty;
      for (std::int64_t li = book.best(contra); li >= 0 && need > 0; li = book.next_behind(contra, li)) {
        const Price lp = book.price_at(li);
        Qty t = 0;
        for (std::uint32_t si = book.at(li).head; si != kNil && t < need; si = slices[si].next)
          if (pool[slices[si].order].account != account) t += slices[si].open;
        t = std::min(t, need);
        need -= t;
        q.notional += I128{lp} * t;
        if (best == 0 || (req.side == Side::buy ? lp < best : lp > best)) best = lp;
        if (q.worst == 0 || (req.side == Side::buy ? lp > q.worst : lp < q.worst)) q.worst = lp;
      }
    }
    if (q.best == 0 || (req.side == Side::buy ? best < q.best : best > q.best)) q.best = best;
  }
  q.fill_qty = q.window_qty + q.sweep_qty;
  return q;
}

Quote Engine::quote(const QuoteRequest& req) const { return impl_->quote(req); }

}  // namespace gpux
