#pragma once
// Small text helpers shared by the text outputs.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sslbind::cli {

// "2027-01-31 12:00:00 UTC"
std::string utc(std::int64_t seconds_since_epoch);
// "a, b, c", or "(none)"
std::string joined(const std::vector<std::string>& items);
// "    <label><padding>: <value>\n" with the colon in column `width` + 5, as netsh aligns its fields.
void label_line(std::string& out, std::string_view label, const std::string& value, std::size_t width = 23);

}  // namespace sslbind::cli
