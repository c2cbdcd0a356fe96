"""Tests for the message catalogue, its payload contracts and the broker topology."""

import dataclasses
from datetime import date, datetime
from typing import Any

import pytest

from chancery.messages.catalogue import (
    ANY_SENDER,
    CATALOGUE,
    consumed_by,
    contract,
    produced_by,
    secret_values,
)
from chancery.messages.topology import (
    dead_letter_name,
    queue_name,
    work_queue,
)
from chancery.vocabulary import SERVICES
from chancery_testing import sample_payloads


def test_every_catalogue_type_has_a_sample() -> None:
    assert {entry.type for entry in CATALOGUE} == set(sample_payloads())


@pytest.mark.parametrize("entry", CATALOGUE, ids=lambda e: e.routing_key)
def test_producer_and_consumers_are_known_services(entry) -> None:
    assert entry.producer in SERVICES or (entry.command and entry.producer == ANY_SENDER)
    assert entry.consumers
    assert set(entry.consumers) <= set(SERVICES)
    assert entry.producer not in entry.consumers


def test_routing_keys_are_unique() -> None:
    keys = [entry.routing_key for entry in CATALOGUE]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("entry", CATALOGUE, ids=lambda e: e.routing_key)
def test_schema_loads_a_realistic_sample(entry) -> None:
    sample = sample_payloads()[entry.type]
    loaded = entry.schema().load(sample)
    for key in ("letter_id", "assignment_id", "registration_number", "idempotency_key"):
        if key in sample:
            assert str(getattr(loaded, key)) == sample[key]


@pytest.mark.parametrize("entry", CATALOGUE, ids=lambda e: e.routing_key)
def test_every_contract_loads_into_its_dataclass_and_dumps_its_wire_form(entry) -> None:
    sample = sample_payloads()[entry.type]
    schema = entry.payload_schema
    loaded = schema.load(sample)
    assert type(loaded) is entry.payload_type
    assert dataclasses.is_dataclass(loaded)
    assert entry.payload_type.__dataclass_params__.frozen
    wire = schema.dump(loaded)
    assert _as_sent(sample, wire) == sample
    assert set(wire) == set(schema.fields)
    assert schema.load(wire) == loaded


def _as_sent(sent: Any, dumped: Any) -> Any:
    """``dumped`` without the defaults ``sent`` left out (at every depth)."""
    if isinstance(sent, dict) and isinstance(dumped, dict):
        return {key: _as_sent(value, dumped.get(key)) for key, value in sent.items()}
    if isinstance(sent, list) and isinstance(dumped, list):
        return [_as_sent(item, other) for item, other in zip(sent, dumped, strict=True)]
    return dumped


@pytest.mark.parametrize("entry", CATALOGUE, ids=lambda e: e.routing_key)
def test_schema_ignores_unknown_fields(entry) -> None:
    sample = {**sample_payloads()[entry.type], "added_in_a_later_release": "ნინო ბერიძე"}
    loaded = entry.schema().load(sample)
    assert not hasattr(loaded, "added_in_a_later_release")


@pytest.mark.parametrize(
    "entry",
    [
        c
        for c in CATALOGUE
        if "letter_id" in c.schema().fields and c.schema().fields["letter_id"].required
    ],
    ids=lambda e: e.routing_key,
)
def test_schema_requires_the_letter_id(entry) -> None:
    sample = dict(sample_payloads()[entry.type])
    del sample["letter_id"]
    errors = entry.schema().validate(sample)
    assert errors == {"letter_id": ["Missing data for required field."]}


@pytest.mark.parametrize("entry", CATALOGUE, ids=lambda e: e.routing_key)
def test_summary_names_the_type(entry) -> None:
    assert entry.summary.startswith(f"``{entry.type}`` v{entry.version}")


def test_registered_sample_keeps_nested_unicode_and_parses_times() -> None:
    loaded = contract("letter.registered", 1).schema().load(sample_payloads()["letter.registered"])
    assert loaded.sender.name == "Ona Žemaitytė"
    assert loaded.received_at == datetime.fromisoformat("2026-11-20T09:15:00+02:00")
    assert loaded.summary is None


def test_routed_sample_parses_the_due_date() -> None:
    loaded = contract("letter.routed", 1).schema().load(sample_payloads()["letter.routed"])
    assert loaded.due_date == date(2026, 12, 18)
    assert loaded.copy_department_codes == ["COMM"]


def test_registered_refuses_a_naive_time() -> None:
    sample = {**sample_payloads()["letter.registered"], "received_at": "2026-11-20T09:15:00"}
    errors = contract("letter.registered", 1).schema().validate(sample)
    assert errors == {"received_at": ["Not a valid aware datetime."]}


def test_contract_finds_type_and_version() -> None:
    entry = contract("letter.routed", 1)
    assert entry.producer == "routing"
    assert entry.routing_key == "letter.routed.v1"


@pytest.mark.parametrize(
    ("message_type", "version"), [("letter.routed", 2), ("letter.lost", 1), ("", 1)]
)
def test_contract_raises_key_error_for_unknown(message_type: str, version: int) -> None:
    with pytest.raises(KeyError, match="not in the message catalogue"):
        contract(message_type, version)


def test_the_access_code_and_the_booking_and_answer_links_are_the_only_secret_fields() -> None:
    assert {(c.type, c.secret_fields) for c in CATALOGUE if c.secret_fields} == {
        ("letter.registered", ("status_lookup_code",)),
        ("letter.access_code_issued", ("status_lookup_code",)),
        ("appointment.confirmation_requested", ("confirmation_url",)),
        ("event.scheduled", ("answer_urls",)),
        ("event.updated", ("answer_urls",)),
    }
    assert secret_values(
        "letter.registered", {"status_lookup_code": "K7XQ2M9PRT", "subject": "Iesniegums"}
    ) == ["K7XQ2M9PRT"]
    assert secret_values("letter.routed", {"rule": "Planning"}) == []
    assert secret_values("event.scheduled", {"answer_urls": {"p1": "https://x/a", "p2": ""}}) == [
        "https://x/a"
    ]


def test_produced_by() -> None:
    assert {c.type for c in produced_by("routing")} == {
        "letter.routed",
        "letter.status_changed",
        "letter.triaged",
        "letter.answered",
        "letter.deadline_extended",
        "assignment.created",
        "assignment.due_soon",
        "assignment.reminded",
        "assignment.overdue",
        "endorsement.requested",
        "endorsement.approved",
        "endorsement.returned",
        "calendar.day_declared",
        "staff.member_changed",
    }
    assert {c.type for c in produced_by("intake")} == {
        "letter.registered",
        "letter.reply_registered",
        "letter.not_ours",
        "letter.archived",
        "letter.voided",
        "letter.access_code_issued",
        "destruction.executed",
        "personal_data.requested",
    }
    assert produced_by("notifications") == ()
    assert {c.type for c in produced_by("protocol-events")} == {
        "event.scheduled",
        "event.updated",
        "event.cancelled",
        "appointment.booked",
        "appointment.cancelled",
        "appointment.reminder_due",
        "accreditation.decided",
        "appointment.confirmation_requested",
        "award.granted",
    }
    assert {c.type for c in produced_by("foreign-relations")} == {
        "invitation.awaiting_decision",
        "invitation.decided",
        "proposal.referred",
        "delegation.visit_approved",
        "agreement.expiring",
        "project.deadline_approaching",
        "translation.due_soon",
    }


def test_consumed_by() -> None:
    assert {c.type for c in consumed_by("intake")} == {
        "letter.submitted",
        "letter.routed",
        "letter.status_changed",
        "letter.triaged",
        "letter.answered",
        "letter.deadline_extended",
        "endorsement.requested",
        "endorsement.approved",
        "endorsement.returned",
        "personal_data.answered",
    }
    assert {c.type for c in consumed_by("routing")} == {
        "letter.registered",
        "letter.reply_registered",
        "letter.not_ours",
        "letter.archived",
        "letter.voided",
        "destruction.executed",
        "invitation.decided",
        "personal_data.requested",
    }
    assert {c.type for c in consumed_by("foreign-relations")} == {
        "letter.registered",
        "letter.routed",
        "calendar.day_declared",
        "destruction.executed",
        "personal_data.requested",
    }
    assert len(consumed_by("notifications")) == 35
    assert {c.type for c in consumed_by("protocol-events")} == {
        "delegation.visit_approved",
        "letter.registered",
        "calendar.day_declared",
        "personal_data.requested",
        "staff.member_changed",
    }


@pytest.mark.parametrize("service", ["intake", "routing", "notifications", "foreign-relations"])
def test_work_queue_binds_exactly_the_consumed_routing_keys(service: str) -> None:
    queue = work_queue(service, delivery_limit=5)
    bound = {(b.exchange.name, b.routing_key) for b in queue.bindings}
    expected = {(c.exchange, c.routing_key) for c in consumed_by(service)}
    assert bound == expected
    assert len(queue.bindings) == len(consumed_by(service))


def test_work_queue_of_intake_binds_to_routing_events_and_its_own_commands() -> None:
    queue = work_queue("intake", delivery_limit=5)
    assert {(b.exchange.name, b.exchange.type) for b in queue.bindings} == {
        ("routing.events", "topic"),
        ("intake.commands", "direct"),
    }
    assert all(b.exchange.durable for b in queue.bindings)


def test_work_queue_arguments() -> None:
    queue = work_queue("routing", delivery_limit=7)
    assert queue.name == queue_name("routing") == "routing.messages"
    assert queue.durable
    assert queue.queue_arguments["x-queue-type"] == "quorum"
    assert queue.queue_arguments["x-delivery-limit"] == 7
    assert queue.queue_arguments["x-dead-letter-exchange"] == dead_letter_name("routing")
    assert dead_letter_name("routing") == "routing.dead-letter"
