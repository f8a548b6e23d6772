# libFuzzer targets, one per tests/fuzz/<name>.cpp, each built as
# build-fuzz/fuzz_<name>. Included when -DONRAMP_FUZZ=ON; tools/fuzz.sh
# configures a tree of its own with clang, builds and runs them (see
# docs/fuzzing.md).
#
# Only the sources a target reaches are compiled here, with the sanitizers,
# into small static libraries by area; nothing else of the project is built
# in this tree. A target lists the areas it links:
#
#   onramp_fuzz_library(fuzzlib_<area> <sources>...)   sources, instrumented
#   onramp_fuzz_target(<name> <libraries>...)       tests/fuzz/<name>.cpp
#
# Adding a target is a tests/fuzz/<name>.cpp, a seed corpus in
# tests/fuzz/<name>/ and one onramp_fuzz_target() line below (plus an
# onramp_fuzz_library() if its sources are in no area yet); the main
# build's ctest runs every tests/fuzz/*.cpp it finds.
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "ONRAMP_FUZZ needs clang (libFuzzer); tools/fuzz.sh configures it with clang++-14")
endif()

# -O1 and line tables, as OSS-Fuzz builds: fast enough to run, cheap to
# compile, and readable stacks. NDEBUG stays undefined so that assertions
# (nlohmann::json's among them) are checked too.
set(ONRAMP_FUZZ_SANITIZERS address,undefined)
set(ONRAMP_FUZZ_COMPILE_OPTIONS -O1 -gline-tables-only -fno-omit-frame-pointer
    -fsanitize=fuzzer-no-link,${ONRAMP_FUZZ_SANITIZERS} -fno-sanitize-recover=all)

function(onramp_fuzz_library name)
  add_library(${name} STATIC ${ARGN})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_compile_options(${name} PRIVATE ${ONRAMP_FUZZ_COMPILE_OPTIONS})
  target_compile_definitions(${name} PUBLIC ONRAMP_VERSION="${PROJECT_VERSION}")
  target_link_libraries(${name} PUBLIC nlohmann_json::nlohmann_json)
endfunction()

function(onramp_fuzz_target name)
  add_executable(fuzz_${name} ${PROJECT_SOURCE_DIR}/tests/fuzz/${name}.cpp)
  target_compile_options(fuzz_${name} PRIVATE ${ONRAMP_FUZZ_COMPILE_OPTIONS})
  target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer,${ONRAMP_FUZZ_SANITIZERS})
  target_link_libraries(fuzz_${name} PRIVATE ${ARGN})
  set_target_properties(fuzz_${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
endfunction()

# --- areas -------------------------------------------------------------------
onramp_fuzz_library(fuzzlib_shared ${ONRAMP_SHARED_SOURCES})

onramp_fuzz_library(fuzzlib_crypto edge/crypto/digest.cpp edge/crypto/encoding.cpp)
target_link_libraries(fuzzlib_crypto PUBLIC OpenSSL::Crypto)

# The request plumbing a JSON body goes through before a handler reads it.
onramp_fuzz_library(fuzzlib_http edge/http/message.cpp edge/http/router.cpp)
target_link_libraries(fuzzlib_http PUBLIC fuzzlib_shared fuzzlib_crypto)

# Every webhook scheme, its signer, and the pure reading of a verified body.
# The platforms' schemes are their folders' webhook.cpp (cmake/platforms.cmake).
file(GLOB ONRAMP_PLATFORM_WEBHOOK_SOURCES CONFIGURE_DEPENDS edge/platforms/*/webhook.cpp)
onramp_fuzz_library(fuzzlib_webhooks
  edge/webhooks/verify.cpp edge/webhooks/sign.cpp edge/webhooks/schemes.cpp
  edge/webhooks/standard_webhooks.cpp edge/webhooks/topics.cpp
  ${ONRAMP_PLATFORM_WEBHOOK_SOURCES} ${ONRAMP_PLATFORM_SCHEMES_CPP})
target_link_libraries(fuzzlib_webhooks PUBLIC fuzzlib_crypto fuzzlib_shared)

onramp_fuzz_library(fuzzlib_documents edge/documents/detect.cpp edge/documents/extract.cpp
                    edge/documents/reader/read.cpp)
target_link_libraries(fuzzlib_documents PUBLIC fuzzlib_shared PkgConfig::POPPLER_CPP PkgConfig::LIBZIP EXPAT::EXPAT)

# The server's reading of an upload's body.
onramp_fuzz_library(fuzzlib_multipart edge/http/multipart.cpp edge/http/header_text.cpp)
target_link_libraries(fuzzlib_multipart PUBLIC fuzzlib_documents)

# --- targets -----------------------------------------------------------------
onramp_fuzz_target(json fuzzlib_http fuzzlib_shared)
onramp_fuzz_target(webhooks fuzzlib_webhooks)
onramp_fuzz_target(documents fuzzlib_documents)
onramp_fuzz_target(multipart fuzzlib_multipart)
