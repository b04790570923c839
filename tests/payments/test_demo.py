"""`make run` (MOTCUA_DEMO=1 `motcua serve`) runs the fake payment gateway beside the web and the
worker, and the web processes are told where it is and which secret they share with it."""

from __future__ import annotations

import json
import subprocess
import urllib.request

from motcua.ops.management.commands.serve import Command


def _options() -> dict:
    """serve's options as its command line gives them by default."""
    return vars(Command().create_parser("motcua", "serve").parse_args([]))


def test_the_demo_serves_the_fake_gateway_and_points_the_web_at_it(settings):
    settings.DEMO_MODE = True
    env: dict[str, str] = {"PATH": "/usr/bin:/bin"}

    found = Command().processes(_options(), env)

    gateway = next(p for p in found if p.name.startswith("payment gateway"))
    assert not gateway.essential  # restarted when it dies; never takes the web down
    web = next(p for p in found if p.name == "web")
    assert web.env is env and env["MOTCUA_PAYMENT_GATEWAY_URL"].startswith("http://127.0.0.1:")
    assert len(env["MOTCUA_PAYMENT_SECRET"]) == 64
    port = env["MOTCUA_PAYMENT_GATEWAY_URL"].rsplit(":", 1)[1]
    process = subprocess.Popen(gateway.argv, env=env, stdout=subprocess.PIPE, text=True)  # noqa: S603
    try:
        assert process.stdout is not None
        assert process.stdout.readline().split() == ["LISTENING", port]
        url = f"{env['MOTCUA_PAYMENT_GATEWAY_URL']}/_state"
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310
            assert json.loads(answer.read())["mode"] == "normal"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_outside_the_demo_no_fake_gateway_is_started(settings):
    settings.DEMO_MODE = False
    env: dict[str, str] = {}

    found = Command().processes(_options(), env)

    assert not [p for p in found if p.name.startswith("payment gateway")]
    assert "MOTCUA_PAYMENT_GATEWAY_URL" not in env


def test_a_configured_gateway_is_used_even_in_the_demo(settings):
    settings.DEMO_MODE = True
    env = {"MOTCUA_PAYMENT_GATEWAY_URL": "https://thanhtoan.example.vn"}

    found = Command().processes(_options(), env)

    assert not [p for p in found if p.name.startswith("payment gateway")]
    assert env["MOTCUA_PAYMENT_GATEWAY_URL"] == "https://thanhtoan.example.vn"
