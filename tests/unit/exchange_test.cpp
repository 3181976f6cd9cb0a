// The exchange with the web farm, in-process: a fake upstream whose connects, writes and reads the test completes one
// by one (ninja's FakeCommandRunner is the model), and a sink that records what the client side would write. The
// rules under test: the head sent on, the balancer, the retry rule, the pool, the timeouts, the response's framing.
#include "serve/exchange.hpp"

#include <doctest/doctest.h>

#include <cstring>
#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/memory_binding_table.hpp"
#include "tests/support/temp_dir.hpp"

using namespace sslbind;
using namespace sslbind::serve;

namespace {

// What passed on one fake connection to a web worker, kept by the test after the exchange let the connection go.
struct Wire {
  std::string server;
  std::string written;
  std::vector<UpstreamConnection::Done> writes;  // pending, in order
  struct Read {
    char* into;
    std::size_t size;
    UpstreamConnection::Got got;
  };
  std::optional<Read> read;
  bool closed = false;
  bool pooled = false;

  void ack_writes(bool ok = true) {
    auto pending = std::move(writes);
    writes.clear();
    for (auto& done : pending) done(ok);
  }
  void respond(std::string_view bytes) {
    REQUIRE(read);
    REQUIRE(bytes.size() <= read->size);
    auto r = std::move(*read);
    read.reset();
    std::memcpy(r.into, bytes.data(), bytes.size());
    r.got(true, bytes.size());
  }
  void fail_read() {
    REQUIRE(read);
    auto r = std::move(*read);
    read.reset();
    r.got(false, 0);
  }
};

class FakeConnection : public UpstreamConnection {
 public:
  explicit FakeConnection(std::shared_ptr<Wire> wire) : wire_(std::move(wire)) {}
  void write(std::shared_ptr<const std::string> bytes, Done done) override {
    wire_->written += *bytes;
    wire_->writes.push_back(std::move(done));
  }
  void read_some(char* into, std::size_t size, Got got) override {
    wire_->read = Wire::Read{into, size, std::move(got)};
  }
  void shutdown_send() override {}
  // As a socket's: pending operations stay, to complete later (with an error) if the test says so.
  void close() override { wire_->closed = true; }
  const std::shared_ptr<Wire>& wire() const { return wire_; }

 private:
  std::shared_ptr<Wire> wire_;
};

class FakeTimer : public UpstreamTimer {
 public:
  void start(std::chrono::milliseconds, std::function<void()> fire) override { fire_ = std::move(fire); }
  void cancel() override { fire_ = nullptr; }
  void fire() {
    REQUIRE(fire_);
    auto f = std::move(fire_);
    fire_ = nullptr;
    f();
  }
  bool armed() const { return static_cast<bool>(fire_); }

 private:
  std::function<void()> fire_;
};

class FakeUpstream : public Upstream {
 public:
  struct Connect {
    std::string server;
    Connected done;
  };
  std::deque<Connect> connects;  // pending
  std::map<std::string, std::vector<std::shared_ptr<Wire>>> idle;
  std::vector<std::shared_ptr<Wire>> wires;  // every connection made, in order
  std::vector<FakeTimer*> timers;
  std::size_t turn = 0;

  void connect(const IpPort& address, Connected done) override { connects.push_back({address.str(), std::move(done)}); }
  std::unique_ptr<UpstreamConnection> take_idle(const std::string& server) override {
    auto& list = idle[server];
    if (list.empty()) return nullptr;
    auto wire = list.back();
    list.pop_back();
    wire->pooled = false;
    return std::make_unique<FakeConnection>(wire);
  }
  void keep_idle(const std::string& server, std::unique_ptr<UpstreamConnection> connection) override {
    auto wire = static_cast<FakeConnection&>(*connection).wire();
    wire->pooled = true;
    idle[server].push_back(wire);
  }
  std::unique_ptr<UpstreamTimer> timer() override {
    auto t = std::make_unique<FakeTimer>();
    timers.push_back(t.get());
    return t;
  }
  Buffer take_buffer() override { return std::make_unique<char[]>(kBufferSize); }
  void give_buffer(Buffer) override {}
  std::size_t next_turn() override { return turn++; }

  // Completes the oldest pending connect: a new connection, or a refusal.
  std::shared_ptr<Wire> accept() {
    REQUIRE_FALSE(connects.empty());
    Connect c = std::move(connects.front());
    connects.pop_front();
    auto wire = std::make_shared<Wire>();
    wire->server = c.server;
    wires.push_back(wire);
    c.done(std::make_unique<FakeConnection>(wire));
    return wire;
  }
  std::string refuse() {
    REQUIRE_FALSE(connects.empty());
    Connect c = std::move(connects.front());
    connects.pop_front();
    c.done(nullptr);
    return c.server;
  }
  FakeTimer& response_timer() { return *timers.at(0); }
};

class RecordingSink : public ExchangeSink {
 public:
  std::vector<int> heads;
  std::string data;
  int flushes = 0;
  bool ended = false;
  int drained = 0;
  std::optional<int> failure;
  std::optional<std::string> switched_rest;

  void response_head(const HttpHead& head) override { heads.push_back(head.status); }
  void response_data(std::string_view bytes) override { data += bytes; }
  void response_flush(bool end) override {
    ++flushes;
    ended = end;
  }
  void request_drained() override { ++drained; }
  void failed(int status) override { failure = status; }
  void switched(std::unique_ptr<UpstreamConnection>, std::string_view rest) override {
    switched_rest = std::string(rest);
  }
};

HttpHead request(std::string method, std::string host = "www.contoso.com") {
  HttpHead h;
  h.method = std::move(method);
  h.target = "/cart";
  h.path = "/cart";
  h.authority = host;
  h.keep_alive = true;
  h.headers = {{"Host", host}};
  return h;
}

// A front end's shared state and a snapshot with one farm of the given servers, routed for www.contoso.com.
struct Farm {
  test::TempDir root;
  SharedState shared{ServeCommand{}, root.path(), 1};
  std::shared_ptr<const Snapshot> snapshot;
  FakeUpstream upstream;
  RecordingSink sink;
  Exchange exchange{upstream, shared, sink,
                    std::make_shared<ClientFacts>(*IpPort::parse("203.0.113.7:50000"), "www.contoso.com",
                                                  "hostnameport=www.contoso.com:443", "ab", nullptr),
                    [] { return std::shared_ptr<void>(); }};

  explicit Farm(std::vector<std::string> servers, LoadBalance balance = LoadBalance::RoundRobin) {
    WebFarm farm;
    farm.name = "shop";
    for (const auto& s : servers) farm.servers.push_back(*FarmServer::parse(s));
    farm.load_balance = balance;
    farm.arr_ssl = false;
    store::ServingState state;
    REQUIRE(state.rest.farms.add_farm(farm));
    REQUIRE(state.rest.farms.add_route("www.contoso.com", "shop"));
    state.bindings = std::make_shared<MemoryBindingTable>(std::make_shared<const BindingSet>());
    snapshot = std::make_shared<Snapshot>(1, std::move(state), root.path(), nullptr);
  }
  void get(std::string method = "GET") {
    exchange.begin(steady_ms());
    exchange.start(request(std::move(method)), snapshot);
    if (!exchange.failed()) exchange.send("", true);
  }
  nlohmann::json health() { return shared.health.to_json(steady_ms()); }
};

constexpr std::string_view kOk = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";

}  // namespace

TEST_SUITE("serve::exchange") {
  TEST_CASE("a request goes on with ARR's head, its response comes back, the connection goes to the pool") {
    Farm f({"10.0.0.1:80"});
    f.get();
    auto wire = f.upstream.accept();
    CHECK(wire->server == "10.0.0.1:80");
    CHECK(wire->written.starts_with("GET /cart HTTP/1.1\r\nHost: www.contoso.com\r\n"));
    CHECK(wire->written.find("X-Forwarded-For: 203.0.113.7\r\n") != std::string::npos);
    CHECK(f.health()["10.0.0.1:80"]["inFlight"] == 1);
    wire->ack_writes();
    wire->respond(kOk);
    CHECK(f.sink.heads == std::vector<int>{200});
    CHECK(f.sink.data == "hello");
    CHECK(f.sink.ended);
    CHECK(f.exchange.response_delimited());
    f.exchange.complete();
    CHECK(wire->pooled);
    CHECK_FALSE(wire->closed);
    CHECK(f.health()["10.0.0.1:80"]["inFlight"] == 0);
    CHECK(f.health()["10.0.0.1:80"]["responses"]["2xx"] == 1);
    // The next request takes the pooled connection: no connect.
    f.get();
    CHECK(f.upstream.connects.empty());
    CHECK(wire->written.find("GET /cart", 10) != std::string::npos);
  }

  TEST_CASE("no route is 404 and no server is 502, answered before start() returns") {
    Farm f({"10.0.0.1:80"});
    f.exchange.begin(steady_ms());
    f.exchange.start(request("GET", "unrouted.example"), f.snapshot);
    CHECK(f.exchange.failed());
    CHECK(f.sink.failure == 404);
    CHECK(f.upstream.connects.empty());
    CHECK(f.shared.stats.to_json()["failures"]["noRoute"] == 1);
  }

  TEST_CASE("round robin follows this thread's turn, least requests takes the server with fewest in flight") {
    Farm rr({"10.0.0.1:80", "10.0.0.2:80"});
    for (int i = 0; i < 4; ++i) {
      rr.get();
      rr.upstream.accept();
    }
    CHECK(rr.upstream.wires[0]->server == "10.0.0.1:80");
    CHECK(rr.upstream.wires[1]->server == "10.0.0.2:80");
    CHECK(rr.upstream.wires[2]->server == "10.0.0.1:80");

    Farm lr({"10.0.0.1:80", "10.0.0.2:80"}, LoadBalance::LeastRequests);
    lr.shared.health.started("10.0.0.1:80");  // another thread's request
    lr.get();
    CHECK(lr.upstream.accept()->server == "10.0.0.2:80");
  }

  TEST_CASE("a refused connect is retried on the next server and weighs two against the first") {
    Farm f({"10.0.0.1:80", "10.0.0.2:80"});
    f.get("POST");  // even a POST: none of it reached a web worker
    CHECK(f.upstream.refuse() == "10.0.0.1:80");
    auto wire = f.upstream.accept();
    CHECK(wire->server == "10.0.0.2:80");
    CHECK(wire->written.starts_with("POST /cart HTTP/1.1\r\n"));
    CHECK(f.health()["10.0.0.1:80"]["failures"] == 1);
    wire->ack_writes();
    wire->respond(kOk);
    CHECK(f.sink.heads == std::vector<int>{200});
    CHECK_FALSE(f.sink.failure);
  }

  TEST_CASE("a reset after the request went: a GET goes to another server, a POST whose body went gets 502") {
    Farm get({"10.0.0.1:80", "10.0.0.2:80"});
    get.get();
    auto first = get.upstream.accept();
    first->ack_writes();
    first->fail_read();
    CHECK(first->closed);
    auto second = get.upstream.accept();
    CHECK(second->server == "10.0.0.2:80");
    CHECK(second->written.starts_with("GET /cart HTTP/1.1\r\n"));

    Farm post({"10.0.0.1:80", "10.0.0.2:80"});
    post.exchange.begin(steady_ms());
    post.exchange.start(request("POST"), post.snapshot);
    post.exchange.send("0123456789", true);
    auto only = post.upstream.accept();
    only->ack_writes();  // head and body went
    only->fail_read();
    CHECK(post.sink.failure == 502);
    CHECK(post.upstream.connects.empty());
    CHECK(post.shared.stats.to_json()["failures"]["backendUnavailable"] == 1);
  }

  TEST_CASE("a pooled connection the web worker closed is no fault of it: the same server, on a fresh connection") {
    Farm f({"10.0.0.1:80"});
    auto stale = std::make_shared<Wire>();
    stale->server = "10.0.0.1:80";
    f.upstream.idle["10.0.0.1:80"].push_back(stale);
    f.get("POST");
    stale->ack_writes();
    stale->fail_read();  // closed under it, before any response byte
    auto fresh = f.upstream.accept();
    CHECK(fresh->server == "10.0.0.1:80");
    CHECK(fresh->written.starts_with("POST /cart HTTP/1.1\r\n"));
    CHECK(f.health()["10.0.0.1:80"]["failures"] == 0);
  }

  TEST_CASE("body bytes queued while the head failed follow the head again on the retry") {
    Farm f({"10.0.0.1:80", "10.0.0.2:80"});
    f.exchange.begin(steady_ms());
    f.exchange.start(request("PUT"), f.snapshot);
    auto first = f.upstream.accept();  // the head is being written
    f.exchange.send("body", true);     // queued behind it
    first->ack_writes(false);          // the head's write failed: no body byte went
    auto second = f.upstream.accept();
    CHECK(second->written.starts_with("PUT /cart HTTP/1.1\r\n"));
    CHECK(second->written.ends_with("\r\n\r\nbody"));
  }

  TEST_CASE("the response timeout answers 504, late completions of the old connection are ignored") {
    Farm f({"10.0.0.1:80"});
    f.get();
    auto wire = f.upstream.accept();
    wire->ack_writes();
    CHECK(f.upstream.response_timer().armed());
    f.upstream.response_timer().fire();
    CHECK(wire->closed);
    wire->fail_read();  // the closed socket's read completes
    CHECK(f.sink.failure == 504);
    CHECK(f.shared.stats.to_json()["failures"]["backendTimeout"] == 1);
    f.sink.failure.reset();
    f.exchange.cancel();
    CHECK_FALSE(f.sink.failure);
  }

  TEST_CASE("a response's framing: bytes past its end are refused to the pool, a body cut short cuts the client") {
    Farm past({"10.0.0.1:80"});
    past.get();
    auto wire = past.upstream.accept();
    wire->ack_writes();
    wire->respond(std::string(kOk) + "HTTP/1.1 200 OK\r\n");
    CHECK(past.sink.data == "hello");
    past.exchange.complete();
    CHECK_FALSE(wire->pooled);
    CHECK(wire->closed);
    CHECK(past.shared.stats.to_json()["failures"]["backendProtocol"] == 1);

    Farm cut({"10.0.0.1:80"});
    cut.get();
    auto w = cut.upstream.accept();
    w->ack_writes();
    w->respond("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhel");
    CHECK_FALSE(cut.sink.ended);
    cut.exchange.read_on();
    w->fail_read();
    CHECK(cut.sink.failure == 502);
    CHECK(cut.exchange.response_started());

    Farm until({"10.0.0.1:80"});
    until.get();
    auto u = until.upstream.accept();
    u->ack_writes();
    u->respond("HTTP/1.1 200 OK\r\n\r\nall of it");
    CHECK_FALSE(until.exchange.response_delimited());
    until.exchange.read_on();
    u->fail_read();  // its end is the close
    CHECK(until.sink.ended);
    CHECK_FALSE(until.sink.failure);
  }

  TEST_CASE("a response head that breaks a rule is 502, and so is one cut short") {
    Farm f({"10.0.0.1:80"});
    f.get();
    auto wire = f.upstream.accept();
    wire->ack_writes();
    wire->respond("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n");
    CHECK(f.sink.failure == 502);
    Farm g({"10.0.0.1:80"});
    g.get();
    auto w = g.upstream.accept();
    w->ack_writes();
    w->respond("HTTP/1.1 200 OK\r\nContent-");
    CHECK(g.sink.heads.empty());
    g.exchange.read_on();
    w->fail_read();
    CHECK(g.sink.failure == 502);
  }

  TEST_CASE("a 101 to a WebSocket handshake hands the connection over with what came after its head") {
    Farm f({"10.0.0.1:80"});
    HttpHead ws = request("GET");
    ws.upgrade = true;
    f.exchange.begin(steady_ms());
    f.exchange.start(ws, f.snapshot);
    f.exchange.send("", true);
    auto wire = f.upstream.accept();
    wire->ack_writes();
    wire->respond("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n\x81\x02hi");
    REQUIRE(f.sink.switched_rest);
    CHECK(*f.sink.switched_rest == "\x81\x02hi");
    CHECK(f.health()["10.0.0.1:80"]["inFlight"] == 0);
    CHECK(f.health()["10.0.0.1:80"]["responses"]["1xx"] == 1);
  }

  TEST_CASE("the request body is asked for when everything given reached the web worker") {
    Farm f({"10.0.0.1:80"});
    f.exchange.begin(steady_ms());
    f.exchange.start(request("POST"), f.snapshot);
    auto wire = f.upstream.accept();
    CHECK(f.sink.drained == 0);  // the head is on its way
    wire->ack_writes();
    CHECK(f.sink.drained == 1);
    f.exchange.send("part", false);
    wire->ack_writes();
    CHECK(f.sink.drained == 2);
    f.exchange.send("end", true);
    wire->ack_writes();
    CHECK(f.sink.drained == 2);  // the request ended
    CHECK(wire->written.ends_with("\r\n\r\npartend"));
  }
}
