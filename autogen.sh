#!/bin/sh
# Regenerates configure and the Makefile.in files from a fresh clone.
set -e
cd "$(dirname "$0")"
autoreconf --install --force
