"""Upload names through a real Flask app: a file the web server would run is refused, by where
its name is (a multipart part's filename, an upload-name header), not by the word alone."""

from __future__ import annotations

import io

import pytest

from conftest import Client

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def upload(client: Client, file_name: str):
    return client.post(
        "/submit",
        data={"avatar": (io.BytesIO(PNG), file_name)},
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize("name", ["x.php", "X.PHTML...", "x.php.png", ".htaccess", "x.aspx"])
def test_server_runnable_upload_is_refused(client: Client, name: str) -> None:
    r = upload(client, name)
    assert r.status_code == 403
    events = [e for e in client.events() if e["type"] == "unsafe_upload"]
    assert events, client.events()
    assert events[0]["location"] == {"kind": "multipart_filenames", "name": "avatar"}
    assert events[0]["codes"]["ironrasp"] == "IR-2014"


@pytest.mark.parametrize("name", ["x.png", "php-manual.pdf", "my.phone.numbers.csv"])
def test_ordinary_upload_passes(client: Client, name: str) -> None:
    r = upload(client, name)
    assert r.status_code == 200
    assert r.get_json()["files"]["avatar"][0] == name
    assert client.events() == []


def test_upload_name_header_is_judged(client: Client) -> None:
    assert client.post("/upload", data=PNG, headers={"X-File-Name": "x.php"}).status_code == 403
    assert client.post("/upload", data=PNG, headers={"X-File-Name": "x.png"}).status_code == 200
    # The same text where no file is named is a word.
    assert client.get("/search", query_string={"q": "x.php"}).status_code == 200
