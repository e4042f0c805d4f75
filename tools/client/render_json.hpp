// Server messages as JSON, one object per message: what `gpux` prints with --json, and what the
// client tests read back. The text for people is beside it, in render_text.hpp.
#pragma once

#include <string>
#include <string_view>

#include "schemas/gpux_generated.h"

namespace gpux::client {

// A server frame as one JSON object: "type" is the message name in snake_case, prices are
// strings with 4 decimals and the other fields keep their schema names, as `gpux replay` does.
std::string to_json(const wire::Envelope& env);

// `text` as a JSON string, quotes included, appended to `out`: `"` and `\` escaped, control
// characters as \u00XX. The web view's JSON uses it too.
void append_json_string(std::string& out, std::string_view text);

// "login_accepted", "book_update", ...: the schema's message name in snake_case.
std::string message_name(wire::Body type);

// The account an execution report is for; nullptr for any other message. Both renderers use it,
// so the text names the account wherever the JSON does.
const flatbuffers::String* report_account(const wire::Envelope& env);

}  // namespace gpux::client
