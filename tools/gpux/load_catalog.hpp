// The --catalog option shared by the tools that run the engine.
#pragma once

#include <string>
#include <string_view>

#include "engine/catalog.hpp"

namespace gpux {

// The catalog file at `path`, or the built-in catalog when `path` is empty. False after naming
// the problem on stderr as "gpux TOOL: ...".
bool load_catalog(const std::string& path, std::string_view tool, Catalog& out);

}  // namespace gpux
