#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check the Flatpak manifest against the sandbox Koers promises its users.

Participant files are personal data: the app gets no file system permission and reaches files
only through the portals, so a user always chooses what it may read or write. The manifest must
ask for exactly the permissions below, no more and no fewer.

Usage: check-flatpak-manifest.py MANIFEST.json [APP_ID]
Prints one line per problem, naming the field, and exits 1 if there was any.
"""

import json
import sys

REQUIRED_FINISH_ARGS = [
    "--share=ipc",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=dri",
    "--share=network",
]


def check(manifest, app_id):
    problems = []
    if not isinstance(manifest, dict):
        return ["manifest: the top level must be a JSON object"]

    found_id = manifest.get("app-id", manifest.get("id"))
    if found_id != app_id:
        problems.append(f"app-id: expected {app_id!r}, found {found_id!r}")
    if manifest.get("runtime") != "org.gnome.Platform":
        problems.append(f"runtime: expected 'org.gnome.Platform', found {manifest.get('runtime')!r}")
    if manifest.get("sdk") != "org.gnome.Sdk":
        problems.append(f"sdk: expected 'org.gnome.Sdk', found {manifest.get('sdk')!r}")
    if manifest.get("command") != "koers":
        problems.append(f"command: expected 'koers', found {manifest.get('command')!r}")

    args = manifest.get("finish-args")
    if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
        problems.append("finish-args: must be a list of strings")
        args = []
    for arg in args:
        if arg.startswith("--filesystem"):
            problems.append(f"finish-args: {arg!r} is not allowed: files go through the portals")
    for arg in sorted(set(args) - set(REQUIRED_FINISH_ARGS)):
        if not arg.startswith("--filesystem"):
            problems.append(f"finish-args: {arg!r} is not one of the permitted permissions")
    for arg in REQUIRED_FINISH_ARGS:
        if arg not in args:
            problems.append(f"finish-args: {arg!r} is missing")
    for arg in sorted({a for a in args if args.count(a) > 1}):
        problems.append(f"finish-args: {arg!r} is listed more than once")

    modules = manifest.get("modules")
    if not isinstance(modules, list) or not modules:
        problems.append("modules: must be a non-empty list")
    else:
        last = modules[-1]
        if not isinstance(last, dict) or last.get("name") != "koers":
            problems.append("modules: the last module must be 'koers'")
        elif last.get("buildsystem") != "meson":
            problems.append(f"modules[koers].buildsystem: expected 'meson', "
                            f"found {last.get('buildsystem')!r}")
    return problems


def main(argv):
    if len(argv) not in (2, 3):
        print("usage: check-flatpak-manifest.py MANIFEST.json [APP_ID]", file=sys.stderr)
        return 2
    path = argv[1]
    app_id = argv[2] if len(argv) == 3 else "nl.achterhoek.Koers"
    try:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
    except OSError as e:
        print(f"{path}: cannot read: {e.strerror}", file=sys.stderr)
        return 1
    except json.JSONDecodeError as e:
        print(f"{path}:{e.lineno}:{e.colno}: not valid JSON: {e.msg}", file=sys.stderr)
        return 1

    problems = check(manifest, app_id)
    for problem in problems:
        print(f"{path}: {problem}", file=sys.stderr)
    if not problems:
        print(f"{path}: sandbox permissions as required")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
