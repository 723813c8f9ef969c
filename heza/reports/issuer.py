"""The issuing organizer as its documents name it, read from its own record and plans.

Every generated document speaks in the name of the conference's (or the summary's) organizer:
the header (parent body over its own name), the symbol in the document number ("…/BC-BQL"), the
place of the date line ("Phù Liễn, ngày … tháng … năm …"), the signature block, who leads it
(for "Kính gửi" and "Nơi nhận") and the plan it acts under ("Căn cứ …"). Nothing here depends on
the kind of organizer: a field left empty is printed as the placeholder "…" for the clerk to fill,
never as another organizer's words.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _

from heza.directory.models import Organizer, Unit, UnitKind
from heza.reports.text import PLACEHOLDER, clean_text

# The rules whose plan a conference document cites when its own rule is set by no plan: a plan
# that sets any of them is a plan for dialogue conferences.
CONFERENCE_RULES: tuple[str, ...] = ("R6", "R5", "R7", "R3", "R2", "R1", "R4", "R8")


def _text(value: object) -> str:
    return clean_text(value).strip()


def header_lines(organizer: Organizer | None) -> list[str]:
    """The issuing body as written top left: parent body, then the organizer itself, in capitals.

    An empty parent body is left out; an empty header name falls back to the name in capitals
    (:attr:`Organizer.header_lines`).
    """
    if organizer is None:
        return [PLACEHOLDER]
    lines = [_text(line) for line in organizer.header_lines]
    return [line for line in lines if line] or [PLACEHOLDER]


def document_symbol(organizer: Organizer | None) -> str:
    """The organizer's symbol in document numbers ("BQL" in "…/BC-BQL"), or "…" when it has none."""
    return (_text(organizer.document_symbol) if organizer is not None else "") or PLACEHOLDER


def document_number_text(kind_code: str, organizer: Organizer | None, document_number: str = "",
                         code: str | None = None) -> str:
    """"…/BC-BQL" with the number left blank, or the number already given to the document.

    ``code`` replaces the organizer's symbol (for example "VP" for a report of the Office).
    """
    if _text(document_number):
        return _text(document_number)
    return f"{PLACEHOLDER * 3}/{kind_code}-{code or document_symbol(organizer)}"


def number_line(kind_code: str, organizer: Organizer | None, document_number: str = "",
                code: str | None = None) -> str:
    """"Số: …/BC-BQL", or the number already given to the document."""
    return _("Số: %(number)s", number=document_number_text(kind_code, organizer, document_number, code))


def place_date_line(organizer: Organizer | None = None) -> str:
    """"Hải Phòng, ngày … tháng … năm …" with the organizer's place; the date is filled in when signed."""
    place = (_text(organizer.place_name) if organizer is not None else "") or PLACEHOLDER
    return _("%(city)s, ngày %(d)s tháng %(d)s năm %(d)s", city=place, d=PLACEHOLDER)


def signature_title(organizer: Organizer | None) -> list[str]:
    """Who signs, above the signature: "KT. TRƯỞNG BAN" / "PHÓ TRƯỞNG BAN" as the organizer records it."""
    if organizer is None:
        return [PLACEHOLDER]
    lines = [_text(organizer.signer_authority), _text(organizer.signer_title)]
    return [line for line in lines if line] or [PLACEHOLDER]


def signer_name(organizer: Organizer | None) -> str:
    """The name under the signature, or a blank to fill in when the organizer has recorded none."""
    return (_text(organizer.signer_name) if organizer is not None else "") or PLACEHOLDER * 6


def organizer_name(organizer: Organizer | None) -> str:
    """The organizer's name in running text ("Phường Phù Liễn báo cáo …")."""
    return _text(organizer.name) if organizer is not None else PLACEHOLDER


def leader_unit(organizer: Organizer | None) -> Unit | None:
    """The organizer's own leadership as a unit ("Lãnh đạo Ban Quản lý"), if it records one."""
    if organizer is None:
        return None
    leaders = [u for u in organizer.units if u.kind == UnitKind.LEADER and u.active]
    return leaders[0] if leaders else None


def leaders(organizer: Organizer | None) -> str:
    """Who leads the organizer: its leadership unit's name, else "Lãnh đạo <organizer>"."""
    unit = leader_unit(organizer)
    if unit is not None and _text(unit.name):
        return _text(unit.name)
    return _("Lãnh đạo %(org)s", org=organizer_name(organizer))


def owner_lines(organizer: Organizer | None) -> list[str]:
    """The "Nơi nhận" list of a report the organizer sends: the addressees, its leaders, its archive.

    The archive line names the unit that drafts the organizer's reports (``lead_unit``).
    """
    keeper = str(organizer.lead_unit) if organizer is not None and organizer.lead_unit else PLACEHOLDER
    return [_("Như trên;"), f"{leaders(organizer)};", _("Lưu: VT, %(unit)s.", unit=keeper)]


def plan_citation(basis: Iterable[tuple[str, str]], rules: Iterable[str]) -> str | None:
    """How the plan setting the first of ``rules`` is cited, from a ``Settings.basis``; None when none does."""
    cited = dict(basis)
    for rule in rules:
        if cited.get(rule):
            return cited[rule]
    return None


def conference_basis(basis: Iterable[tuple[str, str]], rule: str, organizer: Organizer | None, year: int) -> str:
    """"Căn cứ <the organizer's plan>;" for a conference document owed by ``rule``.

    The plan setting ``rule`` is cited, else the organizer's plan for its conferences (one setting
    any conference rule); without either, the sentence leaves the plan's number and date to fill.
    """
    basis = tuple(basis)
    citation = plan_citation(basis, (rule, *CONFERENCE_RULES))
    if citation:
        return _("Căn cứ %(plan)s;", plan=_text(citation))
    return _("Căn cứ Kế hoạch số %(number)s ngày %(day)s của %(org)s về tổ chức Hội nghị đối thoại với doanh "
             "nghiệp năm %(year)d;", number=PLACEHOLDER, day=PLACEHOLDER, org=organizer_name(organizer), year=year)
