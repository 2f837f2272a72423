#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Configures Koers as the Flatpak manifest builds it and checks what that build makes.

Usage: check-desktop-only-build.py MANIFEST SOURCE_ROOT

The manifest's koers module is configured with its own config-opts (-Dserver=false) in a
temporary build directory: that must succeed, and the targets must be the app and koers-cli
without koers-server (whose libpq and libsodium the GNOME runtime does not carry, and which
a desktop app has no use for). Nothing is compiled.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    manifest_path, source_root = sys.argv[1:]
    with open(manifest_path, encoding="utf-8") as f:
        manifest = json.load(f)
    module = next((m for m in manifest.get("modules", []) if isinstance(m, dict)
                   and m.get("name") == "koers"), None)
    if module is None:
        print(f"{manifest_path}: no module named koers")
        return 1
    options = module.get("config-opts", [])
    if "-Dserver=false" not in options:
        print(f"{manifest_path}: the koers module does not build with -Dserver=false")
        return 1
    meson = shutil.which("meson")
    if meson is None:
        print("meson not found: install the Debian package meson")
        return 77
    with tempfile.TemporaryDirectory(prefix="koers-desktop-build-") as build:
        setup = subprocess.run([meson, "setup", build, source_root, *options],
                               capture_output=True, text=True, check=False)
        if setup.returncode != 0:
            print(setup.stdout + setup.stderr)
            print(f"meson setup {' '.join(options)} failed")
            return 1
        introspect = subprocess.run([meson, "introspect", "--targets", build],
                                    capture_output=True, text=True, check=True)
        names = {t["name"] for t in json.loads(introspect.stdout)}
    missing = {"koers", "koers-cli"} - names
    unwanted = {n for n in names if n.startswith("koers-server") or n.startswith("test-")
                or n.startswith("bench-")}
    if missing or unwanted:
        print(f"targets with {' '.join(options)}: missing {sorted(missing)}, "
              f"not wanted {sorted(unwanted)}")
        return 1
    print(f"configures with {' '.join(options)}: koers and koers-cli, no koers-server")
    return 0


if __name__ == "__main__":
    sys.exit(main())
