// L2 market data: one update per price level a command changed, with the level's final state.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/types.hpp"

namespace gpux {

struct LevelUpdate {
  Seq seq;
  InstrumentId instrument;
  Side side;
  bool hours;           // the instrument's hour book (a one-hour symbol's slices), not its window book
  Price price;
  Qty qty;              // shown quantity at the level (iceberg clips, not hidden quantity)
  std::uint32_t orders; // 0 when the level is gone
};

// Reserved up front and reused; the engine appends, the consumer clears.
using DepthBuffer = std::vector<LevelUpdate>;

// Which of an instrument's two books: blocks rest in their window's book; a one-hour symbol
// P@h+1h also names hour h's hour book, where divisible orders' slices rest (docs/hours.md).
enum class BookKind : std::uint8_t { window, hours };

struct LevelView {
  Price price;
  Qty qty;
  std::uint32_t orders;
};

}  // namespace gpux
