// The figures a run produces, in insertion order, printed either as human lines
// ("<workload>  <figure>  <value>  <note>") or as one JSON object keyed by figure name.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace gpux::bench {

// An offered rate as people say it: "50k", "1M", "1234".
inline std::string rate_label(double rate) {
  char buf[32];
  if (rate >= 1e6 && static_cast<std::int64_t>(rate) % 1'000'000 == 0)
    std::snprintf(buf, sizeof buf, "%lldM", static_cast<long long>(rate / 1e6));
  else if (rate >= 1e3 && static_cast<std::int64_t>(rate) % 1'000 == 0)
    std::snprintf(buf, sizeof buf, "%lldk", static_cast<long long>(rate / 1e3));
  else
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(rate));
  return buf;
}

class Report {
 public:
  void integer(std::string key, std::int64_t v, std::string note = {}) {
    Entry e{std::move(key), Kind::integer};
    e.i = v;
    e.note = std::move(note);
    entries_.push_back(std::move(e));
  }
  void number(std::string key, double v, std::string note = {}) {
    Entry e{std::move(key), Kind::number};
    e.d = v;
    e.note = std::move(note);
    entries_.push_back(std::move(e));
  }
  void text(std::string key, std::string v) {
    Entry e{std::move(key), Kind::text};
    e.s = std::move(v);
    entries_.push_back(std::move(e));
  }
  Report& child(std::string key) {
    Entry e{std::move(key), Kind::object};
    e.obj = std::make_unique<Report>();
    entries_.push_back(std::move(e));
    return *entries_.back().obj;
  }
  bool empty() const { return entries_.empty(); }

  // What every mode ends with: one JSON object, or the human lines.
  void print(std::FILE* out, bool json) const {
    if (json) {
      print_json(out);
      std::fputc('\n', out);
    } else {
      print_human(out, "");
    }
  }

  void print_human(std::FILE* out, const std::string& prefix) const {
    for (const auto& e : entries_) {
      std::string name = prefix.empty() ? e.key : prefix + "." + e.key;
      switch (e.kind) {
        case Kind::integer:
          std::fprintf(out, "%-48s %16s", name.c_str(), group(e.i).c_str());
          break;
        case Kind::number:
          std::fprintf(out, "%-48s %16s", name.c_str(), fmt_num(e.d).c_str());
          break;
        case Kind::text:
          std::fprintf(out, "%-48s %16s", name.c_str(), e.s.c_str());
          break;
        case Kind::object:
          e.obj->print_human(out, name);
          continue;
      }
      if (!e.note.empty()) std::fprintf(out, "  %s", e.note.c_str());
      std::fputc('\n', out);
    }
  }

  void print_json(std::FILE* out, int indent = 0) const {
    std::string pad(static_cast<std::size_t>(indent + 2), ' ');
    std::fputs("{\n", out);
    for (std::size_t k = 0; k < entries_.size(); ++k) {
      const auto& e = entries_[k];
      std::fprintf(out, "%s\"%s\": ", pad.c_str(), escape(e.key).c_str());
      switch (e.kind) {
        case Kind::integer:
          std::fprintf(out, "%lld", static_cast<long long>(e.i));
          break;
        case Kind::number:
          if (std::isfinite(e.d))
            std::fprintf(out, "%.1f", e.d);
          else
            std::fputs("null", out);
          break;
        case Kind::text:
          std::fprintf(out, "\"%s\"", escape(e.s).c_str());
          break;
        case Kind::object:
          e.obj->print_json(out, indent + 2);
          break;
      }
      std::fputs(k + 1 < entries_.size() ? ",\n" : "\n", out);
    }
    std::fprintf(out, "%s}", std::string(static_cast<std::size_t>(indent), ' ').c_str());
  }

 private:
  enum class Kind { integer, number, text, object };
  struct Entry {
    std::string key;
    Kind kind;
    std::int64_t i = 0;
    double d = 0;
    std::string s;
    std::string note;
    std::unique_ptr<Report> obj;
  };

  static std::string group(std::int64_t v) {
    std::string digits = std::to_string(v < 0 ? -v : v), out;
    for (std::size_t k = 0; k < digits.size(); ++k) {
      if (k && (digits.size() - k) % 3 == 0) out += ',';
      out += digits[k];
    }
    return v < 0 ? "-" + out : out;
  }
  static std::string fmt_num(double d) {
    char buf[64];
    if (std::fabs(d) >= 1e6) return group(static_cast<std::int64_t>(std::llround(d)));
    std::snprintf(buf, sizeof buf, "%.1f", d);
    return buf;
  }
  static std::string escape(const std::string& s) {
    std::string out;
    for (char c : s) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    return out;
  }

  std::vector<Entry> entries_;
};

}  // namespace gpux::bench
