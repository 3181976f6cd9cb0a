#include "store/strict_modes.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace sslbind::store {
namespace {

Error refused(const std::filesystem::path& path, const std::string& why) {
  return Error(ErrorCode::RegistryUnreadable, path.string() + " " + why);
}

std::string octal_mode(mode_t mode) {
  std::string out = "0";
  for (int shift = 6; shift >= 0; shift -= 3) out += static_cast<char>('0' + ((mode >> shift) & 07));
  return out;
}

}  // namespace

Status check_private(const std::filesystem::path& path, PrivateKind kind) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return Ok{};
    return refused(path, std::string("cannot be checked: ") + std::strerror(errno));
  }
  const char* what = kind == PrivateKind::Folder ? "folder" : "file";
  if (S_ISLNK(st.st_mode)) {
    return refused(path, std::string("is a symbolic link; sslbind uses only a real ") + what +
                             " here, which a planted link cannot redirect: replace the link with the " + what +
                             " itself");
  }
  const uid_t me = ::geteuid();
  if (st.st_uid != me) {
    return refused(path, "is owned by uid " + std::to_string(st.st_uid) + ", not by uid " + std::to_string(me) +
                             " that runs sslbind: chown " + std::to_string(me) + " " + path.string());
  }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    return refused(path, "is writable by its group or by others (mode " + octal_mode(st.st_mode & 0777) +
                             "): chmod go-w " + path.string());
  }
  return Ok{};
}

}  // namespace sslbind::store
