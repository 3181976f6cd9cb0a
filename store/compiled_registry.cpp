#include "store/compiled_registry.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bit>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <limits>
#include <type_traits>
#include <vector>

#include "core/text.hpp"

namespace sslbind::store {
namespace {

constexpr char kMagic[8] = {'s', 's', 'l', 'b', 'i', 'd', 'x', '\n'};
constexpr std::uint32_t kByteOrder = 0x01020304;
constexpr std::uint32_t kFormat = 1;
constexpr std::uint16_t kAbsent = 0xFFFF;  // an optional text that is not set

struct Section {
  std::uint64_t offset = 0;
  std::uint64_t count = 0;
};

struct Header {
  char magic[8];
  std::uint32_t byte_order;
  std::uint32_t format;
  std::uint64_t file_size;
  std::uint64_t checksum;  // of the whole file, this field read as 0
  std::uint64_t source_device;
  std::uint64_t source_inode;
  std::int64_t source_size;
  std::int64_t source_mtime_ns;
  std::uint64_t binding_count;
  Section rest;       // bytes of the registry document without bindings
  Section ports;      // std::uint16_t each
  Section addresses;  // AddressEntry each
  Section slots;      // Slot each; a power of two, at least twice the bindings
};

template <typename T>
T read_at(std::string_view bytes, std::uint64_t offset) {
  T out;
  std::memcpy(&out, bytes.data() + offset, sizeof out);  // the mapping gives no alignment guarantee to rely on
  return out;
}

template <typename T>
void append(std::string& out, const T& value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

// A hash slot: the upper half of the key's hash, and the file offset of its record (0: empty).
struct Slot {
  std::uint32_t hash;
  std::uint32_t record;
};

// A record: this head, the lookup key, then the binding's fields (BindingWriter's order).
struct RecordHead {
  std::uint8_t kind;
  std::uint8_t unused = 0;
  std::uint16_t key_size;
  std::uint32_t body_size;
};

// A binding's fields in a fixed order, native integers: decoding one is a few copies, which a handshake can afford
// (the registry's JSON values would cost microseconds and twice the bytes). The round-trip test covers every field.
class BindingWriter {
 public:
  explicit BindingWriter(std::string& out) : out_(out) {}
  void write(const Binding& b) {
    const SslSettings& s = b.settings;
    const bool has_host = b.key.kind() == KeyKind::HostnamePort || b.key.kind() == KeyKind::ScopedCcs;
    text(has_host ? std::optional<std::string>(b.key.host()) : std::nullopt);
    out_ += static_cast<char>(s.certhash ? 1 : 0);
    if (s.certhash) bytes(s.certhash->bytes());
    bytes(s.appid.windows_bytes());
    text(s.certstorename);
    text(s.ctl_identifier);
    text(s.ctl_store_name);
    for (const std::uint32_t v :
         {s.check_mode, s.revocation_freshness_time, s.url_retrieval_timeout, s.flags, b.extended.receive_window,
          b.extended.max_settings_per_frame, b.extended.max_settings_per_minute}) {
      append(out_, v);
    }
  }

 private:
  template <std::size_t N>
  void bytes(const std::array<std::uint8_t, N>& a) {
    out_.append(reinterpret_cast<const char*>(a.data()), N);
  }
  void text(const std::optional<std::string>& v) {
    append(out_, static_cast<std::uint16_t>(v ? v->size() : kAbsent));
    if (v) out_ += *v;
  }

  std::string& out_;
};

class BindingReader {
 public:
  explicit BindingReader(std::string_view body) : body_(body) {}
  // Null when the bytes do not hold a whole binding of this key.
  std::optional<Binding> read(KeyKind kind, std::string_view key) {
    const auto port =
        static_cast<std::uint16_t>((static_cast<std::uint8_t>(key[1]) << 8) | static_cast<std::uint8_t>(key[2]));
    const auto host = text();
    std::optional<BindingKey> binding_key;
    switch (kind) {
      case KeyKind::IpPort: {
        if (key.size() != 3 + 1 + 16) return std::nullopt;
        std::array<std::uint8_t, 16> v6{};
        std::memcpy(v6.data(), key.data() + 4, v6.size());
        std::array<std::uint8_t, 4> v4{};
        std::memcpy(v4.data(), key.data() + 4, v4.size());
        binding_key = BindingKey::ip({key[3] == '\6' ? IpAddress::v6(v6) : IpAddress::v4(v4), port});
        break;
      }
      case KeyKind::HostnamePort:
      case KeyKind::ScopedCcs:
        if (!host) return std::nullopt;
        binding_key =
            kind == KeyKind::HostnamePort ? BindingKey::sni({*host, port}) : BindingKey::scoped_ccs({*host, port});
        break;
      case KeyKind::Ccs: binding_key = BindingKey::ccs(port); break;
    }
    Binding b{*binding_key, {}, {}};
    SslSettings& s = b.settings;
    std::uint8_t has_hash = 0;
    if (!take(has_hash)) return std::nullopt;
    if (has_hash != 0) {
      std::array<std::uint8_t, Thumbprint::kBytes> hash{};
      if (!take(hash)) return std::nullopt;
      s.certhash = Thumbprint::from_bytes(hash);
    }
    std::array<std::uint8_t, 16> appid{};
    if (!take(appid)) return std::nullopt;
    s.appid = Guid::from_windows_bytes(appid);
    s.certstorename = text();
    s.ctl_identifier = text();
    s.ctl_store_name = text();
    for (std::uint32_t* v :
         {&s.check_mode, &s.revocation_freshness_time, &s.url_retrieval_timeout, &s.flags, &b.extended.receive_window,
          &b.extended.max_settings_per_frame, &b.extended.max_settings_per_minute}) {
      if (!take(*v)) return std::nullopt;
    }
    if (!ok_ || !body_.empty()) return std::nullopt;
    return b;
  }

 private:
  template <typename T>
  bool take(T& out) {
    if (body_.size() < sizeof out) return ok_ = false;
    std::memcpy(&out, body_.data(), sizeof out);
    body_.remove_prefix(sizeof out);
    return true;
  }
  std::optional<std::string> text() {
    std::uint16_t size = 0;
    if (!take(size) || size == kAbsent) return std::nullopt;
    if (body_.size() < size) {
      ok_ = false;
      return std::nullopt;
    }
    std::string out(body_.substr(0, size));
    body_.remove_prefix(size);
    return out;
  }

  std::string_view body_;
  bool ok_ = true;
};

struct AddressEntry {
  std::uint8_t v6;
  std::uint8_t unused = 0;
  std::uint16_t port;
  std::uint8_t bytes[16];
};

static_assert(std::is_trivially_copyable_v<Header> && std::is_trivially_copyable_v<Slot> &&
              std::is_trivially_copyable_v<RecordHead> && std::is_trivially_copyable_v<AddressEntry>);

void align(std::string& out, std::size_t to) { out.resize((out.size() + to - 1) / to * to, '\0'); }

// The key a lookup builds: kind, port (big-endian), then the address (family and 16 bytes) or the lower-case host.
std::string lookup_key(KeyKind kind, std::uint16_t port) {
  std::string key;
  key.reserve(3 + 253);
  key += static_cast<char>(kind);
  key += static_cast<char>(port >> 8);
  key += static_cast<char>(port & 0xFF);
  return key;
}

std::string address_key(const IpAddress& address, std::uint16_t port) {
  std::string key = lookup_key(KeyKind::IpPort, port);
  key += address.family() == IpAddress::Family::V6 ? '\6' : '\4';
  key.append(reinterpret_cast<const char*>(address.bytes().data()), address.bytes().size());
  return key;
}

std::string key_of(const BindingKey& key) {
  switch (key.kind()) {
    case KeyKind::IpPort: return address_key(key.ip_port().address, key.port());
    case KeyKind::HostnamePort:
    case KeyKind::ScopedCcs: return lookup_key(key.kind(), key.port()) + text::to_lower(key.host());
    case KeyKind::Ccs: return lookup_key(key.kind(), key.port());
  }
  return {};
}

std::uint64_t hash_of(std::string_view key) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (const char c : key) h = (h ^ static_cast<std::uint8_t>(c)) * 1099511628211ull;
  return h;
}

// A 64-bit checksum at memory speed (a few ms for the 20 MiB of 100k bindings): it detects a torn or damaged file,
// not an attacker, whom the strict modes of the root keep out.
class Checksum {
 public:
  void update(std::string_view bytes) {
    std::size_t i = 0;
    for (; i + 8 <= bytes.size(); i += 8) {
      std::uint64_t word;
      std::memcpy(&word, bytes.data() + i, 8);
      mix(word);
    }
    std::uint64_t tail = 0;
    std::memcpy(&tail, bytes.data() + i, bytes.size() - i);
    mix(tail ^ (static_cast<std::uint64_t>(bytes.size() - i) << 56));
  }
  std::uint64_t value() const {
    std::uint64_t h = h_;
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDull;
    return h ^ (h >> 33);
  }

 private:
  void mix(std::uint64_t word) { h_ = std::rotl((h_ ^ word) * 0x9E3779B97F4A7C15ull, 29) + 0x52DCE729ull; }
  std::uint64_t h_ = 0x2545F4914F6CDD1Dull;
};

std::uint64_t checksum_of(std::string_view bytes) {
  Header header = read_at<Header>(bytes, 0);
  header.checksum = 0;
  Checksum sum;
  sum.update(std::string_view(reinterpret_cast<const char*>(&header), sizeof header));
  sum.update(bytes.substr(sizeof header));
  return sum.value();
}

Error damaged(const std::string& why) {
  return Error(ErrorCode::RegistryUnreadable, "the compiled registry is not used: " + why);
}

}  // namespace

std::optional<std::string> compile_registry(const BindingSet& bindings, std::string_view rest,
                                            const FileIdentity& source) {
  std::string out(sizeof(Header), '\0');
  std::vector<std::pair<std::uint64_t, std::uint32_t>> entries;  // (hash, record offset)
  entries.reserve(bindings.size());
  for (const auto& [key, binding] : bindings) {
    align(out, alignof(RecordHead));
    const std::string lookup = key_of(key);
    const std::size_t at = out.size();
    entries.emplace_back(hash_of(lookup), static_cast<std::uint32_t>(at));
    append(out, RecordHead{static_cast<std::uint8_t>(key.kind()), 0, static_cast<std::uint16_t>(lookup.size()), 0});
    out += lookup;
    const std::size_t body = out.size();
    BindingWriter(out).write(binding);
    const auto body_size = static_cast<std::uint32_t>(out.size() - body);
    std::memcpy(out.data() + at + offsetof(RecordHead, body_size), &body_size, sizeof body_size);
    if (out.size() > std::numeric_limits<std::uint32_t>::max()) return std::nullopt;
  }
  Header header{};
  std::memcpy(header.magic, kMagic, sizeof kMagic);
  header.byte_order = kByteOrder;
  header.format = kFormat;
  header.source_device = source.device;
  header.source_inode = source.inode;
  header.source_size = source.size;
  header.source_mtime_ns = source.mtime_ns;
  header.binding_count = bindings.size();
  header.rest = {out.size(), rest.size()};
  out += rest;

  const ListenPlan plan = listen_plan_of(bindings);
  align(out, alignof(std::uint16_t));
  header.ports = {out.size(), plan.ports.size()};
  for (const std::uint16_t port : plan.ports) append(out, port);
  align(out, alignof(AddressEntry));
  header.addresses = {out.size(), plan.addresses.size()};
  for (const IpPort& a : plan.addresses) {
    AddressEntry e{a.address.family() == IpAddress::Family::V6 ? std::uint8_t{1} : std::uint8_t{0}, 0, a.port, {}};
    std::memcpy(e.bytes, a.address.bytes().data(), sizeof e.bytes);
    append(out, e);
  }

  std::vector<Slot> slots(std::bit_ceil(std::max<std::size_t>(8, 2 * entries.size())), Slot{0, 0});
  const std::size_t mask = slots.size() - 1;
  for (const auto& [hash, offset] : entries) {
    std::size_t i = hash & mask;
    while (slots[i].record != 0) i = (i + 1) & mask;
    slots[i] = {static_cast<std::uint32_t>(hash >> 32), offset};
  }
  align(out, alignof(Slot));
  header.slots = {out.size(), slots.size()};
  out.append(reinterpret_cast<const char*>(slots.data()), slots.size() * sizeof(Slot));

  header.file_size = out.size();
  std::memcpy(out.data(), &header, sizeof header);
  reseal_compiled_registry(out);
  return out;
}

void reseal_compiled_registry(std::string& bytes) {
  if (bytes.size() < sizeof(Header)) return;
  const std::uint64_t sum = checksum_of(bytes);
  std::memcpy(bytes.data() + offsetof(Header, checksum), &sum, sizeof sum);
}

struct CompiledRegistry::Mapping {
  std::string owned;  // from_bytes
  void* mapped = nullptr;
  std::size_t mapped_size = 0;
  std::string_view bytes;
  Header header{};

  Mapping() = default;
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  ~Mapping() {
    if (mapped != nullptr) ::munmap(mapped, mapped_size);
  }
};

CompiledRegistry::CompiledRegistry(std::unique_ptr<Mapping> mapping) : mapping_(std::move(mapping)) {}
CompiledRegistry::~CompiledRegistry() = default;

Result<std::shared_ptr<const CompiledRegistry>> CompiledRegistry::from_bytes(std::string bytes,
                                                                             const FileIdentity& source) {
  auto mapping = std::make_unique<Mapping>();
  mapping->owned = std::move(bytes);
  mapping->bytes = mapping->owned;
  return check(std::move(mapping), source);
}

Result<std::shared_ptr<const CompiledRegistry>> CompiledRegistry::open(const std::filesystem::path& file,
                                                                       const FileIdentity& source) {
  // O_NONBLOCK: a FIFO put in its place never blocks the open; fstat then refuses anything but a regular file.
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) return damaged("cannot open " + file.string() + ": " + std::strerror(errno));
  struct stat st {};
  const bool sized = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= static_cast<off_t>(sizeof(Header));
  if (!sized) {
    ::close(fd);
    return damaged(file.string() + " is not a compiled registry (not a regular file, or shorter than a header)");
  }
  // Mapped from a sealed copy of this process's own, never from registry.idx itself: a mapping of the file would
  // fault (SIGBUS) at the next lookup once anyone truncated or rewrote it in place (`: > registry.idx`, a restore
  // tool, an editor). The kernel copies it (sendfile: no pass through user space); its pages are shared memory,
  // of which serve keeps resident only those its lookups touch.
  const auto size = static_cast<std::size_t>(st.st_size);
  const int copy = ::memfd_create("sslbind-registry.idx", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  off_t copied = 0;
  while (copy >= 0 && static_cast<std::size_t>(copied) < size) {
    const ssize_t n = ::sendfile(copy, fd, &copied, size - static_cast<std::size_t>(copied));
    if (n <= 0 && !(n < 0 && errno == EINTR)) break;  // 0: the file was cut while it was copied
  }
  const int copy_error = errno;
  ::close(fd);
  if (copy < 0) return damaged("cannot make a memory copy of " + file.string() + ": " + std::strerror(copy_error));
  if (static_cast<std::size_t>(copied) != size) {
    ::close(copy);
    return damaged("cannot copy " + file.string() + ": it was cut or could not be read (" + std::strerror(copy_error) +
                   ")");
  }
  ::fcntl(copy, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
  void* mapped = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, copy, 0);
  const int error = errno;
  ::close(copy);
  if (mapped == MAP_FAILED) return damaged("cannot map " + file.string() + ": " + std::strerror(error));
  auto mapping = std::make_unique<Mapping>();
  mapping->mapped = mapped;
  mapping->mapped_size = static_cast<std::size_t>(st.st_size);
  mapping->bytes = std::string_view(static_cast<const char*>(mapped), mapping->mapped_size);
  auto checked = check(std::move(mapping), source);
  // The checksum read every page; a lookup reads the few it needs, so memory grows with use, not with the registry.
  if (checked) ::madvise(mapped, static_cast<std::size_t>(st.st_size), MADV_DONTNEED);
  return checked;
}

Result<std::shared_ptr<const CompiledRegistry>> CompiledRegistry::check(std::unique_ptr<Mapping> mapping,
                                                                        const FileIdentity& source) {
  const std::string_view bytes = mapping->bytes;
  if (bytes.size() < sizeof(Header)) return damaged("it is shorter than its header");
  const Header h = read_at<Header>(bytes, 0);
  if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0) return damaged("it is not a compiled registry");
  if (h.byte_order != kByteOrder || h.format != kFormat) {
    return damaged("it is of format " + std::to_string(h.format) + ", this sslbind reads format " +
                   std::to_string(kFormat));
  }
  if (h.file_size != bytes.size()) return damaged("it is truncated or extended");
  if (FileIdentity{h.source_device, h.source_inode, h.source_size, h.source_mtime_ns} != source) {
    return damaged("it was compiled for another registry.json (a commit did not finish, or the file was replaced)");
  }
  const auto fits = [&](const Section& s, std::uint64_t size) {
    return s.offset >= sizeof(Header) && s.offset <= bytes.size() &&
           s.count <= (bytes.size() - s.offset) / std::max<std::uint64_t>(size, 1);
  };
  if (!fits(h.rest, 1) || !fits(h.ports, sizeof(std::uint16_t)) || !fits(h.addresses, sizeof(AddressEntry)) ||
      !fits(h.slots, sizeof(Slot)) || !std::has_single_bit(h.slots.count) || h.binding_count >= h.slots.count) {
    return damaged("its sections do not fit the file");
  }
  if (checksum_of(bytes) != h.checksum) return damaged("its checksum does not match (a torn or damaged file)");
  mapping->header = h;
  return std::shared_ptr<const CompiledRegistry>(new CompiledRegistry(std::move(mapping)));
}

std::string_view CompiledRegistry::rest() const {
  return mapping_->bytes.substr(mapping_->header.rest.offset, mapping_->header.rest.count);
}

std::size_t CompiledRegistry::size() const { return mapping_->header.binding_count; }

ListenPlan CompiledRegistry::listen_plan() const {
  const Header& h = mapping_->header;
  ListenPlan plan;
  for (std::uint64_t i = 0; i < h.ports.count; ++i) {
    plan.ports.push_back(read_at<std::uint16_t>(mapping_->bytes, h.ports.offset + i * sizeof(std::uint16_t)));
  }
  for (std::uint64_t i = 0; i < h.addresses.count; ++i) {
    const auto e = read_at<AddressEntry>(mapping_->bytes, h.addresses.offset + i * sizeof(AddressEntry));
    std::array<std::uint8_t, 16> v6{};
    std::memcpy(v6.data(), e.bytes, v6.size());
    std::array<std::uint8_t, 4> v4{};
    std::memcpy(v4.data(), e.bytes, v4.size());
    plan.addresses.push_back({e.v6 != 0 ? IpAddress::v6(v6) : IpAddress::v4(v4), e.port});
  }
  return plan;
}

std::shared_ptr<const Binding> CompiledRegistry::find(std::string_view key) const {
  const std::string_view bytes = mapping_->bytes;
  const Header& h = mapping_->header;
  const std::uint64_t hash = hash_of(key);
  const std::uint64_t mask = h.slots.count - 1;
  for (std::uint64_t probe = 0, i = hash & mask; probe < h.slots.count; ++probe, i = (i + 1) & mask) {
    const auto slot = read_at<Slot>(bytes, h.slots.offset + i * sizeof(Slot));
    if (slot.record == 0) return nullptr;
    if (slot.hash != static_cast<std::uint32_t>(hash >> 32)) continue;
    if (slot.record > bytes.size() - sizeof(RecordHead)) return nullptr;
    const auto head = read_at<RecordHead>(bytes, slot.record);
    const std::uint64_t start = slot.record + sizeof(RecordHead);
    if (head.kind > static_cast<std::uint8_t>(KeyKind::ScopedCcs) ||
        std::uint64_t{head.key_size} + head.body_size > bytes.size() - start) {
      return nullptr;
    }
    if (bytes.substr(start, head.key_size) != key) continue;
    auto decoded =
        BindingReader(bytes.substr(start + head.key_size, head.body_size)).read(static_cast<KeyKind>(head.kind), key);
    return decoded ? std::make_shared<const Binding>(std::move(*decoded)) : nullptr;
  }
  return nullptr;
}

std::shared_ptr<const Binding> CompiledRegistry::ip_port(const IpAddress& address, std::uint16_t port) const {
  return find(address_key(address, port));
}

std::shared_ptr<const Binding> CompiledRegistry::host_port(KeyKind kind, std::string_view lower_host,
                                                           std::uint16_t port) const {
  std::string key = lookup_key(kind, port);
  key += lower_host;
  return find(key);
}

std::shared_ptr<const Binding> CompiledRegistry::ccs(std::uint16_t port) const {
  return find(lookup_key(KeyKind::Ccs, port));
}

}  // namespace sslbind::store
