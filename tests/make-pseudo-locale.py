#!/usr/bin/env python3
"""The pseudo-language en@pseudo: every message of Reflash's template, wrapped,
accented and a third longer, so that a test can see which words on screen escaped
translation and which labels cannot take a longer text.

    make-pseudo-locale.py SOURCE_ROOT OUTPUT_PO LOCALE_DIR [XGETTEXT_ARG...]

Extracts the template from SOURCE_ROOT/po/POTFILES.in with xgettext (the
arguments meson's i18n.gettext(preset: 'glib') gives it, plus XGETTEXT_ARG)
to reflash.pot beside OUTPUT_PO, writes the translation to OUTPUT_PO and
compiles it, checked, to
LOCALE_DIR/en@pseudo/LC_MESSAGES/reflash.mo. Use it with LANG=C.UTF-8,
LANGUAGE=en@pseudo, REFLASH_LOCALEDIR=LOCALE_DIR and neither LC_ALL nor
LC_MESSAGES set (PLATFORM.md §4).

"Recover the drive" becomes "[Ŕéçöṽéŕ ţĥé ðŕîṽé ~~~]". Kept as they are: printf
directives (%s, %1$s, %'d, %zu, %<PRIu64>), Pango markup tags and entities,
command-line options (--practice), commands ("reflash-cli recover") and addresses; a mnemonic
underscore stays before its (accented) letter. Leading and trailing white space
and newlines stay outside the brackets, so the CLI's lines stay lines.
"""
import os
import re
import subprocess
import sys

DOMAIN = 'reflash'
LANGUAGE = 'en@pseudo'

# meson's i18n module, preset 'glib' (mesonbuild/modules/i18n.py, meson 1.0).
GLIB_PRESET = [
    '--from-code=UTF-8',
    '--add-comments',
    '--keyword=_',
    '--keyword=N_',
    '--keyword=C_:1c,2',
    '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2',
    '--keyword=g_dngettext:2,3',
    '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format',
    '--flag=C_:2:pass-c-format',
    '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format',
    '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format',
    '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format',
    '--flag=g_set_error:4:c-format',
    '--flag=g_markup_printf_escaped:1:c-format',
    '--flag=g_log:3:c-format',
    '--flag=g_print:1:c-format',
    '--flag=g_printerr:1:c-format',
    '--flag=g_printf:1:c-format',
    '--flag=g_fprintf:2:c-format',
    '--flag=g_sprintf:2:c-format',
    '--flag=g_snprintf:3:c-format',
]

ACCENTS = dict(zip(
    'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ',
    'áƀçðéƒĝĥîĵķļḿñöþǫŕšţûṽŵẋýžÁƁÇÐÉƑĜĤÎĴĶĻḾÑÖÞǪŔŠŢÛṼŴẊÝŽ'))

KEPT = re.compile(r'''
    %(?:\d+\$)?[-+ #0']*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|L|q|j|z|Z|t)?
        [diouxXeEfFgGaAcspnmCS%]              # printf directive
  | %<PRI\w+>                                 # <inttypes.h> directive
  | </?[a-zA-Z][a-zA-Z0-9]*(?:\s+[a-zA-Z_-]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*/?>  # markup
  | &(?:[a-zA-Z]+|\#[0-9]+|\#x[0-9a-fA-F]+);   # entity
  | (?<![\w-])--[a-z][a-z0-9-]*               # command-line option
  | \breflash-cli(?:\ [a-z]+(?:-[a-z]+)*\b)?  # a command a person types
  | \b[a-z]+://\S+                            # address
''', re.VERBOSE)


def accent(text):
    return ''.join(ACCENTS.get(c, c) for c in text)


def pseudo(text):
    """The pseudo-translation of one message."""
    core = text.strip()
    if core == '':
        return text
    start = text.index(core)
    lead, trail = text[:start], text[start + len(core):]
    out = []
    pos = 0
    for match in KEPT.finditer(core):
        out.append(accent(core[pos:match.start()]))
        out.append(match.group(0))
        pos = match.end()
    out.append(accent(core[pos:]))
    # Brackets, a space and tildes: about a third more than the text. The
    # tildes come in words of at most eight, as long as a long word is, so
    # that a label can wrap them.
    tildes = '~' * max(1, round(len(core) / 3) - 3)
    padding = ' '.join(tildes[i:i + 8] for i in range(0, len(tildes), 8))
    return f'{lead}[{"".join(out)} {padding}]{trail}'


def unquote(line):
    """The text of one PO string line, "…", unescaped."""
    body = line[line.index('"') + 1:line.rindex('"')]
    escapes = {'n': '\n', 't': '\t', 'r': '\r', '"': '"', '\\': '\\', 'a': '\a', 'b': '\b',
               'f': '\f', 'v': '\v'}
    return re.sub(r'\\(.)', lambda m: escapes.get(m.group(1), m.group(1)), body)


def quote(text):
    text = text.replace('\\', '\\\\').replace('"', '\\"').replace('\t', '\\t')
    lines = text.split('\n')
    if len(lines) == 1:
        return f'"{text}"'
    parts = [line + '\\n' for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    return '""\n' + '\n'.join(f'"{p}"' for p in parts)


def parse(pot):
    """Entries of a template: dicts of flags, msgctxt, msgid, msgid_plural."""
    entries = []
    entry = {}
    field = None
    for line in pot.split('\n') + ['']:
        if line.strip() == '':
            if 'msgid' in entry:
                entries.append(entry)
            entry, field = {}, None
        elif line.startswith('#,'):
            entry['flags'] = [f.strip() for f in line[2:].split(',') if f.strip() != 'fuzzy']
        elif line.startswith('#'):
            continue
        elif line.startswith('"'):
            entry[field] += unquote(line)
        else:
            field = line.split(None, 1)[0]
            if field.startswith('msgstr'):
                field = 'msgstr'
                entry.setdefault(field, '')
                continue
            entry[field] = unquote(line)
    return entries


HEADER = '''msgid ""
msgstr ""
"Project-Id-Version: reflash\\n"
"PO-Revision-Date: 2000-01-01 00:00+0000\\n"
"Last-Translator: tests/make-pseudo-locale.py\\n"
"Language-Team: none\\n"
"Language: en@pseudo\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
'''


def write_po(entries):
    out = [HEADER]
    for e in entries:
        if e['msgid'] == '':
            continue
        block = []
        if e.get('flags'):
            block.append('#, ' + ', '.join(e['flags']))
        if 'msgctxt' in e:
            block.append('msgctxt ' + quote(e['msgctxt']))
        block.append('msgid ' + quote(e['msgid']))
        if 'msgid_plural' in e:
            block.append('msgid_plural ' + quote(e['msgid_plural']))
            block.append('msgstr[0] ' + quote(pseudo(e['msgid'])))
            block.append('msgstr[1] ' + quote(pseudo(e['msgid_plural'])))
        else:
            block.append('msgstr ' + quote(pseudo(e['msgid'])))
        out.append('\n'.join(block) + '\n')
    return '\n'.join(out)


def extract(source_root, extra_args, pot_path):
    env = dict(os.environ)
    # The ITS rules shipped in data/its/ (PLATFORM.md §4), as po/meson.build passes them.
    env['GETTEXTDATADIRS'] = os.path.join(source_root, 'data')
    run = subprocess.run(['xgettext', '--package-name=' + DOMAIN, '-f',
                          os.path.join(source_root, 'po', 'POTFILES.in'), '-D', source_root,
                          '-k_', '-o', pot_path] + GLIB_PRESET + extra_args,
                         env=env, stderr=subprocess.PIPE, encoding='utf-8', check=False)
    sys.stderr.write(run.stderr)
    # A warning is a message translators get wrong or not at all: a format
    # macro (G_GSIZE_FORMAT) cuts the msgid short, a file is read as C.
    if run.returncode != 0 or 'warning:' in run.stderr:
        sys.exit('make-pseudo-locale: xgettext failed or warned (above)')


def self_test():
    """What the tests rely on: directives, markup, mnemonics and lines kept."""
    cases = {
        'Recover the drive': '[Ŕéçöṽéŕ ţĥé ðŕîṽé ~~~]',
        '_Next': '[_Ñéẋţ ~]',
        'Size: %s\n': '[Šîžé: %s ~]\n',
        '%1$s of %2$s': '[%1$s öƒ %2$s ~]',
        "%'d bytes at %zu, %u%%": "[%'d ƀýţéš áţ %zu, %u%% ~~~~]",
        '<b>Drive</b> &amp; %<PRIu64>': '[<b>Ðŕîṽé</b> &amp; %<PRIu64> ~~~~~~]',
        'Run reflash-cli recover --tray-empty': '[Ŕûñ reflash-cli recover --tray-empty ~~~~~~~~ ~]',
        '  \n': '  \n',
    }
    failed = False
    for msgid, wanted in cases.items():
        got = pseudo(msgid)
        if got != wanted:
            print(f'pseudo({msgid!r}) = {got!r}, not {wanted!r}')
            failed = True
    sys.exit(1 if failed else 0)


def main():
    if sys.argv[1:] == ['--self-test']:
        self_test()
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    source_root, output_po, locale_dir = sys.argv[1:4]
    pot_path = os.path.join(os.path.dirname(os.path.abspath(output_po)), DOMAIN + '.pot')
    extract(source_root, sys.argv[4:], pot_path)
    with open(pot_path, encoding='utf-8') as f:
        entries = parse(f.read())
    with open(output_po, 'w', encoding='utf-8') as f:
        f.write(write_po(entries))
    mo_dir = os.path.join(locale_dir, LANGUAGE, 'LC_MESSAGES')
    os.makedirs(mo_dir, exist_ok=True)
    # --check: every directive survived; --check-accelerators: one mnemonic each.
    subprocess.run(['msgfmt', '--check', '--check-accelerators=_', '-o',
                    os.path.join(mo_dir, DOMAIN + '.mo'), output_po], check=True)


if __name__ == '__main__':
    main()
