#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "serve/loader_pool.hpp"
#include "tests/support/within.hpp"

using namespace sslbind::serve;
using namespace std::chrono_literals;
using sslbind::test::within;

namespace {

// A share that hangs until released: jobs that read it block; release() lets them all return.
struct HungShare {
  std::mutex mutex;
  std::condition_variable released_cv;
  bool released = false;
  std::atomic<int> inside{0};
  void read() {
    ++inside;
    std::unique_lock lock(mutex);
    released_cv.wait(lock, [&] { return released; });
    --inside;
  }
  void release() {
    {
      const std::lock_guard lock(mutex);
      released = true;
    }
    released_cv.notify_all();
  }
};

// A loader starved of CPU stays runnable without making progress; a busy wait looks the same to the pool.
struct Starved {
  std::atomic<bool> released{false};
  std::atomic<int> runs{0};
  void spin() {
    ++runs;
    while (!released) {
    }
  }
};

}  // namespace

TEST_SUITE("serve::loader_pool") {
  TEST_CASE("a hung share holds at most its group's loaders, other groups are served, stuck loads are abandoned") {
    HungShare share;
    LoaderPool pool({4, 100, 2, 300ms});
    std::atomic<int> abandoned{0}, delivered{0}, late{0};
    for (int i = 0; i < 5; ++i) {
      REQUIRE(pool.submit({[&]() -> LoaderPool::Delivery {
                             share.read();
                             return [&] { ++late; };  // dropped: the job was abandoned
                           },
                           "ccs", [&] { ++abandoned; }}));
    }
    CHECK(within(200ms, [&] { return share.inside == 2; }));  // two of five: the group's cap
    std::this_thread::sleep_for(50ms);
    CHECK(share.inside == 2);
    // The stores' loads go on meanwhile, on the other loaders.
    for (int i = 0; i < 10; ++i) {
      REQUIRE(pool.submit({[&]() -> LoaderPool::Delivery { return [&] { ++delivered; }; }, "store", [] {}}));
    }
    CHECK(within(500ms, [&] { return delivered == 10; }));
    // Past the deadline every ccs load is answered: the two running and the three queued.
    CHECK(within(1000ms, [&] { return abandoned == 5; }));
    CHECK(pool.abandoned() == 5);
    // Replacements keep the pool's capacity: more store loads still go, while two threads are still stuck.
    for (int i = 0; i < 10; ++i) REQUIRE(pool.submit([&]() -> LoaderPool::Delivery { return [&] { ++delivered; }; }));
    CHECK(within(500ms, [&] { return delivered == 20; }));
    share.release();
    std::this_thread::sleep_for(100ms);
    CHECK(late == 0);
    pool.stop();
  }

  TEST_CASE("a job without a deadline is never abandoned, and a group frees its slot when a job ends") {
    LoaderPool pool({2, 10, 1, 50ms});
    std::atomic<int> done{0};
    std::atomic<bool> abandoned{false};
    REQUIRE(pool.submit({[&]() -> LoaderPool::Delivery {
                           std::this_thread::sleep_for(200ms);
                           return [&] { ++done; };
                         },
                         "listing",
                         {}}));
    REQUIRE(
        pool.submit({[&]() -> LoaderPool::Delivery { return [&] { ++done; }; }, "listing", [&] { abandoned = true; }}));
    CHECK(within(1000ms, [&] { return done >= 1; }));
    // The second waited for the first (cap 1), and by then it had passed its 50 ms deadline in the queue.
    CHECK(within(500ms, [&] { return abandoned.load(); }));
    CHECK(done == 1);
  }

  TEST_CASE("stop() returns within its grace period while a load is stuck, the queue is bounded") {
    HungShare share;
    auto pool = std::make_unique<LoaderPool>(LoaderPool::Limits{1, 2, 1, 60s});
    REQUIRE(pool->submit([&]() -> LoaderPool::Delivery {
      share.read();
      return [] {};
    }));
    CHECK(within(200ms, [&] { return share.inside == 1; }));
    CHECK(pool->submit([]() -> LoaderPool::Delivery { return [] {}; }));
    CHECK(pool->submit([]() -> LoaderPool::Delivery { return [] {}; }));
    CHECK_FALSE(pool->submit([]() -> LoaderPool::Delivery { return [] {}; }));  // max_queued 2
    const auto start = std::chrono::steady_clock::now();
    pool->stop(300ms);
    CHECK(std::chrono::steady_clock::now() - start < 1s);
    CHECK_FALSE(pool->submit([]() -> LoaderPool::Delivery { return [] {}; }));
    pool.reset();
    share.release();  // the thread left behind returns into the pool's shared state, still alive
    CHECK(within(500ms, [&] { return share.inside == 0; }));
    std::this_thread::sleep_for(50ms);
  }

  TEST_CASE("a queued job that waited a fifth of its deadline behind busy loaders is started by the rescuer, in time") {
    Starved busy;
    LoaderPool pool({1, 10, 2, 800ms});
    REQUIRE(pool.submit([&]() -> LoaderPool::Delivery {  // no deadline: holds the only loader
      busy.spin();
      return [] {};
    }));
    std::atomic<int> delivered{0}, abandoned{0};
    const auto submitted = std::chrono::steady_clock::now();
    REQUIRE(
        pool.submit({[&]() -> LoaderPool::Delivery { return [&] { ++delivered; }; }, "store", [&] { ++abandoned; }}));
    CHECK(within(2000ms, [&] { return delivered == 1; }));
    CHECK(std::chrono::steady_clock::now() - submitted >= 160ms);  // not before a fifth of its deadline
    CHECK(abandoned == 0);
    CHECK(pool.rescued() == 1);
    busy.released = true;
  }

  TEST_CASE(
      "a repeatable job whose loader is starved runs again on the rescuer, and the first to finish delivers, once") {
    Starved starved;
    LoaderPool pool({1, 10, 2, 800ms});
    std::atomic<int> delivered{0}, abandoned{0};
    LoaderPool::Task task{[&]() -> LoaderPool::Delivery {
                            if (starved.runs == 0)
                              starved.spin();  // the loader's run: starved
                            else
                              ++starved.runs;  // the rescuer's: done at once
                            return [&] { ++delivered; };
                          },
                          "store", [&] { ++abandoned; }, true};
    REQUIRE(pool.submit(std::move(task)));
    CHECK(within(2000ms, [&] { return delivered == 1; }));
    CHECK(starved.runs == 2);
    CHECK(pool.rescued() == 1);
    starved.released = true;  // the starved run ends too: its delivery is dropped
    std::this_thread::sleep_for(200ms);
    CHECK(delivered == 1);
    CHECK(abandoned == 0);
  }

  TEST_CASE("a job blocked on a share, or not repeatable, is never run twice, and past its deadline it is abandoned") {
    HungShare share;
    Starved starved;
    LoaderPool pool({2, 10, 2, 400ms});
    std::atomic<int> blocked_runs{0}, abandoned{0};
    REQUIRE(pool.submit({[&]() -> LoaderPool::Delivery {
                           ++blocked_runs;
                           share.read();  // asleep in a system call, not starved
                           return [] {};
                         },
                         "ccs", [&] { ++abandoned; }, true}));
    REQUIRE(pool.submit({[&]() -> LoaderPool::Delivery {
                           starved.spin();
                           return [] {};
                         },
                         "store", [&] { ++abandoned; }, false}));
    CHECK(within(2000ms, [&] { return abandoned == 2; }));
    CHECK(blocked_runs == 1);
    CHECK(starved.runs == 1);
    CHECK(pool.rescued() == 0);
    share.release();
    starved.released = true;
  }
}
