"""Training scenarios (issue 8): each loads, loading twice gives the same world, reset removes
only that scenario, and each scenario's key moment happens as the seeds tell it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from accounts.models import User
from courts.models import Court, Subscription
from courts.services import change_go_live_date
from cso_portal import clock
from cso_portal.core import tasks as core_tasks
from cso_portal.core.models import OutboundEmail
from cso_portal.core.services import set_simulated_date
from filing.errors import RegistrationRefused
from filing.models import EfileRegistration, RegistrationType
from filing.services.registration import submit_efile_registration
from filing.training.scenarios import (
    ScenarioError,
    all_scenarios,
    get_scenario,
    load_scenario,
    reset_scenario,
    scenario_counts,
)
from linking.errors import LinkRefused
from linking.models import CmecfAccount, LinkRequest
from linking.services import check_cmecf_credentials, request_cmecf_reset, submit_link_request
from tests.factories import UserFactory

Channel = EfileRegistration.Channel
NAMES = ["arkansas-bankruptcy-2021", "arizona-bankruptcy-2021", "sdfla-bankruptcy-2022"]

pytestmark = pytest.mark.usefixtures("frozen_clock")


def _move_clock(day: dt.date) -> None:
    set_simulated_date(day=day, actor=None, reason="trainer", now=clock.real_now())


def _load(name: str):
    return load_scenario(name=name, actor=None, now=clock.now())


def test_three_scenarios_ship():
    assert sorted(all_scenarios()) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_a_scenario_loads_and_loading_twice_gives_the_same_world(seed_courts, name):
    scenario = get_scenario(name)
    report = _load(name)

    assert clock.today() == scenario.clock
    for plan in scenario.courts:
        assert Court.objects.get(pk=plan.id).nextgen_date == plan.go_live
    counts = scenario_counts(name)
    assert counts["accounts"] == len(scenario.cast)
    assert counts["cmecf_logins"] == len(scenario.cmecf_logins)
    assert counts["clerks"] >= 1
    assert all(person.created for person in report.people)
    usernames = {person.username for person in report.people}
    assert all(username.startswith(f"{scenario.prefix}-") for username in usernames)
    # The cast covers every account state the training walks through.
    users = User.objects.filter(username__in=usernames)
    assert users.filter(account_type=User.AccountType.LEGACY).exists()
    assert users.filter(account_type=User.AccountType.UPGRADED).exists()
    assert users.filter(is_shared=True).exists()
    assert users.filter(case_search_status=User.CaseSearchStatus.INACTIVE).exists()
    assert users.filter(filer_role=User.FilerRole.FILING_AGENT).exists()
    assert users.filter(paa_profile__isnull=False).exists()
    assert users.filter(court_roles__isnull=False).exists()

    _move_clock(scenario.clock + dt.timedelta(days=30))  # the trainer moved on …
    again = _load(name)  # … and starts over
    assert scenario_counts(name) == counts
    assert not any(person.created for person in again.people)
    assert not any(line.created for line in again.logins)
    assert clock.today() == scenario.clock


def test_the_command_prints_the_cast_for_the_trainer(seed_courts):
    out = io.StringIO()
    call_command("load_scenario", "arizona-bankruptcy-2021", stdout=out)
    text = out.getvalue()
    assert "training clock: 2021-06-21" in text
    assert "az21-trustee" in text
    assert "az21-ttrustee3" in text
    assert "azb-issued-2018" in text
    assert "rehearse-nextgen-golive" in text  # the demo password

    out = io.StringIO()
    call_command("load_scenario", "arizona-bankruptcy-2021", "--reset", stdout=out)
    assert "removed 9 accounts" in out.getvalue()
    assert scenario_counts("arizona-bankruptcy-2021")["accounts"] == 0


def test_outside_demo_mode_scenarios_are_refused(seed_courts, settings):
    settings.CSO_DEMO_MODE = False
    with pytest.raises(CommandError, match="demo mode"):
        call_command("load_scenario", "arizona-bankruptcy-2021", stdout=io.StringIO())
    with pytest.raises(ScenarioError):
        reset_scenario(name="arizona-bankruptcy-2021")
    assert not User.objects.exists()


def test_a_missing_court_is_named(db):
    with pytest.raises(ScenarioError, match="load_courts"):
        _load("arizona-bankruptcy-2021")


def test_reset_removes_only_that_scenarios_accounts(seed_courts):
    for name in NAMES:
        _load(name)
    bystander = UserFactory(attorney=True, username="bystander")
    arizona_before = scenario_counts("arizona-bankruptcy-2021")
    # An Arkansas attorney links a login on arwb's go-live day: a request hangs off the account.
    _move_clock(dt.date(2021, 2, 1))
    upgraded = User.objects.get(username="ark21-upgraded")
    login = CmecfAccount.objects.get(court_id="arwb", login="ark21-uupgraded")
    submit_link_request(pacer_account=upgraded, cmecf_account=login, now=clock.now())
    assert scenario_counts("arkansas-bankruptcy-2021")["link_requests"] == 1

    removed = reset_scenario(name="arkansas-bankruptcy-2021")

    assert removed["accounts"] == len(get_scenario("arkansas-bankruptcy-2021").cast)
    assert removed["link requests"] == 1
    assert set(scenario_counts("arkansas-bankruptcy-2021").values()) == {0}
    assert scenario_counts("arizona-bankruptcy-2021") == arizona_before
    assert scenario_counts("sdfla-bankruptcy-2022")["accounts"] == 8
    assert User.objects.filter(pk=bystander.pk).exists()
    assert Court.objects.filter(pk__in=["areb", "arwb"]).count() == 2
    # Resetting an empty scenario is fine; loading it again rebuilds it.
    reset_scenario(name="arkansas-bankruptcy-2021")
    _load("arkansas-bankruptcy-2021")
    assert scenario_counts("arkansas-bankruptcy-2021")["accounts"] == 8


def _deliver_outbox():
    for email_id in OutboundEmail.objects.values_list("pk", flat=True):
        core_tasks.deliver_email.apply(kwargs={"email_id": email_id})


def test_arkansas_reschedule_emails_each_confirmed_subscriber_once(seed_courts):
    _load("arkansas-bankruptcy-2021")
    areb = Court.objects.get(pk="areb")
    assert areb.nextgen_date == dt.date(2021, 2, 8)
    subscribers = set(
        Subscription.objects.filter(court=areb, status="confirmed").values_list("email", flat=True)
    )
    assert subscribers == {
        "ark21-upgraded@training.example.test",
        "ark21-agent@training.example.test",
    }
    _deliver_outbox()
    mail.outbox.clear()

    _move_clock(dt.date(2021, 1, 29))  # the trainer advances the clock, then reschedules
    change_go_live_date(
        court=areb, new_date=dt.date(2021, 3, 29), actor=None, reason="Seed 000", now=clock.now()
    )
    _deliver_outbox()
    _deliver_outbox()  # a redelivered message sends nothing twice

    assert sorted(address for message in mail.outbox for address in message.to) == sorted(
        subscribers
    )
    for message in mail.outbox:
        assert "Eastern District of Arkansas: NextGen go-live date changed" in message.subject
        assert "Old date: 8 February 2021" in message.body
        assert "New date: 29 March 2021" in message.body


def _link(username: str, login: str, password: str):
    account = User.objects.get(username=username)
    court = Court.objects.get(pk="azb")
    cmecf = check_cmecf_credentials(
        court=court,
        login=login,
        password=password,
        pacer_account=account,
        ip="127.0.0.1",
        now=clock.real_now(),
    )
    return submit_link_request(pacer_account=account, cmecf_account=cmecf, now=clock.now())


def test_arizona_links_on_go_live_day_and_not_the_day_before(seed_courts):
    _load("arizona-bankruptcy-2021")
    assert clock.today() == dt.date(2021, 6, 21)

    _move_clock(dt.date(2021, 6, 27))
    with pytest.raises(LinkRefused, match="Linking opens on June 28, 2021"):
        _link("az21-upgraded", "az21-mgarcia", "azb-issued-2016")

    _move_clock(dt.date(2021, 6, 28))
    request = _link("az21-upgraded", "az21-mgarcia", "azb-issued-2016")
    assert request.status == LinkRequest.Status.SUBMITTED
    # The trustee held three logins: she links one; the others' work goes to filing agents.
    assert (
        CmecfAccount.objects.filter(court_id="azb", login__startswith="az21-ttrustee").count() == 3
    )
    _link("az21-trustee", "az21-ttrustee", "azb-issued-2015")
    with pytest.raises(LinkRefused):
        _link("az21-trustee", "az21-ttrustee2", "azb-issued-2016")
    # The legacy attorney must upgrade first.
    with pytest.raises(LinkRefused, match="Upgrade your account first"):
        _link("az21-legacy", "az21-llegacy", "azb-issued-2012")


def test_sdfla_reset_works_until_26_march_and_is_refused_after(seed_courts):
    _load("sdfla-bankruptcy-2022")
    flsb = Court.objects.get(pk="flsb")
    assert flsb.password_reset_deadline == dt.date(2022, 3, 26)

    def reset():
        return request_cmecf_reset(
            court=flsb, login="fls22-rforgot", now=clock.real_now(), today=clock.today()
        )

    assert reset() is not None  # 20 March
    _move_clock(dt.date(2022, 3, 25))
    assert reset() is not None
    _move_clock(dt.date(2022, 3, 27))
    assert reset() is None


def test_sdfla_new_attorney_is_asked_for_lf95(seed_courts):
    _load("sdfla-bankruptcy-2022")
    newcomer = User.objects.get(username="fls22-newatty")
    details = {"terms_accepted": True, "bar_number": "1022150", "bar_state": "Florida"}
    # Before go-live, on the court's own CM/ECF site; after it, in Manage My Account.
    for day, channel in (
        (dt.date(2022, 3, 20), Channel.COURT_SITE),
        (dt.date(2022, 4, 4), Channel.MANAGE_MY_ACCOUNT),
    ):
        _move_clock(day)
        with pytest.raises(RegistrationRefused, match="LF-95") as refused:
            submit_efile_registration(
                pacer_account=newcomer,
                court=Court.objects.get(pk="flsb"),
                registration_type=RegistrationType.EFILE_ATTORNEY,
                details=details,
                now=clock.now(),
                channel=channel,
            )
        assert "complete local form LF-95" in str(refused.value)
