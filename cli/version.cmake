# Run at every build (cmake -P): writes OUTPUT with the project version and, in a git work tree, the commit it was
# built from (-dirty with uncommitted changes). The file is rewritten only when its text changes, so a build with
# nothing new compiles nothing.
set(commit "")
find_package(Git QUIET)
if(GIT_FOUND AND EXISTS "${SOURCE_DIR}/.git")
  # A pattern no tag matches, so that describe gives the bare commit.
  execute_process(COMMAND "${GIT_EXECUTABLE}" -C "${SOURCE_DIR}" describe --always --dirty --abbrev=12 --match=none
                  OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    set(commit "")
  endif()
endif()
if(commit)
  set(text "${VERSION} (commit ${commit})")
else()
  set(text "${VERSION}")
endif()
set(content "// Written by cli/version.cmake at build time.\n#pragma once\n#define SSLBIND_VERSION_TEXT \"${text}\"\n")
set(old "")
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" old)
endif()
if(NOT old STREQUAL content)
  file(WRITE "${OUTPUT}" "${content}")
endif()
