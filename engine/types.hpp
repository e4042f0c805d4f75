// Domain vocabulary shared by the engine, the codecs and the tests.
#pragma once

#include <cstdint>
#include <string_view>

namespace gpux {

using Price = std::int64_t;  // units of $0.0001 per GPU-hour
using Qty = std::int64_t;    // GPUs
using Ts = std::int64_t;     // ns since the Unix epoch, UTC
using Seq = std::int64_t;
using OrderId = std::int64_t;  // the seq of the accepted `new`
using AccountId = std::uint32_t;
using InstrumentId = std::uint32_t;
using ProductId = std::uint32_t;
__extension__ using I128 = __int128;  // products of prices, quantities and ns that overflow int64
__extension__ using U128 = unsigned __int128;

constexpr std::int64_t kNsPerMinute = 60'000'000'000;
constexpr std::int64_t kNsPerHour = 60 * kNsPerMinute;

enum class Side : std::uint8_t { buy, sell };
enum class OrderType : std::uint8_t { limit, market };
enum class Tif : std::uint8_t { gtc, gtd, ioc, fok };
enum class Stp : std::uint8_t { cancel_resting, cancel_aggressor, cancel_both };

enum class CommandType : std::uint8_t {
  new_order,
  cancel,
  replace,
  mass_cancel,
  halt,
  resume,
  kill,
  unkill,
  clock,
  // The gateway's cancel-on-disconnect for a session that asked for it: cancels the account's
  // resting orders with reason `disconnect`. Not a market command of docs/rules.md; gpux's logs
  // carry it as a documented extension (docs/order-log.md), so journals dump and replay faithfully.
  disconnect,
  // SPEC §7, operator commands of the ledger (docs/ledger.md)
  risk,
  deposit,
  withdraw,
  fund,
};

// Every reason an event can carry; one enum keeps the wire codes stable.
enum class Reason : std::uint8_t {
  killed,
  unknown_instrument,
  bad_window,
  window_closed,
  window_too_far,
  halted,
  bad_qty,
  bad_price,
  price_band,
  bad_tif,
  bad_min_qty,
  bad_display_qty,
  duplicate_cl_id,
  post_only,
  unknown_order,
  // cancel / expiry reasons
  user,
  ioc,
  fok,
  min_qty,
  stp,
  mass,
  kill,
  disconnect,
  gtd,
  gate_closed,
  // the pool of resting orders is full: an operational limit, not a market rule (docs/rules.md,
  // "Where the spec is silent" 9)
  capacity,
  // SPEC §7 (docs/ledger.md)
  no_capacity,
  no_credit,
  bad_amount,
};

constexpr Side opposite(Side s) { return s == Side::buy ? Side::sell : Side::buy; }

std::string_view to_string(Side);
std::string_view to_string(OrderType);
std::string_view to_string(Tif);
std::string_view to_string(Stp);
std::string_view to_string(Reason);
std::string_view to_string(CommandType);

}  // namespace gpux
