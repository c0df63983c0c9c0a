"""Office files (DOCX, XLSX) that are the same bytes for the same inputs.

python-docx and openpyxl date every zip entry, and openpyxl stamps the workbook's `modified`
with the time of saving: both are set here to a date the inputs decide.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile


def fixed(data: bytes, stamp: dt.datetime) -> bytes:
    """The same archive with every entry dated `stamp`, and `stamp` as its modification date."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    when = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                                 rb"\g<1>" + when + rb"\g<2>", content)
            target.writestr(entry, content)
    return out.getvalue()
