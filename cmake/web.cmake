# The WebAssembly client as a sub-build: web/ is its own CMake project,
# configured with the Emscripten toolchain (one configure cannot hold two
# toolchains). Its install step puts the page into ${CMAKE_BINARY_DIR}/web:
#   index.html  boot.js  onramp.js  onramp.wasm   and a gzip -9 sibling of each;
# and the static demo, the same files, into ${CMAKE_BINARY_DIR}/web-static.
#
# BUILD_ALWAYS hands every top-level build to the sub-build's own make, which
# does nothing when nothing changed; install then only reports "Up-to-date".
# NODE_PATH lets emscripten's JS optimizer find Debian's acorn.
include(ExternalProject)

set(ONRAMP_WEB_DIR ${CMAKE_BINARY_DIR}/web)
set(ONRAMP_WEB_STATIC_DIR ${CMAKE_BINARY_DIR}/web-static)  # the static demo (no server)
set(_web_env ${CMAKE_COMMAND} -E env NODE_PATH=/usr/share/nodejs)

# With Makefiles, $(MAKE) joins the parent's jobserver, so -jN stays the cap
# for the whole tree.
if(CMAKE_GENERATOR MATCHES "Makefiles")
  set(_web_build ${_web_env} $(MAKE))
else()
  set(_web_build ${_web_env} ${CMAKE_COMMAND} --build <BINARY_DIR>)
endif()

ExternalProject_Add(onramp_web
  SOURCE_DIR ${CMAKE_SOURCE_DIR}/web
  BINARY_DIR ${CMAKE_BINARY_DIR}/web-build
  CONFIGURE_COMMAND ${_web_env} ${CMAKE_COMMAND} -S <SOURCE_DIR> -B <BINARY_DIR>
    -G ${CMAKE_GENERATOR}
    -DCMAKE_TOOLCHAIN_FILE=/usr/share/emscripten/cmake/Modules/Platform/Emscripten.cmake
    -DCMAKE_BUILD_TYPE=Release
    -DCMAKE_INSTALL_PREFIX=${ONRAMP_WEB_DIR}
    -DONRAMP_ROOT=${CMAKE_SOURCE_DIR}
    -DIMGUI_DIR=${CMAKE_SOURCE_DIR}/.deps/imgui-1.86
    -DONRAMP_VERSION=${PROJECT_VERSION}
  BUILD_COMMAND ${_web_build}
  INSTALL_COMMAND ${CMAKE_COMMAND} --install <BINARY_DIR> --component Unspecified
          COMMAND ${CMAKE_COMMAND} --install <BINARY_DIR> --component static_demo --prefix ${CMAKE_BINARY_DIR}
  BUILD_ALWAYS ON
  BUILD_BYPRODUCTS
    ${ONRAMP_WEB_DIR}/index.html ${ONRAMP_WEB_DIR}/boot.js ${ONRAMP_WEB_DIR}/onramp.js ${ONRAMP_WEB_DIR}/onramp.wasm
    ${ONRAMP_WEB_STATIC_DIR}/index.html ${ONRAMP_WEB_STATIC_DIR}/onramp.js ${ONRAMP_WEB_STATIC_DIR}/onramp.wasm
  USES_TERMINAL_BUILD ON)

# Installed beside the server, which looks for it there (see the install
# rule in CMakeLists.txt); the static demo is hosted apart, not installed.
install(DIRECTORY ${ONRAMP_WEB_DIR}/ DESTINATION share/onramp/web)
