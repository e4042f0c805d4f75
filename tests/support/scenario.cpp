#include "tests/support/scenario.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <sstream>

#include "tools/orderlog/event_writer.hpp"

namespace gpux::test {

namespace {

bool is_blank(std::string_view line) {
  return std::all_of(line.begin(), line.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

// Reads an optional "+digits" / "-digits" after a time shorthand.
std::int64_t offset_at(std::string_view text, std::size_t& i) {
  if (i >= text.size() || (text[i] != '+' && text[i] != '-')) return 0;
  const bool minus = text[i] == '-';
  std::size_t j = i + 1;
  std::int64_t v = 0;
  bool any = false;
  while (j < text.size() && text[j] >= '0' && text[j] <= '9') {
    v = v * 10 + (text[j] - '0');
    ++j;
    any = true;
  }
  if (!any) return 0;
  i = j;
  return minus ? -v : v;
}

}  // namespace

std::string expand(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 64);
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] != '$' || i + 1 >= text.size()) {
      out += text[i++];
      continue;
    }
    const char k = text[i + 1];
    i += 2;
    switch (k) {
      case 'T': out += std::to_string(kT + offset_at(text, i)); break;
      case 'G': out += std::to_string(kGateW + offset_at(text, i)); break;
      case 'I': out += kI; break;
      case 'J': out += kJ; break;
      case 'K': out += kK; break;
      case 'W': out += kW; break;
      case 'X': out += kX; break;
      case 'H': {
        // $HHH+N: N hours of H100.MEM1 on 2026-12-01 from HH:00Z
        std::size_t k = i + 3;
        while (k < text.size() && text[k] >= '0' && text[k] <= '9') ++k;
        if (i + 3 < k && text[i + 2] == '+') {
          out += "H100.MEM1@2026-12-01T";
          out += text.substr(i, 2);
          out += "Z+";
          out += text.substr(i + 3, k - (i + 3));
          out += 'h';
          i = k;
          break;
        }
        out += "$H";
        break;
      }
      default:
        out += '$';
        out += k;
    }
  }
  return out;
}

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    lines.emplace_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

std::string new_line(std::string_view fragment) {
  std::string s = R"({"type":"new","ts":$T,"account":"A","cl_id":"c1",)";
  s += fragment;
  s += '}';
  return s;
}

Scenario::Scenario(Catalog catalog, EngineConfig config)
    : replayer_(std::make_unique<Replayer>(std::move(catalog), config)) {}

RunResult Scenario::run_raw(const std::vector<std::string>& lines) {
  RunResult result;
  for (std::size_t n = 0; n < lines.size(); ++n) {
    const std::string& line = lines[n];
    std::string out;
    const bool ok = replayer_->line(line, out);
    if (!ok) {
      result.error_line = n + 1;
      result.error = replayer_->error();
      if (!out.empty()) FAIL_CHECK("line " << n + 1 << " is an input error but printed:\n" << out);
      break;
    }
    if (!is_blank(line)) {
      // Track the seq -> ts map for expected events without "ts".
      json cmd = json::parse(line, nullptr, false);
      if (cmd.is_object()) {
        std::uint64_t seq = last_seq_ + 1;
        if (cmd.contains("seq") && cmd["seq"].is_number_integer()) seq = cmd["seq"].get<std::uint64_t>();
        last_seq_ = seq;
        if (cmd.contains("ts") && cmd["ts"].is_number_integer()) seq_ts_[seq] = cmd["ts"].get<std::int64_t>();
      }
    } else if (!out.empty()) {
      FAIL_CHECK("blank line " << n + 1 << " printed:\n" << out);
    }
    for (const std::string& ev : split_lines(out)) {
      json j = json::parse(ev, nullptr, false);
      if (j.is_discarded() || !j.is_object()) {
        FAIL_CHECK("line " << n + 1 << " printed something that is not a JSON object: " << ev);
        continue;
      }
      result.events.push_back(std::move(j));
    }
  }
  return result;
}

RunResult Scenario::run(std::string_view log) { return run_raw(split_lines(expand(log))); }

std::vector<json> Scenario::feed(std::string_view log) {
  RunResult r = run(log);
  if (r.error_line != 0) {
    const auto lines = split_lines(expand(log));
    FAIL_CHECK("unexpected input error on line " << r.error_line << ": " << r.error << "\n  line: "
                                                 << lines[r.error_line - 1]);
  }
  return std::move(r.events);
}

void Scenario::setup(std::string_view log) {
  for (const json& e : feed(log)) {
    const std::string type = e.value("type", "");
    if (type == "rejected" || type == "cancel_rejected" || type == "replace_rejected")
      FAIL_CHECK("setup produced a rejection: " << e.dump());
  }
}

std::vector<json> Scenario::parse_expected(std::string_view expected) {
  std::vector<json> events;
  for (const std::string& line : split_lines(expand(expected))) {
    if (is_blank(line)) continue;
    json j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      FAIL_CHECK("expected event is not a JSON object (test bug): " << line);
      continue;
    }
    if (!j.contains("ts")) {
      if (j.value("type", "") == "expired") {
        FAIL_CHECK("expected expired event needs an explicit ts (test bug): " << line);
      } else if (j.contains("seq") && j["seq"].is_number_integer()) {
        auto it = seq_ts_.find(j["seq"].get<std::uint64_t>());
        if (it == seq_ts_.end())
          FAIL_CHECK("expected event's seq is not a command's (test bug): " << line);
        else
          j["ts"] = it->second;
      }
    }
    events.push_back(std::move(j));
  }
  return events;
}

bool Scenario::expect(std::string_view log, std::string_view expected) {
  const std::vector<json> actual = feed(log);
  const std::vector<json> want = parse_expected(expected);
  std::string report;
  const bool same = same_events(actual, want, report);
  INFO(report);
  CHECK(same);
  return same;
}

RunResult run(std::string_view log, const Catalog& catalog) { return Scenario(catalog).run(log); }

bool expect_events(std::string_view log, std::string_view expected, const Catalog& catalog) {
  return Scenario(catalog).expect(log, expected);
}

bool same_events(const std::vector<json>& actual, const std::vector<json>& expected,
                 std::string& report) {
  bool same = actual.size() == expected.size();
  for (std::size_t i = 0; same && i < actual.size(); ++i) same = actual[i] == expected[i];
  if (same) return true;
  std::ostringstream os;
  os << "events differ: expected " << expected.size() << ", got " << actual.size() << "\n";
  const std::size_t n = std::max(actual.size(), expected.size());
  for (std::size_t i = 0; i < n; ++i) {
    const json* a = i < actual.size() ? &actual[i] : nullptr;
    const json* e = i < expected.size() ? &expected[i] : nullptr;
    if (a && e && *a == *e) {
      os << "  #" << i + 1 << " ok        " << a->dump() << "\n";
      continue;
    }
    os << "  #" << i + 1 << " MISMATCH\n";
    os << "     expected: " << (e ? e->dump() : std::string("(none)")) << "\n";
    os << "     actual:   " << (a ? a->dump() : std::string("(none)")) << "\n";
    if (a && e && a->is_object() && e->is_object()) {
      std::set<std::string> keys;
      for (auto it = a->begin(); it != a->end(); ++it) keys.insert(it.key());
      for (auto it = e->begin(); it != e->end(); ++it) keys.insert(it.key());
      for (const std::string& k : keys) {
        const bool in_a = a->contains(k), in_e = e->contains(k);
        if (in_a && !in_e)
          os << "       extra key " << k << " = " << (*a)[k].dump() << "\n";
        else if (!in_a && in_e)
          os << "       missing key " << k << " (expected " << (*e)[k].dump() << ")\n";
        else if ((*a)[k] != (*e)[k])
          os << "       " << k << ": expected " << (*e)[k].dump() << ", got " << (*a)[k].dump() << "\n";
      }
    }
  }
  report = os.str();
  return false;
}

std::string run(Engine& engine, const Command& c) {
  EventBuffer events;
  engine.process(c, events);
  std::string out;
  for (const Event& ev : events) write_event(ev, engine, out);
  return out;
}

}  // namespace gpux::test
