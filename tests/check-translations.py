#!/usr/bin/env python3
"""Every language in po/LINGUAS is complete and consistent, and reaches the
desktop file and the metainfo.

    check-translations.py SOURCE_ROOT POT DESKTOP_FILE METAINFO_FILE

For each language: po/LANG.po exists; merged with the template POT as the code
has it now (msgmerge), `msgfmt --check --statistics` accepts it (format strings
that match their msgid, a sane header, one mnemonic per message) and counts no
fuzzy and no untranslated message: a string added to the code and not yet
translated fails it; the merged desktop
file has Name[LANG] and the merged metainfo a summary with xml:lang="LANG".
With no language listed there is nothing to check, and it says so.

Also: the privileged helper never takes its catalogue from the environment
(REFLASH_LOCALEDIR is for the wizard and the CLI, through rf_locale_init()).
"""
import os
import re
import subprocess
import sys
import tempfile


def languages(po_dir):
    langs = []
    with open(os.path.join(po_dir, 'LINGUAS'), encoding='utf-8') as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            langs += line.split()
    return langs


def check_catalogue(po_dir, pot, lang, tmp):
    path = os.path.join(po_dir, lang + '.po')
    if not os.path.isfile(path):
        return [f'po/LINGUAS lists {lang}, but po/{lang}.po does not exist']
    merged = os.path.join(tmp, lang + '.po')
    subprocess.run(['msgmerge', '--quiet', '--no-fuzzy-matching', '-o', merged, path, pot],
                   check=True)
    run = subprocess.run(['msgfmt', '--check', '--check-accelerators=_', '--statistics',
                          '-o', os.devnull, merged],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, encoding='utf-8',
                         env=dict(os.environ, LC_ALL='C'), check=False)
    print(f'{lang}: {run.stdout.strip()}')
    if run.returncode != 0:
        return [f'msgfmt --check refuses po/{lang}.po']
    errors = []
    for kind in ('fuzzy', 'untranslated'):
        match = re.search(r'(\d+) ' + kind, run.stdout)
        if match:
            errors.append(f'po/{lang}.po has {match.group(1)} {kind} messages')
    return errors


def check_merged(desktop, metainfo, lang):
    errors = []
    with open(desktop, encoding='utf-8') as f:
        if not re.search(rf'^Name\[{re.escape(lang)}\]=', f.read(), re.MULTILINE):
            errors.append(f'{os.path.basename(desktop)} has no Name[{lang}]')
    with open(metainfo, encoding='utf-8') as f:
        if not re.search(rf'<summary xml:lang="{re.escape(lang)}">', f.read()):
            errors.append(f'{os.path.basename(metainfo)} has no summary in {lang}')
    return errors


def check_helper(top):
    errors = []
    helper = os.path.join(top, 'src', 'helper')
    for root, _, files in os.walk(helper):
        for name in files:
            path = os.path.join(root, name)
            with open(path, encoding='utf-8') as f:
                text = f.read()
            for word in ('REFLASH_LOCALEDIR', 'RF_LOCALEDIR_ENV', 'rf_locale_init',
                         'rf_locale_get_dir'):
                if word in text:
                    errors.append(f'{os.path.relpath(path, top)} uses {word}: the helper runs as '
                                  'root and must bind LOCALEDIR only')
    return errors


def main():
    top, pot, desktop, metainfo = sys.argv[1:5]
    po_dir = os.path.join(top, 'po')
    langs = languages(po_dir)
    if not langs:
        print('po/LINGUAS lists no language yet: nothing to check')
    errors = check_helper(top)
    with tempfile.TemporaryDirectory() as tmp:
        for lang in langs:
            errors += check_catalogue(po_dir, pot, lang, tmp)
            errors += check_merged(desktop, metainfo, lang)
    for e in errors:
        print(e)
    sys.exit(1 if errors else 0)


if __name__ == '__main__':
    main()
