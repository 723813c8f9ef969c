"""R12: dialogue topics proposed to the chair, each received by one organizer.

An organizer's own form (``/o/<slug>/de-xuat-noi-dung-doi-thoai``) sends to it; the site-wide form
lets the proposer choose the organizer. The proposer confirms their address through a signed link.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from heza import rules
from heza.base import local_today, now_utc
from heza.directory.models import Enterprise, Organizer, OrganizerKind
from heza.extensions import db
from heza.outreach.models import Addressee, TopicProposal
from heza.public import bp, emails
from heza.public.common import Refusal, all_organizers, organizer_by_slug, rate_limited
from heza.public.forms import TopicProposalForm, WithdrawForm

PROPOSAL_SALT = "heza.topic-proposal.confirm"
PROPOSAL_CONFIRM_MAX_AGE = 60 * 60 * 24 * 60  # the confirmation link works for 60 days

def addressee_label(addressee: Addressee, organizer: Organizer | None) -> Any:
    """Who the proposal goes to, in words: the City Chairman, or the head of the receiving organizer.

    A lazy string, so an email renders it in its recipient's language.
    """
    if addressee == Addressee.CITY_CHAIRMAN:
        return addressee.label
    if organizer is None:
        return _l("Người đứng đầu đơn vị tiếp nhận đề xuất")
    if organizer.kind == OrganizerKind.WARD:
        return _l("Chủ tịch UBND %(name)s", name=organizer.name)
    if organizer.kind == OrganizerKind.DEPARTMENT:
        return _l("Giám đốc %(name)s", name=organizer.name)
    return _l("Trưởng ban %(name)s", name=organizer.name)


def _proposal_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=PROPOSAL_SALT)


def proposal_confirm_token(proposal: TopicProposal) -> str:
    """The signed token of a proposal's confirmation link."""
    return _proposal_serializer().dumps(proposal.id)


def _form(organizer: Organizer | None) -> tuple[TopicProposalForm, dict[str, Organizer]]:
    """The form, with the organizers to choose from when it is the site-wide one."""
    form = TopicProposalForm()
    form.addressee.choices = [(a.value, str(addressee_label(a, organizer))) for a in Addressee]
    if organizer is not None:
        del form.organizer
        return form, {}
    choices = {str(o.id): o for o in all_organizers()}
    form.organizer.choices = [("", _("— Chọn đơn vị tiếp nhận —"))] + [(k, o.name) for k, o in choices.items()]
    if len(choices) == 1 and not form.organizer.data:
        form.organizer.data = next(iter(choices))  # nothing to choose: the only organizer receives it
    return form, choices


def _propose(organizer: Organizer | None) -> Any:
    form, choices = _form(organizer)
    if request.method == "POST":
        rate_limited("proposal", request.remote_addr or "?")
        if (form.website.data or "").strip():
            # A robot filled the hidden field: answer as if it worked, keep nothing.
            return redirect(url_for("public.proposal_sent"), code=303)
        if form.validate():
            receiver = organizer or choices[form.organizer.data]
            proposal = _create_proposal(form, receiver)
            flash(_("Đã gửi đề xuất. Vui lòng mở thư gửi tới %(email)s và bấm đường dẫn xác nhận.",
                    email=proposal.email), "success")
            return redirect(url_for("public.organizer_proposal_sent", slug=receiver.slug), code=303)
        return render_template("public/propose.html", form=form, organizer=organizer), 422
    return render_template("public/propose.html", form=form, organizer=organizer)


@bp.route("/de-xuat-noi-dung-doi-thoai", methods=["GET", "POST"])
def propose_topic() -> Any:
    """R12: propose a dialogue topic to the chair, choosing the organizer that receives it."""
    return _propose(None)


@bp.route("/o/<slug>/de-xuat-noi-dung-doi-thoai", methods=["GET", "POST"])
def organizer_propose_topic(slug: str) -> Any:
    """R12: propose a dialogue topic to one organizer's chair (or the City Chairman, through it)."""
    return _propose(organizer_by_slug(slug))


def _create_proposal(form: TopicProposalForm, organizer: Organizer) -> TopicProposal:
    tax_code = form.tax_code.data or None
    enterprise_id = None
    if tax_code:
        # Linked for the administrators' list; nothing about the match is shown to the proposer.
        enterprise_id = db.session.scalar(select(Enterprise.id).where(Enterprise.tax_code == tax_code))
    now = now_utc()
    proposal = TopicProposal(
        organizer_id=organizer.id, organizer=organizer,
        year=rules.dialogue_plan_year(local_today(), organizer.settings()), addressee=Addressee(form.addressee.data),
        enterprise_id=enterprise_id, proposer_name=form.proposer_name.data.strip(), tax_code=tax_code,
        email=form.email.data.strip(), phone=(form.phone.data or "").strip(), topic=form.topic.data.strip(),
        content=form.content.data.strip(), received_dt=now,
    )
    db.session.add(proposal)
    db.session.flush()
    confirm_url = url_for("public.confirm_proposal", token=proposal_confirm_token(proposal), _external=True)
    emails.topic_confirmation(proposal, confirm_url, addressee=addressee_label(proposal.addressee, organizer))
    db.session.commit()
    return proposal


@bp.get("/de-xuat-noi-dung-doi-thoai/da-gui")
def proposal_sent() -> Any:
    """After sending a proposal."""
    return render_template("public/proposal_sent.html", organizer=None)


@bp.get("/o/<slug>/de-xuat-noi-dung-doi-thoai/da-gui")
def organizer_proposal_sent(slug: str) -> Any:
    """After sending a proposal to this organizer."""
    return render_template("public/proposal_sent.html", organizer=organizer_by_slug(slug))


@bp.route("/de-xuat-noi-dung-doi-thoai/xac-nhan/<token>", methods=["GET", "POST"])
def confirm_proposal(token: str) -> Any:
    """The proposer confirms their address. GET only shows a button: mail scanners follow links."""
    try:
        proposal_id = _proposal_serializer().loads(token, max_age=PROPOSAL_CONFIRM_MAX_AGE)
    except SignatureExpired as exc:
        raise Refusal(403, _("Đường dẫn xác nhận đã hết hạn"),
                      _("Đường dẫn xác nhận chỉ có hiệu lực trong 60 ngày. Vui lòng gửi lại đề xuất."),
                      back_url=url_for("public.propose_topic")) from exc
    except BadSignature as exc:
        raise Refusal(404, _("Đường dẫn không hợp lệ"), _("Đường dẫn xác nhận không đúng hoặc đã bị thay đổi."),
                      back_url=url_for("public.propose_topic")) from exc
    proposal = db.session.get(TopicProposal, proposal_id)
    if proposal is None:
        raise Refusal(404, _("Không tìm thấy đề xuất"), _("Đề xuất này không còn trong hệ thống."),
                      back_url=url_for("public.propose_topic"))
    form = WithdrawForm()  # only the CSRF token
    if request.method == "POST" and form.validate():
        if proposal.confirmed_dt is None:
            proposal.confirmed_dt = now_utc()
            db.session.commit()
        return redirect(url_for("public.confirm_proposal", token=token), code=303)
    return render_template("public/proposal_confirm.html", proposal=proposal, form=form,
                           organizer=proposal.organizer,
                           addressee=addressee_label(proposal.addressee, proposal.organizer))
