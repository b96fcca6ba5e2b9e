#!/usr/bin/env python3
# test-hardware.py: the hardware suite, Reflash against a real kernel and QEMU's drives
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Boots Debian's kernel in QEMU (prepare-guest.sh fetches it and builds the
# initramfs), with the host's root shared read-only, so the build tree's programs
# run unchanged against the kernel's SCSI generic driver and QEMU's emulated
# drives. The guest runs one shell script made of steps; each step's stdout,
# stderr and exit status come back through a serial port. Before each step the
# guest sends a marker command (INQUIRY for a vendor VPD page that nothing else
# asks for) to the first drive, so QEMU's own trace of what the drives received
# can be cut into steps: that proves from the drive's side which commands a step
# sent, independently of the program under test.
#
# Speaks TAP. Skips (plan 1..0) only when QEMU is not installed. With QEMU there,
# a guest that cannot be prepared or does not boot is a failure (Bail out!), as is
# a check that fails.

import argparse
import base64
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

# The drives the guest sees. Virtio-SCSI targets take any identity; the AHCI
# (ATAPI) drive always calls itself QEMU DVD-ROM.
GENERIC = {'vendor': 'QEMU', 'product': 'QEMU CD-ROM', 'revision': '2.5+'}
NEC = {'vendor': '_NEC', 'product': 'DVD_RW ND-3550A', 'revision': '1.05'}
# The same model in safe mode: revision "0.xx", xx the bootcode version (nec-2m.md §0).
NEC_SAFE = dict(NEC, revision='0.05')
ATAPI = {'vendor': 'QEMU', 'product': 'QEMU DVD-ROM', 'revision': '2.5+'}


class Drive:
    """One emulated drive: its name in the tests, where it sits, who it says it is."""

    def __init__(self, name, target, ident, medium):
        self.name = name
        self.target = target  # virtio-scsi target number, None for the ATAPI drive
        self.ident = ident
        self.medium = medium
        self.var = 'SG_' + name.upper().replace('-', '_')

    @property
    def trace_id(self):
        return 'atapi' if self.target is None else 'virtio:%d' % self.target


# The first drive (virtio target 0) also receives the step markers.
DRIVES = [
    Drive('generic', 0, GENERIC, False),
    Drive('nec', 1, NEC, False),
    Drive('medium', 2, GENERIC, True),
    Drive('nec-medium', 3, NEC, True),
    Drive('nec-safe', 4, NEC_SAFE, False),
    Drive('atapi', None, ATAPI, False),
]
DRIVE = {d.name: d for d in DRIVES}
T_GENERIC = DRIVE['generic'].target

# Marker: INQUIRY with EVPD=1 for the vendor page 0xC0 + step % 64, and step // 64
# in the allocation length's high byte (QEMU has no page from 0xC0 on, so no
# data moves). QEMU traces its LBA field as 0x10000 | page << 8 | high byte.
MARKER_PAGE = 0xC0
MARKER_PAGES = 0x40
MAX_STEPS = MARKER_PAGES * 0x100

# Opcodes the checks look for in QEMU's trace.
WRITE_BUFFER = 0x3B
NEC_WRITE = 0xCB
NEC_READ_MEM = 0xCC
NEC_READ_BOOT = 0xCD

# A hung step ends with status 124 and the others still run.
STEP_TIMEOUT_S = 60
BOOT_TIMEOUT_S = 300
PREPARE_TIMEOUT_S = 300

# The test environment's settings that the programs inside the guest need too.
FORWARDED_ENV = ('G_DEBUG', 'G_SLICE', 'GSETTINGS_BACKEND', 'MALLOC_CHECK_',
                 'REFLASH_DATA_DIR', 'UBSAN_OPTIONS', 'ASAN_OPTIONS', 'LSAN_OPTIONS')


class Tap:
    """A minimal TAP producer: ok/not ok lines, the plan at the end."""

    def __init__(self):
        self.count = 0
        self.failed = 0
        self.trace_available = True

    def ok(self, passed, name, diagnostics='', trace=False):
        """@trace: the check reads QEMU's trace; without one it is skipped."""
        if trace and not self.trace_available:
            self.skip(name, 'QEMU wrote no command trace (trace backend missing?)')
            return False
        self.count += 1
        if not passed:
            self.failed += 1
        print('%s %d - %s' % ('ok' if passed else 'not ok', self.count, name))
        if not passed and diagnostics:
            for line in str(diagnostics).splitlines()[-80:]:
                print('# ' + line)
        sys.stdout.flush()
        return passed

    def skip(self, name, reason):
        self.count += 1
        print('ok %d - %s # SKIP %s' % (self.count, name, reason))
        sys.stdout.flush()

    def finish(self):
        print('1..%d' % self.count)
        return 1 if self.failed else 0


def skip_all(reason):
    print('1..0 # SKIP %s' % reason)
    sys.exit(0)


def bail_out(reason, diagnostics=''):
    """QEMU is installed, so the suite could run: not running is a failure, or a
    broken guest would pass unnoticed wherever setup-deps installed QEMU (CI).
    The diagnostics go to stderr, which meson shows for a failed TAP test."""
    print('Bail out! %s' % reason)
    if diagnostics.strip():
        print(diagnostics.rstrip(), file=sys.stderr)
    print('test-hardware: FAILED: %s' % reason, file=sys.stderr)
    sys.exit(1)


def note(text):
    for line in text.splitlines():
        print('# ' + line)
    sys.stdout.flush()


# --- Steps -----------------------------------------------------------------

GUEST_PRELUDE = r'''
set -u
# sg_of DRIVER [TARGET]: the /dev/sgN of the drive behind a SCSI host driver.
sg_of () {
  for d in /sys/class/scsi_generic/sg*; do
    hctl=$(basename "$(readlink -f "$d/device")")
    host=${hctl%%:*}
    [ "$(cat /sys/class/scsi_host/host$host/proc_name)" = "$1" ] || continue
    if [ -n "${2:-}" ]; then
      [ "$(echo "$hctl" | cut -d: -f3)" = "$2" ] || continue
    fi
    echo "/dev/${d##*/}"
    return 0
  done
  return 1
}
# sr_of /dev/sgN: the block node of the same drive.
sr_of () {
  for b in /sys/class/scsi_generic/${1#/dev/}/device/block/*; do
    echo "/dev/${b##*/}"
    return 0
  done
  return 1
}
'''

GUEST_STEP = r'''
sg_raw -r %(length)d "$%(marker)s" 12 01 %(page)02x %(high)02x 04 00 >/dev/null 2>&1
timeout -k 5 %(timeout)d sh -c %(command)s >/tmp/rf-step.out 2>/tmp/rf-step.err </dev/null
rc=$?
echo "@@@ step %(index)d $rc $(base64 -w0 </tmp/rf-step.out) $(base64 -w0 </tmp/rf-step.err)"
'''


class Step:
    def __init__(self, index, name, command):
        self.index = index
        self.name = name
        self.command = command
        self.ran = False
        self.status = None
        self.stdout = ''
        self.stderr = ''
        # (drive, opcode) pairs the drives received during the step
        self.received = []

    def opcodes(self, drive=None):
        return {op for (d, op) in self.received if drive is None or d == drive}

    def describe(self):
        return ('step %s: %s\nexit %s\nstdout:\n%s\nstderr:\n%s'
                % (self.name, self.command, self.status, self.stdout, self.stderr))


class Plan:
    def __init__(self):
        self.steps = []
        self.by_name = {}

    def add(self, name, command):
        if len(self.steps) >= MAX_STEPS:
            raise RuntimeError('too many steps')
        step = Step(len(self.steps), name, command)
        self.steps.append(step)
        self.by_name[name] = step
        return step

    def script(self):
        text = GUEST_PRELUDE
        for drive in DRIVES:
            if drive.target is None:
                text += 'export %s=$(sg_of ahci)\n' % drive.var
            else:
                text += 'export %s=$(sg_of virtio_scsi %d)\n' % (drive.var, drive.target)
        for drive in DRIVES:
            text += 'export %s=$(sr_of "$%s")\n' % (drive.var.replace('SG_', 'SR_', 1), drive.var)
        # The unprivileged user's HOME, its own to write.
        text += 'export NOBODY_HOME=$(mktemp -d)\nchown 65534:65534 "$NOBODY_HOME"\n'
        text += 'cd /tmp\necho "@@@ booted"\n'
        for name in FORWARDED_ENV:
            if name in os.environ:
                text += 'export %s=%s\n' % (name, shlex.quote(os.environ[name]))
        for step in self.steps:
            text += GUEST_STEP % {'marker': DRIVES[0].var,
                                  'page': MARKER_PAGE + step.index % MARKER_PAGES,
                                  'high': step.index // MARKER_PAGES,
                                  'length': (step.index // MARKER_PAGES) << 8 | 4,
                                  'command': shlex.quote(step.command),
                                  'timeout': STEP_TIMEOUT_S,
                                  'index': step.index}
        return text

    def __getitem__(self, name):
        return self.by_name[name]


class Shared:
    """Copies of the programs and of the data folder for the steps that run without
    privileges, in a new folder under /tmp that everyone can read (not TMPDIR,
    which can be private). The checkout may sit where those steps cannot reach it:
    /root and Debian 12's homes are 0700, closed to nobody, and a user's home also to
    root without capabilities."""

    def __init__(self, programs):
        self.folder = tempfile.mkdtemp(prefix='reflash-hw-shared-', dir='/tmp')
        self.copies = {}
        for program in programs:
            self.copies[program] = os.path.join(self.folder, os.path.basename(program))
            shutil.copy(program, self.copies[program])
        self.data = os.path.join(self.folder, 'data')
        # Where the programs look (rf-paths.c): REFLASH_DATA_DIR, else the source tree's.
        source = (os.environ.get('REFLASH_DATA_DIR')
                  or os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'data'))
        shutil.copytree(source, self.data)
        for top, dirs, files in os.walk(self.folder):
            for name in dirs:
                os.chmod(os.path.join(top, name), 0o755)
            for name in files:
                os.chmod(os.path.join(top, name), 0o644)
        os.chmod(self.folder, 0o755)
        for copy in self.copies.values():
            os.chmod(copy, 0o755)

    def command(self, program):
        """Shell words that run the copy of @program with the copied data folder."""
        return 'REFLASH_DATA_DIR=%s %s' % (shlex.quote(self.data),
                                           shlex.quote(self.copies[program]))

    def remove(self):
        shutil.rmtree(self.folder, ignore_errors=True)


def parse_output(plan, text):
    booted = False
    for line in text.replace('\r', '').splitlines():
        if line == '@@@ booted':
            booted = True
            continue
        fields = line.split(' ')
        if len(fields) < 4 or fields[:2] != ['@@@', 'step']:
            continue
        try:
            step = plan.steps[int(fields[2])]
            status = int(fields[3])
            out = base64.b64decode(fields[4] if len(fields) > 4 else '')
            err = base64.b64decode(fields[5] if len(fields) > 5 else '')
        except (ValueError, IndexError):
            # A garbled line: that step's checks fail as "did not run".
            continue
        step.ran = True
        step.status = status
        step.stdout = out.decode('utf-8', 'replace')
        step.stderr = err.decode('utf-8', 'replace')
    return booted


TRACE_PARSED = re.compile(r'^scsi_req_parsed target (\d+) lun \d+ tag (-?\d+) command (\d+) ')
TRACE_LBA = re.compile(r'^scsi_req_parsed_lba target (\d+) lun \d+ tag (-?\d+) command (\d+) lba (\d+)')
TRACE_BAD = re.compile(r'^scsi_req_parse_bad target (\d+) lun \d+ tag (-?\d+) command (\d+)')
TRACE_ATAPI = re.compile(r'^ide_atapi_cmd_packet .* packet: ([0-9a-f]{2})')


def parse_trace(plan, text):
    """Assigns each command a drive received to the step that was running.
    Returns whether any step marker was found."""
    current = None
    pending = None  # a parsed command waiting for its LBA line

    def commit():
        nonlocal pending
        if pending is not None and current is not None:
            current.received.append(pending)
        pending = None

    for line in text.splitlines():
        m = TRACE_PARSED.match(line)
        if m:
            commit()
            pending = ('virtio:%s' % m.group(1), int(m.group(3)))
            continue
        m = TRACE_LBA.match(line)
        if m:
            lba = int(m.group(4))
            page = (lba >> 8) & 0xFF
            index = (lba & 0xFF) * MARKER_PAGES + page - MARKER_PAGE
            if (int(m.group(3)) == 0x12 and int(m.group(1)) == T_GENERIC
                    and lba & 0x10000 and page >= MARKER_PAGE and index < len(plan.steps)):
                pending = None
                current = plan.steps[index]
            else:
                commit()
            continue
        m = TRACE_BAD.match(line)
        if m:
            commit()
            if current is not None:
                current.received.append(('virtio:%s' % m.group(1), int(m.group(3))))
            continue
        m = TRACE_ATAPI.match(line)
        if m:
            commit()
            if current is not None:
                current.received.append(('atapi', int(m.group(1), 16)))
    commit()
    return current is not None


# --- QEMU --------------------------------------------------------------------

def real_kvm():
    """/dev/kvm can be a software module that makes QEMU crawl: trust it only
    with a hardware KVM module and the CPU's virtualization flag."""
    if not (os.path.isdir('/sys/module/kvm_intel') or os.path.isdir('/sys/module/kvm_amd')):
        return False
    try:
        with open('/proc/cpuinfo') as f:
            flags = f.read()
    except OSError:
        return False
    return (re.search(r'\b(vmx|svm)\b', flags) is not None
            and os.access('/dev/kvm', os.R_OK | os.W_OK))


def qemu_command(qemu, guest, workdir, script_path, accel, medium):
    args = [qemu, '-nodefaults', '-display', 'none', '-no-reboot', '-machine', 'q35',
            '-m', '512', '-smp', '1',
            '-kernel', guest['kernel'], '-initrd', guest['initrd'],
            # No media polling: only what programs send may reach the drives.
            '-append', 'console=ttyS0 panic=-1 quiet block.events_dfl_poll_msecs=0 '
            'rf.run=%s rf.targets=%s'
            % (script_path, ','.join(str(d.target) for d in DRIVES if d.target is not None))]
    args += ['-accel', 'kvm', '-cpu', 'host'] if accel == 'kvm' else ['-accel', 'tcg']
    for name in ('console', 'stdout', 'stderr', 'status'):
        args += ['-serial', 'file:' + os.path.join(workdir, name)]
    args += ['-virtfs', 'local,path=/,mount_tag=hostroot,security_model=none,'
             'readonly=on,multidevs=remap']
    args += ['-device', 'virtio-scsi-pci,id=vs']
    for drive in DRIVES:
        if drive.target is None:
            args += ['-device', 'ide-cd,bus=ide.2']
            continue
        extra = ''
        if drive.medium:
            args += ['-drive', 'if=none,id=disc%d,file=%s,format=raw,readonly=on,media=cdrom'
                     % (drive.target, medium)]
            extra = ',drive=disc%d' % drive.target
        args += ['-device', 'scsi-cd,bus=vs.0,scsi-id=%d,lun=0,vendor=%s,product=%s,ver=%s%s'
                 % (drive.target, drive.ident['vendor'], drive.ident['product'],
                    drive.ident['revision'], extra)]
    args += ['-trace', 'scsi_req_*',
             '-trace', 'ide_atapi_cmd_packet,file=' + os.path.join(workdir, 'trace')]
    return args


def read(path):
    try:
        with open(path, 'rb') as f:
            return f.read().decode('utf-8', 'replace')
    except OSError:
        return ''


def run_guest(qemu, guest, plan, accel):
    """Returns (booted, traced, status, diagnostics) after one boot that runs
    every step."""
    workdir = tempfile.mkdtemp(prefix='reflash-hw-')
    try:
        script_path = os.path.join(workdir, 'guest.sh')
        with open(script_path, 'w') as f:
            f.write(plan.script())
        # A blank 4 MiB disc: enough for QEMU to report a medium.
        medium = os.path.join(workdir, 'medium.iso')
        with open(medium, 'wb') as f:
            f.truncate(4 * 1024 * 1024)
        args = qemu_command(qemu, guest, workdir, script_path, accel, medium)
        started = time.monotonic()
        try:
            proc = subprocess.run(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, timeout=BOOT_TIMEOUT_S)
            qemu_output = proc.stdout.decode('utf-8', 'replace')
            qemu_status = proc.returncode
        except subprocess.TimeoutExpired:
            qemu_output = 'QEMU did not finish within %d s' % BOOT_TIMEOUT_S
            qemu_status = None
        note('guest run (%s, %s): %.1f s' % (accel, os.path.basename(guest['kernel']),
                                           time.monotonic() - started))
        booted = parse_output(plan, read(os.path.join(workdir, 'stdout')))
        traced = parse_trace(plan, read(os.path.join(workdir, 'trace')))
        status = read(os.path.join(workdir, 'status')).strip()
        diagnostics = ('qemu exit %s\n%s\nconsole:\n%s\nguest stderr:\n%s'
                       % (qemu_status, qemu_output,
                          read(os.path.join(workdir, 'console'))[-3000:],
                          read(os.path.join(workdir, 'stderr'))[-3000:]))
        return booted, traced, status, diagnostics
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def prepare_guest(prepare):
    try:
        proc = subprocess.run([prepare], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=PREPARE_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return None, 'prepare-guest.sh did not finish within %d s' % PREPARE_TIMEOUT_S
    if proc.returncode != 0:
        return None, proc.stderr.decode('utf-8', 'replace')
    guest = {}
    for line in proc.stdout.decode().splitlines():
        key, _, value = line.partition('=')
        guest[key] = value
    if not os.path.isfile(guest.get('kernel', '')) or not os.path.isfile(guest.get('initrd', '')):
        return None, 'prepare-guest.sh printed no kernel and initrd'
    return guest, ''


# --- Checks ----------------------------------------------------------------

def sg_inq_fields(text):
    fields = {}
    for key, label in (('vendor', 'Vendor identification'),
                       ('product', 'Product identification'),
                       ('revision', 'Product revision level')):
        m = re.search(r'^ *%s: ?(.*)$' % label, text, re.M)
        fields[key] = m.group(1).strip() if m else None
    return fields


def raw_sense(text):
    """The sense bytes sg_raw -v printed, as a list of ints."""
    m = re.search(r'Raw sense data \(in hex\)[^\n]*\n((?:\s+(?:[0-9a-f]{2}\s*)+\n?)+)', text)
    if not m:
        return []
    return [int(b, 16) for b in m.group(1).split()]


def add_sg3_steps(plan):
    plan.add('nodes', 'echo ' + ' '.join('"$%s"' % d.var for d in DRIVES))
    for drive in DRIVES:
        plan.add('inq-' + drive.name, 'sg_inq "$%s"' % drive.var)
        plan.add('turs-' + drive.name, 'sg_turs -v "$%s"' % drive.var)
    # READ MEM, 0x20 bytes at 0: NEC's read-only identification read (nec-2m.md §1).
    read_mem = 'cc 00 00 00 00 00 00 00 20 00 00 00'
    plan.add('readmem-nec', 'sg_raw -v -r 32 "$SG_NEC" ' + read_mem)
    plan.add('readmem-atapi', 'sg_raw -v -r 32 "$SG_ATAPI" ' + read_mem)
    plan.add('getconfig-generic', 'sg_get_config --rt=2 --starting=0x10c "$SG_GENERIC"')


def check_sg3(tap, plan):
    nodes = plan['nodes'].stdout.split()
    tap.ok(plan['nodes'].status == 0 and len(nodes) == len(DRIVES)
           and len(set(nodes)) == len(DRIVES) and all(n.startswith('/dev/sg') for n in nodes),
           'guest: %d SCSI generic nodes (virtio-scsi and AHCI ATAPI)' % len(DRIVES),
           plan['nodes'].describe())

    for drive in DRIVES:
        name, target, ident = drive.name, drive.trace_id, drive.ident
        step = plan['inq-' + name]
        fields = sg_inq_fields(step.stdout)
        tap.ok(step.status == 0 and fields == ident,
               'sg_inq %s: %s %s %s' % (name, ident['vendor'], ident['product'], ident['revision']),
               '%s\nparsed: %r' % (step.describe(), fields))
        tap.ok(0x12 in step.opcodes(target) and NEC_READ_MEM not in step.opcodes(),
               'trace: the %s drive received the INQUIRY, nothing vendor-specific' % name,
               'received: %r' % step.received, trace=True)

        step = plan['turs-' + name]
        if drive.medium:
            tap.ok(step.status == 0, 'sg_turs %s: GOOD with a disc inside' % name,
                   step.describe())
        else:
            # sg3-utils exit status 2: SG_LIB_CAT_NOT_READY
            tap.ok(step.status == 2 and 'Medium not present' in step.stderr,
                   'sg_turs %s: 02/3A/00 medium not present' % name, step.describe())

    step = plan['readmem-nec']
    sense = raw_sense(step.stderr)
    # exit 9: SG_LIB_CAT_INVALID_OP. Virtio-SCSI: fixed format 0x70.
    tap.ok(step.status == 9 and len(sense) >= 14 and sense[0] == 0x70
           and sense[2] & 0x0F == 5 and sense[12:14] == [0x20, 0x00],
           'READ MEM (0xCC) to the NEC identity: 05/20/00, fixed-format sense 0x70',
           '%s\nsense: %r' % (step.describe(), sense))
    tap.ok((DRIVE['nec'].trace_id, NEC_READ_MEM) in step.received,
           'trace: QEMU saw the 0xCC arrive at the NEC drive', 'received: %r' % step.received,
           trace=True)

    step = plan['readmem-atapi']
    sense = raw_sense(step.stderr)
    tap.ok(step.status == 9 and len(sense) >= 14 and sense[0] == 0xF0
           and sense[2] & 0x0F == 5 and sense[12:14] == [0x20, 0x00],
           'READ MEM (0xCC) to the ATAPI drive: 05/20/00, sense response code 0xF0',
           '%s\nsense: %r' % (step.describe(), sense))
    tap.ok(('atapi', NEC_READ_MEM) in step.received,
           'trace: QEMU saw the 0xCC arrive at the ATAPI drive', 'received: %r' % step.received,
           trace=True)

    step = plan['getconfig-generic']
    tap.ok(step.status == 0 and 0x46 in step.opcodes('virtio:%d' % T_GENERIC)
           and "firmware information" not in step.stdout.lower(),
           'GET CONFIGURATION: answered, and QEMU has no feature 0x010C', step.describe(),
           trace=True)


# --- RfSgTransport (reflash-hw-transport) ---------------------------------------

# Run without CAP_SYS_RAWIO (still uid 0, so the node's permissions let it open).
# The kernel then refuses vendor opcodes on block nodes (/dev/srN) before the
# drive sees them; on a read-write open of /dev/sgN it filters nothing.
# Followed by Shared.command().
NO_RAWIO = 'setpriv --inh-caps=-all --bounding-set=-all env '


def add_transport_steps(plan, transport, shared):
    no_rawio = NO_RAWIO + shared.command(transport)
    transport = shlex.quote(transport)
    for drive in DRIVES:
        plan.add('rf-' + drive.name, '%s "$%s"' % (transport, drive.var))
    plan.add('rf-sr-generic', '%s "$SR_GENERIC"' % transport)
    plan.add('rf-nec-sr-no-rawio', no_rawio + ' "$SR_NEC"')
    plan.add('rf-nec-sg-no-rawio', no_rawio + ' "$SG_NEC"')
    plan.add('rf-nec-sg-read-only-no-rawio', no_rawio + ' --read-only "$SG_NEC"')
    # The caller resolves links; RfSgTransport refuses one before opening it.
    plan.add('rf-symlink', 'ln -s "$SG_NEC" /tmp/rf-sg-link && %s /tmp/rf-sg-link' % transport)


def transport_lines(step):
    """{command: {key: value}} from reflash-hw-transport's output."""
    lines = {}
    for line in step.stdout.splitlines():
        words = shlex.split(line)
        if words:
            lines[words[0]] = dict(w.split('=', 1) for w in words[1:] if '=' in w)
    return lines


def expect(lines, command, **wanted):
    got = lines.get(command, {})
    return all(got.get(k) == v for k, v in wanted.items())


def check_transport(tap, plan):
    for drive in DRIVES:
        step = plan['rf-' + drive.name]
        lines = transport_lines(step)
        ident = drive.ident
        inquiry = lines.get('inquiry', {})
        tap.ok(step.status == 0 and expect(lines, 'inquiry', ok='1', type='5')
               and all(inquiry.get(k, '').strip() == ident[k] for k in ident),
               'RfSgTransport %s: INQUIRY GOOD, PDT 5, %s %s %s'
               % (drive.name, ident['vendor'], ident['product'], ident['revision']),
               step.describe())
        # ATAPI drives answer with response code 0xF0 (fixed format, VALID set).
        response = '0xf0' if drive.target is None else '0x70'
        if drive.medium:
            tap.ok(expect(lines, 'tur', ok='1', status='0x00'),
                   'RfSgTransport %s: TEST UNIT READY GOOD with a disc inside' % drive.name,
                   step.describe())
        else:
            tap.ok(expect(lines, 'tur', ok='0', status='0x02', sense='02/3a/00',
                          response=response, error='no-medium'),
                   'RfSgTransport %s: TEST UNIT READY 02/3A/00 (response %s) is no-medium'
                   % (drive.name, response), step.describe())
        tap.ok(expect(lines, 'readmem', executed='1', ok='0', sense='05/20/00',
                      error='vendor-refused'),
               'RfSgTransport %s: READ MEM (0xCC) 05/20/00 is vendor-refused' % drive.name,
               step.describe())
        tap.ok((drive.trace_id, NEC_READ_MEM) in step.received,
               'trace: the %s drive received that 0xCC' % drive.name,
               'received: %r' % step.received, trace=True)
        if drive.target is not None:
            tap.ok(expect(lines, 'getconfig', ok='1', firmware_info='0'),
                   'RfSgTransport %s: GET CONFIGURATION GOOD; no feature 0x010C is found '
                   'where QEMU has none' % drive.name, step.describe())

    step = plan['rf-sr-generic']
    lines = transport_lines(step)
    tap.ok(step.status == 0 and expect(lines, 'inquiry', ok='1')
           and lines['inquiry'].get('product', '').strip() == GENERIC['product'],
           'RfSgTransport opens the block node (/dev/srN) too', step.describe())

    nec = DRIVE['nec'].trace_id
    # Without CAP_SYS_RAWIO the kernel refuses vendor opcodes before the drive
    # sees them on /dev/srN, and on /dev/sgN opened read-only as passive probing
    # opens it: a second gate behind Reflash's own.
    for name, node, read_only in (('rf-nec-sr-no-rawio', '/dev/srN', '0'),
                                  ('rf-nec-sg-read-only-no-rawio', 'read-only /dev/sgN', '1')):
        step = plan[name]
        lines = transport_lines(step)
        tap.ok(step.status == 0 and expect(lines, 'open', ok='1', read_only=read_only)
               and expect(lines, 'inquiry', ok='1')
               and expect(lines, 'readmem', executed='0', error='needs-privileges'),
               'RfSgTransport on %s without CAP_SYS_RAWIO: INQUIRY works, READ MEM is '
               'needs-privileges' % node, step.describe())
        tap.ok(0x12 in step.opcodes(nec) and NEC_READ_MEM not in step.opcodes(nec),
               'trace: on that %s the 0xCC never reached the drive' % node,
               'received: %r' % step.received, trace=True)
    # A fact of the kernel that Reflash's "needs-admin" state depends on: sg
    # filters commands only on read-only opens, so whoever may open /dev/sgN
    # read-write reaches the drive with vendor commands, privileges or not.
    step = plan['rf-nec-sg-no-rawio']
    lines = transport_lines(step)
    tap.ok(expect(lines, 'readmem', executed='1', sense='05/20/00')
           and NEC_READ_MEM in step.opcodes(nec),
           'kernel: a read-write /dev/sgN passes 0xCC without CAP_SYS_RAWIO',
           '%s\nreceived: %r' % (step.describe(), step.received), trace=True)

    step = plan['rf-symlink']
    lines = transport_lines(step)
    tap.ok(step.status == 1 and expect(lines, 'open', ok='0', error='not-supported')
           and 'symbolic link' in lines.get('open', {}).get('message', ''),
           'RfSgTransport refuses a symbolic link to /dev/sgN before opening it', step.describe())
    tap.ok(not step.opcodes(nec), 'trace: through the link nothing reached the drive',
           'received: %r' % step.received, trace=True)


# --- RfDeviceMonitor and RfDevice (reflash-hw-probe) ------------------------------

def add_probe_steps(plan, probe, shared):
    no_rawio = NO_RAWIO + shared.command(probe)
    probe = shlex.quote(probe)
    plan.add('probe-list', probe + ' list')
    for drive in DRIVES:
        plan.add('probe-info-' + drive.name, '%s info "$%s"' % (probe, drive.var))
    plan.add('probe-info-sr-nec', '%s info "$SR_NEC"' % probe)
    plan.add('probe-info-nec-no-rawio', no_rawio + ' info "$SR_NEC"')


def probe_lines(step):
    """[{key: value}] from reflash-hw-probe's output, one per drive."""
    drives = []
    for line in step.stdout.splitlines():
        words = shlex.split(line)
        if words[:1] == ['drive']:
            drives.append(dict(w.split('=', 1) for w in words[1:] if '=' in w))
    return drives


def same_identity(found, ident):
    return all(found.get(k, '').strip() == ident[k] for k in ident)


def transcript_matches_trace(found, step, drive):
    """The recorder's transcript against what QEMU's drive received. On AHCI,
    libata itself fetches the sense after CHECK CONDITION (REQUEST SENSE, 0x03):
    that one is the kernel's, not Reflash's."""
    sent = [int(op, 16) for op in found.get('sent', '').split(',') if op]
    received = [op for (d, op) in step.received if d == drive.trace_id]
    if drive.target is None:
        received = [op for op in received if op != 0x03]
    return sent == received, 'recorder: %r\ndrive received: %r' % (sent, received)


# What `info` must conclude for each drive (DOMAIN.md, "Drive states").
EXPECTED_STATE = {
    'generic': 'unsupported',     # answers, no family matches; no disc is no error
    'nec': 'vendor-refused',      # NEC identity, QEMU refuses 0xCC with 05/20/00
    'medium': 'unsupported',      # a disc inside, but no family knows the model:
                                  # removing the disc would not help
    'nec-medium': 'busy',         # a disc inside: no deep check
    'nec-safe': 'vendor-refused', # safe mode, but the identification read is refused
    'atapi': 'unsupported',
}


# What a passive listing can tell (DOMAIN.md, "Probing depth").
EXPECTED_PASSIVE = {
    'generic': 'unsupported',
    'nec': 'ready',               # only a deep check finds the refusal
    'medium': 'unsupported',
    'nec-medium': 'busy',
    'nec-safe': 'safe-mode',      # visible from the INQUIRY revision alone
    'atapi': 'unsupported',
}


def check_probe(tap, plan):
    step = plan['probe-list']
    found = probe_lines(step)
    by_sg = {f.get('sg'): f for f in found}
    nodes = dict(zip([d.name for d in DRIVES], plan['nodes'].stdout.split()))
    tap.ok(step.status == 0 and sorted(by_sg) == sorted(nodes.values()),
           'RfDeviceMonitor without udev: finds exactly the %d drives (sysfs only)' % len(DRIVES),
           '%s\nnodes: %r' % (step.describe(), nodes))
    for drive in DRIVES:
        f = by_sg.get(nodes.get(drive.name), {})
        state = EXPECTED_PASSIVE[drive.name]
        tap.ok(same_identity(f, drive.ident) and f.get('state') == state
               and f.get('depth') == 'passive' and f.get('block', '').startswith('/dev/sr'),
               'passive probe %s: %s %s, state %s, with its block node'
               % (drive.name, drive.ident['vendor'], drive.ident['product'], state),
               '%s\nfound: %r' % (step.describe(), f))
        ok, why = transcript_matches_trace(f, step, drive)
        tap.ok(ok, 'recorder transcript of the passive probe of %s = what the drive received'
               % drive.name, why, trace=True)
    vendor = sorted({op for (_, op) in step.received if op >= 0xC0})
    tap.ok(not vendor, 'trace: the passive probe of all drives sent no vendor command',
           'vendor opcodes: %r' % vendor, trace=True)

    for drive in DRIVES:
        step = plan['probe-info-' + drive.name]
        found = probe_lines(step)
        f = found[0] if len(found) == 1 else {}
        state = EXPECTED_STATE[drive.name]
        tap.ok(step.status == 0 and same_identity(f, drive.ident) and f.get('state') == state
               and f.get('explanation') and f.get('advice'),
               'deep probe %s: state %s, with explanation and advice' % (drive.name, state),
               step.describe())
        ok, why = transcript_matches_trace(f, step, drive)
        tap.ok(ok, 'recorder transcript of the deep probe of %s = what the drive received'
               % drive.name, why, trace=True)

    nec = DRIVE['nec']
    step = plan['probe-info-nec']
    f = (probe_lines(step) or [{}])[0]
    tap.ok(f.get('depth') == 'deep' and f.get('reason') == 'vendor-refused'
           and 'controller' in f.get('advice', ''),
           'deep probe nec: vendor commands refused, advice names another controller',
           step.describe())
    tap.ok((nec.trace_id, NEC_READ_MEM) in step.received,
           'trace: the deep probe of nec sent its identification read (0xCC)',
           'received: %r' % step.received, trace=True)
    step = plan['probe-info-nec-medium']
    tap.ok(NEC_READ_MEM not in step.opcodes(),
           'trace: with a disc inside, the deep probe sent no vendor command',
           'received: %r' % step.received, trace=True)
    never = sorted({(s.name, op) for s in plan.steps if s.name.startswith('probe-')
                    for (_, op) in s.received if op in NEVER_WHILE_PROBING})
    tap.ok(not never, 'trace: no probe sent WRITE BUFFER, 0xCB or 0xCD', 'seen: %r' % never,
           trace=True)

    step = plan['probe-info-sr-nec']
    f = (probe_lines(step) or [{}])[0]
    tap.ok(f.get('state') == EXPECTED_STATE['nec'] and f.get('sg') == nodes.get('nec'),
           'deep probe through the block node: same drive, same verdict', step.describe())

    # Without CAP_SYS_RAWIO the verdict must follow what really happened:
    # refused by the kernel (nothing reached the drive) is needs-admin, refused
    # by the drive is vendor-refused. Never one for the other.
    step = plan['probe-info-nec-no-rawio']
    f = (probe_lines(step) or [{}])[0]
    reached = NEC_READ_MEM in step.opcodes(nec.trace_id)
    wanted = 'vendor-refused' if reached else 'needs-admin'
    tap.ok(f.get('state') == wanted,
           'deep probe without CAP_SYS_RAWIO: %s, as the trace shows the 0xCC %s the drive'
           % (wanted, 'reached' if reached else 'never reached'),
           '%s\nreceived: %r' % (step.describe(), step.received), trace=True)


# --- reflash-cli ---------------------------------------------------------------

CLI_NOT_AVAILABLE = 5  # RF_CLI_EXIT_NOT_AVAILABLE: the command's issue is still open
CLI_NOT_FOUND = 3      # RF_CLI_EXIT_NOT_FOUND
# An unprivileged user: no capabilities, no groups, a HOME of its own; the guest's sg
# nodes are 0600 root. Followed by Shared.command().
AS_NOBODY = ('setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all '
             '--bounding-set=-all env HOME="$NOBODY_HOME" ')
# Opcodes no listing or probing may ever send (DOMAIN.md, "Probing depth").
NEVER_WHILE_PROBING = {WRITE_BUFFER: 'WRITE BUFFER (0x3B)', NEC_WRITE: 'NEC write (0xCB)',
                       NEC_READ_BOOT: 'READ BOOT (0xCD)'}


def as_nobody_with(mode, nodes, command):
    """@command as nobody, while the nodes @nodes have @mode (then 0600 again)."""
    return ('chmod %s %s && %s%s; rc=$?; chmod 0600 %s; exit $rc'
            % (mode, nodes, AS_NOBODY, command, nodes))


def add_cli_steps(plan, cli, opens, shared):
    nobody_cli = shared.command(cli)
    cli = shlex.quote(cli)
    plan.add('cli-list', cli + ' list --json')
    plan.add('cli-list-text', cli + ' list')
    for drive in DRIVES:
        plan.add('cli-info-' + drive.name, '%s info "$%s" --json' % (cli, drive.var))
        plan.add('cli-info-text-' + drive.name, '%s info "$%s"' % (cli, drive.var))
    plan.add('cli-info-sr-nec', '%s info "$SR_NEC" --json' % cli)
    plan.add('cli-info-missing', '%s info /dev/sg99 --json' % cli)
    plan.add('cli-nobody-list', AS_NOBODY + nobody_cli + ' list --json')
    plan.add('cli-nobody-info-nec', AS_NOBODY + '%s info "$SG_NEC" --json' % nobody_cli)
    # A user the node lets in read-write (on a desktop: group "cdrom").
    plan.add('cli-nobody-rw-info-nec',
             as_nobody_with('0666', '"$SG_NEC"', '%s info "$SG_NEC" --json' % nobody_cli))
    # A user who may read the NEC drives' nodes but not write them.
    plan.add('cli-reader-list',
             as_nobody_with('0604', '"$SG_NEC" "$SG_NEC_SAFE"', nobody_cli + ' list --json'))
    plan.add('cli-reader-info-nec-safe',
             as_nobody_with('0604', '"$SG_NEC_SAFE"',
                            '%s info "$SG_NEC_SAFE" --json' % nobody_cli))
    # How root's runs open the nodes: a listing read-only, a deep look read-write.
    if opens:
        every_sg = ' '.join('"$%s"' % d.var for d in DRIVES)
        plan.add('cli-opens-list', '%s %s -- %s list --json' % (shlex.quote(opens), every_sg, cli))
        plan.add('cli-opens-info-nec',
                 '%s "$SG_NEC" -- %s info "$SG_NEC" --json' % (shlex.quote(opens), cli))


def cli_steps(plan):
    return [step for step in plan.steps if step.name.startswith('cli-')]


def check_cli_safety(tap, plan):
    """What the drives received while reflash-cli ran, from QEMU's side."""
    steps = [step for step in cli_steps(plan) if step.status != CLI_NOT_AVAILABLE]
    if not steps:
        return
    for step in steps:
        tap.ok(step.status is not None and step.status < 126,
               'reflash-cli %s: exits normally (no crash, no signal)' % step.name[4:],
               step.describe())
    seen = [(step.name, drive, NEVER_WHILE_PROBING[op])
            for step in steps for (drive, op) in step.received if op in NEVER_WHILE_PROBING]
    tap.ok(not seen, 'trace: no WRITE BUFFER, 0xCB or 0xCD reached any drive during %d '
           'reflash-cli runs' % len(steps), 'received: %r' % seen, trace=True)
    for name in ('cli-list', 'cli-list-text'):
        step = plan[name]
        if step.status == CLI_NOT_AVAILABLE:
            continue
        vendor = sorted({op for (_, op) in step.received if op >= 0xC0})
        tap.ok(not vendor, 'trace: passive reflash-cli %s sent no vendor command'
               % name[4:].replace('-text', ' (text)'), 'vendor opcodes: %r' % vendor, trace=True)
        # The positive control: the same trace shows the listing reached every drive.
        missing = [d.name for d in DRIVES if 0x12 not in step.opcodes(d.trace_id)]
        tap.ok(not missing, 'trace: reflash-cli %s sent INQUIRY to every drive'
               % name[4:], 'no INQUIRY seen at %r' % missing, trace=True)


def parse_json(step):
    try:
        return json.loads(step.stdout), ''
    except ValueError as e:
        return None, 'not JSON: %s' % e


def same_json_identity(entry, ident):
    return all(entry.get(k) == ident[k] for k in ident)


def cli_transcript_matches_trace(entry, step, drive):
    """info --json lists the probe's commands; each must be one the drive received."""
    sent = []
    for command in entry.get('commands') or []:
        sent.append(int(command['cdb'].split()[0], 16))
    received = [op for (d, op) in step.received if d == drive.trace_id]
    if drive.target is None:
        received = [op for op in received if op != 0x03]  # libata's own REQUEST SENSE
    return sent == received, 'commands: %r\ndrive received: %r' % (sent, received)


def check_cli_output(tap, plan):
    nodes = dict(zip([d.name for d in DRIVES], plan['nodes'].stdout.split()))

    step = plan['cli-list']
    data, why = parse_json(step)
    entries = data.get('drives') if isinstance(data, dict) else None
    tap.ok(step.status == 0 and isinstance(entries, list) and len(entries) == len(DRIVES),
           'reflash-cli list --json: exit 0, {"drives": [...]} with the %d drives' % len(DRIVES),
           '%s\n%s' % (step.describe(), why))
    by_node = {e.get('sg_node'): e for e in entries or [] if isinstance(e, dict)}
    for drive in DRIVES:
        entry = by_node.get(nodes.get(drive.name), {})
        state = EXPECTED_PASSIVE[drive.name]
        tap.ok(same_json_identity(entry, drive.ident) and entry.get('state') == state
               and entry.get('probe_depth') == 'passive'
               and (entry.get('block_node') or '').startswith('/dev/sr'),
               'reflash-cli list --json: %s is %s %s %s, state %s (passive)'
               % (drive.name, drive.ident['vendor'], drive.ident['product'],
                  drive.ident['revision'], state), 'entry: %r' % entry)

    step = plan['cli-list-text']
    lines = step.stdout.splitlines()
    tap.ok(step.status == 0 and len(lines) == len(DRIVES) + 1
           and all(any(d.ident['product'] in l and nodes.get(d.name, '?') in l for l in lines)
                   for d in DRIVES),
           'reflash-cli list: a header and one line per drive with node and model',
           step.describe())

    for drive in DRIVES:
        step = plan['cli-info-' + drive.name]
        data, why = parse_json(step)
        entry = data if isinstance(data, dict) else {}
        state = EXPECTED_STATE[drive.name]
        tap.ok(step.status == 0 and entry.get('sg_node') == nodes.get(drive.name)
               and same_json_identity(entry, drive.ident),
               'reflash-cli info %s --json: exit 0, identity %s %s %s'
               % (drive.name, drive.ident['vendor'], drive.ident['product'],
                  drive.ident['revision']), '%s\n%s' % (step.describe(), why))
        tap.ok(entry.get('state') == state and entry.get('explanation')
               and entry.get('advice'),
               'reflash-cli info %s: state %s, with explanation and advice' % (drive.name, state),
               step.describe())
        ok, why = cli_transcript_matches_trace(entry, step, drive)
        tap.ok(ok, 'reflash-cli info %s: its "commands" are exactly what the drive received'
               % drive.name, why, trace=True)
        text = plan['cli-info-text-' + drive.name]
        tap.ok(text.status == 0 and drive.ident['product'] in text.stdout
               and entry.get('advice', '?') in text.stdout,
               'reflash-cli info %s (text): names the model and gives the advice' % drive.name,
               text.describe())

    step = plan['cli-info-nec-safe']
    entry, _ = parse_json(step)
    entry = entry if isinstance(entry, dict) else {}
    tap.ok(entry.get('safe_mode') is True and entry.get('revision') == NEC_SAFE['revision'],
           'reflash-cli info nec-safe: safe_mode true from the 0.05 revision', step.describe())

    step = plan['cli-info-nec']
    entry, _ = parse_json(step)
    entry = entry if isinstance(entry, dict) else {}
    tap.ok(entry.get('probe_depth') == 'deep' and entry.get('reason') == 'vendor-refused'
           and entry.get('family') is not None and 'controller' in entry.get('advice', ''),
           'reflash-cli info nec: known family, vendor commands refused (deep), advice names '
           'another controller', step.describe())
    tap.ok((DRIVE['nec'].trace_id, NEC_READ_MEM) in step.received,
           'trace: info on the NEC identity without a disc sent its identification (0xCC)',
           'received: %r' % step.received, trace=True)
    for name in ('generic', 'atapi'):
        entry, _ = parse_json(plan['cli-info-' + name])
        entry = entry if isinstance(entry, dict) else {}
        tap.ok(entry.get('family') is None and entry.get('reason') == 'no-family',
               'reflash-cli info %s: unknown model, no family (reason no-family)' % name,
               plan['cli-info-' + name].describe())
    busy = plan['cli-info-nec-medium']
    tap.ok(NEC_READ_MEM not in busy.opcodes(DRIVE['nec-medium'].trace_id)
           and 0x00 in busy.opcodes(DRIVE['nec-medium'].trace_id),
           'trace: info on the NEC identity with a disc inside asked TEST UNIT READY and '
           'sent no vendor command', 'received: %r' % busy.received, trace=True)
    for name in ('generic', 'medium', 'atapi'):
        step = plan['cli-info-' + name]
        vendor = sorted(op for op in step.opcodes(DRIVE[name].trace_id) if op >= 0xC0)
        tap.ok(not vendor, 'trace: info on the %s drive (no family) sent no vendor command'
               % name, 'vendor opcodes: %r' % vendor, trace=True)

    step = plan['cli-info-sr-nec']
    entry, why = parse_json(step)
    entry = entry if isinstance(entry, dict) else {}
    tap.ok(entry.get('state') == EXPECTED_STATE['nec'] and entry.get('sg_node') == nodes.get('nec'),
           'reflash-cli info /dev/srN (block node) of the NEC drive: same drive, same verdict',
           '%s\n%s' % (step.describe(), why))


def check_cli_missing(tap, plan):
    step = plan['cli-info-missing']
    tap.ok(step.status == CLI_NOT_FOUND and step.stderr.strip(),
           'reflash-cli info /dev/sg99: exit 3 (not found) with a message', step.describe())


def check_cli_unprivileged(tap, plan):
    nodes = dict(zip([d.name for d in DRIVES], plan['nodes'].stdout.split()))
    step = plan['cli-nobody-list']
    data, why = parse_json(step)
    entries = data.get('drives') if isinstance(data, dict) else None
    by_node = {e.get('sg_node'): e for e in entries or [] if isinstance(e, dict)}
    tap.ok(step.status == 0 and all(
               by_node.get(nodes.get(d.name), {}).get('state') == 'no-access'
               and same_json_identity(by_node.get(nodes.get(d.name), {}), d.ident)
               for d in DRIVES),
           'reflash-cli list as a user without access: every drive no-access, identity '
           'from sysfs', '%s\n%s' % (step.describe(), why))
    tap.ok(not step.received, 'trace: that listing reached no drive',
           'received: %r' % step.received, trace=True)

    step = plan['cli-nobody-info-nec']
    entry, why = parse_json(step)
    entry = entry if isinstance(entry, dict) else {}
    tap.ok(step.status == 0 and entry.get('state') == 'no-access'
           and entry.get('reason') == 'permission-denied' and entry.get('advice')
           and not entry.get('commands'),
           'reflash-cli info as a user without access: no-access with advice, no commands',
           '%s\n%s' % (step.describe(), why))

    # The kernel filters nothing on a read-write sg open, so such a user's deep
    # check reaches the drive: the verdict must follow what really happened.
    step = plan['cli-nobody-rw-info-nec']
    entry, why = parse_json(step)
    entry = entry if isinstance(entry, dict) else {}
    reached = NEC_READ_MEM in step.opcodes(DRIVE['nec'].trace_id)
    wanted = 'vendor-refused' if reached else 'needs-admin'
    tap.ok(entry.get('state') == wanted,
           'reflash-cli info as a user with read-write access: %s, as the trace shows the '
           '0xCC %s the drive' % (wanted, 'reached' if reached else 'never reached'),
           '%s\nreceived: %r' % (step.describe(), step.received), trace=True)


def check_cli_reader(tap, plan):
    """A user who may read a node but not write it (DOMAIN.md, no-access)."""
    nodes = dict(zip([d.name for d in DRIVES], plan['nodes'].stdout.split()))
    readable = ('nec', 'nec-safe')
    step = plan['cli-reader-list']
    data, why = parse_json(step)
    entries = data.get('drives') if isinstance(data, dict) else None
    by_node = {e.get('sg_node'): e for e in entries or [] if isinstance(e, dict)}
    for drive in DRIVES:
        entry = by_node.get(nodes.get(drive.name), {})
        state = EXPECTED_PASSIVE[drive.name] if drive.name in readable else 'no-access'
        tap.ok(step.status == 0 and same_json_identity(entry, drive.ident)
               and entry.get('state') == state and entry.get('probe_depth') == 'passive',
               'reflash-cli list as a user who may %s %s: %s %s, state %s'
               % ('only read' if drive.name in readable else 'not open', drive.name,
                  drive.ident['vendor'], drive.ident['product'], state),
               '%s\n%s\nentry: %r' % (step.describe(), why, entry))
    asked = [d.name for d in DRIVES if 0x12 in step.opcodes(d.trace_id)]
    vendor = sorted({op for (_, op) in step.received if op >= 0xC0})
    tap.ok(sorted(asked) == sorted(readable) and not vendor,
           'trace: that listing sent INQUIRY to the readable drives only, and no vendor command',
           'asked: %r\nreceived: %r' % (asked, step.received), trace=True)

    drive = DRIVE['nec-safe']
    step = plan['cli-reader-info-nec-safe']
    entry, why = parse_json(step)
    entry = entry if isinstance(entry, dict) else {}
    tap.ok(step.status == 0 and entry.get('state') == 'no-access'
           and entry.get('reason') == 'permission-denied' and entry.get('advice')
           and same_json_identity(entry, drive.ident) and entry.get('safe_mode') is True
           and entry.get('family') is not None,
           'reflash-cli info as a user who may only read nec-safe: no-access with advice, '
           'identity, family and safe mode from a passive look', '%s\n%s' % (step.describe(), why))
    ok, why = cli_transcript_matches_trace(entry, step, drive)
    tap.ok(ok and entry.get('commands') and NEC_READ_MEM not in step.opcodes(drive.trace_id),
           'trace: that look sent the drive exactly its "commands", and no 0xCC', why, trace=True)


def opened(step):
    """{node: (read-only opens, read-write opens)} from reflash-hw-opens."""
    counts = {}
    for line in step.stderr.splitlines():
        words = shlex.split(line)
        if words[:1] == ['opens']:
            fields = dict(w.split('=', 1) for w in words[1:] if '=' in w)
            counts[fields.get('node')] = (int(fields.get('read_only', 0)),
                                          int(fields.get('read_write', 0)))
    return counts


def check_cli_opens(tap, plan):
    """How the CLI opened the nodes, from the kernel's close events."""
    nodes = plan['nodes'].stdout.split()
    step = plan['cli-opens-list']
    counts = opened(step)
    tap.ok(step.status == 0 and sorted(counts) == sorted(nodes)
           and all(ro > 0 and rw == 0 for (ro, rw) in counts.values()),
           'reflash-cli list as root opens every /dev/sgN read-only, none read-write',
           '%s\nopens: %r' % (step.describe(), counts))
    # The positive control: the same count sees a read-write open.
    step = plan['cli-opens-info-nec']
    counts = opened(step)
    tap.ok(step.status == 0 and len(counts) == 1
           and all(rw > 0 for (ro, rw) in counts.values()),
           'reflash-cli info opens the drive\'s /dev/sgN read-write',
           '%s\nopens: %r' % (step.describe(), counts))


def check_cli(tap, plan):
    listing = plan['cli-list']
    if listing.status == CLI_NOT_AVAILABLE:
        tap.skip('reflash-cli list/info in the guest',
                 'reflash-cli list is not available in this version yet (exit 5)')
        return
    check_cli_safety(tap, plan)
    check_cli_output(tap, plan)
    check_cli_missing(tap, plan)
    check_cli_unprivileged(tap, plan)
    check_cli_reader(tap, plan)
    if 'cli-opens-list' in plan.by_name:
        check_cli_opens(tap, plan)


# --- The command gate and the drive lock, from the drive's side ------------------

# Each step sends, through one RfCommandGate in front of a read-write /dev/sgN
# (where the kernel filters nothing), commands its stage refuses and then an
# INQUIRY it allows: the INQUIRY in the trace shows the step's commands were seen.
GATE_STEPS = (
    ('gate-passive-nec', 'passive', ('readmem', 'erase', 'inquiry')),
    # At identification the family's ID read passes (DOMAIN.md); a read of the
    # bootcode and an erase do not.
    ('gate-identify-nec', 'identify:nec-2m', ('erase', 'readmem-boot', 'inquiry')),
)


def add_gate_steps(plan, transport):
    for name, stage, commands in GATE_STEPS:
        plan.add(name, '%s --gate %s "$SG_NEC" %s'
                 % (shlex.quote(transport), stage, ' '.join(commands)))


def check_gate(tap, plan):
    nec = DRIVE['nec'].trace_id
    for name, stage, commands in GATE_STEPS:
        step = plan[name]
        lines = transport_lines(step)
        refused = commands[:-1]
        tap.ok(step.status == 0 and expect(lines, 'gate', stage=stage.split(':')[0])
               and all(expect(lines, c, executed='0', error='command-refused') for c in refused)
               and expect(lines, 'inquiry', executed='1', ok='1')
               and lines['inquiry'].get('product', '').strip() == NEC['product'],
               'command gate at %s: %s refused (command-refused), the INQUIRY after them answered'
               % (stage, ', '.join(refused)), step.describe())
        received = [op for (d, op) in step.received if d == nec]
        vendor = sorted({op for (_, op) in step.received if op in (NEC_WRITE, NEC_READ_MEM)})
        tap.ok(not vendor and received == [0x12],
               'trace: through the gate at %s no 0xCB or 0xCC reached a drive; the NEC drive '
               'received the INQUIRY alone' % stage,
               'NEC drive received: %r\nvendor opcodes: %r' % (received, vendor), trace=True)


# Probed while the NEC drive is held: not held itself, so it must answer, and
# the trace of the same step must show it.
LOCK_CONTROL = 'nec-safe'


def add_lock_steps(plan, cli, lock):
    """One job per drive, the lock on the sg node whatever name the drive was
    given (ARCHITECTURE.md, "Threads")."""
    cli = shlex.quote(cli)
    control = '%s info "$%s" --json >/dev/null' % (cli,
                                                    DRIVE[LOCK_CONTROL].var.replace('SG_', 'SR_'))

    def while_held(holder, command):
        return '%s sh -c %s' % (holder, shlex.quote('%s; rc=$?; %s; exit $rc' % (command, control)))

    # util-linux flock, not Reflash, holds the sg node: a Reflash that locked
    # the name it was given, or its sr node, would not see it.
    plan.add('lock-sg-info-sr', while_held('flock --exclusive --nonblock --close "$SG_NEC"',
                                           '%s info "$SR_NEC" --json' % cli))
    plan.add('lock-sr-info-sg', while_held('%s "$SR_NEC" --' % shlex.quote(lock),
                                           '%s info "$SG_NEC" --json' % cli))


def lock_held(step):
    """{key: value} of reflash-hw-lock's "lock" line."""
    for line in step.stderr.splitlines():
        words = shlex.split(line)
        if words[:1] == ['lock']:
            return dict(w.split('=', 1) for w in words[1:] if '=' in w)
    return {}


def check_lock(tap, plan):
    nodes = dict(zip([d.name for d in DRIVES], plan['nodes'].stdout.split()))
    nec, control = DRIVE['nec'], DRIVE[LOCK_CONTROL]
    step = plan['lock-sr-info-sg']
    held = lock_held(step)
    tap.ok(held.get('lock') == nodes.get('nec') and held.get('name', '').startswith('/dev/sr'),
           'a Reflash job on the NEC drive named by its /dev/srN locks its /dev/sgN',
           '%s\nlock: %r' % (step.describe(), held))
    for name, named, holder in (
            ('lock-sg-info-sr', '/dev/srN', 'flock(1) holds its /dev/sgN'),
            ('lock-sr-info-sg', '/dev/sgN', 'a job named by /dev/srN holds it')):
        step = plan[name]
        entry, why = parse_json(step)
        entry = entry if isinstance(entry, dict) else {}
        tap.ok(step.status == 0 and entry.get('state') == 'busy' and entry.get('reason') == 'locked'
               and entry.get('sg_node') == nodes.get('nec') and not entry.get('commands'),
               'reflash-cli info NEC drive by %s while %s: busy, reason locked' % (named, holder),
               '%s\n%s' % (step.describe(), why))
        # Opening /dev/srN, even non-blocking, makes the kernel ask the drive
        # (GET EVENT STATUS NOTIFICATION, TEST UNIT READY): a lock taken there
        # shows here even when the drive is reported busy.
        tap.ok(not step.opcodes(nec.trace_id) and 0x12 in step.opcodes(control.trace_id),
               'trace: that info sent the held NEC drive nothing; %s, not held, was asked in the '
               'same step' % control.name, 'received: %r' % step.received, trace=True)


# --- The privileged helper (issue 24) ---------------------------------------------

# In the throw-away guest only (its root is an overlay over the host's): the helper
# and the drive data where `meson install` puts them, root's; a "pkexec" that runs
# the helper through sudo -n with a NOPASSWD rule for nobody, and leaves a mark.
HELPER_STANDIN = '/tmp/reflash-pkexec-standin'
HELPER_MARK = '/tmp/reflash-pkexec-called'
# nobody without groups or inheritable capabilities, but with the bounding set
# sudo needs to become root; on a terminal (script(1)), so that the CLI may ask.
AS_NOBODY_ON_TERMINAL = ('setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all '
                         'env HOME="$NOBODY_HOME" PATH=%s:/usr/sbin:/usr/bin:/sbin:/bin '
                         % HELPER_STANDIN)


def install_helper_command(helper, helper_path, pkgdatadir, shared):
    drives = os.path.join(pkgdatadir, 'drives')
    standin = os.path.join(HELPER_STANDIN, 'pkexec')
    script = '#!/bin/sh\necho "$*" >>%s\nexec sudo -n "$@"\n' % HELPER_MARK
    return ' && '.join([
        # script(1) needs pseudo-terminals, which the guest's init does not mount.
        '{ mountpoint -q /dev/pts || { mkdir -p /dev/pts && mount -t devpts devpts /dev/pts; }; }',
        'mkdir -p %s %s %s' % (shlex.quote(os.path.dirname(helper_path)), shlex.quote(drives),
                               HELPER_STANDIN),
        'cp %s %s' % (shlex.quote(helper), shlex.quote(helper_path)),
        'chmod 0755 %s %s' % (shlex.quote(helper_path), shlex.quote(drives)),
        'cp %s/drives/*.conf %s/' % (shlex.quote(shared.data), shlex.quote(drives)),
        'printf %s >%s && chmod 0755 %s' % (shlex.quote(script), standin, standin),
        'touch %s && chmod 0666 %s' % (HELPER_MARK, HELPER_MARK),
        'echo %s >/etc/sudoers.d/reflash-helper-test'
        % shlex.quote('nobody ALL=(root) NOPASSWD: %s' % helper_path),
        'chmod 0440 /etc/sudoers.d/reflash-helper-test',
    ])


def add_helper_steps(plan, cli, helper, helper_path, pkgdatadir, shared):
    if shutil.which('sudo') is None or shutil.which('script') is None:
        return
    nobody_cli = shared.command(cli)
    plan.add('helper-install', install_helper_command(helper, helper_path, pkgdatadir, shared))
    # The node is 0600 root: the CLI asks, and the stand-in runs the helper.
    plan.add('helper-nobody-info-nec',
             ': >%s && %sscript -qec "%s info $SG_NEC --json" /dev/null; rc=$?; cat %s >&2; '
             'exit $rc' % (HELPER_MARK, AS_NOBODY_ON_TERMINAL, nobody_cli, HELPER_MARK))
    # With read-write access the stand-in is never called.
    plan.add('helper-nobody-rw-info-nec',
             ': >%s && chmod 0666 "$SG_NEC" && %sscript -qec "%s info $SG_NEC --json" /dev/null; '
             'rc=$?; chmod 0600 "$SG_NEC"; cat %s >&2; exit $rc'
             % (HELPER_MARK, AS_NOBODY_ON_TERMINAL, nobody_cli, HELPER_MARK))


def json_field(text, name):
    """The value of "name": "value" in a JSON document printed on a terminal."""
    found = re.search(r'"%s": "([^"]*)"' % re.escape(name), text)
    return found.group(1) if found else None


def check_helper(tap, plan):
    if 'helper-install' not in plan.by_name:
        tap.skip('the helper through a pkexec stand-in', 'sudo or script(1) is not installed')
        return
    install = plan['helper-install']
    tap.ok(install.status == 0, 'helper: installed in the guest with a pkexec stand-in',
           install.describe())
    step = plan['helper-nobody-info-nec']
    called = [line for line in step.stderr.splitlines() if line.strip()]
    tap.ok(step.status == 0 and 'This drive needs administrator rights' in step.stdout
           and json_field(step.stdout, 'probe_depth') == 'deep' and len(called) == 1
           and called[0].split()[-1] == plan['nodes'].stdout.split()[1],
           'helper: nobody on a terminal, a 0600 NEC node: the CLI asks once, the helper '
           '(through sudo -n) checks it in depth', step.describe())
    note('through the helper the NEC drive is %s (%s); the stand-in ran: %s'
         % (json_field(step.stdout, 'state'), json_field(step.stdout, 'reason'), called))
    seen = sorted({NEVER_WHILE_PROBING[op] for op in step.opcodes() if op in NEVER_WHILE_PROBING})
    tap.ok(not seen and 0x12 in step.opcodes(DRIVE['nec'].trace_id),
           'trace: the deep check through the helper reached the NEC drive and sent no write, '
           'flash or boot command', 'received: %r' % step.received, trace=True)
    step = plan['helper-nobody-rw-info-nec']
    tap.ok(step.status == 0 and not step.stderr.strip()
           and 'administrator rights' not in step.stdout
           and json_field(step.stdout, 'probe_depth') == 'deep',
           'helper: with read-write access the CLI checks the drive itself and never calls '
           'the stand-in', step.describe())


def make_plan(options, shared):
    plan = Plan()
    add_sg3_steps(plan)
    if options.transport:
        add_transport_steps(plan, options.transport, shared)
    if options.probe:
        add_probe_steps(plan, options.probe, shared)
    add_cli_steps(plan, options.cli, options.opens, shared)
    if options.transport:
        add_gate_steps(plan, options.transport)
    if options.lock:
        add_lock_steps(plan, options.cli, options.lock)
    if options.helper:
        add_helper_steps(plan, options.cli, options.helper, options.helper_path,
                         options.pkgdatadir, shared)
    return plan


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--prepare', required=True, help='prepare-guest.sh')
    parser.add_argument('--cli', required=True, help='the built reflash-cli')
    parser.add_argument('--transport', help='the built reflash-hw-transport')
    parser.add_argument('--probe', help='the built reflash-hw-probe')
    parser.add_argument('--opens', help='the built reflash-hw-opens')
    parser.add_argument('--lock', help='the built reflash-hw-lock')
    parser.add_argument('--helper', help='the built reflash-helper')
    parser.add_argument('--helper-path', help='where reflash-cli starts the helper (HELPER_PATH)')
    parser.add_argument('--pkgdatadir', help='where the helper reads drive data (PKGDATADIR)')
    parser.add_argument('--qemu', default='qemu-system-x86_64')
    options = parser.parse_args()

    qemu = shutil.which(options.qemu)
    if qemu is None:
        skip_all('%s not found (install qemu-system-x86)' % options.qemu)
    if shutil.which('sg_raw') is None:
        bail_out('sg_raw not found (install sg3-utils)')

    started = time.monotonic()
    guest, why = prepare_guest(options.prepare)
    if guest is None:
        bail_out('QEMU is installed, but the guest kernel could not be prepared: %s'
                 % (why.strip().splitlines() or ['unknown error'])[-1], why)
    note('kernel %s; prepared in %.1f s' % (guest.get('kver'), time.monotonic() - started))

    # Fallbacks: KVM that does not work, a vmlinux whose PVH entry does not boot.
    attempts = [('kvm', guest['kernel'])] if real_kvm() else []
    attempts += [('tcg', guest['kernel'])]
    if guest.get('kernel_fallback', guest['kernel']) != guest['kernel']:
        attempts += [('tcg', guest['kernel_fallback'])]
    shared = Shared([p for p in (options.cli, options.transport, options.probe, options.helper)
                     if p])
    try:
        for accel, kernel in attempts:
            plan = make_plan(options, shared)
            booted, traced, status, diagnostics = run_guest(qemu, dict(guest, kernel=kernel),
                                                            plan, accel)
            if booted:
                break
            note('the guest did not boot (%s, %s)' % (accel, os.path.basename(kernel)))
    finally:
        shared.remove()
    if not booted:
        bail_out('QEMU is installed, but the guest did not boot (%s, %s)'
                 % (accel, os.path.basename(kernel)), diagnostics)

    tap = Tap()
    tap.trace_available = traced
    if not traced:
        note('QEMU wrote no command trace: the checks that read it are skipped')
    tap.ok(status == '0' and all(step.ran for step in plan.steps),
           'guest ran every step and powered off', diagnostics)
    check_sg3(tap, plan)
    if options.transport:
        check_transport(tap, plan)
    if options.probe:
        check_probe(tap, plan)
    check_cli(tap, plan)
    if options.transport:
        check_gate(tap, plan)
    if options.lock:
        check_lock(tap, plan)
    if options.helper:
        check_helper(tap, plan)
    note('suite time: %.1f s' % (time.monotonic() - started))
    return tap.finish()


if __name__ == '__main__':
    sys.exit(main())
