// -f FILE: a batch of sslcert commands as one transaction, with --dry-run and --add-or-update.
#include <istream>
#include <iterator>
#include <map>
#include <set>

#include "cli/commands.hpp"
#include "cli/json_output.hpp"
#include "cli/usage.hpp"
#include "core/batch.hpp"
#include "core/cert_command.hpp"
#include "core/text.hpp"
#include "store/atomic_file.hpp"
#include "store/cert_store.hpp"
#include "store/registry.hpp"

namespace sslbind::cli {
namespace {

// Every certificate the lines bind that its store cannot serve (not there, or without its key), each store and
// thumbprint once, at the first line that binds it: a migration learns of all of them in one run.
struct MissingCertificate {
  std::size_t line;
  Verb verb;
  std::string thumbprint;
  std::string store;
  Error reason;
};

std::vector<MissingCertificate> missing_certificates(const store::CertStore& stores,
                                                     const std::vector<BatchLine>& lines) {
  std::vector<MissingCertificate> missing;
  std::set<std::pair<std::string, std::string>> seen;
  for (const BatchLine& line : lines) {
    const SslSettings& s = line.command.settings;
    if (line.command.verb == Verb::Delete || !s.certhash) continue;
    if (!seen.emplace(text::to_lower(s.effective_store()), s.certhash->hex()).second) continue;
    if (auto usable = stores.require_bindable(s); !usable) {
      missing.push_back({line.number, line.command.verb, s.certhash->hex(), s.effective_store(), usable.error()});
    }
  }
  return missing;
}

// netsh's 1312, naming every missing certificate with its line (one per line of the message after the first).
Error refuse_missing(const std::vector<MissingCertificate>& missing) {
  if (missing.size() == 1) {
    return Error(missing[0].reason.code, "line " + std::to_string(missing[0].line) + ": " + missing[0].reason.detail);
  }
  std::string detail = std::to_string(missing.size()) +
                       " certificates are not usable in their stores; import them first, or import the bindings "
                       "with --missing-certificates=allow and add the certificates afterwards:";
  for (const auto& m : missing) detail += "\nline " + std::to_string(m.line) + ": " + m.reason.detail;
  return Error(missing[0].reason.code, detail);
}

// A file's text, or standard input for "-".
Result<std::string> read_script(const std::string& file, std::istream& in) {
  if (file == "-") return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  auto text = store::read_whole_file(file, store::kMaxBatchFileBytes);
  if (!text) return invalid("-f " + text.error().detail);
  if (!text->exists) return invalid("-f " + file + ": the file cannot be read");
  return text->text;
}

}  // namespace

int apply_lines(const Context& ctx, CommandInfo info, Result<std::vector<BatchLine>> lines,
                const std::vector<SkippedLine>& skipped, const std::optional<ImportedProvider>& provider) {
  const BatchOptions& options = ctx.batch;
  std::optional<Verb> failed_verb;
  auto failure = [&](const Error& e) {
    if (failed_verb) {
      info.verb = *failed_verb;
      info.usage = usage(*failed_verb);
    }
    return fail(ctx, e, info);
  };
  if (!lines) return failure(lines.error());

  std::vector<BatchChange> changes;
  std::vector<MissingCertificate> missing;
  bool provider_changed = false;
  auto apply = [&](RegistryState& state) -> Status {
    // Under the registry lock (in a real run), which delete cert takes too.
    missing = missing_certificates(store::CertStore(ctx.root), *lines);
    if (!missing.empty() && !options.allow_missing_certificates) {
      failed_verb = missing[0].verb;
      return refuse_missing(missing);
    }
    Verb verb = Verb::Add;
    // A copy: a shared store runs the change again after a conflict, on the state as it is then.
    auto applied = apply_batch(state, *lines, options.add_or_update, &verb);
    if (!applied) {
      failed_verb = verb;
      return applied.error();
    }
    changes = std::move(*applied);
    if (provider) {
      CcsProviderConfig config = provider->config;
      if (state.ccs_provider) config.sealed_private_key_password = state.ccs_provider->sealed_private_key_password;
      provider_changed = state.ccs_provider != config;
      state.ccs_provider = std::move(config);
    }
    return Ok{};
  };
  store::Registry& registry = *ctx.registry;
  if (options.dry_run) {
    auto state = registry.load();
    if (!state) return failure(state.error());
    if (auto s = apply(*state); !s) return failure(s.error());
  } else if (auto s = registry.transact(apply); !s) {
    return failure(s.error());
  }

  std::map<BatchOutcome, int> counts;
  nlohmann::ordered_json out = ok_json(info.name);
  out["dryRun"] = options.dry_run;
  out["changes"] = nlohmann::ordered_json::array();
  std::string report;
  for (const BatchChange& c : changes) {
    ++counts[c.outcome];
    const std::string_view outcome = outcome_name(c.outcome);
    report += "line " + std::to_string(c.line) + ": " + c.key + " " + std::string(outcome) + "\n";
    out["changes"].push_back({{"line", c.line}, {"key", c.key}, {"result", outcome}});
  }
  if (provider) {
    const std::string_view result = provider_changed ? "updated" : "unchanged";
    report += "line " + std::to_string(provider->line) + ": CCS provider " + std::string(result) +
              (provider->note.empty() ? "" : "; " + provider->note) + "\n";
    out["ccsProvider"] = {{"line", provider->line}, {"result", result}, {"note", provider->note}};
  }
  out["missingCertificates"] = nlohmann::ordered_json::array();
  for (const auto& m : missing) {
    // Allowed: the binding is in, and check, resolve and serve report it as certificate-missing until it comes.
    report += "line " + std::to_string(m.line) + ": " + m.reason.detail + " (imported anyway: certificate-missing)\n";
    out["missingCertificates"].push_back(
        {{"line", m.line}, {"thumbprint", m.thumbprint}, {"store", m.store}, {"detail", m.reason.detail}});
  }
  out["skipped"] = nlohmann::ordered_json::array();
  for (const SkippedLine& line : skipped) {
    report += "line " + std::to_string(line.number) + ": skipped, not sslbind's: " + line.command + "\n";
    out["skipped"].push_back({{"line", line.number}, {"command", line.command}});
  }
  for (BatchOutcome o :
       {BatchOutcome::Created, BatchOutcome::Updated, BatchOutcome::Unchanged, BatchOutcome::Deleted}) {
    out[std::string(outcome_name(o))] = counts[o];
  }
  report += std::to_string(counts[BatchOutcome::Created]) + " created, " +
            std::to_string(counts[BatchOutcome::Updated]) + " updated, " +
            std::to_string(counts[BatchOutcome::Unchanged]) + " unchanged, " +
            std::to_string(counts[BatchOutcome::Deleted]) + " deleted" +
            (skipped.empty() ? "" : ", " + std::to_string(skipped.size()) + " skipped") +
            (options.dry_run ? " (dry run: nothing was written)\n" : "\n");
  return succeed(ctx, out, report);
}

int run_batch(const Context& ctx) {
  const BatchOptions& options = ctx.batch;
  std::vector<SkippedLine> skipped;
  auto lines = [&]() -> Result<std::vector<BatchLine>> {
    auto text = read_script(options.file, *ctx.in);
    if (!text) return text.error();
    return parse_batch_file(*text, &skipped);
  }();
  return apply_lines(ctx, CommandInfo{"batch", std::nullopt, "SSL Certificate", ""}, std::move(lines), skipped);
}

}  // namespace sslbind::cli
