"""Static checks of the addons that need no Odoo (run by scripts/test.sh).

- every addons/*/__manifest__.py is a Python literal, names existing data and
  demo files, and its asset globs match at least one file;
- every XML file under addons/ is well-formed;
- every .po/.pot file under addons/*/i18n/ parses (msgfmt -c, else polib);
- git tracks no editor or merge leftover (*~, *.orig, *.rej) and no
  i18n/en.po (the same rule as the forbidden-files hooks of
  .pre-commit-config.yaml).

Prints one line per problem and exits 1 when there is any.
"""

import ast
import glob
import os
import shutil
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADDONS = os.path.join(REPO, "addons")
FILE_KEYS = ("data", "demo")


def rel(path):
    return os.path.relpath(path, REPO)


def check_manifest(addon_dir, problems):
    path = os.path.join(addon_dir, "__manifest__.py")
    try:
        with open(path, encoding="utf-8") as fh:
            manifest = ast.literal_eval(fh.read())
    except (SyntaxError, ValueError) as exc:
        problems.append(f"{rel(path)}: not a Python literal: {exc}")
        return
    if not isinstance(manifest, dict):
        problems.append(f"{rel(path)}: is not a dict")
        return
    for key in ("name", "version", "license"):
        if key not in manifest:
            problems.append(f"{rel(path)}: missing key {key!r}")
    version = str(manifest.get("version", ""))
    if version and not version.startswith("18.0."):
        problems.append(f"{rel(path)}: version {version!r} should start with '18.0.'")
    if not os.path.isfile(os.path.join(addon_dir, "__init__.py")):
        problems.append(f"{rel(addon_dir)}: missing __init__.py")
    for key in FILE_KEYS:
        for name in manifest.get(key, []) or []:
            if not os.path.isfile(os.path.join(addon_dir, name)):
                problems.append(f"{rel(path)}: {key} file {name!r} does not exist")
    addons_root = os.path.dirname(addon_dir)
    for bundle, entries in (manifest.get("assets") or {}).items():
        for entry in entries:
            # entries are 'addon/path/*.js' or tuples ('include'|'remove'|..., glob)
            pattern = entry[-1] if isinstance(entry, (list, tuple)) else entry
            if isinstance(entry, (list, tuple)) and entry[0] == "include":
                continue  # another bundle name
            if not isinstance(pattern, str) or pattern.startswith(
                ("http://", "https://", "/")
            ):
                continue
            if pattern.split("/", 1)[0] != os.path.basename(addon_dir):
                continue  # file of another addon: cannot be checked here
            if not glob.glob(os.path.join(addons_root, pattern), recursive=True):
                problems.append(
                    f"{rel(path)}: asset {pattern!r} of {bundle} matches no file"
                )


def check_xml(path, problems):
    try:
        from lxml import etree

        etree.parse(path)
    except ImportError:
        import xml.etree.ElementTree as ET

        try:
            ET.parse(path)
        except ET.ParseError as exc:
            problems.append(f"{rel(path)}: XML not well-formed: {exc}")
    except etree.XMLSyntaxError as exc:
        problems.append(f"{rel(path)}: XML not well-formed: {exc}")


def check_po(path, problems):
    msgfmt = shutil.which("msgfmt")
    if msgfmt:
        proc = subprocess.run(
            [msgfmt, "-c", "-o", os.devnull, path],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode:
            for line in (proc.stderr or proc.stdout).strip().splitlines()[:20]:
                problems.append(f"{rel(path)}: {line}")
        return
    try:
        import polib
    except ImportError:
        problems.append(
            f"{rel(path)}: cannot check: neither msgfmt (gettext) nor polib exists"
        )
        return
    try:
        polib.pofile(path, check_for_duplicates=True)
    except (OSError, ValueError) as exc:
        problems.append(f"{rel(path)}: {exc}")


FORBIDDEN_SUFFIXES = ("~", ".orig", ".rej")


def check_tracked_files(problems):
    """Files git tracks that must not be committed (skipped outside a git checkout)."""
    git = shutil.which("git")
    if not git:
        return
    proc = subprocess.run(
        [git, "-C", REPO, "ls-files", "-z"], capture_output=True, text=True, check=False
    )
    if proc.returncode:
        return  # not a git checkout (e.g. an exported tree)
    for path in proc.stdout.split("\0"):
        if path.endswith(FORBIDDEN_SUFFIXES):
            problems.append(
                f"{path}: editor or merge leftover tracked by git (git rm it)"
            )
        elif path.endswith("/i18n/en.po"):
            problems.append(f"{path}: en.po files cannot exist (English is the source)")


def main():
    problems = []
    check_tracked_files(problems)
    addon_dirs = sorted(
        os.path.dirname(p)
        for p in glob.glob(os.path.join(ADDONS, "*", "__manifest__.py"))
    )
    for addon_dir in addon_dirs:
        check_manifest(addon_dir, problems)
    xml_files = sorted(glob.glob(os.path.join(ADDONS, "**", "*.xml"), recursive=True))
    for path in xml_files:
        check_xml(path, problems)
    po_files = sorted(
        glob.glob(os.path.join(ADDONS, "*", "i18n", "*.po"))
        + glob.glob(os.path.join(ADDONS, "*", "i18n", "*.pot"))
    )
    for path in po_files:
        check_po(path, problems)
    for problem in problems:
        print(problem)
    print(
        f"static checks: {len(addon_dirs)} manifest(s), {len(xml_files)} XML file(s), "
        f"{len(po_files)} translation file(s): "
        + (f"{len(problems)} problem(s)" if problems else "OK")
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
