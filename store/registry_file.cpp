#include "store/registry_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

#include "store/atomic_file.hpp"
#include "store/compiled_registry.hpp"
#include "store/file_identity.hpp"
#include "store/orphaned_temp_files.hpp"
#include "store/registry_codec.hpp"
#include "store/strict_modes.hpp"

namespace sslbind::store {
namespace {

namespace fs = std::filesystem;

// Parses and decodes the registry text; the document is kept so that keys sslbind does not manage survive a write.
struct Loaded {
  nlohmann::json document;
  RegistryState state;
};

Result<Loaded> decode(const FileText& file, const fs::path& p) {
  if (!file.exists) return Loaded{empty_document(), RegistryState{}};
  auto wrap = [&](const Error& e) {
    return Error(ErrorCode::RegistryUnreadable, "the registry " + p.string() + " is damaged or of another version (" +
                                                    e.detail + "); it was left as it is");
  };
  nlohmann::json rest;
  auto state = read_registry(file.text, rest);
  if (!state) return wrap(state.error());
  return Loaded{std::move(rest), std::move(*state)};
}

// The root and the registry file pass the strict modes (see strict_modes.hpp) before the file is read.
Result<FileText> read_checked(const fs::path& root, const fs::path& file) {
  if (auto s = check_private(root, PrivateKind::Folder); !s) return s.error();
  if (auto s = check_private(file, PrivateKind::File); !s) return s.error();
  return read_whole_file(file, kMaxRegistryFileBytes, FollowLinks::No);
}

}  // namespace

RegistryFile::RegistryFile(fs::path root)
    : root_(std::move(root)),
      file_(root_ / "registry.json"),
      lock_file_(root_ / "registry.lock"),
      compiled_file_(root_ / kCompiledRegistryName) {}

Result<RegistryState> RegistryFile::load() const {
  // Readers need no lock: writers replace the file by rename, so a reader sees the old or the new file whole.
  auto file = read_checked(root_, file_);
  if (!file) return file.error();
  auto loaded = decode(*file, file_);
  if (!loaded) return loaded.error();
  return std::move(loaded->state);
}

Status RegistryFile::locked(const std::function<Status()>& work) {
  if (auto s = check_private(root_, PrivateKind::Folder); !s) return s;
  if (auto s = ensure_private_folder(root_); !s) return s;
  if (auto s = check_private(lock_file_, PrivateKind::File); !s) return s;
  const int lock = ::open(lock_file_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (lock < 0) return write_error(lock_file_, "cannot open the lock file");
  // Closing the descriptor releases the lock, on every path out of this function.
  const std::unique_ptr<const int, void (*)(const int*)> unlock(&lock, [](const int* fd) { ::close(*fd); });
  while (::flock(lock, LOCK_EX) != 0) {
    if (errno != EINTR) return write_error(lock_file_, "cannot lock");
  }
  remove_orphaned_temp_files(root_);  // every writer writes under this lock: any temporary file left is an orphan
  return work();
}

Status RegistryFile::transact(const std::function<Status(RegistryState&)>& change) {
  return locked([&]() -> Status {
    // Re-read under the lock: another command may have committed since this one started.
    auto file = read_checked(root_, file_);
    if (!file) return file.error();
    auto loaded = decode(*file, file_);
    if (!loaded) return loaded.error();
    if (auto s = change(loaded->state); !s) return s;
    const std::string text = write_registry(loaded->state, loaded->document);
    return replace_file(file_, text, 0600, [&](const FileIdentity& identity) -> Status {
      RegistryState rest;
      rest.ccs_provider = loaded->state.ccs_provider;
      rest.farms = loaded->state.farms;
      rest.ip_listen = loaded->state.ip_listen;
      rest.tls_policy = loaded->state.tls_policy;
      nlohmann::json rest_document = loaded->document;
      const auto compiled = compile_registry(loaded->state.bindings, write_registry(rest, rest_document), identity);
      if (!compiled) {
        ::unlink(compiled_file_.c_str());  // too large to compile: the front end reads registry.json
        return Ok{};
      }
      // Not synced: after a crash its checksum or its stamp tells, and serve reads registry.json instead.
      return replace_rebuildable_file(compiled_file_, *compiled, 0600);
    });
  });
}

Result<ServingState> RegistryFile::load_for_serving() const {
  for (const auto& [path, kind] : {std::pair{root_, PrivateKind::Folder}, std::pair{file_, PrivateKind::File},
                                   std::pair{compiled_file_, PrivateKind::File}}) {
    if (auto s = check_private(path, kind); !s) return s.error();
  }
  const auto identity = identity_of(file_);
  served_ = identity;
  std::string why = "no registry.json";
  if (identity) {
    auto compiled = CompiledRegistry::open(compiled_file_, *identity);
    if (compiled) {
      nlohmann::json ignored;
      auto rest = read_registry((*compiled)->rest(), ignored);
      if (!rest) return rest.error();
      return ServingState{std::move(*rest), std::move(*compiled), compiled_file_.string()};
    }
    why = compiled.error().detail;
  }
  auto whole = Registry::load_for_serving();
  if (whole) whole->source = file_.string() + ", read whole (" + why + ")";
  return whole;
}

bool RegistryFile::follow(Changed changed, Report report) {
  auto watch = FileWatch::start(file_, [changed] { changed("registry changed"); });
  if (!watch) {
    report(true, watch.error().detail + ": registry changes are applied on SIGHUP only");
    return false;
  }
  // A commit between the last load and the watch is told now rather than at the next commit.
  if (identity_of(file_) != served_) changed("registry changed");
  watch_ = std::move(*watch);
  return true;
}

void RegistryFile::unfollow() { watch_.reset(); }

}  // namespace sslbind::store
