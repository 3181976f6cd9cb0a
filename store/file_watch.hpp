#pragma once
// Tells of the changes of one file in a folder, or of any file in it, on a thread of its own: inotify on the folder
// (a commit replaces the file by rename, IN_MOVED_TO; a file written in place closes, IN_CLOSE_WRITE), a burst of
// changes debounced into one call. inotify sees changes made on this machine only; a folder on a network share is not
// watched (serve polls the CCS folder there).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "core/result.hpp"

namespace sslbind::store {

class FileWatch {
 public:
  // `changed` runs on the watch's thread, once per burst. Unavailable (no inotify, no folder) is an error.
  static Result<std::unique_ptr<FileWatch>> start(const std::filesystem::path& file, std::function<void()> changed);
  // Any file of `folder` created, written, renamed in or out, or deleted.
  static Result<std::unique_ptr<FileWatch>> start_folder(const std::filesystem::path& folder,
                                                         std::function<void()> changed);
  // Returns once the thread has ended: no call of `changed` comes after.
  ~FileWatch();
  FileWatch(const FileWatch&) = delete;
  FileWatch& operator=(const FileWatch&) = delete;

 private:
  // `name` empty: any file of the folder.
  static Result<std::unique_ptr<FileWatch>> open(const std::filesystem::path& folder, std::uint32_t events,
                                                 std::string name, std::function<void()> changed);
  FileWatch(int inotify, int stop, std::string name, std::function<void()> changed);
  void run();

  int inotify_;
  int stop_;  // an eventfd the destructor writes
  std::string name_;
  std::function<void()> changed_;
  std::thread thread_;
};

}  // namespace sslbind::store
