#include "tools/gpux/order_status.hpp"

#include <cstdint>
#include <cstdio>

#include "tools/client/render_text.hpp"

namespace gpux {

int run_orders(const OrdersOptions& o) {
  Session s;
  if (!s.open("orders", o.session)) return kFailed;
  bool done = false;
  client::OpenOrdersTable table;
  s.on_message([&](const wire::Envelope& env) {
    if (const auto* b = env.body_as_OpenOrder()) {
      if (o.session.json) return print_message(env, true);
      table.add(*b);
    } else if (const auto* e = env.body_as_OpenOrdersEnd()) {
      done = true;
      if (o.session.json) return print_message(env, true);
      std::printf("%s", table.render(*e).c_str());
    }
  });
  if (!s.client.list_orders(o.instrument)) return s.lost("orders");
  return s.await("orders", [&] { return done; });
}

// Past reports from the journal (after a reconnect, or a drop copy's audit), then live ones
// with --follow.
int run_reports(const ReportsOptions& o) {
  Session s;
  if (!s.open("reports", o.session)) return kFailed;
  const bool everyone = s.client.role() == wire::Role::drop_copy;
  bool done = false;
  std::uint64_t count = 0;
  s.on_message([&](const wire::Envelope& env) {
    if (env.body_type() == wire::Body::Heartbeat) return;
    if (const auto* d = env.body_as_ResendDone()) {
      done = true;
      if (o.session.json) return print_message(env, true);
      std::fprintf(stderr, "%llu report%s for seq %lld..%lld\n", static_cast<unsigned long long>(count),
                   count == 1 ? "" : "s", static_cast<long long>(d->since_seq() + 1),
                   static_cast<long long>(d->through_seq()));
      return;
    }
    if (env.body_type() == wire::Body::ProtocolReject) return;
    ++count;
    if (o.session.json || !everyone) return print_message(env, o.session.json);
    const std::string line = client::to_text(env, client::TextForm::with_account);
    if (!line.empty()) std::printf("%s\n", line.c_str());
  });
  if (!s.resend(o.since)) return s.lost("reports");
  if (const int status = s.await("reports", [&] { return done; })) return status;
  if (!o.follow) return 0;
  s.resend_reports = true;
  if (s.stream()) return 0;
  fail("reports", s.client.error());
  return kFailed;
}

}  // namespace gpux
