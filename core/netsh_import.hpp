#pragma once
// Reads the text of `netsh http show sslcert` as Windows prints it (the layouts of Windows Server 2008 R2 to 2022:
// fewer or more fields, extra blank lines, Extended Properties) into add commands, one per binding.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/batch.hpp"
#include "core/listing_decoder.hpp"

namespace sslbind {

// One binding being read: the words it will be parsed from.
struct NetshShowEntry {
  std::size_t line = 0;
  std::vector<std::string> words;
  bool caching_client_hello = false;
  // "Use Revocation Freshness Time : Enabled|Disabled", which netsh prints when DefaultCertCheckMode has the bit;
  // without the line the bit follows the freshness time, as `add sslcert` sets it.
  std::optional<bool> freshness_in_force;
  std::uint32_t fields = 0;  // bit i: field_labels()[i] was present
  ExtendedProperties extended;
  std::optional<std::uint32_t> property_id;  // of the "Extended Properties:" block being read
  std::uint32_t property_blocks = 0;         // bit i: a block for PropertyId i (0 to 31) was read
  std::uint32_t property_values = 0;         // bit 0: Receive Window, 1: Max Settings Per Frame, 2: Per Minute
  bool in_extended = false;                  // past an "Extended Properties:" line
};

// Takes the listing a line at a time, so that a listing of 100k bindings (over 100 MB of text) need not be held.
// Each binding becomes an `add sslcert` line numbered by the line of its key ("IP:port : 0.0.0.0:443"); its values
// go through the same parser as the command line. Extended properties other than Windows' defaults become
// `update sslpropertyex` lines after it. A line that cannot be read is refused with its number.
class NetshShowReader {
 public:
  Status feed(std::string_view line);  // without its line end; a trailing CR is ignored
  Result<std::vector<BatchLine>> finish_all();

 private:
  Status close_entry();

  // A listing comes from one Windows build, so its entries print the same fields: an entry that lacks some of them or
  // stops inside an Extended Properties block, or a listing whose fields end where no Windows layout ends, was cut (a
  // copy or a paste that stopped short). The order of the labels does not matter.
  Status check_complete() const;

  std::size_t line_number_ = 0;
  std::optional<NetshShowEntry> entry_;
  std::vector<BatchLine> lines_;
  struct EntryFields {
    std::size_t line = 0;
    std::uint32_t fields = 0;
    std::uint32_t property_blocks = 0;
    std::uint32_t property_values = 0;
  };
  std::vector<EntryFields> entries_;
};

// A saved listing file, as bytes in pieces of any size: decoded (ListingDecoder) and read (NetshShowReader). Errors
// come in line order whatever the pieces: the lines decoded before a line that cannot be decoded are read first.
class NetshListingFile {
 public:
  Status feed(std::string_view bytes);
  Result<std::vector<BatchLine>> finish();
  // The file is the JSON document of `show sslcert json=enable` (its first character is '{'): its decoded text,
  // for the caller to read (finish() then returns no line).
  const std::optional<std::string>& json_document() const { return json_; }

 private:
  Status read_decoded(Status decoded);

  ListingDecoder decoder_;
  NetshShowReader reader_;
  std::vector<std::string> decoded_;
  bool decided_ = false;  // whether the file is a listing or a JSON document
  std::optional<std::string> json_;
};

}  // namespace sslbind
