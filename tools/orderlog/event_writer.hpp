// Encodes events as JSON Lines (docs/events.md).
#pragma once

#include <string>

#include "engine/engine.hpp"
#include "engine/event.hpp"

namespace gpux {

// Appends one event as a JSON object and a newline. Names come from the engine.
void write_event(const Event& e, const Engine& names, std::string& out);

// Appends `s` as a JSON string literal (quoted and escaped).
void write_json_string(std::string_view s, std::string& out);

// Appends an integer in decimal, and an amount of money in $0.0001 as dollars with 4 decimals
// ("-12.5000"), unquoted: for JSON and CSV writers alike.
void append_int(std::int64_t v, std::string& out);
void append_money(I128 units, std::string& out);

}  // namespace gpux
