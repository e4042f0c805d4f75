// Catalog files: a JSON document listing products (format in docs/catalog.md).
#pragma once

#include <string>
#include <string_view>

#include "engine/catalog.hpp"

namespace gpux {

// Parses a catalog document. On failure returns false and says why in `error`.
bool parse_catalog(std::string_view json, Catalog& out, std::string& error);

}  // namespace gpux
