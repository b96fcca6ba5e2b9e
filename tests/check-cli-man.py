#!/usr/bin/env python3
# The man page documents every JSON key of `list`/`info`, every reason code and
# every drive state code, every command and option, and backup's events and the
# codes they carry; exits 1 naming what is missing.
import re
import sys

root = sys.argv[1]


def read(path):
    with open(root + '/' + path, encoding='utf-8') as f:
        return f.read()


man = read('data/reflash-cli.1').replace('\\-', '-')
# Bold words of the man page: \fBword\fR, .B word, .BR word ", " word
documented = set(re.findall(r'\\fB([a-z_-]+)\\f', man))
for line in man.splitlines():
    if line.startswith('.B ') or line.startswith('.BR '):
        documented.update(re.findall(r'([a-z][a-z_-]*)', line.split(' ', 1)[1]))

wanted = {}
for key in re.findall(r'rf_json_writer_(?:member_\w+|key) \(json, "([a-z_]+)"',
                      read('src/cli/rf-cli-drive.c') + read('src/cli/rf-cli-list.c')):
    wanted[key] = 'JSON key'
for code in re.findall(r'#define RF_REASON_\w+ +"([a-z-]+)"', read('src/core/rf-device-private.h')):
    wanted[code] = 'reason code'
for nick in re.findall(r'\] = \{ "([a-z-]+)"', read('src/core/rf-drive-state.c')):
    wanted[nick] = 'drive state'

# check and backups: their JSON keys, problem, verdict, warning and choice codes.
for key in re.findall(r'rf_json_writer_(?:member_\w+|key) \(json, "([a-z_]+)"',
                      read('src/cli/rf-cli-check.c') + read('src/cli/rf-cli-backups.c')):
    wanted[key] = 'JSON key'
for nick in re.findall(r'\] = \{ "([a-z-]+)"',
                       read('src/core/rf-firmware.c') + read('src/core/rf-nec-firmware.c')):
    wanted[nick] = 'firmware code'
for nick in re.findall(r'(?:\] = |^  \{ )"([a-z-]+)"', read('src/core/rf-verdict.c'), re.M):
    wanted[nick] = 'verdict code'

# backup, flash, recover and resume: their events and their keys, the phase, LED hint and error
# codes they carry; and the keys of `journals --json` and the journal phases.
events = (read('src/cli/rf-cli-backup.c') + read('src/cli/rf-cli-progress.c')
          + read('src/cli/rf-cli-job.c') + read('src/cli/rf-cli-flash.c')
          + read('src/cli/rf-cli-flash-options.c')
          + read('src/cli/rf-cli-recover.c') + read('src/cli/rf-cli-resume.c')
          + read('src/cli/rf-cli-journals.c'))
for key in re.findall(r'rf_json_writer_(?:member_\w+|key) \(json, "([a-z_]+)"', events):
    wanted[key] = 'JSON key'
for name in re.findall(r'rf_cli_event_begin \("([a-z_]+)"\)', events):
    wanted[name] = 'JSON event'
for nick in re.findall(r'\] = "([a-z-]+)",', read('src/core/rf-phase.c')):
    wanted[nick] = 'phase code'
for nick in re.findall(r'\] = "([a-z-]+)",', read('src/core/rf-journal.c')):
    wanted[nick] = 'journal phase'
for nick in re.findall(r'^  \{ "([a-z-]+)", N_\(', read('src/core/rf-progress-words.c'), re.M):
    wanted[nick] = 'LED hint'
for nick in re.findall(r'\] = \{ "([a-z-]+)"', read('src/core/rf-error.c')):
    wanted[nick] = 'error code'
# flash's warning events carry the confirmations' codes.
for nick in re.findall(r'case RF_FLASH_CONFIRM_\w+:\n +return "([a-z-]+)"',
                       read('src/core/rf-flash-job.c')):
    wanted[nick] = 'confirmation code'

# Every command and every long option of every command.
cli = ''.join(read('src/cli/' + name) for name in
              ('rf-cli.c', 'rf-cli-backup.c', 'rf-cli-backups.c', 'rf-cli-check.c',
               'rf-cli-flash.c', 'rf-cli-flash-options.c', 'rf-cli-info.c', 'rf-cli-job.c', 'rf-cli-list.c',
               'rf-cli-practice.c', 'rf-cli-recover.c'))
for name in re.findall(r'^  \{ "([a-z-]+)", N_\(', read('src/cli/rf-cli.c'), re.M):
    wanted[name] = 'command'
for name in re.findall(r'^    \{ "([a-z-]+)", (?:\'.\'|0), ', cli, re.M):
    wanted['--' + name] = 'option'

# report: its options, and the keys of the report itself (src/core/rf-report.c).
report_cli = read('src/cli/rf-cli-report.c')
for name in re.findall(r'^    \{ "([a-z-]+)", (?:\'.\'|0), ', report_cli, re.M):
    wanted['--' + name] = 'option'
for key in re.findall(r'json, "([a-z_]+)"', read('src/core/rf-report.c')):
    wanted[key] = 'report key'

missing = sorted('%s %s' % (kind, name) for name, kind in wanted.items() if name not in documented)
if missing:
    print('data/reflash-cli.1 does not document: ' + ', '.join(missing))
    sys.exit(1)
print('data/reflash-cli.1 documents %d keys and codes' % len(wanted))
