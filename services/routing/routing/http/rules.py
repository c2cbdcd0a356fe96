"""Routing's HTTP views of the ordered routing rules and their dry run: parse, call one
use case, answer."""

from __future__ import annotations

from typing import Any

from chancery.http import use_case
from chancery.http.paging import PageQuery, answer_page
from chancery.http.resources import Resource
from chancery.http.security import principal
from routing.domain.rules import LetterFacts
from routing.http.schemas import rules as schemas
from routing.permissions import ADMINS, STAFF
from routing.usecases.rules import Rules
from routing.usecases.triage import Triage

rules = Resource("rules", __name__, "Ordered routing rules and their dry run.")
_triage = use_case("triage", Triage)
_rules = use_case("rules", Rules)


@rules.listing(PageQuery, schemas.RuleOut, roles=STAFF)
def list_rules(query: dict[str, Any]) -> Any:
    """The rules in their order."""
    return answer_page(_rules().rules(), query, lambda rule: (rule.position, rule.id))


@rules.action("", schemas.RuleIn, schemas.RuleOut, roles=ADMINS, status=201)
def create_rule(data: dict[str, Any]) -> Any:
    """Add a rule at a position."""
    return _rules().save_rule(None, data, principal())


@rules.action("/<uuid:rule_id>", schemas.RuleIn, schemas.RuleOut, roles=ADMINS, method="PUT")
def replace_rule(data: dict[str, Any], rule_id: Any) -> Any:
    """Replace a rule."""
    return _rules().save_rule(str(rule_id), data, principal())


@rules.action("/<uuid:rule_id>", None, None, roles=ADMINS, method="DELETE", status=204)
def delete_rule(rule_id: Any) -> None:
    """Remove a rule."""
    _rules().delete_rule(str(rule_id), principal())


@rules.action("/dry-run", schemas.FactsIn, schemas.DecisionOut, roles=STAFF)
def dry_run(data: dict[str, Any]) -> dict[str, Any]:
    """Which rule would route this letter, and why (nothing is changed)."""
    decision = _triage().dry_run(LetterFacts(**data))
    return {
        "rule": decision.rule_name,
        "department_code": decision.department,
        "copy_department_codes": list(decision.copies),
        "needs_triage": decision.needs_triage,
        "why": list(decision.reasons),
        "rules_not_matching": [{"rule": name, "why": why} for name, why in decision.rejected],
    }
