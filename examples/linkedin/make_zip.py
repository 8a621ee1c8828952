"""Rebuild Basic_LinkedInDataExport_03-01-2026.zip from its folder, byte for byte the same."""

import zipfile
from pathlib import Path

HERE = Path(__file__).parent
FOLDER = HERE / "Basic_LinkedInDataExport_03-01-2026"

with zipfile.ZipFile(FOLDER.with_suffix(".zip"), "w") as archive:
    for path in sorted(FOLDER.iterdir()):
        info = zipfile.ZipInfo(path.name, date_time=(2026, 3, 1, 9, 30, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, path.read_bytes())
