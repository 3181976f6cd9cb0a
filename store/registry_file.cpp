#include "store/registry_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "store/registry_codec.hpp"

namespace sslbind::store {
namespace {

namespace fs = std::filesystem;

Error write_failed(const fs::path& p, const std::string& what) {
  return Error(ErrorCode::RegistryWriteFailed, what + " " + p.string() + ": " + std::strerror(errno));
}

// Closes a file descriptor on every path out of a function.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

struct FileText {
  bool exists = false;
  std::string text;
};

Result<FileText> read_file(const fs::path& p) {
  Fd fd(::open(p.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return FileText{};
    return Error(ErrorCode::RegistryUnreadable, "cannot open " + p.string() + ": " + std::strerror(errno));
  }
  FileText out{true, {}};
  char buf[1 << 16];
  while (true) {
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error(ErrorCode::RegistryUnreadable, "cannot read " + p.string() + ": " + std::strerror(errno));
    }
    if (n == 0) break;
    out.text.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

Status write_all(int fd, std::string_view data, const fs::path& p) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return write_failed(p, "cannot write");
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return Ok{};
}

Status fsync_dir(const fs::path& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0 || ::fsync(fd.get()) != 0) return write_failed(dir, "cannot sync folder");
  return Ok{};
}

Status ensure_root(const fs::path& root) {
  std::error_code ec;
  if (fs::is_directory(root, ec)) return Ok{};
  // Private: the registry and, later, private keys live here.
  const mode_t old = ::umask(077);
  fs::create_directories(root, ec);
  ::umask(old);
  if (ec) {
    errno = ec.value();
    return write_failed(root, "cannot create the folder");
  }
  return Ok{};
}

// Parses and decodes the registry text; the document is kept so that keys sslbind does not manage survive a write.
struct Loaded {
  nlohmann::json document;
  BindingSet bindings;
};

Result<Loaded> decode(const FileText& file, const fs::path& p) {
  if (!file.exists) return Loaded{empty_document(), BindingSet{}};
  auto wrap = [&](const Error& e) {
    return Error(ErrorCode::RegistryUnreadable, "the registry " + p.string() + " is damaged or of another version (" +
                                                    e.detail + "); it was left as it is");
  };
  auto doc = parse_document(file.text);
  if (!doc) return wrap(doc.error());
  auto bindings = decode_bindings(*doc);
  if (!bindings) return wrap(bindings.error());
  return Loaded{std::move(*doc), std::move(*bindings)};
}

}  // namespace

RegistryFile::RegistryFile(fs::path root)
    : root_(std::move(root)), file_(root_ / "registry.json"), lock_file_(root_ / "registry.lock") {}

Result<BindingSet> RegistryFile::load() const {
  // Readers need no lock: writers replace the file by rename, so a reader sees the old or the new file whole.
  auto file = read_file(file_);
  if (!file) return file.error();
  auto loaded = decode(*file, file_);
  if (!loaded) return loaded.error();
  return std::move(loaded->bindings);
}

Status RegistryFile::transact(const std::function<Status(BindingSet&)>& change) {
  if (auto s = ensure_root(root_); !s) return s;
  Fd lock(::open(lock_file_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (lock.get() < 0) return write_failed(lock_file_, "cannot open the lock file");
  while (::flock(lock.get(), LOCK_EX) != 0) {
    if (errno != EINTR) return write_failed(lock_file_, "cannot lock");
  }
  // Re-read under the lock: another command may have committed since this one started.
  auto file = read_file(file_);
  if (!file) return file.error();
  auto loaded = decode(*file, file_);
  if (!loaded) return loaded.error();
  if (auto s = change(loaded->bindings); !s) return s;

  encode_bindings(loaded->bindings, loaded->document);
  const std::string text = loaded->document.dump(1) + "\n";

  std::string tmp_name = (root_ / "registry.json.tmp.XXXXXX").string();
  Fd tmp(::mkstemp(tmp_name.data()));
  if (tmp.get() < 0) return write_failed(tmp_name, "cannot create");
  const fs::path tmp_path = tmp_name;
  auto discard = [&](Status s) {
    ::unlink(tmp_path.c_str());
    return s;
  };
  if (::fchmod(tmp.get(), 0600) != 0) return discard(write_failed(tmp_path, "cannot set mode of"));
  if (auto s = write_all(tmp.get(), text, tmp_path); !s) return discard(s);
  if (::fsync(tmp.get()) != 0) return discard(write_failed(tmp_path, "cannot sync"));
  if (::close(tmp.release()) != 0) return discard(write_failed(tmp_path, "cannot close"));
  if (::rename(tmp_path.c_str(), file_.c_str()) != 0) return discard(write_failed(file_, "cannot replace"));
  return fsync_dir(root_);
}

}  // namespace sslbind::store
