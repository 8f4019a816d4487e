// ledger-replay: the compliance and debugging tool. Reads a ledger's data directory (the one
// ledgerd --data uses) while ledgerd runs, or a stopped one or a backup: a customer's history,
// profile at any version or instant, diffs, its notes and other lists, verification of the hash
// chains, the data subject export, a raw dump of the log, statistics; and rebuilds projections
// offline. See docs/replay.md and `ledger-replay SUBCOMMAND --help`.
#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "commands.h"

namespace {

using namespace ledger::replay;

void AddCommon(CLI::App* sub, CommonOptions* c) {
  sub->add_option("--data", c->data_dir, "The data directory (as given to ledgerd --data)")
      ->required();
  sub->add_option("--key-file", c->key_file,
                  "The master key file (default: DATA/master.key, as ledgerd finds it)");
}

CLI::Option* AddFormat(CLI::App* sub, std::string* format, std::vector<std::string> choices) {
  std::string help = "Output format: ";
  for (std::size_t i = 0; i < choices.size(); ++i) help += (i ? ", " : "") + choices[i];
  return sub->add_option("--format", *format, help)
      ->check(CLI::IsMember(choices))
      ->capture_default_str();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"ledger-replay: read, check and replay a customer-ledger data directory"};
  app.footer(kExitCodesHelp);
  app.require_subcommand(1);

  CommonOptions common;
  HistoryOptions history;
  ProfileOptions profile;
  DiffOptions diff;
  ListOptions list;
  VerifyOptions verify;
  std::string export_customer;
  DumpOptions dump;
  StatsOptions stats;

  CLI::App* h = app.add_subcommand(
      "history", "A customer's timeline: time, version, actor, source, event, changes, reason");
  AddCommon(h, &common);
  h->add_option("customer", history.customer, "Customer id")->required();
  h->add_option("--from", history.from_version, "First version shown")
      ->check(CLI::NonNegativeNumber);
  h->add_option("--to", history.to_version, "Last version shown")->check(CLI::NonNegativeNumber);
  h->add_option("--since", history.since, "Only events recorded at or after this RFC 3339 time");
  h->add_option("--until", history.until, "Only events recorded at or before this RFC 3339 time");
  AddFormat(h, &history.format, {"text", "json", "csv"});

  CLI::App* p = app.add_subcommand(
      "profile", "The folded profile as JSON: now, at a version, or as of an instant");
  AddCommon(p, &common);
  p->add_option("customer", profile.customer, "Customer id")->required();
  CLI::Option* version = p->add_option("--version", profile.version, "Profile at this version")
                             ->check(CLI::NonNegativeNumber);
  p->add_option("--as-of", profile.as_of, "Profile as of this RFC 3339 time")->excludes(version);

  CLI::App* d =
      app.add_subcommand("diff", "What changed between two versions or times, field by field");
  AddCommon(d, &common);
  d->add_option("customer", diff.customer, "Customer id")->required();
  d->add_option("a", diff.from, "From: a version number or an RFC 3339 time")->required();
  d->add_option("b", diff.to, "To: a version number or an RFC 3339 time")->required();
  AddFormat(d, &diff.format, {"text", "json"});

  CLI::App* l = app.add_subcommand(
      "list", "A growing list (notes, communications, calls, jobs), now or as it was");
  AddCommon(l, &common);
  l->add_option("customer", list.customer, "Customer id")->required();
  l->add_option("list", list.list, "notes, communications, calls or jobs")
      ->required()
      ->check(CLI::IsMember({"notes", "communications", "calls", "jobs"}));
  CLI::Option* list_version = l->add_option("--version", list.version, "The list at this version")
                                  ->check(CLI::NonNegativeNumber);
  l->add_option("--as-of", list.as_of, "The list as of this RFC 3339 time")->excludes(list_version);
  l->add_option("--after", list.after, "Cursor: items after this sequence (a next_cursor)")
      ->check(CLI::NonNegativeNumber);
  l->add_option("--limit", list.limit, "One page of at most this many items (default: all)")
      ->check(CLI::Range(1, 1000));
  l->add_flag("--retracted", list.include_retracted, "Include retracted notes");

  CLI::App* v = app.add_subcommand(
      "verify", "Recompute hash chains (one customer, or the whole ledger) and print the digest");
  AddCommon(v, &common);
  v->add_option("customer", verify.customer, "Only this customer's stream");
  AddFormat(v, &verify.format, {"text", "json"});

  CLI::App* e = app.add_subcommand(
      "export", "The data subject access export (same content as the HTTP export)");
  AddCommon(e, &common);
  e->add_option("customer", export_customer, "Customer id")->required();

  CLI::App* u = app.add_subcommand("dump",
                                   "The raw global log, one JSON line per event (decrypted when "
                                   "the master key is available)");
  AddCommon(u, &common);
  u->add_option("--after", dump.after, "Start after this global position")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  u->add_option("--limit", dump.limit, "Print at most this many events")
      ->check(CLI::NonNegativeNumber);
  u->add_option("--type", dump.type, "Only events of this type (e.g. NoteAdded)");

  CLI::App* r =
      app.add_subcommand("rebuild", "Rebuild the projections offline (ledgerd must be stopped)");
  AddCommon(r, &common);

  CLI::App* s = app.add_subcommand(
      "stats", "Events, customers, sizes per column family, oldest and newest event");
  AddCommon(s, &common);
  AddFormat(s, &stats.format, {"text", "json"});

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) return app.exit(error);  // --help
    std::cerr << "ledger-replay: " << error.what() << " (see --help)\n";
    return kExitUsage;
  }

  Exit result;
  try {
    if (h->parsed()) result = RunHistory(common, history, std::cout);
    if (p->parsed()) result = RunProfile(common, profile, std::cout);
    if (d->parsed()) result = RunDiff(common, diff, std::cout);
    if (l->parsed()) result = RunList(common, list, std::cout);
    if (v->parsed()) result = RunVerify(common, verify, std::cout, std::cerr);
    if (e->parsed()) result = RunExport(common, export_customer, std::cout, std::cerr);
    if (u->parsed()) result = RunDump(common, dump, std::cout, std::cerr);
    if (r->parsed()) result = RunRebuild(common, std::cout, std::cerr);
    if (s->parsed()) result = RunStats(common, stats, std::cout);
  } catch (const std::exception& ex) {
    // Only the standard library (allocation) and nlohmann-json can throw here.
    result = Fail(kExitFailed, std::string("internal error: ") + ex.what());
  }
  std::cout.flush();
  if (!result.error.empty()) std::cerr << "ledger-replay: " << result.error << "\n";
  return result.code;
}
