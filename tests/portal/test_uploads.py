import io

import pytest

from motcua.portal.uploads import PortalUpload, has_directory, human_size
from tests.portal.helpers import EXE, JPEG, PDF, PNG


def upload(content: bytes, *, name="a.pdf", sent_name=None, too_large=False) -> PortalUpload:
    return PortalUpload(
        io.BytesIO(content),
        name=name,
        sent_name=sent_name or name,
        content_type="application/pdf",
        size=len(content),
        too_large=too_large,
    )


@pytest.mark.parametrize(
    ("content", "kind"),
    [(PDF, ("pdf", "application/pdf")), (PNG, ("png", "image/png")), (JPEG, ("jpg", "image/jpeg"))],
)
def test_a_file_is_recognised_by_its_first_bytes(content, kind):
    assert upload(content, name="whatever.txt").sniff() == kind
    assert upload(content).problem() is None


def test_an_executable_named_pdf_is_not_a_pdf():
    assert upload(EXE, name="giay-to.pdf").sniff() is None
    assert "không phải là tệp PDF, JPEG hoặc PNG" in upload(EXE).problem()


def test_an_empty_file_and_a_file_over_the_limit_are_refused():
    assert "không có nội dung" in upload(b"").problem()
    big = upload(PDF, too_large=True)
    big.size = 30 * 1024 * 1024
    assert "30 MB" in big.problem() and "10 MB" in big.problem()


@pytest.mark.parametrize(
    "name", ["../x.pdf", "..\\\\x.pdf", "/etc/passwd", "C:\\\\Users\\\\x.pdf", "..", "a\\x00.pdf"]
)
def test_a_name_with_a_directory_is_flagged(name):
    assert has_directory(name)


@pytest.mark.parametrize("name", ["to-khai.pdf", "Giấy khai sinh (bản sao).jpg", "a..b.pdf"])
def test_a_plain_name_is_not(name):
    assert not has_directory(name)


def test_sizes_read_as_a_person_would():
    assert human_size(10 * 1024 * 1024) == "10 MB"
    assert human_size(1536 * 1024) == "1,5 MB"
    assert human_size(300 * 1024) == "300 KB"
    assert human_size(10) == "1 KB"
