import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from shigan.grassroots.models import PracticeActivity
from shigan.orgs.models import Role, Unit, UnitKind
from shigan.testing import make_user
from shigan.timebank.access import (
    accounts_visible_to,
    activities_for_entry,
    can_confirm,
    can_enter_for,
    can_enter_services,
    can_manage_timebank,
    confirmation_refusal,
    entry_unit_ids,
    get_account_for_user,
    get_service_for_user,
    get_transaction_for_user,
    people_for_entry,
    phone_shown_to,
    services_visible_to,
    units_for_entry,
)
from shigan.timebank.models import Account, ServiceRecord

from .factories import credited, volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank(world):
    a = volunteer(world, "甲村民", unit=world.unit_a)
    b = volunteer(world, "乙村民", unit=world.unit_b)
    return a, b


def _names(user):
    return set(accounts_visible_to(user, Account.objects.all()).values_list("name", flat=True))


def test_who_reads_which_accounts(world, bank):
    credited(world, bank[0], "1")  # opens the district's books
    everything = {"甲村民", "乙村民", "时间银行发行", "时间银行兑换"}
    assert _names(world.coordinator) == everything
    assert _names(world.inspector) == everything
    assert _names(world.leader) == {"甲村民"}  # oversees unit A
    assert _names(world.reporter_a) == {"甲村民"}
    assert _names(world.reporter_b) == {"乙村民"}


def test_another_districts_coordinator_reads_nothing_of_this_bank(world, bank):
    other = Unit.objects.create(name="邻区党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    stranger, _ = make_user("other_coord", unit=other, role=Role.COORDINATOR, name="外区专班")
    assert _names(stranger) == set()
    with pytest.raises(Http404):
        get_account_for_user(stranger, bank[0].pk)


def test_who_enters_records_for_whom(world, bank):
    a, b = bank
    assert can_manage_timebank(world.coordinator) and not can_manage_timebank(world.reporter_a)
    assert can_enter_services(world.reporter_a) and not can_enter_services(world.leader)
    assert not can_enter_services(world.inspector)
    assert entry_unit_ids(world.reporter_a) == {world.unit_a.pk}
    assert can_enter_for(world.coordinator, b) and can_enter_for(world.reporter_a, a)
    assert not can_enter_for(world.reporter_a, b)
    assert get_account_for_user(world.reporter_a, a.pk, write=True) == a
    with pytest.raises(Http404):
        get_account_for_user(world.reporter_a, b.pk)
    with pytest.raises(PermissionDenied):
        get_account_for_user(world.leader, a.pk, write=True)


def test_a_record_is_confirmed_by_a_second_person_of_its_unit(world, bank):
    from shigan.timebank.services import account_open, service_enter

    record = service_enter(
        by=world.reporter_a, account=bank[0], date=world.campaign.start_date, hours=1,
        beneficiary="老人", content="送餐",
    )  # fmt: skip
    assert "录入人以外" in confirmation_refusal(world.reporter_a, record)
    assert not can_confirm(world.reporter_a, record)
    assert can_confirm(world.coordinator, record)
    assert not can_confirm(world.leader, record)
    own = account_open(by=world.coordinator, unit=world.unit_a, person=world.reporter_a.person,
                       opened_on=world.campaign.start_date)  # fmt: skip
    mine = service_enter(by=world.coordinator, account=own, date=world.campaign.start_date,
                         hours=1, beneficiary="邻居", content="修路灯")  # fmt: skip
    assert "志愿者本人" in confirmation_refusal(world.reporter_a, mine)
    assert get_service_for_user(world.coordinator, record.pk, confirm=True) == record
    with pytest.raises(PermissionDenied):
        get_service_for_user(world.reporter_a, record.pk, confirm=True)
    with pytest.raises(Http404):
        get_service_for_user(world.reporter_b, record.pk)
    visible = services_visible_to(world.reporter_b, ServiceRecord.objects.all())
    assert not visible.exists()


def test_only_coordinators_reverse_postings(world, bank):
    posting = credited(world, bank[0], "1").transaction
    assert get_transaction_for_user(world.coordinator, posting.pk, write=True) == posting
    assert get_transaction_for_user(world.reporter_a, posting.pk) == posting
    with pytest.raises(PermissionDenied):
        get_transaction_for_user(world.reporter_a, posting.pk, write=True)
    with pytest.raises(Http404):
        get_transaction_for_user(world.reporter_b, posting.pk)


def test_what_the_entry_forms_offer(world, bank):
    activity = PracticeActivity.objects.create(campaign=world.campaign, name="红色屋场")
    assert list(activities_for_entry(world.reporter_b)) == [activity]
    assert list(units_for_entry(world.reporter_a)) == [world.unit_a]
    assert world.unit_b in units_for_entry(world.coordinator)
    people = set(people_for_entry(world.reporter_a))
    assert world.reporter_a.person in people and world.reporter_b.person not in people
    assert phone_shown_to(world.reporter_a, bank[0]) and not phone_shown_to(
        world.inspector, bank[0]
    )
