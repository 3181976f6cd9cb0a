#include "serve/admin_client.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sslbind::serve {

Result<std::string> query_admin(const std::filesystem::path& socket, const std::string& request) {
  auto unavailable = [&](const std::string& why) {
    return Error(ErrorCode::SourceUnavailable, "no front end answers on " + socket.string() + ": " + why +
                                                   "; is sslbind serve running with this root or admin= socket?");
  };
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (socket.string().size() >= sizeof address.sun_path) return unavailable("the path is too long for a socket");
  std::strncpy(address.sun_path, socket.c_str(), sizeof address.sun_path - 1);
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return unavailable(std::strerror(errno));
  const timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  std::string reply;
  std::string error;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    error = std::strerror(errno);
  } else {
    const std::string line = request + "\n";
    if (::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) error = std::strerror(errno);
    char buffer[65536];
    while (error.empty()) {
      const ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n > 0)
        reply.append(buffer, static_cast<std::size_t>(n));
      else if (n == 0)
        break;
      else if (errno != EINTR)
        error = std::strerror(errno);
    }
  }
  ::close(fd);
  if (!error.empty()) return unavailable(error);
  return reply;
}

}  // namespace sslbind::serve
