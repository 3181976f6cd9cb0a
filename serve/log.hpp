#pragma once
// One line per event on standard error, with the syslog priority prefix journald reads ("<6>" info, "<4>" warning,
// "<3>" error), so that `journalctl -u sslbind -p warning` works. Lines never hold secrets. Thread-safe.
#include <string_view>

namespace sslbind::serve {

enum class Level { Error = 3, Warning = 4, Info = 6 };
void log(Level level, std::string_view line);

}  // namespace sslbind::serve
