#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Compiles Koers' Windows-only code with the MinGW-w64 cross compiler.

Usage: check-windows-compile.py [--expect-error TEXT]... [--skip FILE]... SHIM_DIR BUILD_ROOT
                                SOURCE_ROOT FILE... -- COMPILER_ARGS...

Each FILE is compiled (-c, -O2, -Werror, into a temporary directory) by x86_64-w64-mingw32-gcc
against the Windows SDK headers of MinGW-w64 and this machine's GLib, libsoup and json-glib
headers. SHIM_DIR comes first on the include path: its glibconfig.h describes GLib on Windows
x64 and its libintl.h declares GNU gettext (see the comments in those files). COMPILER_ARGS are
the project's own version and warning arguments (meson.build).

This proves that the code type-checks for Windows: every Win32 and GLib call is declared, and
takes the argument types it is given, under Windows' 32-bit long. It does not link the code
and does not run it.

--skip leaves out a FILE given among the others (the Linux-only key store, for the list of
the core library's sources as the Linux build has it).

With --expect-error the roles turn (the checker's own test): compiling must fail and the
compiler's output must contain every TEXT.

Without the cross compiler this reports SKIP (exit 77) naming the Debian package to install.
"""

import os
import shutil
import subprocess
import sys
import tempfile

CC = "x86_64-w64-mingw32-gcc"
PACKAGE = "gcc-mingw-w64-x86-64-posix"
# The pkg-config modules whose headers the checked files include.
MODULES = ["gio-2.0", "libsoup-3.0", "json-glib-1.0"]
# Plain C headers that live directly in the host's /usr/include: only they are linked into a
# directory of their own, never /usr/include itself (its glibc headers are not Windows').
LONE_HEADERS = {"sqlite3": ["sqlite3.h"], "xlsxwriter": ["xlsxwriter.h", "xlsxwriter"]}


def usage():
    print(__doc__, file=sys.stderr)
    return 2


def pkg_config(*args):
    result = subprocess.run(["pkg-config", *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"pkg-config {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout.split()


def include_dirs(lone_dir):
    """The host include directories, without the one holding the host's (Linux) glibconfig.h."""
    dirs = []
    for flag in pkg_config("--cflags-only-I", *MODULES):
        path = flag[2:]
        if os.path.exists(os.path.join(path, "glibconfig.h")):
            continue
        if path not in dirs:
            dirs.append(path)
    for module, headers in LONE_HEADERS.items():
        includedir = pkg_config("--variable=includedir", module)[0]
        for header in headers:
            os.symlink(os.path.join(includedir, header), os.path.join(lone_dir, header))
    dirs.append(lone_dir)
    return dirs


def main():
    argv = sys.argv[1:]
    if "--" not in argv:
        return usage()
    split = argv.index("--")
    ours, compiler_args = argv[:split], argv[split + 1:]
    expected = []
    skipped = set()
    while ours[:1] in (["--expect-error"], ["--skip"]) and len(ours) >= 2:
        if ours[0] == "--skip":
            skipped.add(os.path.realpath(ours[1]))
        else:
            expected.append(ours[1])
        ours = ours[2:]
    if len(ours) < 4:
        return usage()
    shim_dir, build_root, source_root, *files = ours
    files = [f for f in files if os.path.realpath(f) not in skipped]

    cc = shutil.which(CC)
    if cc is None:
        print(f"{CC} not found: install the Debian package {PACKAGE}")
        return 77

    failed = []
    with tempfile.TemporaryDirectory(prefix="koers-windows-compile-") as tmp:
        lone_dir = os.path.join(tmp, "include")
        os.mkdir(lone_dir)
        includes = [shim_dir, build_root, os.path.join(build_root, "src"), source_root,
                    os.path.join(source_root, "src"), *include_dirs(lone_dir)]
        for index, path in enumerate(files):
            command = [cc, "-std=gnu11", "-O2", "-mms-bitfields",
                       # What `meson setup --werror` (CI) turns on, and the two errors
                       # GCC 14 makes the default: a wrong pointer or integer type is a bug.
                       "-Wall", "-Wextra", "-Werror",
                       "-Werror=incompatible-pointer-types", "-Werror=int-conversion",
                       *compiler_args,
                       *(f"-I{d}" for d in includes),
                       "-c", path, "-o", os.path.join(tmp, f"{index}.o")]
            # LC_ALL=C: plain quotes in the diagnostics that --expect-error looks for.
            result = subprocess.run(command, capture_output=True, text=True, check=False,
                                    env={**os.environ, "LC_ALL": "C"})
            output = result.stdout + result.stderr
            name = os.path.relpath(path, source_root)
            if expected:
                missing = [text for text in expected if text not in output]
                if result.returncode == 0 or missing:
                    print(output, end="")
                    print(f"{name}: expected the compiler to reject it with "
                          f"{', '.join(repr(t) for t in expected)}; "
                          + ("it compiled" if result.returncode == 0
                             else f"missing {', '.join(repr(t) for t in missing)}"))
                    failed.append(name)
                else:
                    print(f"{name}: rejected as expected ({len(expected)} errors found)")
                continue
            if result.returncode != 0 or output.strip():
                print(" ".join(command))
                print(output, end="")
                print(f"{name}: does NOT compile for Windows ({CC})")
                failed.append(name)
            else:
                print(f"{name}: compiles for Windows ({CC})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
