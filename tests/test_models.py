"""Constraints live in the schema and validators speak Vietnamese: bad values are refused, nothing half-saved."""

from __future__ import annotations

from datetime import date, time

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from heza.accounts.models import Role, User
from heza.base import now_utc
from heza.conferences.models import Invitation, Registration
from heza.directory.models import Enterprise, EnterpriseKind
from heza.extensions import db as _db
from heza.hotline.models import HotlineChannel, HotlineItem, HotlineKind
from heza.newsletter.models import NewsletterIssue
from heza.recommendations.models import AnswerMethod, RecommendationStatus
from heza.validation import InvalidValue
from tests import factories as f


@pytest.mark.parametrize("bad", ["", "123", "02012345678", "020123456a", "0201234567-1", "0201234567_001",
                                 "<script>", "0201234567-0011"])
def test_bad_tax_codes_are_refused_with_a_vietnamese_message(db, bad):
    with pytest.raises(InvalidValue, match="Mã số thuế phải gồm 10 chữ số"):
        Enterprise(name="X", tax_code=bad)


@pytest.mark.parametrize("good", ["0201234567", "0201234567-001", " 0201234567 "])
def test_good_tax_codes(db, good):
    assert Enterprise(name="X", tax_code=good).tax_code == good.strip()


def test_tax_code_is_unique_in_the_schema(db):
    z = f.zone()
    f.enterprise(z, tax_code="0201111111")
    _db.session.commit()
    _db.session.add(Enterprise(name="Y", tax_code="0201111111", zone=z))
    with pytest.raises(IntegrityError):
        _db.session.commit()
    _db.session.rollback()
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(Enterprise)) == 1


def test_schema_refuses_a_malformed_tax_code_even_past_the_validator(db):
    z = f.zone()
    _db.session.commit()
    with pytest.raises(IntegrityError):
        _db.session.execute(sa.insert(Enterprise.__table__).values(
            name="Z", tax_code="12345", zone_id=z.id, kind="enterprise", address="", contact_name="",
            phone="", email="", cc_emails="", language="vi", active=True,
            created_dt=now_utc(), updated_dt=now_utc()))
    _db.session.rollback()


def test_enterprise_must_be_located_in_a_zone_or_ward(db):
    _db.session.add(Enterprise(name="Nowhere", tax_code="0209999999", kind=EnterpriseKind.HOUSEHOLD))
    with pytest.raises(IntegrityError):
        _db.session.commit()
    _db.session.rollback()


@pytest.mark.parametrize("bad", ["not-an-email", "a@", "@b.vn", "x y@z.vn"])
def test_bad_emails_are_refused(db, bad):
    with pytest.raises(InvalidValue, match="Địa chỉ email không hợp lệ"):
        Enterprise(name="X", tax_code="0201234567", email=bad)


def test_unit_email_lists_are_normalised(db):
    unit = f.unit(emails="a@demo.heza.vn; b@demo.heza.vn\nc@demo.heza.vn")
    assert unit.email_list == ["a@demo.heza.vn", "b@demo.heza.vn", "c@demo.heza.vn"]
    with pytest.raises(InvalidValue):
        unit.emails = "a@demo.heza.vn, oops"


def test_enum_values_are_checked_by_the_schema(db):
    conf = f.conference()
    _db.session.commit()
    with pytest.raises(IntegrityError):
        _db.session.execute(sa.text("UPDATE conferences SET status = 'bogus' WHERE id = :id"), {"id": conf.id})
        _db.session.commit()
    _db.session.rollback()


def test_conference_end_time_after_start(db):
    with pytest.raises(IntegrityError):
        f.conference(start_time=time(14, 0), end_time=time(9, 0))
    _db.session.rollback()


def test_negative_settings_refused(db):
    with pytest.raises(IntegrityError):
        f.organizer(quorum_enterprises=-1)
    _db.session.rollback()


def test_conference_overrides_win_over_organizer_settings(db):
    org = f.organizer(quorum_enterprises=20)
    conf = f.conference(org, announce_working_days=10)
    s = conf.settings()
    assert (s.quorum_enterprises, s.announce_working_days, s.cutoff_working_days) == (20, 10, 5)


def test_one_registration_per_enterprise_and_conference(db):
    conf = f.conference()
    ent = f.enterprise()
    _db.session.add_all([Registration(conference=conf, enterprise=ent, channel="link"),
                         Registration(conference=conf, enterprise=ent, channel="email")])
    with pytest.raises(IntegrityError):
        _db.session.commit()
    _db.session.rollback()


def test_invitation_names_exactly_one_invitee(db):
    conf = f.conference()
    _db.session.add(Invitation(conference=conf))
    with pytest.raises(IntegrityError):
        _db.session.commit()
    _db.session.rollback()
    _db.session.add(Invitation(conference=f.conference(), enterprise=f.enterprise(), unit=f.unit()))
    with pytest.raises(IntegrityError):
        _db.session.commit()
    _db.session.rollback()


def test_answered_recommendation_needs_date_and_method(db):
    rec = f.recommendation()
    _db.session.commit()
    rec.status = RecommendationStatus.ANSWERED
    with pytest.raises(IntegrityError):
        _db.session.commit()
    _db.session.rollback()
    rec = _db.session.get(type(rec), rec.id)
    rec.status, rec.answered_dt, rec.answer_method = RecommendationStatus.ANSWERED, now_utc(), AnswerMethod.IN_WRITING
    _db.session.commit()


def test_references_are_readable_and_unique(db):
    a = f.recommendation()
    b = f.recommendation()
    _db.session.commit()
    assert a.reference == f"KN-2026-{a.id:06d}" and b.reference != a.reference
    item = HotlineItem(organizer=f.organizer(), channel=HotlineChannel.HOTLINE, kind=HotlineKind.FEEDBACK,
                       content="Đèn đường hỏng", received_dt=f.at_local(date(2026, 5, 12)))
    _db.session.add(item)
    _db.session.commit()
    assert item.reference == f"PA-2026-{item.id:06d}"


def test_unit_users_need_a_unit(db):
    _db.session.add(User(email="u@demo.heza.vn", name="U", role=Role.UNIT))
    with pytest.raises(IntegrityError):
        _db.session.commit()
    _db.session.rollback()


def test_passwords_are_hashed(db):
    user = User(email="Admin@Demo.Heza.vn", name="A", role=Role.ADMIN)
    user.set_password("mot-mat-khau-dai")
    assert user.email == "admin@demo.heza.vn"
    assert "mot-mat-khau-dai" not in user.password_hash
    assert user.check_password("mot-mat-khau-dai") and not user.check_password("sai")


def test_newsletter_issue_number_format(db):
    with pytest.raises(InvalidValue, match="01.2023"):
        NewsletterIssue(number="1/2023")
    assert NewsletterIssue(number="01.2023").number == "01.2023"


def test_instants_come_back_aware_in_utc(db):
    rec = f.recommendation(received_dt=f.at_local(date(2026, 2, 10), 23, 30))
    _db.session.commit()
    _db.session.expire_all()
    again = _db.session.get(type(rec), rec.id)
    assert again.received_dt.tzinfo is not None
    assert again.received_dt == f.at_local(date(2026, 2, 10), 23, 30)


def test_naive_datetimes_are_refused(db):
    from datetime import datetime

    with pytest.raises(sa.exc.StatementError, match="naive datetime"):
        f.recommendation(received_dt=datetime(2026, 2, 10, 9, 0))
    _db.session.rollback()
