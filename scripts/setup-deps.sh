#!/usr/bin/env bash
# Installs every Debian 12 package env-manager needs to build, test and run.
# Idempotent: packages already present are left alone. Run as root.
set -euo pipefail

build_packages=(
  cmake ninja-build g++ pkg-config git ccache
  libboost-dev libboost-system-dev
  libgrpc++-dev libprotobuf-dev protobuf-compiler protobuf-compiler-grpc
  nlohmann-json3-dev libspdlog-dev libfmt-dev libtomlplusplus-dev prometheus-cpp-dev libcli11-dev
  libsystemd-dev libyaml-cpp-dev
)
test_packages=(
  libgtest-dev libgmock-dev libbenchmark-dev
  clang clang-format clang-tidy libclang-rt-14-dev
  docker.io docker-registry busybox-static redis-server
  tmux libxml2-utils chromium docker-compose
  dpkg-dev file lintian systemd
  curl python3 python3-protobuf python3-grpcio python3-grpc-tools grpc-proto prometheus iproute2 procps ca-certificates
  golang-go golang-google-grpc-dev golang-goprotobuf-dev protoc-gen-go-grpc
)

wanted=("${build_packages[@]}")
if [[ "${1:-}" != "--runtime-only" ]]; then
  wanted+=("${test_packages[@]}")
fi

missing=()
for pkg in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "setup-deps: all ${#wanted[@]} packages present"
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "setup-deps: missing packages (${missing[*]}); run as root to install them" >&2
  exit 1
fi

echo "setup-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
