#!/usr/bin/env bash
# Ensure a local image "debian:bookworm-slim" exists, without needing a
# container registry.
#
#   1. If the image is already present locally: nothing to do.
#   2. Otherwise try `docker pull` (short timeout).
#   3. Otherwise build it offline from Debian packages with
#      `debootstrap --variant=minbase bookworm`, trim it like Docker's official
#      "slim" variant, and `docker import` it under that tag.
#
# The result is a drop-in base for ordinary `FROM debian:bookworm-slim`
# Dockerfiles: `apt-get update && apt-get install ...` works inside
# `docker build` because /etc/apt/sources.list.d/debian.sources points at the
# same Debian mirror the host uses.
#
# Environment overrides:
#   BASE_IMAGE       tag to create              (default debian:bookworm-slim)
#   DEBIAN_SUITE     suite to bootstrap         (default bookworm)
#   DEBIAN_MIRROR    Debian archive URL         (default: host's apt sources, else http://deb.debian.org/debian)
#   DEBIAN_SECURITY  security archive URL       (default: host's apt sources, else http://deb.debian.org/debian-security)
#   PULL_TIMEOUT     seconds for `docker pull`  (default 20)
#   FORCE_BOOTSTRAP  1 = skip inspect/pull and always debootstrap
set -euo pipefail

BASE_IMAGE="${BASE_IMAGE:-debian:bookworm-slim}"
DEBIAN_SUITE="${DEBIAN_SUITE:-bookworm}"
PULL_TIMEOUT="${PULL_TIMEOUT:-20}"
FORCE_BOOTSTRAP="${FORCE_BOOTSTRAP:-0}"

log() { printf '[bootstrap-base] %s\n' "$*" >&2; }

if [ "$FORCE_BOOTSTRAP" != 1 ]; then
    if docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
        log "$BASE_IMAGE already present locally; nothing to do"
        exit 0
    fi
    log "$BASE_IMAGE not present; trying docker pull (timeout ${PULL_TIMEOUT}s)"
    if timeout "$PULL_TIMEOUT" docker pull "$BASE_IMAGE" >/dev/null 2>&1 \
        && docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
        log "pulled $BASE_IMAGE"
        exit 0
    fi
    log "docker pull failed; building $BASE_IMAGE offline with debootstrap"
fi

if [ "$(id -u)" -ne 0 ]; then
    log "debootstrap needs root; re-run as root (or with sudo)"
    exit 1
fi

# --- find the Debian mirror the host's apt already uses ----------------------
# Prints the first URI in the host's apt sources (one-line or deb822 format)
# that serves suite $1 with type "deb"; prints nothing if none does.
host_mirror_for_suite() {
    local suite="$1" f
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -r "$f" ] || continue
        # deb [options] URI SUITE COMPONENTS...
        awk -v s="$suite" '
            /^[[:space:]]*deb[[:space:]]/ {
                i = 2
                if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
                if ($(i+1) == s) { print $i; exit }
            }' "$f"
    done
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -r "$f" ] || continue
        # deb822 stanzas separated by blank lines
        awk -v s="$suite" '
            function flush() {
                if (enabled && types ~ /(^| )deb( |$)/ && (" " suites " ") ~ (" " s " ") && uri != "")
                    { print uri; found = 1 }
                types = ""; suites = ""; uri = ""; enabled = 1
            }
            BEGIN { enabled = 1 }
            found { exit }
            /^[[:space:]]*$/ { flush(); next }
            /^[[:space:]]*#/ { next }
            tolower($1) == "types:"   { $1 = ""; types = $0 }
            tolower($1) == "suites:"  { $1 = ""; suites = $0 }
            tolower($1) == "uris:"    { uri = $2 }
            tolower($1) == "enabled:" { enabled = (tolower($2) != "no") }
            END { if (!found) flush() }' "$f"
    done
}

if [ -z "${DEBIAN_MIRROR:-}" ]; then
    DEBIAN_MIRROR="$(host_mirror_for_suite "$DEBIAN_SUITE" 2>/dev/null | head -n1 || true)"
    DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
fi
if [ -z "${DEBIAN_SECURITY:-}" ]; then
    DEBIAN_SECURITY="$(host_mirror_for_suite "${DEBIAN_SUITE}-security" 2>/dev/null | head -n1 || true)"
    DEBIAN_SECURITY="${DEBIAN_SECURITY:-http://deb.debian.org/debian-security}"
fi
DEBIAN_MIRROR="${DEBIAN_MIRROR%/}"
DEBIAN_SECURITY="${DEBIAN_SECURITY%/}"
log "mirror: $DEBIAN_MIRROR  security: $DEBIAN_SECURITY"

# --- debootstrap --------------------------------------------------------------
if ! command -v debootstrap >/dev/null 2>&1; then
    log "installing debootstrap"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
fi

WORKDIR="$(mktemp -d /var/tmp/rrunner-rootfs.XXXXXX)"
ROOTFS="$WORKDIR/rootfs"
cleanup() {
    # debootstrap normally unmounts these itself; be safe after a failure.
    for m in proc sys dev/pts dev; do
        if mountpoint -q "$ROOTFS/$m" 2>/dev/null; then umount -l "$ROOTFS/$m" || true; fi
    done
    rm -rf --one-file-system "$WORKDIR"
}
trap cleanup EXIT

log "debootstrap --variant=minbase $DEBIAN_SUITE into $ROOTFS (takes a minute or so)"
start=$(date +%s)
if ! debootstrap --variant=minbase --components=main "$DEBIAN_SUITE" "$ROOTFS" "$DEBIAN_MIRROR" \
        >"$WORKDIR/debootstrap.log" 2>&1; then
    tail -n 40 "$WORKDIR/debootstrap.log" >&2 || true
    tail -n 40 "$ROOTFS/debootstrap/debootstrap.log" >&2 2>/dev/null || true
    log "debootstrap failed"
    exit 1
fi
log "debootstrap done in $(( $(date +%s) - start ))s"

# --- make it look like the official slim image --------------------------------
# apt sources: the mirror reachable here (deb822, like the official image).
rm -f "$ROOTFS/etc/apt/sources.list"
mkdir -p "$ROOTFS/etc/apt/sources.list.d"
cat >"$ROOTFS/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $DEBIAN_MIRROR
Suites: $DEBIAN_SUITE ${DEBIAN_SUITE}-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $DEBIAN_SECURITY
Suites: ${DEBIAN_SUITE}-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF

# apt/dpkg settings used by Docker's official Debian images.
cat >"$ROOTFS/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
cat >"$ROOTFS/etc/apt/apt.conf.d/docker-no-languages" <<'EOF'
Acquire::Languages "none";
EOF
cat >"$ROOTFS/etc/apt/apt.conf.d/docker-gzip-indexes" <<'EOF'
Acquire::GzipIndexes "true";
EOF
cat >"$ROOTFS/etc/apt/apt.conf.d/docker-autoremove-suggests" <<'EOF'
Apt::AutoRemove::SuggestsImportant "false";
EOF
mkdir -p "$ROOTFS/etc/dpkg/dpkg.cfg.d"
cat >"$ROOTFS/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
# "slim" variant: files normally unnecessary in containers are not installed.
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/overrides/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/man/*
EOF
# Never start services while installing packages in a container.
cat >"$ROOTFS/usr/sbin/policy-rc.d" <<'EOF'
#!/bin/sh
exit 101
EOF
chmod 0755 "$ROOTFS/usr/sbin/policy-rc.d"

# debootstrap installs from the release suite only; bring in the point-release
# and security updates (as the official image has them).
log "applying ${DEBIAN_SUITE}-updates and ${DEBIAN_SUITE}-security"
cp -L /etc/resolv.conf "$ROOTFS/etc/resolv.conf" 2>/dev/null || true
mount -t proc proc "$ROOTFS/proc"
if ! chroot "$ROOTFS" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
        sh -c 'apt-get update -qq && apt-get -y -qq -o Dpkg::Options::=--force-confold upgrade && apt-get clean' \
        >"$WORKDIR/upgrade.log" 2>&1; then
    tail -n 40 "$WORKDIR/upgrade.log" >&2 || true
    umount "$ROOTFS/proc" || true
    log "apt-get upgrade inside the new root failed"
    exit 1
fi
umount "$ROOTFS/proc"

# Remove what the slim config would have excluded, plus caches and logs.
find "$ROOTFS/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
find "$ROOTFS/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
rm -rf "$ROOTFS"/usr/share/{groff,info,linda,lintian/overrides,locale,man}/* \
       "$ROOTFS"/var/lib/apt/lists/* \
       "$ROOTFS"/var/cache/apt/*.bin "$ROOTFS"/var/cache/apt/archives/*.deb \
       "$ROOTFS"/var/cache/apt/archives/partial/* \
       "$ROOTFS"/var/cache/debconf/*-old "$ROOTFS"/var/lib/dpkg/*-old \
       "$ROOTFS"/var/log/* "$ROOTFS"/debootstrap \
       "$ROOTFS"/tmp/* "$ROOTFS"/var/tmp/* "$ROOTFS"/root/.bash_history
mkdir -p "$ROOTFS/var/lib/apt/lists/partial" "$ROOTFS/var/cache/apt/archives/partial"
# Docker supplies these at run time.
rm -rf "$ROOTFS"/dev/* "$ROOTFS"/proc/* "$ROOTFS"/sys/*
: >"$ROOTFS/etc/resolv.conf"
: >"$ROOTFS/etc/hostname"
rm -f "$ROOTFS/etc/machine-id"; : >"$ROOTFS/etc/machine-id"

# --- import -------------------------------------------------------------------
log "importing as $BASE_IMAGE"
tar --numeric-owner --xattrs -C "$ROOTFS" -c . \
    | docker import \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'CMD ["bash"]' \
        --message "debootstrap --variant=minbase $DEBIAN_SUITE $DEBIAN_MIRROR" \
        - "$BASE_IMAGE" >/dev/null
log "created $BASE_IMAGE ($(docker image inspect -f '{{.Size}}' "$BASE_IMAGE" | awk '{printf "%.1f MB", $1/1e6}'))"
