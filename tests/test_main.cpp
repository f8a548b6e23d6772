// The one main() of each doctest suite; the suites themselves live beside
// the code they specify (tests/shared/..., tests/edge/...).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
