"""docker-compose.yml and the Dockerfile stay in step with the project they run.

No Docker is needed: the files are parsed and every name in them (services, the WSGI module,
the Celery app, management commands, environment variables, settings modules, pinned
requirements, USWDS paths) is checked against the code, so a rename elsewhere fails here
instead of in somebody's ``docker compose up``.
"""

from __future__ import annotations

import ast
import json
import os
import re
import secrets
import shlex
import subprocess
import sys
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from celery.app.utils import find_app
from django.conf import settings
from django.core.management import get_commands
from django.urls import resolve

import cso_portal.celery
from cso_portal.envsettings import SETTINGS_BY_ENV

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
MAKEFILE = ROOT / "Makefile"
PROCFILE = ROOT / "Procfile.dev"

# The long-running roles, the same under `make run` (Procfile.dev) and under compose.
ROLES = {"web", "worker", "beat"}
BACKING_SERVICES = {"postgres", "redis", "mailpit"}
INTERPOLATION = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?P<op>:?[-?+])?(?P<arg>[^}]*)\}")


# --- Parsing helpers -------------------------------------------------------------------------


@cache
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def services() -> dict[str, dict]:
    return compose()["services"]


def app_image() -> str:
    """The image name compose builds from the Dockerfile (every app service runs it)."""
    images = {svc.get("image") for svc in services().values() if "build" in svc}
    assert len(images) == 1, f"all services built from the Dockerfile share one image: {images}"
    return images.pop()


def app_services() -> dict[str, dict]:
    """Services running the project's own image (as opposed to postgres, redis, mailpit)."""
    image = app_image()
    return {
        name: svc
        for name, svc in services().items()
        if "build" in svc or (image and svc.get("image") == image)
    }


def argv(command: str | list[str]) -> list[str]:
    return shlex.split(command) if isinstance(command, str) else [str(part) for part in command]


def simple_commands(command: str | list[str]) -> list[list[str]]:
    """Split a command (or an ``sh -c`` script) into the argv of each simple command."""
    args = argv(command)
    if len(args) >= 3 and Path(args[0]).name in ("sh", "bash") and args[1] == "-c":
        return [shlex.split(part) for part in re.split(r"&&|\|\||;|\n", args[2]) if part.strip()]
    return [args]


def manage_commands(command: str | list[str]) -> list[str]:
    """The management command names run through manage.py in a command."""
    names = []
    for args in simple_commands(command):
        for i, arg in enumerate(args[:-1]):
            if Path(arg).name == "manage.py":
                names.append(args[i + 1])
    return names


def service_command(name: str) -> list[str]:
    return argv(services()[name]["command"])


def migrate_step() -> str:
    """The one-off service that migrates the database before the roles start."""
    steps = [
        name
        for name, svc in app_services().items()
        if "command" in svc and "migrate" in manage_commands(svc["command"])
    ]
    assert len(steps) == 1, f"exactly one service runs `manage.py migrate`: {steps}"
    return steps[0]


@cache
def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with line continuations joined and comments dropped."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for line in DOCKERFILE.read_text().splitlines():
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if pending and stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        full = pending + stripped
        pending = ""
        keyword, _, rest = full.partition(" ")
        instructions.append((keyword.upper(), rest.strip()))
    assert not pending, "the Dockerfile ends inside a line continuation"
    return instructions


def dockerfile_stages() -> list[tuple[str, list[tuple[str, str]]]]:
    """(FROM arguments, instructions) for each build stage."""
    stages: list[tuple[str, list[tuple[str, str]]]] = []
    for keyword, rest in dockerfile():
        if keyword == "FROM":
            stages.append((rest, []))
        elif stages:
            stages[-1][1].append((keyword, rest))
    return stages


def final_stage() -> list[tuple[str, str]]:
    return dockerfile_stages()[-1][1]


def dockerfile_cmd() -> list[str]:
    cmds = [rest for keyword, rest in final_stage() if keyword == "CMD"]
    assert cmds, "the image has a CMD"
    return json.loads(cmds[-1])


def run_commands(instructions: list[tuple[str, str]]) -> list[list[str]]:
    """The argv of every simple command in the RUN instructions given."""
    return [
        shlex.split(part)
        for keyword, rest in instructions
        if keyword == "RUN"
        for part in re.split(r"&&|;", rest)
        if part.strip()
    ]


def split_env_assignments(args: list[str]) -> tuple[dict[str, str], list[str]]:
    """Leading ``NAME=value`` words of a shell command, and the command after them."""
    env: dict[str, str] = {}
    while args and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", args[0]):
        name, _, value = args[0].partition("=")
        env[name] = value
        args = args[1:]
    return env, args


def makefile_target(target: str) -> list[str]:
    """The recipe lines of a Makefile target."""
    lines = MAKEFILE.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(rf"^{target}\s*:", line))
    recipe = []
    for line in lines[start + 1 :]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip())
    return recipe


def procfile() -> dict[str, list[str]]:
    roles = {}
    for line in PROCFILE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, command = line.partition(":")
            roles[name.strip()] = shlex.split(command)
    return roles


def celery_role(args: list[str]) -> tuple[str, str]:
    """(app, subcommand) of a ``celery -A <app> <subcommand>`` argv."""
    assert Path(args[0]).name == "celery", args
    app = args[args.index("-A") + 1]
    subcommand = next(a for a in args[args.index("-A") + 2 :] if not a.startswith("-"))
    return app, subcommand


@cache
def settings_env_reads() -> frozenset[str]:
    """Every environment variable name the settings (and envsettings) read."""
    names: set[str] = set()
    paths = [*sorted((ROOT / "cso_portal" / "settings").glob("*.py"))]
    paths.append(ROOT / "cso_portal" / "envsettings.py")
    reader = re.compile(r"(env|environ\.Env\(\)|os\.environ)(\.\w+)?|os\.getenv")
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and reader.fullmatch(ast.unparse(node.func)):
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    names.add(first.value)
            elif (
                isinstance(node, ast.Subscript)
                and ast.unparse(node.value) == "os.environ"
                and isinstance(node.slice, ast.Constant)
                and isinstance(node.slice.value, str)
            ):
                names.add(node.slice.value)
    return frozenset(names)


def interpolate(value: str, variables: dict[str, str]) -> str:
    """Compose's ``${NAME}`` / ``${NAME:?message}`` interpolation, for a known set of values."""
    return INTERPOLATION.sub(lambda m: variables[m["name"]], str(value))


def clean_subprocess_env(**values: str) -> dict[str, str]:
    """A minimal environment: no DJANGO_SETTINGS_MODULE (pytest's would win over DJANGO_ENV)."""
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    return {**base, **values}


def settings_under(env: dict[str, str], expression: str) -> subprocess.CompletedProcess:
    """Import the settings DJANGO_ENV selects, in a fresh process, and print an expression."""
    code = (
        "from cso_portal.envsettings import use_settings_for_env\n"
        "use_settings_for_env()\n"
        "from django.conf import settings\n"
        f"print({expression})\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


# --- Services --------------------------------------------------------------------------------


def test_compose_defines_the_backing_services_the_roles_and_a_migrate_step():
    assert set(services()) >= BACKING_SERVICES | ROLES
    assert set(app_services()) == ROLES | {migrate_step()}


def test_every_app_service_runs_the_one_image_built_from_the_dockerfile():
    for name, svc in app_services().items():
        assert svc.get("build") in (".", {"context": "."}), name
        assert svc.get("image") == app_image(), name
    assert DOCKERFILE.is_file()


def test_backing_services_are_healthchecked_and_postgres_keeps_its_data_in_a_named_volume():
    postgres, redis = services()["postgres"], services()["redis"]
    assert postgres["image"].startswith("postgres:16")
    assert "pg_isready" in " ".join(argv(postgres["healthcheck"]["test"]))
    assert redis["image"].startswith("redis:7")
    assert "ping" in argv(redis["healthcheck"]["test"])
    volume = postgres["volumes"][0].split(":")[0]
    assert volume in (compose().get("volumes") or {}), "postgres data is a declared named volume"
    assert services()["mailpit"]["image"].startswith("axllent/mailpit")


def test_the_migrate_step_runs_once_before_every_role_with_the_backing_services_healthy():
    step = migrate_step()
    assert services()[step].get("restart") in (None, "no"), "a one-off must not be restarted"
    assert services()[step]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for role in ROLES:
        depends = services()[role]["depends_on"]
        assert depends[step]["condition"] == "service_completed_successfully", role
        assert depends["postgres"]["condition"] == "service_healthy", role
        assert depends["redis"]["condition"] == "service_healthy", role


# --- Commands --------------------------------------------------------------------------------


def test_web_runs_gunicorn_on_the_projects_wsgi_module():
    args = service_command("web")
    assert Path(args[0]).name == "gunicorn"
    module = next(a for a in args[1:] if not a.startswith("-") and re.fullmatch(r"[\w.:]+", a))
    module = module.split(":")[0]
    assert module == "cso_portal.wsgi"
    wsgi_file = ROOT.joinpath(*module.split(".")).with_suffix(".py")
    assert wsgi_file.is_file()
    assert "application =" in wsgi_file.read_text()
    assert f"{module}.application" == settings.WSGI_APPLICATION
    assert args[args.index("--bind") + 1] == "0.0.0.0:8000"
    assert args[args.index("--workers") + 1] == "4"
    # Threads, so pages keep flowing while other threads hash passwords (bench scenario 30).
    assert args[args.index("--worker-class") + 1] == "gthread"
    assert int(args[args.index("--threads") + 1]) >= 2
    assert not any(a.startswith("--access-log") for a in args), "the access log stays off"


def test_worker_and_beat_run_the_projects_celery_app():
    expected = {"worker": "worker", "beat": "beat"}
    for service, subcommand in expected.items():
        app_name, found = celery_role(service_command(service))
        assert found == subcommand
        # What `celery -A <app>` resolves to is the app defined in cso_portal/celery.py.
        assert find_app(app_name) is cso_portal.celery.app
        assert cso_portal.celery.app.main == app_name


def test_beat_keeps_its_schedule_where_the_unprivileged_user_can_write():
    args = service_command("beat")
    schedule = next(
        (args[i + 1] for i, a in enumerate(args[:-1]) if a in ("--schedule", "-s")),
        next((a.split("=", 1)[1] for a in args if a.startswith("--schedule=")), None),
    )
    assert schedule is not None
    assert schedule.startswith("/tmp/")  # noqa: S108 - a path in the container, not used here


def test_every_management_command_used_is_a_real_one():
    used = {
        name
        for svc in services().values()
        if "command" in svc
        for name in manage_commands(svc["command"])
    }
    used |= {name for args in run_commands(dockerfile()) for name in manage_commands(args)}
    assert {"migrate", "createcachetable", "collectstatic"} <= used
    unknown = used - set(get_commands())
    assert not unknown, f"not Django management commands: {sorted(unknown)}"


def test_web_healthcheck_requests_the_health_view_on_the_port_gunicorn_binds():
    web = services()["web"]
    probe = " ".join(argv(web["healthcheck"]["test"]))
    url = urlsplit(re.search(r"https?://[^\s'\"]+", probe).group(0))
    assert resolve(url.path).url_name == "healthz"
    bind = service_command("web")[service_command("web").index("--bind") + 1]
    assert url.port == int(bind.rsplit(":", 1)[1])
    assert url.hostname in str(compose()["x-env"]["ALLOWED_HOSTS"]).split(",")


def test_published_ports_are_the_site_and_the_mailbox():
    assert "8000:8000" in [str(p) for p in services()["web"]["ports"]]
    assert "8025:8025" in [str(p) for p in services()["mailpit"]["ports"]]


# --- Environment -----------------------------------------------------------------------------


def test_app_services_share_one_environment():
    shared = compose()["x-env"]
    for name, svc in app_services().items():
        assert svc["environment"] == shared, name


def test_every_environment_variable_given_to_the_app_is_read_by_the_settings():
    reads = settings_env_reads()
    assert {"SECRET_KEY", "DATABASE_URL", "DJANGO_ENV"} <= reads, "the collector found the reads"
    for name, svc in app_services().items():
        for variable in svc["environment"]:
            # environ.FileAwareEnv also reads NAME_FILE for every NAME it reads.
            base = variable.removesuffix("_FILE")
            assert variable in reads or base in reads, f"{name}: settings never read {variable}"


def test_django_env_selects_a_known_settings_module():
    value = compose()["x-env"]["DJANGO_ENV"]
    assert value in SETTINGS_BY_ENV
    assert value == "production"


def test_secret_key_must_be_supplied_and_nothing_else_is_interpolated():
    values = list(strings_in(compose()))
    found = [m for value in values for m in INTERPOLATION.finditer(value)]
    assert {m["name"] for m in found} == {"SECRET_KEY"}, "only the key comes from outside"
    for match in found:
        assert match["op"] == ":?", "required: compose refuses to start without it"
        assert match["arg"].strip(), "with a message saying what to do"
    # Any other `$` would be read by compose as interpolation (a literal one is `$$`).
    for value in values:
        assert "$" not in INTERPOLATION.sub("", value).replace("$$", ""), value


def strings_in(node: object):
    if isinstance(node, dict):
        for key, value in node.items():
            yield str(key)
            yield from strings_in(value)
    elif isinstance(node, list):
        for item in node:
            yield from strings_in(item)
    elif isinstance(node, str):
        yield node


def test_service_urls_point_at_the_compose_services():
    env = compose()["x-env"]
    database = urlsplit(env["DATABASE_URL"])
    postgres_env = services()["postgres"]["environment"]
    assert database.scheme.startswith("postgres")
    assert database.hostname == "postgres"
    assert database.username == postgres_env["POSTGRES_USER"]
    assert database.password == postgres_env["POSTGRES_PASSWORD"]
    assert database.path.lstrip("/") == postgres_env["POSTGRES_DB"]
    assert urlsplit(env["REDIS_URL"]).hostname == "redis"
    mail = urlsplit(env["EMAIL_URL"])
    assert (mail.scheme, mail.hostname, mail.port) == ("smtp", "mailpit", 1025)


def test_compose_environment_satisfies_the_production_settings():
    """The production settings import, and pass `check`, with exactly compose's environment."""
    key = secrets.token_urlsafe(64)
    env = {
        name: interpolate(value, {"SECRET_KEY": key}) for name, value in compose()["x-env"].items()
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=clean_subprocess_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    shown = settings_under(
        clean_subprocess_env(**env),
        "settings.SETTINGS_MODULE, settings.DEBUG, settings.CSO_DEMO_MODE, "
        "settings.SECURE_SSL_REDIRECT, settings.EMAIL_HOST, settings.CACHES['default']['LOCATION']",
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.split() == [
        "cso_portal.settings.prod",
        "False",
        "True",
        "False",
        "mailpit",
        "redis://redis:6379/0",
    ]


# --- Dockerfile ------------------------------------------------------------------------------


def test_dockerfile_builds_assets_with_npm_ci_in_a_node_stage():
    node_stages = [(base, body) for base, body in dockerfile_stages() if base.startswith("node:20")]
    assert node_stages, "a node:20 stage builds the front-end assets"
    commands = run_commands(node_stages[0][1])
    assert any(args[:2] == ["npm", "ci"] for args in commands)
    copied = " ".join(rest for keyword, rest in node_stages[0][1] if keyword == "COPY")
    assert "package.json" in copied
    assert "package-lock.json" in copied


def test_dockerfile_installs_the_pinned_requirements_the_makefile_locks():
    base, body = dockerfile_stages()[-1]
    assert base.startswith("python:3.11-slim")
    # The same Python the Makefile locks requirements for.
    lock = " ".join(makefile_target("lock"))
    assert f"--python-version {base.split(':')[1].split('-')[0]}" in lock
    pip_installs = [args for args in run_commands(body) if args[:2] == ["pip", "install"]]
    requirement_files = [args[args.index("-r") + 1] for args in pip_installs if "-r" in args]
    assert requirement_files == ["requirements.txt"]
    assert any(keyword == "COPY" and "requirements.txt" in rest for keyword, rest in body)
    # `make lock` writes requirements.txt, and `make` installs from requirements-dev.txt, which
    # must pin every runtime package identically: the image runs what the tests tested.
    assert "-o requirements.txt" in lock
    assert "requirements.txt" in MAKEFILE.read_text().split("$(BIN)/.installed:")[1].splitlines()[0]
    runtime = pins(ROOT / "requirements.txt")
    dev = pins(ROOT / "requirements-dev.txt")
    assert runtime, "requirements.txt pins exact versions"
    assert {name: dev.get(name) for name in runtime} == runtime


def pins(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text().splitlines():
        match = re.fullmatch(r"([A-Za-z0-9_.\-\[\]]+)==(\S+)", line.strip())
        if match:
            found[match[1].lower()] = match[2]
    return found


def test_dockerfile_copies_the_uswds_files_the_static_settings_point_at():
    copies = [rest.split() for keyword, rest in final_stage() if keyword == "COPY"]
    from_node = [args for args in copies if args[0].startswith("--from=")]
    assert from_node, "USWDS comes from the node stage"
    source, destination = from_node[0][-2], from_node[0][-1]
    assert source.endswith("node_modules/@uswds/uswds/dist")
    workdir = Path(next(rest for keyword, rest in final_stage() if keyword == "WORKDIR"))
    copied_to = workdir / destination
    uswds_dirs = [
        Path(entry[1] if isinstance(entry, tuple) else entry)
        for entry in settings.STATICFILES_DIRS
        if "node_modules" in Path(entry[1] if isinstance(entry, tuple) else entry).parts
    ]
    assert uswds_dirs, "STATICFILES_DIRS serves USWDS from node_modules"
    for directory in uswds_dirs:
        in_image = workdir / directory.relative_to(settings.BASE_DIR)
        assert in_image.is_relative_to(copied_to), f"{in_image} is not copied into the image"
        assert directory.is_dir(), f"{directory} is missing here: run npm ci"


def test_collectstatic_runs_at_build_with_the_production_manifest_storage():
    runs = [args for args in run_commands(final_stage()) if "collectstatic" in args]
    assert runs, "the image collects its static files at build time"
    env, command = split_env_assignments(runs[0])
    assert Path(command[0]).name.startswith("python")
    assert "--noinput" in command
    assert env.get("DJANGO_ENV") == "production"
    # Build-only values, enough for the production settings to import; kept out of ENV.
    persisted = " ".join(rest for keyword, rest in final_stage() if keyword == "ENV")
    assert "SECRET_KEY" not in persisted
    shown = settings_under(
        clean_subprocess_env(**env), "settings.STORAGES['staticfiles']['BACKEND']"
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_image_runs_as_an_unprivileged_user_and_serves_what_compose_runs():
    users = [rest for keyword, rest in final_stage() if keyword == "USER"]
    assert users
    assert users[-1].split(":")[0] not in ("root", "0")
    assert "8000" in [rest for keyword, rest in final_stage() if keyword == "EXPOSE"]
    assert dockerfile_cmd() == service_command("web")
    persisted = " ".join(rest for keyword, rest in final_stage() if keyword == "ENV")
    assert "DJANGO_ENV=production" in persisted


def test_dockerignore_keeps_local_state_out_and_what_the_build_needs_in():
    ignored = {
        line.strip().removeprefix("**/").rstrip("/")
        for line in DOCKERIGNORE.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".venv", "node_modules", "var", "staticfiles", "artifacts", ".git"} <= ignored
    gitignored = {
        line.strip().rstrip("/")
        for line in (ROOT / ".gitignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert gitignored <= ignored, "whatever git ignores stays out of the image too"
    needed = {"requirements.txt", "package.json", "package-lock.json", "manage.py", "cso_portal"}
    assert not needed & ignored


# --- `make run` and compose start the same roles ---------------------------------------------


def test_make_run_and_compose_start_the_same_roles():
    recipe = makefile_target("run")
    honcho = [line for line in recipe if "honcho" in line]
    assert honcho
    assert "-f Procfile.dev" in honcho[0]
    assert honcho[0].endswith("start")
    roles = procfile()
    assert set(roles) == ROLES
    assert set(app_services()) - {migrate_step()} == ROLES
    for role in ("worker", "beat"):
        assert celery_role(roles[role]) == celery_role(service_command(role))
    assert "runserver" in roles["web"]
    assert Path(service_command("web")[0]).name == "gunicorn"


def test_make_run_and_the_migrate_step_prepare_the_database_the_same_way():
    make_steps = [name for line in makefile_target("run") for name in manage_commands(line)]
    compose_steps = manage_commands(services()[migrate_step()]["command"])
    assert make_steps == compose_steps


def test_demo_accounts_are_loaded_only_with_demo_mode_on():
    """load_demo_accounts refuses outside demo mode, which would stop the stack starting."""
    if "load_demo_accounts" in manage_commands(services()[migrate_step()]["command"]):
        assert str(compose()["x-env"].get("CSO_DEMO_MODE")).lower() in ("1", "true", "on", "yes")


@pytest.mark.parametrize("role", sorted(ROLES))
def test_each_role_restarts_with_the_stack(role):
    assert services()[role].get("restart") == "unless-stopped"
