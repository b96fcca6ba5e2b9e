#!/usr/bin/env python3
"""Fails when po/POTFILES.in is unsorted, names a missing file, or misses a source
file that has translatable strings, or when a drive family or practice scenario has
no link in po/ that hands its names to xgettext (data/practice/README.md)."""
import os
import re
import sys

top = sys.argv[1]
listed = []
with open(os.path.join(top, 'po', 'POTFILES.in'), encoding='utf-8') as f:
    for line in f:
        line = line.strip()
        if line and not line.startswith('#'):
            listed.append(line)

errors = []
if listed != sorted(listed):
    errors.append('po/POTFILES.in is not sorted')
for path in listed:
    if not os.path.isfile(os.path.join(top, path)):
        errors.append(f'po/POTFILES.in names {path}, which does not exist')

patterns = {
    '.c': re.compile(r'\b(N?_|C_|NC_|g_dngettext|ngettext)\s*\(\s*"'),
    '.ui': re.compile(r'translatable="yes"'),
    '.in': re.compile(r'.'),
}
for sub in ('src', 'ui', 'data'):
    for root, dirs, files in os.walk(os.path.join(top, sub)):
        for name in files:
            path = os.path.relpath(os.path.join(root, name), top)
            ext = os.path.splitext(name)[1]
            if name.endswith('.desktop.in') or name.endswith('.metainfo.xml.in') \
                    or name.endswith('.policy.in') or name.endswith('.gschema.xml'):
                wanted = True
            elif ext in ('.c', '.ui'):
                with open(os.path.join(root, name), encoding='utf-8') as f:
                    wanted = bool(patterns[ext].search(f.read()))
            else:
                continue
            if wanted and path not in listed:
                errors.append(f'{path} has translatable strings but is not in po/POTFILES.in')

# xgettext cannot read .conf files but reads them as Desktop files through a link
# po/SUB/ID.desktop -> ../../data/SUB/ID.conf (PLATFORM.md §4).
for sub in ('drives', 'practice'):
    folder = os.path.join(top, 'data', sub)
    for name in sorted(os.listdir(folder)):
        if not name.endswith('.conf'):
            continue
        link = f'po/{sub}/{name[:-len(".conf")]}.desktop'
        target = os.path.join(folder, name)
        path = os.path.join(top, link)
        if not os.path.islink(path) or \
                os.path.realpath(path) != os.path.realpath(target):
            errors.append(f'data/{sub}/{name} has no link {link} -> ../../data/{sub}/{name}')
        elif link not in listed:
            errors.append(f'{link} is not in po/POTFILES.in')

for e in errors:
    print(e)
sys.exit(1 if errors else 0)
