#!/usr/bin/env bash
# Installs what building diagnose needs on a fresh Debian machine: libpcre2-dev (PCRE2's headers
# and pkg-config file). Does nothing when it is already there.
set -euo pipefail

if pkg-config --exists libpcre2-8 2>/dev/null; then
  exit 0
fi

echo "diagnose: installing libpcre2-dev (PCRE2 headers) ..." >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
$SUDO apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libpcre2-dev pkg-config >&2
