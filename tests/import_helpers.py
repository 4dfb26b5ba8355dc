"""What the tests of the shared import view share: uploading a file, reading the preview.

Modules using it declare ``pytestmark = pytest.mark.usefixtures("private_import_dir",
"french")`` (fixtures of tests/conftest.py).
"""

import html
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook


def text_of(response):
    return html.unescape(response.content.decode())


def post_file(client, url, content, name="liste.csv", encoding="utf-8", **fields):
    """POST a file to an import's upload form; model instances in ``fields`` become ids."""
    if isinstance(content, str):
        content = content.encode("utf-8")
    data = {"file": SimpleUploadedFile(name, content), "encoding": encoding}
    for field, value in fields.items():
        if value is not None:
            data[field] = getattr(value, "pk", value)
    return client.post(url, data)


def preview_url_of(response):
    assert response.status_code == 302, text_of(response)[:3000]
    assert "/preview/" in response.url
    return response.url


def xlsx(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def stored_files(directory):
    return sorted(path.name for path in directory.iterdir()) if directory.exists() else []
