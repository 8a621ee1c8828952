"""Coverage-guided fuzzing of the policy and invitation loader, with atheris.

Not a pytest module (its name does not start with ``test_``). Run it with
atheris installed (``pip install atheris``), from the repository root::

    python tests/fuzz_loader.py -atheris_runs=100000
    python tests/fuzz_loader.py -max_total_time=600

Any other libFuzzer flag can be given too. The seed corpus (the bundled
policies and the example invitations) is copied to a temporary folder, which
also receives what the fuzzer finds worth keeping; pass folders of your own as
arguments to use them instead. Each input goes through what ``invpolicy
validate`` and ``invpolicy decide`` do with a file once its bytes are read:
decode them as text, parse the YAML, then read the document as a policy
(checked, built, compiled, then asked to decide a few invitations) and as an
invitations file. Only :class:`InvpolicyError` may come out, and each of its
problems must have a line and a column of at least 1; anything else is a crash,
and libFuzzer writes the input that caused it to ``crash-<sha1>`` in the
current folder.
"""

from __future__ import annotations

import importlib
import shutil
import sys
import tempfile
from pathlib import Path

import atheris  # type: ignore[import-untyped]

LAZY_MODULES = [
    "invpolicy.builtin.criteria",
    "invpolicy.builtin.replies",
    "invpolicy.builtin.followup",
    "invpolicy.builtin.messages",
    "invpolicy.engine.compiled",
    "invpolicy.loading.catalog",
    "invpolicy.loading.inherit",
    "invpolicy.loading.semantics",
    "invpolicy.text",
]

with atheris.instrument_imports(include=["invpolicy", "ruamel"]):
    # The loader imports these when it first runs: imported here, they are
    # instrumented too.
    for module in LAZY_MODULES:
        importlib.import_module(module)
    from invpolicy.engine.compiled import CompiledPolicy
    from invpolicy.errors import InvpolicyError
    from invpolicy.io.files import decode_text
    from invpolicy.io.safeload import parse_document
    from invpolicy.loading.invitations import parse_invitations
    from invpolicy.loading.parse import parse_policy
    from invpolicy.model.invitation import Invitation
    from invpolicy.plugins.manager import make_plugin_manager
    from invpolicy.plugins.registry import Registry

REPO = Path(__file__).resolve().parent.parent

#: The built-in criteria and generators only, as the tests use them.
REGISTRY = Registry(make_plugin_manager(entry_points=False, disabled=()))

#: Where the input is said to be. A policy that ``extends`` a relative path is
#: looked up beside it: in an empty temporary folder, not in the repository.
HOME = Path(tempfile.mkdtemp(prefix="invpolicy-fuzz-home-"))
SHOWN = str(HOME / "fuzz.yaml")

#: Invitations that a policy read from the input must decide without failing.
INVITATIONS = [
    Invitation.from_dict({"id": "bare", "name": "A"}),
    Invitation.from_dict(
        {
            "id": "full",
            "name": "Zoë Lefèvre",
            "language": "fr",
            "headline": "Recruteuse, RH",
            "company": "Acme",
            "message": "Bonjour, j'aimerais vous inviter à rejoindre mon réseau.",
            "mutual_connections": 3,
            "mutual_in_sector": 1,
            "shared_groups": ["UX"],
            "common_ground": ["school"],
            "met_in_person": False,
            "exchanges": 0,
            "experience_years": 2.5,
            "posts": 10,
            "profile_visible": True,
            "follow_up": "Book a call: https://calendly.com/x",
            "network": "viadeo",
        }
    ),
]


def check(data: bytes) -> None:
    """Read ``data`` as a policy file and as an invitations file; only clean errors."""
    try:
        doc = parse_document(decode_text(data, SHOWN), SHOWN)
    except InvpolicyError as exc:
        _located(exc)
        return
    try:
        # No stem: a policy whose name is not "fuzz" is still built and compiled.
        policy = CompiledPolicy(parse_policy(doc, REGISTRY), REGISTRY)
    except InvpolicyError as exc:
        _located(exc)
    else:
        for invitation in INVITATIONS:
            policy.decide(invitation)
            policy.decide(invitation, explain=True)
    try:
        parse_invitations(doc)
    except InvpolicyError as exc:
        _located(exc)


def _located(exc: InvpolicyError) -> None:
    assert exc.problems, "an InvpolicyError without a problem"
    for problem in exc.problems:
        assert problem.line >= 1 and problem.col >= 1, f"bad position: {problem}"


def seed_corpus() -> Path:
    """A temporary folder holding the bundled policies and the example invitations."""
    corpus = Path(tempfile.mkdtemp(prefix="invpolicy-fuzz-corpus-"))
    for path in [*sorted((REPO / "policies").glob("*.yaml")), REPO / "examples/invitations.yaml"]:
        shutil.copy(path, corpus / path.name)
    return corpus


def main() -> None:
    args = sys.argv[1:]
    if not any(not arg.startswith("-") for arg in args):
        args.append(str(seed_corpus()))
    if not any(arg.startswith("-timeout=") for arg in args):
        # An input that takes this long (in seconds) is reported as a hang.
        args.append("-timeout=10")
    atheris.Setup([sys.argv[0], *args], check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
