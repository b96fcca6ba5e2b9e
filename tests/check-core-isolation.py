#!/usr/bin/env python3
"""src/core and src/sim must stay GUI-free: no GTK, GDK or libadwaita include."""
import os
import re
import sys

top = sys.argv[1]
bad = re.compile(r'#\s*include\s*[<"](gtk/|gdk/|adwaita|libnotify)')
errors = []
for sub in ('src/core', 'src/sim'):
    for root, _, files in os.walk(os.path.join(top, sub)):
        for name in files:
            if not name.endswith(('.c', '.h')):
                continue
            path = os.path.join(root, name)
            with open(path, encoding='utf-8') as f:
                for n, line in enumerate(f, 1):
                    if bad.search(line):
                        errors.append(f'{os.path.relpath(path, top)}:{n}: {line.strip()}')
for e in errors:
    print('GUI include in a GUI-free layer:', e)
sys.exit(1 if errors else 0)
