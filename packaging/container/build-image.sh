#!/usr/bin/env bash
# Builds the env-manager container image from an installation (the Debian package's /usr, or
# the prefix scripts/run-daemon.sh installed into), without downloading anything.
#   packaging/container/build-image.sh [PREFIX] [TAG]      defaults: /usr env-manager:latest
# Run it with the engine's socket and the host's network (README "env-manager in a container"):
#   docker run -d --name env-manager --network host \
#     -v /var/run/docker.sock:/var/run/docker.sock env-manager:latest
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
prefix=${1:-/usr} tag=${2:-env-manager:latest}
sysconfdir=$([[ "$prefix" == /usr ]] && echo /etc || echo "$prefix/etc")
daemon="$prefix/bin/env-manager"
[[ -x "$daemon" ]] || { echo "build-image: no $daemon (install env-manager first)" >&2; exit 1; }

context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
root="$context/rootfs"
mkdir -p "$root"/{usr/bin,usr/lib/env-manager/plugins,etc/env-manager,tmp,run}
chmod 1777 "$root/tmp"
cp "$daemon" "$prefix/bin/envctl" "$root/usr/bin/"
cp "$prefix"/lib/env-manager/plugins/*.so "$root/usr/lib/env-manager/plugins/"
cp "$sysconfdir/env-manager/env-manager.toml" "$root/etc/env-manager/"
echo "root:x:0:0:root:/root:/usr/sbin/nologin" > "$root/etc/passwd"
echo "root:x:0:" > "$root/etc/group"
# Every library the programs and plugins load, at the path the loader looks for it.
for binary in "$root"/usr/bin/* "$root"/usr/lib/env-manager/plugins/*.so; do
  ldd "$binary" | awk '/=> \// {print $3} /^\t\/.*ld-linux/ {print $1}'
done | sort -u | while read -r library; do
  cp --parents -L "$library" "$root"
done
cp "$here/Dockerfile" "$context/"
docker build -q -t "$tag" "$context" >/dev/null
echo "build-image: $tag from $prefix ($(du -sh "$root" | cut -f1) of files)"
