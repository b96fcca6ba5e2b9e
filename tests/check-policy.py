#!/usr/bin/env python3
"""Checks the merged polkit policy (data/io.github.reflash.Reflash.policy):
one action, administrator authentication kept for a while in every kind of
session, the exec.path annotation naming the installed helper, a message that
shows the drive ($(command_line)) in English and in every translation, and,
where polkit's DTD is installed, xmllint's validation against it.

Usage: check-policy.py POLICY HELPER_PATH APP_ID"""
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

DTD = '/usr/share/polkit-1/policyconfig-1.dtd'
LANG = '{http://www.w3.org/XML/1998/namespace}lang'

policy, helper_path, app_id = sys.argv[1:4]
errors = []
root = ET.parse(policy).getroot()
if root.tag != 'policyconfig':
    errors.append(f'root element is {root.tag}, not policyconfig')
actions = root.findall('action')
if len(actions) != 1:
    errors.append(f'{len(actions)} actions; Reflash has exactly one')
for action in actions:
    if action.get('id') != app_id + '.helper':
        errors.append(f'action id {action.get("id")}, expected {app_id}.helper')
    for kind in ('allow_any', 'allow_inactive', 'allow_active'):
        value = action.findtext(f'defaults/{kind}')
        if value != 'auth_admin_keep':
            errors.append(f'{kind} is {value}, expected auth_admin_keep')
    paths = [a.text for a in action.findall('annotate')
             if a.get('key') == 'org.freedesktop.policykit.exec.path']
    if paths != [helper_path]:
        errors.append(f'exec.path is {paths}, expected [{helper_path}]')
    others = [a.get('key') for a in action.findall('annotate')
              if a.get('key') != 'org.freedesktop.policykit.exec.path']
    if others:
        errors.append(f'unexpected annotations {others}')
    messages = action.findall('message')
    if not any(m.get(LANG) is None for m in messages):
        errors.append('no English message')
    for message in messages:
        if '$(command_line)' not in (message.text or ''):
            errors.append(f'message ({message.get(LANG) or "en"}) does not show the drive')
    if not action.findtext('description'):
        errors.append('no description')

if os.path.exists(DTD):
    run = subprocess.run(['xmllint', '--noout', '--dtdvalid', DTD, policy])
    if run.returncode != 0:
        errors.append('xmllint: not valid against ' + DTD)
else:
    print(f'# {DTD} not installed (polkitd): structure checked above only')

for error in errors:
    print(f'{policy}: {error}', file=sys.stderr)
sys.exit(1 if errors else 0)
