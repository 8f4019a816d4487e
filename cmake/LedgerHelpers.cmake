# One helper per kind of target. Every target states its own dependencies, so the
# link graph enforces the layering described in docs/architecture.md.

set(LEDGER_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Wcast-align -Wunused -Woverloaded-virtual -Wimplicit-fallthrough
    # Designated initializers that rely on member defaults are the point of C++20 aggregates.
    -Wno-missing-field-initializers)
if(LEDGER_WERROR)
  list(APPEND LEDGER_WARNINGS -Werror)
endif()
# GCC 12 at -O3 (Release) reports `"literal" + std::string` as an overlapping memcpy
# (-Wrestrict false positive, GCC bug 105329), which breaks `tools/dev bench` builds. Only
# Release builds need it, so the other build trees keep the warning (and their flags).
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 12
   AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  list(APPEND LEDGER_WARNINGS $<$<CONFIG:Release>:-Wno-restrict>)
endif()

if(LEDGER_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

# ledger_library(NAME SOURCES ... DEPS ... PRIVATE_DEPS ...): a static library rooted at src/.
#   DEPS          linked PUBLIC: what the library's headers use; whoever links it sees them too.
#   PRIVATE_DEPS  linked PRIVATE: used by its .cpp files only; hidden from whoever links it.
# Every header lives under src/, so include paths alone cannot hide a layer. Each library also
# defines LEDGER_LINKS_<NAME> (LEDGER_LINKS_LEDGER_STORE, ...) for itself and for the targets that
# link it directly or through PUBLIC links only; the headers of a layer that others must not see
# through (src/store, src/projection: their visibility.h) refuse to compile without it.
function(ledger_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_compile_options(${name} PRIVATE ${LEDGER_WARNINGS})
  string(TOUPPER "LEDGER_LINKS_${name}" links_macro)
  target_compile_definitions(${name} PUBLIC ${links_macro})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
endfunction()

# ledger_executable(NAME SOURCES ... DEPS ...): a program (server, tool, test helper).
function(ledger_executable name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_compile_options(${name} PRIVATE ${LEDGER_WARNINGS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
endfunction()

# Test code is most of what the suite compiles (about 70 % of the sanitizer build's compile
# time) and little of what it runs: the code under test, in src/, keeps the build's optimisation.
# So test files are compiled at -O0 under the sanitizers and -O1 otherwise, which compiles them
# about 40 % (ASan) and 20 % faster than -O1 and -O2; CI builds the suite twice on two cores.
set(LEDGER_TEST_OPTIMIZATION $<IF:$<BOOL:${LEDGER_SANITIZE}>,-O0,-O1>)

# ledger_test(NAME SOURCES ... DEPS ...): a Catch2 binary; each TEST_CASE becomes a ctest test
# so `ctest -j` runs them in parallel. Test cases tagged [.] are hidden (slow, run on demand).
function(ledger_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_compile_options(${name} PRIVATE ${LEDGER_WARNINGS} ${LEDGER_TEST_OPTIMIZATION})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} ledger_test_main)
  catch_discover_tests(${name} PROPERTIES TIMEOUT 600)
endfunction()
