"""Signatures: signed PDFs per second (render a one-page letter with the forms' template and fonts,
then sign it PAdES with a PKCS#12 key of the DEMO CA, visible Vietnamese box and QR code) against
rendering the same PDF unsigned (target: signing adds ≤ 50 % to the rendering time), and
verifications per second of the signed file (pyHanko's validator against the demo root, plus the
registry look-up). Prints figures, asserts nothing.

Run from the repository root: ``python bench/signatures.py [--rounds 20]``. A fresh SQLite
database and demo CA in a temporary directory. The reference (rendering unsigned) and the signing
are measured in the same run, interleaved round by round, on this machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LETTER = """{% extends "dossiers/forms/base.html" %}
{% block title %}Mẫu 04{% endblock %}
{% block issuer %}Ủy ban nhân dân phường Hoàn Kiếm{% endblock %}
{% block number %}Số: 12/TXL-UBND{% endblock %}
{% block date %}Hà Nội, ngày 05 tháng 12 năm 2026{% endblock %}
{% block content %}
<h1 class="title">Thư xin lỗi</h1>
<p>Kính gửi: Ông/Bà Nguyễn Thị Hằng — hồ sơ số 000.00.01.H26-261205-0001.</p>
<p>Ủy ban nhân dân phường Hoàn Kiếm xin lỗi Ông/Bà vì hồ sơ đã quá hạn giải quyết do cần xác minh
thông tin tại địa phương khác. Thời hạn trả kết quả mới: 17 giờ 00, ngày 13 tháng 02 năm 2027.</p>
<p>Rất mong Ông/Bà thông cảm.</p>
<table class="sign"><tr><td></td><td><div class="role">Thủ trưởng cơ quan, đơn vị</div>
<div id="chu-ky" class="sigbox"></div><div class="name">Trần Văn Lãnh</div></td></tr></table>
{% endblock %}
"""


def setup(folder: Path) -> None:
    os.environ["MOTCUA_VAR_DIR"] = str(folder)
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["MOTCUA_DEMO"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="motcua-bench-sig-") as tmp:
        setup(Path(tmp))
        from django.template import engines
        from django.utils import translation

        from motcua.dossiers.official_forms import _html_to_pdf
        from motcua.signatures import demo
        from motcua.signatures.models import Kind
        from motcua.signatures.services import (
            Identity,
            new_verify_code,
            register_signed,
            sign_pdf,
        )
        from motcua.signatures.verification import verify_pdf

        template = engines["django"].from_string(LETTER)
        key = demo.key_for("staff:bench", "Trần Văn Lãnh")
        who = Identity(
            key=key, name="Trần Văn Lãnh", position="Chủ tịch UBND", unit="Phường Hoàn Kiếm"
        )

        def render() -> bytes:
            with translation.override("vi"):
                return _html_to_pdf(template.render({}))

        def render_and_sign() -> bytes:
            return sign_pdf(render(), signer=who, verify_code=new_verify_code())

        render_and_sign()  # warm-up: fonts, Pango, the key file, the demo CA
        unsigned: list[float] = []
        signed: list[float] = []
        last = b""
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            render()
            t1 = time.perf_counter()
            last = render_and_sign()
            t2 = time.perf_counter()
            unsigned.append(t1 - t0)
            signed.append(t2 - t1)
        code = new_verify_code()
        register_signed(pdf=last, code=code, kind=Kind.OTHER, signer_name=who.name)
        verify_pdf(last)  # warm-up
        checks: list[float] = []
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            report = verify_pdf(last)
            checks.append(time.perf_counter() - t0)
        assert report.intact and report.registered and report.signatures[0].trusted  # noqa: S101

    render_s = statistics.median(unsigned)
    signed_s = statistics.median(signed)
    verify_s = statistics.median(checks)
    added = (signed_s - render_s) / render_s * 100
    print(f"rounds: {args.rounds} (medians; the same one-page letter, {len(last)} bytes signed)")
    print(f"render unsigned (reference): {1 / render_s:8.1f} PDF/s  ({render_s * 1000:.0f} ms)")
    print(f"render + sign (PKCS#12):     {1 / signed_s:8.1f} PDF/s  ({signed_s * 1000:.0f} ms)")
    print(f"signing adds {added:.0f} % to the rendering time (target ≤ 50 %): ", end="")
    print("OK" if added <= 50 else "OVER")
    print(f"verify (pyHanko + registry): {1 / verify_s:8.1f} files/s ({verify_s * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
