#!/usr/bin/env bash
# CTest registers each Catch2 test by name and splits names on ';' (a CMake list separator),
# so a test whose name holds one is never run: it shows up as two tests that match nothing.
# Fails, naming them, when any TEST_CASE name holds a ';'.
set -euo pipefail
root="${1:-$(dirname "$0")/..}"
if grep -rn --include='*.cpp' 'TEST_CASE("[^"]*;' "$root/tests"; then
  echo "test names above hold ';': CTest would split them and never run the tests" >&2
  exit 1
fi
