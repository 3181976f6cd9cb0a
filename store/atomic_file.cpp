#include "store/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <functional>
#include <utility>

#include "core/text.hpp"

namespace sslbind::store {
namespace {

namespace fs = std::filesystem;

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

Status write_all(int fd, std::string_view data, const fs::path& p) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return write_error(p, "cannot write");
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return Ok{};
}

Status fsync_dir(const fs::path& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0 || ::fsync(fd.get()) != 0) return write_error(dir, "cannot sync folder");
  return Ok{};
}

}  // namespace

Error write_error(const fs::path& p, const std::string& what) {
  return Error(ErrorCode::RegistryWriteFailed, what + " " + p.string() + ": " + std::strerror(errno));
}

Status ensure_private_folder(const fs::path& folder) {
  std::error_code ec;
  if (fs::is_directory(folder, ec)) return Ok{};
  const mode_t old = ::umask(077);
  fs::create_directories(folder, ec);
  ::umask(old);
  if (ec) {
    errno = ec.value();
    return write_error(folder, "cannot create the folder");
  }
  return Ok{};
}

namespace {

// Writes `text` to a synced temporary file next to `path` and hands it to `publish` (rename or link); the temporary
// name is gone afterwards whatever happens.
enum class Sync { Yes, No };

Status publish_file(const fs::path& path, std::string_view text, unsigned mode, Sync sync,
                    const std::function<Status(const fs::path&)>& publish) {
  // A bare file name ("b.reg") lives in the working folder, which must be synced as any other.
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::string tmp_name = (dir / (path.filename().string() + ".tmp.XXXXXX")).string();
  Fd tmp(::mkstemp(tmp_name.data()));
  if (tmp.get() < 0) return write_error(tmp_name, "cannot create");
  const fs::path tmp_path = tmp_name;
  auto discard = [&](Status s) {
    ::unlink(tmp_path.c_str());
    return s;
  };
  if (::fchmod(tmp.get(), static_cast<mode_t>(mode)) != 0) return discard(write_error(tmp_path, "cannot set mode of"));
  if (auto s = write_all(tmp.get(), text, tmp_path); !s) return discard(s);
  if (sync == Sync::Yes && ::fsync(tmp.get()) != 0) return discard(write_error(tmp_path, "cannot sync"));
  if (::close(tmp.release()) != 0) return discard(write_error(tmp_path, "cannot close"));
  if (auto s = publish(tmp_path); !s) return discard(s);
  ::unlink(tmp_path.c_str());  // after a link; a renamed file is already gone
  return sync == Sync::Yes ? fsync_dir(dir) : Status{Ok{}};
}

}  // namespace

Status replace_file(const fs::path& path, std::string_view text, unsigned mode) {
  return replace_file(path, text, mode, [](const FileIdentity&) -> Status { return Ok{}; });
}

Status replace_file(const fs::path& path, std::string_view text, unsigned mode,
                    const std::function<Status(const FileIdentity&)>& before_rename) {
  return publish_file(path, text, mode, Sync::Yes, [&](const fs::path& tmp) -> Status {
    const auto identity = identity_of(tmp);
    if (!identity) return write_error(tmp, "cannot stat");
    if (auto s = before_rename(*identity); !s) return s;
    if (::rename(tmp.c_str(), path.c_str()) != 0) return write_error(path, "cannot replace");
    return Ok{};
  });
}

Status replace_rebuildable_file(const fs::path& path, std::string_view text, unsigned mode) {
  return publish_file(path, text, mode, Sync::No, [&](const fs::path& tmp) -> Status {
    if (::rename(tmp.c_str(), path.c_str()) != 0) return write_error(path, "cannot replace");
    return Ok{};
  });
}

Result<bool> create_file_once(const fs::path& path, std::string_view text, unsigned mode) {
  bool created = true;
  auto s = publish_file(path, text, mode, Sync::Yes, [&](const fs::path& tmp) -> Status {
    // link() never replaces: of two racing creators exactly one wins, and the other reads the winner's file.
    if (::link(tmp.c_str(), path.c_str()) == 0) return Ok{};
    if (errno == EEXIST) {
      created = false;
      return Ok{};
    }
    return write_error(path, "cannot create");
  });
  if (!s) return s.error();
  return created;
}

Result<FileText> read_whole_file(const fs::path& p, std::size_t max_bytes, FollowLinks follow) {
  const auto unreadable = [&](const std::string& why) {
    return Error(ErrorCode::RegistryUnreadable, text::quote(p.string()) + " " + why);
  };
  Fd fd(::open(p.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | (follow == FollowLinks::No ? O_NOFOLLOW : 0)));
  if (fd.get() < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return FileText{};
    if (errno == ELOOP && follow == FollowLinks::No)
      return unreadable("is a symbolic link, which sslbind does not follow");
    return unreadable(std::string("cannot be opened: ") + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return unreadable(std::string("cannot be examined: ") + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) {
    return unreadable(
        "is not a regular file (a FIFO, a socket, a device or a folder): sslbind reads only regular files");
  }
  const auto too_large = [&] {
    return unreadable("is larger than the " + std::to_string(max_bytes) + " bytes such a file may have");
  };
  if (static_cast<std::uint64_t>(st.st_size) > max_bytes) return too_large();
  FileText out{true, {}};
  out.text.reserve(static_cast<std::size_t>(st.st_size));
  char buf[1 << 16];
  while (true) {
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return unreadable(std::string("cannot be read: ") + std::strerror(errno));
    }
    if (n == 0) break;
    out.text.append(buf, static_cast<std::size_t>(n));
    if (out.text.size() > max_bytes) return too_large();  // it grew while being read
  }
  return out;
}

}  // namespace sslbind::store

namespace sslbind::store {

Result<std::string> read_password_file(const std::filesystem::path& path) {
  auto file = read_whole_file(path, kMaxKeyFileBytes);
  if (!file) return Error(ErrorCode::InvalidParameter, "passwordfile " + file.error().detail);
  if (!file->exists) {
    return Error(ErrorCode::InvalidParameter, "passwordfile '" + path.string() + "' cannot be read");
  }
  std::string text = file->text.substr(0, file->text.find('\n'));
  if (!text.empty() && text.back() == '\r') text.pop_back();
  return text;
}

}  // namespace sslbind::store
