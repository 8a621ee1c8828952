"""Find a network's data export in a ZIP archive or a folder: which files it holds.

LinkedIn's archive (``Basic_LinkedInDataExport_MM-DD-YYYY.zip``, or the complete
one) holds ``Invitations.csv``, and may hold ``Connections.csv``,
``messages.csv`` and ``Profile.csv`` in the same folder. Facebook's holds the friend requests you
received. Files are found by name, whatever the case, in any subfolder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from invpolicy.errors import InvpolicyError, Problem
from invpolicy.io.archive import Archive, ArchiveFile, open_archive

LINKEDIN_FILES = {
    "invitations": "Invitations.csv",
    "connections": "Connections.csv",
    "messages": "messages.csv",
    "profile": "Profile.csv",
}
FACEBOOK_FILES = ("received_friend_requests.json", "friend_requests_received.json")
FACEBOOK_HTML = ("received_friend_requests.html", "friend_requests_received.html")


@dataclass
class Export:
    """The files of one network's export that invpolicy reads."""

    archive: Archive
    network: str
    invitations: ArchiveFile
    connections: ArchiveFile | None = None
    messages: ArchiveFile | None = None
    profile: ArchiveFile | None = None

    def files(self) -> list[ArchiveFile]:
        """The files that will be read, in the order they are named."""
        found = (self.invitations, self.connections, self.messages, self.profile)
        return [file for file in found if file is not None]


def facts_name(network: str) -> str:
    """The facts file's name beside an export: the same for every export of a network."""
    return f"{network}.facts.yaml"


def find_export(path: Path, shown: str) -> Export:
    """The export in the folder or ZIP file at ``path``."""
    archive = open_archive(path, shown)
    invitations = _one(archive, LINKEDIN_FILES["invitations"])
    if invitations is not None:
        # The other files of one export are in the folder of its Invitations.csv.
        others = {key: _beside(archive, invitations, name) for key, name in LINKEDIN_FILES.items()}
        return Export(
            archive,
            "linkedin",
            invitations,
            connections=others["connections"],
            messages=others["messages"],
            profile=others["profile"],
        )
    for name in FACEBOOK_FILES:
        requests = _one(archive, name)
        if requests is not None:
            return Export(archive, "facebook", requests)
    for name in FACEBOOK_HTML:
        if archive.find(name):
            from invpolicy.loading.facebook import HTML_HINT

            raise archive.problem(HTML_HINT)
    kind = "ZIP archive" if archive.is_zip else "folder"
    raise archive.problem(
        f"no invitations found in this {kind}: expected LinkedIn's Invitations.csv "
        "or Facebook's received_friend_requests.json, in it or in a subfolder"
    )


def _one(archive: Archive, name: str) -> ArchiveFile | None:
    """The file called ``name``; two at the same depth are an error, not a guess."""
    found = archive.find(name)
    if len(found) > 1 and found[0].name.count("/") == found[1].name.count("/"):
        what = "unzip it, then give" if archive.is_zip else "give"
        message = (
            f"two files named {name}: {found[0].name} and {found[1].name}; "
            f"{what} the folder that holds the one to read"
        )
        raise InvpolicyError(Problem(archive.shown, 1, 1, message))
    return found[0] if found else None


def _beside(archive: Archive, file: ArchiveFile, name: str) -> ArchiveFile | None:
    """The file called ``name`` (any case) in the same folder as ``file``."""
    for found in archive.find(name):
        if found.folder == file.folder:
            return found
    return None
