# Deployment tests: tools/install.sh into scratch roots, the systemd unit
# checked by systemd-analyze, and a real Caddy with internal TLS in front of
# the installed edge (tests/deploy/). They install from this build, so they
# need the web client (ONRAMP_BUILD_WEB).
find_program(ONRAMP_CADDY caddy REQUIRED)
find_program(ONRAMP_SYSTEMD_ANALYZE systemd-analyze REQUIRED)

function(onramp_deploy_test name timeout)
  add_test(NAME deploy.${name}
    COMMAND ${CMAKE_SOURCE_DIR}/tests/deploy/${name}_test.sh ${CMAKE_BINARY_DIR})
  set_tests_properties(deploy.${name} PROPERTIES
    TIMEOUT ${timeout}
    LABELS deploy
    # install.sh runs the (up-to-date) build in this build directory; two
    # builds at once in one directory would trip over each other.
    RESOURCE_LOCK onramp_build_dir)
endfunction()

# What install.sh installs where, the same files again on a rerun, the unit.
onramp_deploy_test(install 300)
# Caddy in front of the edge as the unit starts it, over HTTPS.
onramp_deploy_test(caddy 300)
