#include "tools/gpux/load_catalog.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "tools/orderlog/catalog_file.hpp"

namespace gpux {

bool load_catalog(const std::string& path, std::string_view tool, Catalog& out) {
  if (path.empty()) {
    out = Catalog::builtin();
    return true;
  }
  const int width = static_cast<int>(tool.size());
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "gpux %.*s: cannot read catalog %s: %s\n", width, tool.data(), path.c_str(),
                 std::strerror(errno));
    return false;
  }
  std::stringstream text;
  text << in.rdbuf();
  std::string error;
  if (!parse_catalog(text.str(), out, error)) {
    std::fprintf(stderr, "gpux %.*s: catalog %s: %s\n", width, tool.data(), path.c_str(), error.c_str());
    return false;
  }
  return true;
}

}  // namespace gpux
