# Deployment tests: tools/install.sh into scratch roots, the systemd unit
# checked by systemd-analyze, a real Caddy with internal TLS in front of
# the installed edge, and a real nginx with deploy/nginx.conf in front of
# this build's edge (tests/deploy/). The first two install from this build,
# so they need the web client (ONRAMP_BUILD_WEB).
find_program(ONRAMP_CADDY caddy REQUIRED)
# Debian installs nginx in /usr/sbin, which a user's PATH may lack.
find_program(ONRAMP_NGINX nginx PATHS /usr/sbin /sbin REQUIRED)
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
# nginx with deploy/nginx.conf in front of the edge as the unit starts it,
# over HTTPS with a self-signed certificate.
onramp_deploy_test(nginx 300)
