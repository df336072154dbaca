#!/usr/bin/env python3
"""The manual pages against the code they describe.

    check_manpages.py TUNCTL DOC_DIR CONFIG_C

1. tunctl.8 quotes every usage form that "tunctl help COMMAND" prints, for
   every command "tunctl help" lists, and shows no form tunctl does not.
2. vpnd.conf.5 documents every setting lib/config.c accepts, in the section
   of its group, with the range and the default the parser gives it (the
   range and default of integers, booleans and strings, read from
   config.c and the constants of config.h next to it).
3. Every page renders with scdoc and man without a single warning.

Exits 1 with the list of what disagrees; 0 when all agree.
"""
import os
import re
import subprocess
import sys
import tempfile

PAGES = ("vpnd.8", "tunctl.8", "vpnd.conf.5")
PLAIN_ENV = dict(os.environ, LC_ALL="C.UTF-8", MAN_KEEP_FORMATTING="")

problems = []


def problem(text):
    problems.append(text)


def run(argv, **kwargs):
    return subprocess.run(argv, capture_output=True, text=True, **kwargs)


# --- rendering ---------------------------------------------------------------


def scdoc(doc_dir, page, out_dir):
    """The page in roff, from its scdoc source; None if scdoc fails."""
    with open(os.path.join(doc_dir, page + ".scd"), encoding="utf-8") as source:
        result = subprocess.run(["scdoc"], stdin=source, capture_output=True, text=True)
    if result.returncode != 0 or result.stderr:
        problem(f"scdoc {page}.scd: {result.stderr.strip() or 'failed'}")
        return None
    path = os.path.join(out_dir, page)
    with open(path, "w", encoding="utf-8") as out:
        out.write(result.stdout)
    return path


def man(path, width, warnings=False):
    """The rendered page as plain text, and what man said on stderr."""
    argv = ["man"] + (["--warnings"] if warnings else []) + ["-l", path]
    result = run(argv, env=dict(PLAIN_ENV, MANWIDTH=str(width)))
    if result.returncode != 0:
        problem(f"man -l {os.path.basename(path)} failed: {result.stderr.strip()}")
    text = re.sub(r".\x08", "", result.stdout)  # overstrikes, should any remain
    return text.replace("\u2010", "-").replace("\u2212", "-"), result.stderr


def check_warnings(rendered):
    for page, path in rendered.items():
        _, stderr = man(path, 80, warnings=True)
        if stderr.strip():
            problem(f"man --warnings -l {page} (MANWIDTH=80):\n    "
                    + stderr.strip().replace("\n", "\n    "))


# --- tunctl.8 against tunctl help -------------------------------------------


def squeeze(text):
    return " ".join(text.split())


def tunctl_commands(tunctl):
    result = run([tunctl, "help"])
    if result.returncode != 0:
        problem(f"'{tunctl} help' exits {result.returncode}")
    listing = result.stdout.split("\ncommands:\n", 1)
    if len(listing) != 2:
        problem(f"'{tunctl} help' has no 'commands:' list")
        return []
    commands = []
    for line in listing[1].splitlines():
        if not line.strip():
            break
        commands.append(line.split()[0])
    return commands


def usage_forms(tunctl, command):
    """The forms "tunctl help COMMAND" prints, folded lines joined."""
    result = run([tunctl, "help", command])
    if result.returncode != 0 or not result.stdout.startswith("usage: "):
        problem(f"'tunctl help {command}' exits {result.returncode} and prints "
                f"{result.stdout[:40]!r}: no usage")
        return []
    forms = []
    for line in result.stdout.split("\n\n", 1)[0].splitlines():
        line = line.removeprefix("usage:").strip()
        if line.startswith("tunctl "):
            forms.append(line)
        elif forms:
            forms[-1] += " " + line
    return [squeeze(form) for form in forms]


def man_command_terms(text):
    """The terms of the COMMANDS section that show a tunctl command line:
    runs of lines at the terms' indentation, starting with "tunctl "."""
    section = re.search(r"^COMMANDS\n(.*?)^\S", text, re.M | re.S)
    if not section:
        problem("tunctl.8 has no COMMANDS section")
        return []
    terms, run_lines = [], []
    for line in section.group(1).splitlines() + [""]:
        if re.match(r" {7}\S", line):
            run_lines.append(line.strip())
            continue
        if run_lines and run_lines[0].startswith("tunctl "):
            terms.append(squeeze(" ".join(run_lines)))
        run_lines = []
    return terms


def check_tunctl_page(tunctl, path):
    """Each form is a command line of COMMANDS, word for word, and each
    command line there is a form."""
    text, _ = man(path, 1000)  # wide: only the page's own line breaks
    terms = man_command_terms(text)
    if not terms:
        problem("tunctl.8: no command lines found in COMMANDS")
    commands = tunctl_commands(tunctl)
    if len(commands) < 10:
        problem(f"'tunctl help' lists only {len(commands)} commands: {commands}")
    all_forms = set()
    for command in commands:
        forms = usage_forms(tunctl, command)
        all_forms.update(forms)
        for form in forms:
            if form not in terms:
                problem(f"tunctl.8 does not show the usage of '{command}': {form}")
    for term in terms:
        if term not in all_forms:
            problem(f"tunctl.8 shows a form that tunctl help does not print: {term}")
    return len(all_forms)


# --- vpnd.conf.5 against lib/config.c ---------------------------------------


def functions(source):
    """Each top-level function's name and body (the code's style: the
    header at column 0, braces alone on their lines at column 0)."""
    found = {}
    for match in re.finditer(r"^[A-Za-z][^;{}]*?\b(\w+)\s*\([^;{}]*\)\s*\n\{\n(.*?)^\}",
                             source, re.M | re.S):
        found[match.group(1)] = match.group(2)
    return found


def constants(header):
    """The integer enum constants and string #defines of config.h."""
    values = {}
    for name, text in re.findall(r'^#define\s+(\w+)\s+"([^"]*)"', header, re.M):
        values[name] = text
    for body in re.findall(r"enum\s+\w*\s*\{(.*?)\}", header, re.S):
        for name, expr in re.findall(r"(\w+)\s*=\s*([^,]+)", body):
            expr = re.sub(r"\b[A-Z_]\w*\b", lambda m: str(values.get(m.group(0), m.group(0))),
                          expr.strip())
            if re.fullmatch(r"[\d\s+\-*/()]+", expr):
                values[name] = eval(expr)  # digits and operators only
    return values


def group_of(var, function, bodies):
    """The group whose settings a reader function reads through var: the
    top level for root, the group var was fetched as, or, for a function
    given each element of a list (read_peer), the list its caller fetched."""
    body = bodies[function]
    if var == "root" or "root_setting" in var:
        return ""
    fetched = re.search(rf'\b{re.escape(var)} = get_group\(r, root, "(\w+)"', body)
    if fetched:
        return fetched.group(1)
    for caller, caller_body in bodies.items():
        if caller != function and re.search(rf"\b{function}\(", caller_body):
            listed = re.search(r'= member\(root, "(\w+)"\)', caller_body)
            if listed:
                return listed.group(1)
    return ""


def parser_settings(config_c):
    """{(group, setting): facts} for every setting the parser accepts, with
    its range and default where the code gives them."""
    with open(config_c, encoding="utf-8") as f:
        source = f.read()
    with open(os.path.join(os.path.dirname(config_c), "config.h"), encoding="utf-8") as f:
        values = constants(f.read())
    bodies = functions(source)
    settings = {}
    for function, body in bodies.items():
        checked = re.search(r"check_known\(&?r, ([^,]+),", body)
        for listing in re.findall(r"known\w*\[\]\s*=\s*\{(.*?)\}", body, re.S):
            if not checked:
                problem(f"{config_c}: {function} lists known settings but checks none")
                continue
            group = group_of(checked.group(1).strip(), function, bodies)
            for setting in re.findall(r'"(\w+)"', listing):
                settings.setdefault((group, setting), {})
        facts_of_function(function, bodies, settings, values)
    if len(settings) < 30:
        problem(f"{config_c}: only {len(settings)} settings found: the extraction "
                "no longer understands the parser")
    # Whatever the parser reads by name must be among them.
    known = {setting for _, setting in settings}
    read = set(re.findall(r'(?:get_(?:string|int|bool|key|group)\(r, \w+|member\(\w+), "(\w+)"',
                          source))
    read |= {key + "_file" for key in re.findall(r'get_secret_key\(r, \w+, "(\w+)"', source)}
    for name in sorted(read - known):
        problem(f"{config_c} reads '{name}', which no known[] list names: the "
                "extraction of settings is incomplete")
    return settings


def resolve(text, values):
    text = text.strip()
    if text.startswith('"'):
        return text
    if text in values:
        value = values[text]
        return f'"{value}"' if isinstance(value, str) else str(value)
    return text if re.fullmatch(r"-?\d+", text) else None


def facts_of_function(function, bodies, settings, values):
    """Ranges and defaults: "long mtu = CONFIG_DEFAULT_MTU" with
    get_int(r, g, "mtu", MIN, MAX, &mtu); "cfg->x = true" before
    get_bool(r, g, "enabled", &cfg->x); "const char *name = DEFAULT" with
    get_string(r, g, "name", false, &name)."""
    body = bodies[function]
    initial = {}
    for declaration in re.findall(r"\b(?:long|const char \*)([^;()]*);", body):
        for var, value in re.findall(r"\*?(\w+)\s*=\s*([^,]+)", declaration):
            initial[var] = resolve(value, values)

    def facts(group_var, setting):
        return settings.setdefault((group_of(group_var, function, bodies), setting), {})

    for group_var, setting, low, high, var in re.findall(
            r'get_int\(r, (\w+), "(\w+)", ([^,]+), ([^,]+), &(\w+)\)', body):
        found = facts(group_var, setting)
        found["range"] = (resolve(low, values), resolve(high, values))
        if initial.get(var) and not initial[var].startswith("-"):
            found["default"] = initial[var]
    for group_var, setting, target in re.findall(
            r'get_bool\(r, (\w+), "(\w+)", &([\w>.-]+)\)', body):
        set_true = re.search(re.escape(target) + r"\s*=\s*true;", body)
        facts(group_var, setting)["default"] = "true" if set_true else "false"
    for group_var, setting, var in re.findall(
            r'get_string\(r, (\w+), "(\w+)", false, &(\w+)\)', body):
        if (initial.get(var) or "").startswith('"'):
            facts(group_var, setting)["default"] = initial[var]


def page_sections(scd):
    """{heading: text} of the "## " subsections of an scdoc page."""
    sections = {}
    for match in re.finditer(r"^## (.+?)\n(.*?)(?=^#|\Z)", scd, re.M | re.S):
        sections.setdefault(match.group(1).strip(), match.group(2))
    return sections


def entry(section, setting):
    """The text of a setting's entry: its term line and indented body."""
    match = re.search(rf"^\*{re.escape(setting)}\*.*\n((?:\t.*\n|\n(?=\t))*)", section, re.M)
    return squeeze(match.group(0)) if match else None


def check_config_page(config_c, doc_dir):
    with open(os.path.join(doc_dir, "vpnd.conf.5.scd"), encoding="utf-8") as f:
        sections = page_sections(f.read().split("\n# EXAMPLES", 1)[0])
    settings = parser_settings(config_c)
    missing, wrong = [], []
    for (group, setting), facts in sorted(settings.items()):
        label = f"{group}.{setting}" if group else setting
        if group == "":  # a group, or a setting at the top: a section of its own
            if setting not in sections:
                missing.append(f"{setting} (a section '## {setting}')")
                continue
            text = entry(sections[setting], setting)
            if text is None and facts:
                missing.append(f"{setting} (its entry in '## {setting}')")
            if text is None:
                continue
        else:
            text = entry(sections.get(group, ""), setting)
            if text is None:
                missing.append(label)
                continue
        if "range" in facts:
            low, high = facts["range"]
            if f"from {low} to {high}" not in text:
                wrong.append(f"{label}: the parser takes {low} to {high}; the "
                             f"page does not say 'from {low} to {high}'")
        if "default" in facts and f"Default: *{facts['default']}*" not in text:
            wrong.append(f"{label}: the default is {facts['default']}; the page "
                         f"does not say 'Default: *{facts['default']}*'")
    if missing:
        problem("vpnd.conf.5.scd does not document these settings of lib/config.c:\n    "
                + "\n    ".join(missing))
    for text in wrong:
        problem("vpnd.conf.5.scd: " + text)
    return len(settings)


def main():
    if len(sys.argv) != 4:
        sys.exit(f"usage: {sys.argv[0]} TUNCTL DOC_DIR CONFIG_C")
    tunctl, doc_dir, config_c = sys.argv[1:]
    with tempfile.TemporaryDirectory() as out_dir:
        rendered = {}
        for page in PAGES:
            path = scdoc(doc_dir, page, out_dir)
            if path:
                rendered[page] = path
        check_warnings(rendered)
        forms = check_tunctl_page(tunctl, rendered["tunctl.8"]) if "tunctl.8" in rendered else 0
    settings = check_config_page(config_c, doc_dir)
    if problems:
        print(f"{len(problems)} problems with the manual pages:", file=sys.stderr)
        for text in problems:
            print("  - " + text, file=sys.stderr)
        return 1
    print(f"man pages: {forms} tunctl usage forms and {settings} configuration settings "
          f"documented; {len(PAGES)} pages render without warnings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
