// The `hours` workload of `gpux-bench engine` (bench/README.md "hours"): one product over a
// 720-hour horizon, owners resting divisible sells across it, labs buying blocks that sweep the
// hour books. Generated before any timing, like the v1 streams of bench/workloads.hpp.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bench/workloads.hpp"

namespace gpux::bench {

// What each command is, for latency by kind; the order is the report's.
enum class HoursKind : std::uint8_t {
  prefill_owner,        // untimed: an owner's first divisible sell
  prefill_lab,          // untimed: a lab's first resting order
  block_ioc,            // lab block buy, ioc
  block_gtc,            // lab block buy, gtc (rests in its window book: a standing block)
  block_fok,            // lab block buy, fok
  block_min_qty,        // lab block buy, ioc with min_qty
  probe_block720,       // lab block buy over the whole horizon, ioc (a dedicated probe)
  div_buy_ioc,          // lab divisible buy, ioc
  div_buy_gtc,          // lab divisible buy, gtc
  owner_post,           // owner divisible gtc sell, 24-720 h
  owner_repost_cancel,  // owner cancels what is left of a consumed order before re-posting
  owner_cancel,         // owner cancels its order (re-posts later)
  owner_replace_price,  // owner moves its order's price (slices lose priority, refill to qty)
  owner_replace_down,   // owner lowers its slices' quantity at the same price (keeps priority)
  probe_div720,         // divisible gtc sell over the whole horizon (a dedicated probe)
  probe_div720_cancel,  // cancel of that probe
  lab_cancel_block,     // lab cancels a standing block
  lab_cancel_div,       // lab cancels a resting divisible buy
  lab_replace_block,    // lab raises a standing block's price (loses priority: sweeps again)
  clock,                // time passes
  ledger,               // untimed, only with HoursLedger::on: a deposit, a fund or `risk on`
  count_
};

const char* to_string(HoursKind);
inline bool is_block_new(HoursKind k) {
  return k == HoursKind::block_ioc || k == HoursKind::block_gtc || k == HoursKind::block_fok ||
         k == HoursKind::block_min_qty || k == HoursKind::probe_block720;
}

struct HoursWorkload {
  Workload w;  // commands, untimed prefix, expected events, mix, book shape
  // Per command, parallel to w.cmds: its kind, and the hours it covers (a new order's window;
  // a cancel's or replace's order's window; 0 for a clock).
  std::vector<HoursKind> kind;
  std::vector<std::uint16_t> hours;
  std::string product;      // "H100.MEM1"
  std::int64_t first_hour;  // hours since the epoch of the horizon's first hour
  std::int64_t horizon;     // 720
  std::uint32_t max_slices;  // EngineConfig::max_slices of every engine that runs it
};

// The ledger prefix of `gpux-bench ledger` (SPEC §7, docs/ledger.md): when on, the untimed
// prefix begins with a deposit of `qty` GPUs over the whole horizon and a fund of `cash`
// ($0.0001) for every account of the workload, then `risk on`, so that every later `new` and
// `replace` is checked. The commands after it are the same as without it (only their seqs,
// and so the order ids, move by the prefix's length); the amounts must be enough that no check
// refuses anything. Off (the default), the workload is exactly the one `gpux-bench engine
// --workload hours` has always run.
struct HoursLedger {
  bool on = false;
  Qty qty = 0;             // per deposit; a lot multiple, at most the product's max_qty
  int deposits = 1;        // deposits of qty per account
  std::int64_t cash = 0;   // per fund, $0.0001
};

// n measured commands after a prefill (200 owners' orders and a few lab orders) and `warmup`
// commands of the regular mix, both untimed.
HoursWorkload make_hours(std::size_t n, std::size_t warmup, std::uint64_t seed, const HoursLedger& ledger = {});

}  // namespace gpux::bench
