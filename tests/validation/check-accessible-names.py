#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every button in the .ui files has a name a screen reader can say. GTK 4.8 does not use a
tooltip as the accessible name, so an icon-only GtkButton or GtkMenuButton needs an
<accessibility> label; and a mnemonic label ("_Edit") would be read with its underscore, so a
button with use-underline needs one too. Buttons built in C are checked by the UI tests
(koers_test_assert_accessible_names). Argument: the folder to search (ui/)."""
import pathlib
import sys
import xml.etree.ElementTree as ET

BUTTONS = {'GtkButton', 'GtkMenuButton', 'GtkToggleButton', 'AdwSplitButton'}


def own_properties(obj):
    return {p.get('name'): (p.text or '').strip() for p in obj.findall('property')}


def accessible_label(obj):
    for acc in obj.findall('accessibility'):
        for prop in acc.findall('property'):
            if prop.get('name') == 'label' and (prop.text or '').strip():
                return True
        for rel in acc.findall('relation'):
            if rel.get('name') == 'labelled-by':
                return True
    return False


def content_child(obj):
    """The AdwButtonContent or GtkLabel a button shows as its child, if any."""
    for prop in obj.findall('property'):
        if prop.get('name') == 'child':
            return prop.find('object')
    for child in obj.findall('child'):
        inner = child.find('object')
        if inner is not None:
            return inner
    return None


def problem(obj):
    props = own_properties(obj)
    label = props.get('label', '')
    underline = props.get('use-underline', '').lower() in ('true', '1', 'yes')
    icon = 'icon-name' in props
    child = content_child(obj)
    if child is not None:
        child_props = own_properties(child)
        if child.get('class') in ('AdwButtonContent', 'GtkLabel'):
            label = label or child_props.get('label', '')
            underline = underline or child_props.get('use-underline', '').lower() in (
                'true', '1', 'yes')
        if child.get('class') in ('AdwButtonContent', 'GtkImage'):
            icon = icon or 'icon-name' in child_props
    if accessible_label(obj):
        return None
    if not label and icon:
        return 'has no text and no accessibility label (a tooltip is not a name in GTK 4.8)'
    if label and underline:
        return f'mnemonic label "{label}" needs an accessibility label without the underscore'
    return None


def main():
    root = pathlib.Path(sys.argv[1])
    files = sorted(root.rglob('*.ui'))
    if not files:
        print(f'no .ui files under {root}')
        return 1
    problems = []
    for path in files:
        tree = ET.parse(path)
        for obj in tree.iter('object'):
            if obj.get('class') not in BUTTONS:
                continue
            what = problem(obj)
            if what:
                name = obj.get('id') or obj.get('class')
                problems.append(f'{path}: {name}: {what}')
        for template in tree.iter('template'):
            if template.get('parent') in BUTTONS and problem(template):
                problems.append(f'{path}: template {template.get("class")}: '
                                + problem(template))
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
