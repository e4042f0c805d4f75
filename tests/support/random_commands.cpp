#include "tests/support/random_commands.hpp"

#include <cstdio>
#include <random>
#include <string>

#include "engine/symbol.hpp"

namespace gpux {

std::vector<Command> random_commands(std::size_t n, std::uint32_t seed, Seq first_seq, Ts& ts,
                                     bool fresh_windows) {
  std::mt19937_64 rng(seed);
  // Fresh windows: 8 at a time, each H100.MEM1 starting 1 to 3 hours ahead. One in 16 orders on
  // them first swaps its window for a new one, so a window sees about 16 orders (enough to
  // trade, often), and every one closes within 3 hours of simulated time.
  std::string fresh[8];
  auto new_window = [&] {
    const std::int64_t hour = ts / kNsPerHour + 1 + static_cast<std::int64_t>(rng() % 3);
    return format_symbol("H100.MEM1", hour, 1 + static_cast<std::int64_t>(rng() % 1000));
  };
  if (fresh_windows)
    for (std::string& w : fresh) w = new_window();
  const char* instruments[] = {"H100.MEM1@2026-12-01T00Z+24h", "H100.MEM1@2026-12-02T00Z+24h",
                               "GB200.MEM1@2027-01-01T00Z+720h"};
  const char* accounts[] = {"lab-a", "lab-b", "cloud-c", "cloud-d"};
  std::vector<Command> out;
  out.reserve(n + n / 50);
  auto price_near = [&](Price mid) { return PriceField{true, true, mid + (static_cast<Price>(rng() % 201) - 100) * 10}; };
  for (std::size_t i = 0; i < n; ++i) {
    ts += static_cast<Ts>(rng() % 1000);
    if (fresh_windows && rng() % 500 == 0) {
      ts += 60'000'000'000;
      out.push_back(make_command(CommandType::clock, 0, ts));
    }
    const unsigned pick = rng() % 100;
    const unsigned inst = rng() % 3;
    const bool gb = inst == 2;
    const Qty lot = gb ? 72 : 8;
    const Price mid = gb ? 45000 : 21000;
    char cl[16];
    std::snprintf(cl, sizeof cl, "c%u", static_cast<unsigned>(rng() % 4000));
    Command c = make_command(CommandType::new_order, 0, ts);
    c.account.assign(accounts[rng() % 4]);
    if (pick < 55) {
      c.cl_id.assign(cl);
      c.instrument.assign(instruments[inst]);
      bool on_fresh = false;
      if (fresh_windows && !gb && rng() % 4 == 0) {
        std::string& w = fresh[rng() % 8];
        if (rng() % 16 == 0) w = new_window();
        c.instrument.assign(w);
        on_fresh = true;
      }
      c.side = rng() % 2 ? Side::buy : Side::sell;
      c.price = price_near(mid);
      c.qty = lot * static_cast<Qty>(1 + rng() % 20);
      const unsigned kind = rng() % 10;
      if (kind == 0) c.tif = Tif::ioc, c.has_tif = true;
      if (kind == 1) c.tif = Tif::gtd, c.has_tif = true, c.has_expire_ts = true, c.expire_ts = ts + 500'000;
      if (kind == 2 && c.qty > lot) c.has_display_qty = true, c.display_qty = lot;
      if (kind == 3) c.has_min_qty = true, c.min_qty = lot;
      if (kind == 4) c.tif = Tif::fok, c.has_tif = true;
      c.stp = static_cast<Stp>(rng() % 3);
      // A third of the fresh windows' orders are divisible (docs/hours.md): their slices fill
      // hour books that the blocks of other fresh windows sweep, on arrival and standing.
      if (on_fresh && kind > 4 && rng() % 3 == 0) c.divisible = true;
    } else if (pick < 75) {
      c.type = CommandType::cancel;
      c.has_cl_id = true;
      c.cl_id.assign(cl);
    } else if (pick < 97) {
      c.type = CommandType::replace;
      c.has_cl_id = true;
      c.cl_id.assign(cl);
      c.price = price_near(mid);
      c.qty = lot * static_cast<Qty>(1 + rng() % 20);
    } else if (pick < 98) {
      c.type = CommandType::mass_cancel;
    } else if (pick < 99) {
      c.type = CommandType::halt;
      c.has_instrument = true;
      c.instrument.assign(instruments[inst]);
      out.push_back(c);
      c.type = CommandType::resume;
    } else if (fresh_windows) {
      // The ledger (docs/ledger.md): the clouds' capacity over the fresh windows' hours, the
      // labs' cash, both sometimes taken back, and risk checks switched on and off, so that
      // orders are refused, commit and release capacity and cash, and labs resell what they
      // bought.
      const unsigned what = rng() % 20;
      const bool cloud = rng() % 4 != 0;
      c.account.assign(accounts[cloud ? 2 + rng() % 2 : rng() % 2]);
      if (what < 8 || (what < 11 && cloud)) {
        c.type = what < 8 ? CommandType::deposit : CommandType::withdraw;
        c.has_instrument = true;
        c.instrument.assign(format_symbol("H100.MEM1", ts / kNsPerHour, 1 + static_cast<std::int64_t>(rng() % 1200)));
        c.qty = 8 * static_cast<Qty>(1 + rng() % 40);
      } else if (what < 17) {
        c.type = CommandType::fund;
        const std::string amount = std::to_string(what == 16 ? -static_cast<long long>(rng() % 50000)
                                                              : static_cast<long long>(rng() % 5'000'000));
        c.amount_text.assign(amount);
        c.amount.valid = true;
        c.amount.value = std::stoll(amount) * 10000;
      } else {
        c.type = CommandType::risk;
        c.risk_on = what != 19;
      }
    } else {
      c.type = CommandType::clock;
    }
    out.push_back(c);
  }
  for (std::size_t i = 0; i < out.size(); ++i) out[i].seq = first_seq + static_cast<Seq>(i);
  return out;
}

}  // namespace gpux
