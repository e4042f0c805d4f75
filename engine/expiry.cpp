// Time: gtd expiries and gate closures (docs/rules.md "Expiry and gate closure"). Time moves
// only with commands; execute() runs this before each command's own work.
#include <algorithm>
#include <cstdint>

#include "engine/engine_impl.hpp"

namespace gpux {

Reason Engine::Impl::expiry_reason(const Order& o) const {
  return o.tif == Tif::gtd && o.expire_ts < instruments[o.instrument].gate ? Reason::gtd
                                                                           : Reason::gate_closed;
}

// Everything due at or before T goes, in ascending (deadline, order_id).
void Engine::Impl::run_expiries(Ts t) {
  for (;;) {
    const Ts g = gates.empty() ? kNever : gates.top_gate();
    const Ts e = gtd.empty() ? kNever : gtd.top_deadline();
    if (gates.empty() && gtd.empty()) return;
    if (std::min(g, e) > t) return;
    if (e < g) {
      const std::uint32_t oi = gtd.top();
      if (pool[oi].divisible) {
        gtd.erase(oi);  // every slice left expires now: the earlier hours' gates have closed
        expire_slices(oi, e);
      } else {
        retire(oi, EventType::expired, Reason::gtd, e);
      }
      continue;
    }
    // Gate closure at g: every order of the closing instruments (blocks in their window books,
    // divisible orders with a slice in their hour books), and any gtd order elsewhere whose
    // expire_ts is exactly g, leave together in order_id order.
    closing.clear();
    while (!gates.empty() && gates.top_gate() == g) {
      const InstrumentId id = gates.top();
      gates.erase(id);
      collect_orders(id, [](const Order&) { return true; });
      if (instruments[id].hour_slot != kNil) {
        for (Side s : {Side::buy, Side::sell}) {
          const Book& hours = hours_of(id, s);
          for (std::int64_t li = hours.best(s); li >= 0; li = hours.next_behind(s, li))
            for (std::uint32_t si = hours.at(li).head; si != kNil; si = slices[si].next)
              closing.push_back(slices[si].order);
        }
      }
      mark_emptied(id);  // unlisted at the end of the command
    }
    while (!gtd.empty() && gtd.top_deadline() == g) {
      const std::uint32_t oi = gtd.top();
      gtd.erase(oi);
      closing.push_back(oi);
    }
    sort_closing_by_id();
    // A divisible order can be here twice: by a closing hour and by its expire_ts.
    closing.erase(std::unique(closing.begin(), closing.end()), closing.end());
    for (const std::uint32_t oi : closing) {
      if (pool[oi].divisible) {
        expire_slices(oi, g);
        continue;
      }
      const Reason r = expiry_reason(pool[oi]);
      retire(oi, EventType::expired, r, g);
    }
  }
}

}  // namespace gpux
