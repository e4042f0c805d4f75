#include "tools/gpux/operator_commands.hpp"

namespace gpux {

using flatbuffers::GetString;

int run_halt(const HaltOptions& given, bool halt) {
  const char* name = halt ? "halt" : "resume";
  HaltOptions o = given;
  // `gpux halt H100.MEM1` halts the product, `gpux halt H100.MEM1@2026-12-15T00Z+24h` one window.
  const bool flags = !o.instrument.empty() || !o.product.empty();
  if (!o.target.empty()) (o.target.find('@') != std::string::npos ? o.instrument : o.product) = o.target;
  if (o.instrument.empty() == o.product.empty() || (!o.target.empty() && flags)) {
    fail(name, "give one instrument or product: gpux " + std::string(name) +
                   " PRODUCT|INSTRUMENT (or --instrument I, --product P), not both");
    return kFailed;
  }
  Session s;
  if (!s.open(name, o.session)) return kFailed;
  bool answered = false;
  s.on_message([&](const wire::Envelope& env) {
    const bool is_halt = env.body_type() == wire::Body::Halted;
    if (env.body_type() != (halt ? wire::Body::Halted : wire::Body::Resumed)) return;
    const auto* i = is_halt ? env.body_as_Halted()->instrument() : env.body_as_Resumed()->instrument();
    const auto* p = is_halt ? env.body_as_Halted()->product() : env.body_as_Resumed()->product();
    if (o.instrument.empty() ? GetString(p) != o.product : GetString(i) != o.instrument) return;
    answered = true;
    print_message(env, o.session.json);
  });
  const bool sent = halt ? s.client.halt(o.instrument, o.product) : s.client.resume(o.instrument, o.product);
  if (!sent) return s.lost(name);
  return s.await(name, [&] { return answered; });
}

int run_kill(const KillOptions& o, bool kill) {
  const char* name = kill ? "kill" : "unkill";
  Session s;
  if (!s.open(name, o.session)) return kFailed;
  bool answered = false;
  s.on_message([&](const wire::Envelope& env) {
    if (env.body_type() != (kill ? wire::Body::Killed : wire::Body::Unkilled)) return;
    const auto* a = kill ? env.body_as_Killed()->account() : env.body_as_Unkilled()->account();
    if (GetString(a) != o.account) return;
    answered = true;
    print_message(env, o.session.json);
  });
  const bool sent = kill ? s.client.kill(o.account) : s.client.unkill(o.account);
  if (!sent) return s.lost(name);
  return s.await(name, [&] { return answered; });
}

}  // namespace gpux
