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
  Price price;
  Qty qty;              // shown quantity at the level (iceberg clips, not hidden quantity)
  std::uint32_t orders; // 0 when the level is gone
};

// Reserved up front and reused; the engine appends, the consumer clears.
using DepthBuffer = std::vector<LevelUpdate>;

struct LevelView {
  Price price;
  Qty qty;
  std::uint32_t orders;
};

}  // namespace gpux
