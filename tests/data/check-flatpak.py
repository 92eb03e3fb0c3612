#!/usr/bin/env python3
"""Checks the Flatpak manifests given as arguments beyond being well-formed JSON:
each names the application id its file is named after, runs on the GNOME 43
runtime, starts the `esattore` command with the sandbox holes the workbench needs,
and builds Esattore last with meson under the profile that matches its id."""

import json
import os
import sys

NEEDED_FINISH_ARGS = {
    "--share=ipc",
    "--socket=fallback-x11",
    "--socket=wayland",
    "--device=dri",
    "--share=network",
}


def check(path):
    problems = []
    with open(path, encoding="utf-8") as f:
        try:
            manifest = json.load(f)
        except json.JSONDecodeError as e:
            return [f"not valid JSON: line {e.lineno}, column {e.colno}: {e.msg}"]

    expected_id = os.path.basename(path)[: -len(".json")]
    app_id = manifest.get("app-id")
    if app_id != expected_id:
        problems.append(f"app-id is {app_id!r}, the file name says {expected_id!r}")
    if manifest.get("runtime") != "org.gnome.Platform" or manifest.get("sdk") != "org.gnome.Sdk":
        problems.append("runtime and sdk must be org.gnome.Platform and org.gnome.Sdk")
    if manifest.get("runtime-version") != "43":
        problems.append(f"runtime-version is {manifest.get('runtime-version')!r}, "
                        "not '43' (GTK 4.8, libadwaita 1.2)")
    if manifest.get("command") != "esattore":
        problems.append(f"command is {manifest.get('command')!r}, not 'esattore'")
    missing = NEEDED_FINISH_ARGS - set(manifest.get("finish-args", []))
    if missing:
        problems.append("finish-args lack " + ", ".join(sorted(missing)))

    modules = manifest.get("modules", [])
    names = [m.get("name") if isinstance(m, dict) else m for m in modules]
    if "poppler" not in names:
        problems.append("no poppler module (the GNOME runtime has no poppler-glib)")
    if not modules or not isinstance(modules[-1], dict) or modules[-1].get("name") != "esattore":
        problems.append("the last module must be esattore")
    else:
        last = modules[-1]
        if last.get("buildsystem") != "meson":
            problems.append("the esattore module must use the meson buildsystem")
        profile = "devel" if expected_id.endswith(".Devel") else "default"
        if f"-Dprofile={profile}" not in last.get("config-opts", []):
            problems.append(f"the esattore module must be configured with -Dprofile={profile}")
        if not last.get("sources"):
            problems.append("the esattore module has no sources")

    for module in modules:
        if not isinstance(module, dict):
            continue
        for source in module.get("sources", []):
            if isinstance(source, dict) and source.get("type") in ("archive", "file") \
               and not source.get("sha256"):
                problems.append(f"module {module.get('name')}: {source.get('url')} has no sha256")
            if isinstance(source, dict) and source.get("type") == "git" \
               and not (source.get("tag") or source.get("commit")):
                problems.append(f"module {module.get('name')}: git source pins no tag or commit")
    return problems


def main():
    status = 0
    for path in sys.argv[1:]:
        problems = check(path)
        for problem in problems:
            print(f"{path}: {problem}")
        if problems:
            status = 1
        else:
            print(f"{path}: ok")
    return status


if __name__ == "__main__":
    sys.exit(main())
