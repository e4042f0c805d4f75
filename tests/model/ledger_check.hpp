// SPEC §7 in the differential test: an engine's ledger (Engine::balance, Engine::holdings over all
// time and in windows, Engine::risk_checks) against the model's literal one, for every account
// either has seen and every product of the catalog. Not part of the model: the model itself
// shares nothing with the engine; this only reads both from outside.
#pragma once

#include <cstdint>
#include <string>

#include "engine/engine.hpp"
#include "tests/model/model.hpp"

namespace gpux::model {

// What differs, one line per account and product (empty when they agree). `salt` picks the
// windows looked at: around a held hour, over the edges of runs, and long ones.
std::string ledger_diff(const Model& model, const Engine& engine, std::uint64_t salt);

}  // namespace gpux::model
