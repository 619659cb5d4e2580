#!/usr/bin/env bash
# The Debian packages as an operator meets them: builds them with cpack from a build tree
# configured for /usr, checks their contents and lintian, installs them with dpkg -i (and
# apt-get -f install for what they depend on), runs the installed daemon and envctl, verifies
# the unit, builds every example plugin out of tree against the installed -dev package and
# loads them, builds the container image from the installed files and starts the stack with
# it, then removes the packages (only the conffiles stay) and purges them (nothing stays).
#   test_debian_packages.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build_dir=$1 source_dir=$2

skip() { echo "[  SKIPPED ] $*"; exit 0; }
fail() { echo "FAIL: $*" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || skip "installing packages needs root"
for tool in cpack dpkg-deb dpkg-shlibdeps lintian apt-get systemd-analyze; do
  command -v "$tool" >/dev/null || skip "$tool is not installed (scripts/setup-deps.sh)"
done
prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$build_dir/CMakeCache.txt")
[[ "$prefix" == /usr ]] || skip "the build tree installs into $prefix, packages need /usr (the release preset)"
for package in env-manager env-manager-dev; do
  if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q installed; then
    skip "$package is already installed on this machine; not touching an operator's installation"
  fi
done

work=$(mktemp -d)
cleanup() {
  dpkg --purge env-manager-dev env-manager >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "--- cpack"
(cd "$build_dir" && cpack -G DEB -B "$work/packages" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; fail cpack; }
runtime=$(echo "$work"/packages/env-manager_*_amd64.deb)
dev=$(echo "$work"/packages/env-manager-dev_*_amd64.deb)
[[ -f "$runtime" && -f "$dev" ]] || fail "expected env-manager and env-manager-dev packages: $(ls "$work/packages")"
"$source_dir/tests/packaging/check_package_contents.py" "$runtime" "$dev"

echo "--- lintian"
# Every tag is printed (warnings and notes too); only an error fails.
lintian --fail-on error --display-level ">=pedantic" "$runtime" "$dev" || fail "lintian reported errors"

echo "--- install"
dpkg -i "$runtime" "$dev" || true  # leaves the packages unconfigured when dependencies are missing
DEBIAN_FRONTEND=noninteractive apt-get -f install -y -qq >/dev/null
for package in env-manager env-manager-dev; do
  dpkg-query -W -f='${Status}\n' "$package" | grep -qx "install ok installed" || fail "$package not installed"
done
"$source_dir/tests/packaging/check_installed.sh" "$source_dir"
echo "--- env-manager in a container, from the installed files"
"$source_dir/tests/packaging/check_container.sh" "$source_dir"

echo "--- remove, then purge"
dpkg -r env-manager-dev env-manager >/dev/null
"$source_dir/tests/packaging/check_package_contents.py" --removed "$runtime" "$dev"
dpkg --purge env-manager-dev env-manager >/dev/null
"$source_dir/tests/packaging/check_package_contents.py" --purged "$runtime" "$dev"
echo "packages built, lint-clean, installed, used, removed and purged"
