#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every source file with translatable strings is listed in po/POTFILES.in, and every listed
file exists: a file missing there ships English strings to Dutch and Arabic users."""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
listed = {line.strip() for line in (root / 'po' / 'POTFILES.in').read_text().splitlines()
          if line.strip() and not line.startswith('#')}
# Demo content is Dutch data, deliberately not translated.
not_translated = {'src/cli/koers-demo-names.c', 'src/cli/koers-demo-content.c'}
marker_c = re.compile(r'\b(?:_|N_|C_|NC_|ngettext)\s*\(')

needed = set()
for path in (root / 'src').rglob('*.c'):
    if marker_c.search(path.read_text(encoding='utf-8')):
        needed.add(path.relative_to(root).as_posix())
for path in (root / 'ui').rglob('*.ui'):
    if 'translatable="yes"' in path.read_text(encoding='utf-8'):
        needed.add(path.relative_to(root).as_posix())
needed -= not_translated

problems = [f'{name}: has translatable strings but is not in po/POTFILES.in'
            for name in sorted(needed - listed)]
problems += [f'po/POTFILES.in: {name} does not exist'
             for name in sorted(listed) if not (root / name).exists()]
for problem in problems:
    print(problem)
sys.exit(1 if problems else 0)
