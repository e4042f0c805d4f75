// The order-log parser reads lines with simdjson's on-demand API and leaves a line it cannot take
// to the DOM parser (tools/orderlog/line_fields.cpp). On-demand checks only what it reads, so
// the risk is a broken line that passes: these tests hold the parser to the DOM parser's answer
// (Decoder::dom) on lines of every shape, broken ones first, and pin the messages a user sees,
// which are those the parser gave when it used the DOM API alone.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <utility>
#include <vector>

#include "tools/orderlog/command_parser.hpp"

namespace {

using gpux::Command;
using gpux::CommandParser;
using gpux::Decoder;
using gpux::ParseResult;

// Everything the parser sets, so that two decodings compare whole.
std::string describe(ParseResult r, const CommandParser& p, const Command& c) {
  if (r == ParseResult::blank) return "blank";
  if (r == ParseResult::error) return "error: " + p.error();
  std::string s = "command";
  auto add = [&](std::int64_t v) { s += ' ' + std::to_string(v); };
  auto text = [&](std::string_view v) { s += " '" + std::string(v) + "'"; };
  for (const std::int64_t v :
       {std::int64_t(c.type), std::int64_t(c.side), std::int64_t(c.order_type), std::int64_t(c.tif), std::int64_t(c.stp),
        std::int64_t(c.post_only), std::int64_t(c.divisible), std::int64_t(c.has_tif), std::int64_t(c.has_expire_ts),
        std::int64_t(c.has_min_qty), std::int64_t(c.has_display_qty), std::int64_t(c.has_cl_id),
        std::int64_t(c.has_order_id), std::int64_t(c.has_new_cl_id), std::int64_t(c.has_instrument),
        std::int64_t(c.has_product), c.seq, c.ts, std::int64_t(c.price.present), std::int64_t(c.price.valid),
        c.price.value, c.qty, c.expire_ts, c.min_qty, c.display_qty, c.order_id, std::int64_t(c.risk_on),
        std::int64_t(c.amount.valid), c.amount.value})
    add(v);
  for (const std::string_view v : {c.account.view(), c.cl_id.view(), c.instrument.view(), c.new_cl_id.view(),
                                   c.product.view(), c.amount_text.view()})
    text(v);
  return s;
}

// Parses `line` with a fresh parser: through the on-demand path, where it lies in a buffer
// followed by `padding` (as the block reader's lines are), and through the DOM reference.
std::pair<std::string, std::string> both(const std::string& line, const std::string& padding) {
  CommandParser on_demand;
  CommandParser dom(Decoder::dom);
  Command a{}, b{};
  const std::string buffer = line + padding;
  const ParseResult ra = on_demand.parse_padded(std::string_view(buffer.data(), line.size()), a);
  const ParseResult rb = dom.parse(line, b);
  return {describe(ra, on_demand, a), describe(rb, dom, b)};
}

std::string parse_one(const std::string& line) {
  CommandParser p;
  Command c{};
  const ParseResult r = p.parse(line, c);
  return r == ParseResult::error ? p.error() : describe(r, p, c);
}

const std::string kNew = R"({"type":"new","ts":1,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+24h","side":"buy",)";
const std::string kTape = "not valid JSON: The JSON document has an improper structure: missing or superfluous commas, "
                          "braces, missing keys, etc.";

}  // namespace

TEST_CASE("order-log parser: the messages of broken lines", "[input][parser]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"not json", "not valid JSON: Problem while parsing an atom starting with the letter 'n'"},
      {"{", kTape},
      {R"({"type":"clock","ts":1)", kTape},
      {R"({"type":"clock","ts":1} x)", kTape},
      {R"({"type":"clock","ts":1}{"type":"clock","ts":2})", kTape},
      {R"({"type":"clock","ts":1} })", kTape},
      {R"({"type":"clock","ts":1,})", kTape},
      {"\xef\xbb\xbf" R"({"type":"clock","ts":1})", kTape},
      {std::string(R"({"type":"clock","ts":1})") + '\0', kTape},
      {"[1,2]", "a command must be a JSON object"},
      {"null", "a command must be a JSON object"},
      {R"({"type":"clock","ts":01})", "not valid JSON: Problem while parsing a number"},
      {R"({"type":"clock","ts":18446744073709551616})", "not valid JSON: Problem while parsing a number"},
      {R"({"type":"clock","ts":-9223372036854775809})", "not valid JSON: Problem while parsing a number"},
      // Errors in fields nobody reads: an unknown field's value, a repeated key's, nested.
      {R"({"type":"clock","ts":1,"note":[1 2]})", kTape},
      {R"({"type":"clock","ts":1,"note":{"a": "b":1}})", kTape},
      {R"({"type":"clock","ts":1,"note":{"a":1 "b":2}})", kTape},
      {R"({"type":"clock","ts":1,"note":tru})", "not valid JSON: Problem while parsing an atom starting with the letter 't'"},
      {R"({"type":"clock","ts":1,"note":nul})", "not valid JSON: Problem while parsing an atom starting with the letter 'n'"},
      {R"({"type":"clock","ts":1,"note":"\x"})", "not valid JSON: Problem while parsing a string"},
      {R"({"type":"clock","ts":1,"note":"\ud800"})", "not valid JSON: Problem while parsing a string"},
      {R"({"type":"clock","ts":1,"\x":1})", "not valid JSON: Problem while parsing a string"},
      {R"({"type":"clock","ts":1,"note":1.})", "not valid JSON: Problem while parsing a number"},
      {R"({"type":"clock","ts":1,"qty":"x","qty":1e400})", "not valid JSON: Problem while parsing a number"},
      {R"({"type":"clock","ts":1,"note":")" "\xc3\x28" R"("})", "not valid JSON: The input is not valid UTF-8"},
      {R"({"type":"clock","ts":1,"note":")" "\x01" R"("})",
       "not valid JSON: Within strings, some characters must be escaped, we found unescaped characters"},
      // The format's own rules.
      {"{}", "missing field 'type'"},
      {R"({"type":5,"ts":1})", "field 'type' must be a string"},
      {R"({"type":"CLOCK","ts":1})", "field 'type' has unknown value 'CLOCK'"},
      {R"({"type":"clock","ts":"1"})", "field 'ts' must be an integer"},
      {R"({"type":"clock","ts":1.5})", "field 'ts' must be an integer"},
      {R"({"type":"clock","ts":null})", "field 'ts' must be an integer"},
      {R"({"type":"clock","ts":9223372036854775808})", "field 'ts' is outside the 64-bit integer range"},
      {R"({"type":"clock","ts":1,"seq":0})", "field 'seq' must be at least 1"},
      {kNew + R"("price":"2.0","qty":8.0})", "field 'qty' must be an integer"},
      {kNew + R"("price":2.0,"qty":8})", "field 'price' must be a string"},
      {kNew + R"("price":"2.0","qty":8,"post_only":1})", "field 'post_only' must be true or false"},
      {kNew + R"("price":"2.0","qty":"x","qty":8})", "field 'qty' must be an integer"},
      {R"({"type":"new","ts":1,"account":"a b","cl_id":"a1"})", "field 'account' must match [A-Za-z0-9_.-]{1,32}"},
      {R"({"type":"cancel","ts":1,"account":"A","cl_id":"a\u0001"})", "field 'cl_id' must be 1-36 printable ASCII characters"},
      {R"({"type":"halt","ts":1,"product":")" + std::string(65, 'P') + "\"}", "field 'product' is longer than 64 bytes"},
      {R"({"type":"cancel","ts":1,"account":"A"})", "needs 'cl_id' or 'order_id'"},
      {R"({"type":"risk","ts":1,"mode":"maybe"})", "field 'mode' has unknown value 'maybe'"},
  };
  for (const auto& [line, message] : cases) {
    INFO(line);
    CHECK(parse_one(line) == message);
    const auto [fast, reference] = both(line, std::string(gpux::kLinePadding, '}'));
    CHECK(fast == reference);
  }
}

TEST_CASE("order-log parser: what the DOM parser accepted is accepted the same way", "[input][parser]") {
  const std::vector<std::pair<std::string, std::string>> same = {
      // The first of two keys counts, whatever the second holds.
      {kNew + R"("price":"2.0","qty":8,"qty":"x"})", kNew + R"("price":"2.0","qty":8})"},
      // A key is compared unescaped.
      {R"({"\u0074ype":"clock","t\u0073":7})", R"({"type":"clock","ts":7})"},
      {R"({"type":"clock","ts":-0})", R"({"type":"clock","ts":0})"},
      {"  \t" R"({ "type" : "clock" , "ts" : 7 })" " \r", R"({"type":"clock","ts":7})"},
      // Unknown fields and fields of other types hold any valid JSON, nested deeper than the
      // on-demand path walks (32 levels).
      {R"({"type":"clock","ts":7,"qty":"x","side":null,"note":[1,{"a":[true,false,null,"\u00e9\n"]},-1.5e3]})",
       R"({"type":"clock","ts":7})"},
      {R"({"type":"clock","ts":7,"note":)" + std::string(40, '[') + std::string(40, ']') + "}", R"({"type":"clock","ts":7})"},
      {kNew + R"("price":"2.0","qty":9223372036854775807,"cl_id":"ignored"})",
       kNew + R"("price":"2.0","qty":9223372036854775807})"},
      {kNew + R"("price":"2.0","qty":-9223372036854775808})", kNew + R"("price":"2.0","qty":-9223372036854775808})"},
      {R"({"type":"cancel","ts":1,"account":"A","cl_id":"q\"uo\\te\/"})", R"({"type":"cancel","ts":1,"account":"A","cl_id":"q\"uo\\te/"})"},
  };
  for (const auto& [line, equivalent] : same) {
    INFO(line);
    const std::string got = parse_one(line);
    CHECK(got.starts_with("command"));
    CHECK(got == parse_one(equivalent));
    const auto [fast, reference] = both(line, std::string(gpux::kLinePadding, ' '));
    CHECK(fast == reference);
  }
}

// Field names are looked up by length and first letter (line_fields.cpp): a name added to Key
// must be found there too, by both decoders.
TEST_CASE("order-log parser: every field name of the format is found", "[input][parser]") {
  for (const Decoder decoder : {Decoder::on_demand, Decoder::dom}) {
    gpux::LineScanner scanner(decoder);
    gpux::LineFields fields;
    std::string error;
    for (std::size_t k = 0; k < gpux::kKeyCount; ++k) {
      const auto key = static_cast<gpux::Key>(k);
      const std::string line = "{\"" + std::string(gpux::key_name(key)) + "\":7,\"x" + std::string(gpux::key_name(key)) +
                               "\":8}" + std::string(gpux::kLinePadding, ' ');
      INFO(line);
      REQUIRE(scanner.scan_padded(std::string_view(line).substr(0, line.size() - gpux::kLinePadding), fields, error));
      CHECK(fields[key].kind == gpux::Kind::int64);
      CHECK(fields[key].number == 7);
      for (std::size_t other = 0; other < gpux::kKeyCount; ++other)
        if (other != k) CHECK(fields[static_cast<gpux::Key>(other)].kind == gpux::Kind::absent);
    }
  }
}

// The on-demand path takes a string without backslashes as it lies, checking 8 bytes at a time:
// an escape at every position of a word, and strings ending at every position of one.
TEST_CASE("order-log parser: escapes anywhere in a string", "[input][parser]") {
  for (std::size_t before = 0; before < 20; ++before)
    for (const char* escape : {"", "\\\"", "\\\\", "\\u0041", "\\n", "\\x"}) {
      const std::string cl_id = std::string(before, 'c') + escape;
      const std::string line = R"({"type":"cancel","ts":1,"account":"A","cl_id":")" + cl_id + R"("})";
      INFO(line);
      const auto [fast, reference] = both(line, std::string(gpux::kLinePadding, '\\'));
      CHECK(fast == reference);
    }
}

// Valid lines of every type with fields swapped for values of every JSON type and broken
// spellings, unknown fields, repeated and escaped keys, odd white space, trailing bytes; then
// random byte edits. About 80% of the lines are errors, of every kind, and 4,000 are commands.
TEST_CASE("order-log parser: the on-demand path gives the DOM parser's answer on random lines", "[input][parser]") {
  std::mt19937_64 rng(20260112);
  auto pick = [&](const auto& options) { return options[rng() % std::size(options)]; };
  const char* const seeds[] = {
      R"({"type":"new","ts":1,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+24h","side":"buy","price":"2.0","qty":8})",
      R"({"type":"new","seq":7,"ts":1,"account":"B-1._","cl_id":"c ~!","instrument":"H100.MEM1@2026-12-01T00Z+24h","side":"sell","order_type":"market","qty":16,"tif":"fok","min_qty":8,"display_qty":8,"stp":"cancel_both","post_only":true,"divisible":false,"expire_ts":9})",
      R"({"type":"cancel","ts":1,"account":"A","cl_id":"a1","order_id":3})",
      R"({"type":"replace","ts":1,"account":"A","order_id":9,"new_cl_id":"a2","price":"2.05","qty":16})",
      R"({"type":"mass_cancel","ts":1,"account":"A","instrument":"H100.MEM1@2026-12-01T00Z+24h","product":"H100.MEM1"})",
      R"({"type":"halt","ts":1,"product":"H100.MEM1"})",
      R"({"type":"kill","ts":1,"account":"A"})",
      R"({"type":"risk","ts":1,"mode":"on"})",
      R"({"type":"deposit","ts":1,"account":"A","instrument":"H100.MEM1@2026-12-01T00Z+24h","qty":64})",
      R"({"type":"fund","ts":1,"account":"A","amount":"-12.5"})",
  };
  const char* const values[] = {
      "0", "-0", "01", "-1", "1.0", "1e5", "-", "+1", ".5", "9223372036854775807", "9223372036854775808",
      "-9223372036854775808", "-9223372036854775809", "18446744073709551616", "1e400", "12a", "1795251601000000000",
      "123456789012345678901", R"("a1")", R"("")", R"("\n")", R"("\u0041")", R"("\ud83d\ude00")", R"("\x")",
      R"("\u12")", R"("\ud800")", "\"\xc3\x28\"", "\"\x01\"", R"("buy")", R"("limit")", R"("2.0")", "true", "false",
      "null", "tru", "nul", "nulll", "[]", "[1,2]", "[1 2]", "[1,]", "{}", R"({"a":1})", R"({"a" 1})", R"({"a":1,})",
      R"({"a": "b":1})", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"};
  const char* const keys[] = {"type", "ts", "seq", "qty", "price", "account", "cl_id", "note", "\\u0071ty", "\\x", "q"};
  const char* const tails[] = {"", "", "", "", "", "", "", "", " ", "\r", " x", "{}", "}", "]", ",", "\"x\""};
  const char* const padding_bytes = "}]\"\\ {0:";
  int errors = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string line = pick(seeds);
    for (int edit = static_cast<int>(rng() % 4) - 1; edit > 0; --edit) {  // a field's value swapped
      const std::size_t colon = line.find(':', rng() % line.size());
      if (colon == std::string::npos) continue;
      std::size_t end = colon + 1;
      while (end < line.size() && line[end] != ',' && line[end] != '}') ++end;
      line.replace(colon + 1, end - colon - 1, pick(values));
    }
    if (rng() % 3 == 0) {  // a field inserted after the first
      std::string field = "\"";  // by appends: "\"" + std::string(...) trips GCC 12's -Wrestrict
      field.append(pick(keys)).append("\":").append(pick(values)).append(",");
      line.insert(line.find(',') + 1, field);
    }
    line += pick(tails);
    if (rng() % 4 == 0)
      for (int edit = 1 + static_cast<int>(rng() % 3); edit > 0 && !line.empty(); --edit) {
        const std::size_t at = rng() % line.size();
        const char c = static_cast<char>(rng() % 4 == 0 ? rng() % 256 : "{}[]\":,\\ 0-9etn"[rng() % 16]);
        if (rng() % 3 == 0) line.erase(at, 1);
        else if (rng() % 2 == 0) line.insert(at, 1, c);
        else line[at] = c;
      }
    std::erase(line, '\n');
    std::string padding;
    for (std::size_t k = 0; k < gpux::kLinePadding; ++k) padding += padding_bytes[rng() % 8];
    const auto [fast, reference] = both(line, padding);
    INFO("line: " << line);
    REQUIRE(fast == reference);
    errors += reference.starts_with("error");
  }
  INFO(errors << " errors");
  CHECK(errors > 10000);
  CHECK(errors < 18000);
}
