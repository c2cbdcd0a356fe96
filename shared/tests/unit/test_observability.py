"""deploy/observability: the alerts and the dashboard use metrics that exist, with their labels."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from prometheus_client.metrics import MetricWrapperBase

from chancery import metrics
from chancery.services import installed_services

OBSERVABILITY = Path(__file__).resolve().parents[3] / "deploy" / "observability"
METRIC = re.compile(r"\b(chancery_[a-z_]+)\b(?:\{([^}]*)\})?")
MATCHER = re.compile(r"(\w+)\s*(?:=~|!~|!=|=)")
BY = re.compile(r"\bby\s*\(([^)]*)\)")
SAMPLE_SUFFIXES = {
    "counter": ("_total",),
    "gauge": ("",),
    "histogram": ("_bucket", "_sum", "_count"),
}


def exposed() -> dict[str, set[str]]:
    """Every sample name chancery.metrics exposes, with the labels it carries."""
    samples: dict[str, set[str]] = {}
    for metric in vars(metrics).values():
        if not isinstance(metric, MetricWrapperBase):
            continue
        [family] = metric.describe()
        extra = {"le"} if family.type == "histogram" else set()
        for suffix in SAMPLE_SUFFIXES[family.type]:
            samples[family.name + suffix] = set(metric._labelnames) | extra
    return samples


def alert_rules() -> list[dict]:
    document = yaml.safe_load((OBSERVABILITY / "alerts.yml").read_text(encoding="utf-8"))
    return [rule for group in document["groups"] for rule in group["rules"]]


def dashboard_exprs() -> list[str]:
    dashboard = json.loads((OBSERVABILITY / "grafana-dashboard.json").read_text(encoding="utf-8"))
    return [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]


def every_expr() -> list[str]:
    return [rule["expr"] for rule in alert_rules()] + dashboard_exprs()


def test_the_metrics_module_exposes_what_operators_watch():
    assert {
        "chancery_http_requests_total",
        "chancery_http_request_seconds_bucket",
        "chancery_messages_published_total",
        "chancery_messages_consumed_total",
        "chancery_message_redeliveries_total",
        "chancery_outbox_lag_seconds",
        "chancery_dead_letters",
    } <= set(exposed())
    assert "outcome" in exposed()["chancery_messages_consumed_total"]


@pytest.mark.parametrize("expr", every_expr())
def test_every_metric_and_label_used_exists(expr):
    samples = exposed()
    used = METRIC.findall(expr)
    assert used or re.search(r"\bup\{", expr), f"no Chancery metric in {expr}"
    labels = {"job", "instance"}
    for name, selector in used:
        assert name in samples, f"{name} is not in shared/chancery/metrics.py"
        labels |= samples[name]
        for label in MATCHER.findall(selector):
            assert label in samples[name] | {"job", "instance"}, f"{name} has no label {label}"
    for grouping in BY.findall(expr):
        for label in filter(None, (part.strip() for part in grouping.split(","))):
            assert label in labels | {"service"}, f"no label {label} to group by in {expr}"


def test_the_alerts_an_operator_needs_are_there():
    rules = {rule["alert"]: rule for rule in alert_rules()}
    assert set(rules) == {
        "ChanceryServiceDown",
        "ChanceryDeadLetters",
        "ChanceryOutboxLag",
        "ChanceryHttpErrors",
        "ChanceryHandlerFailures",
        "ChanceryRedeliverySpike",
        "ChanceryWorkerNotConsuming",
    }
    assert rules["ChanceryDeadLetters"]["for"] == "5m"
    assert "> 0" in rules["ChanceryDeadLetters"]["expr"]
    assert "> 60" in rules["ChanceryOutboxLag"]["expr"]
    runbook = (OBSERVABILITY.parents[1] / "docs" / "runbook.md").read_text(encoding="utf-8")
    anchors = {
        re.sub(r"[^a-z0-9 -]", "", line.lstrip("# ").lower()).replace(" ", "-")
        for line in runbook.splitlines()
        if line.startswith("## ")
    }
    for name, rule in rules.items():
        assert rule["labels"]["severity"] in ("warning", "critical")
        anchor = rule["annotations"]["runbook"].split("#")[1]
        assert anchor in anchors, f"{name} points to a runbook section that does not exist"


def test_prometheus_scrapes_every_services_web_and_loads_the_alerts():
    config = yaml.safe_load((OBSERVABILITY / "prometheus.yml").read_text(encoding="utf-8"))
    assert all((OBSERVABILITY / path).exists() for path in config["rule_files"])
    [job] = config["scrape_configs"]
    scraped = {
        entry["labels"]["service"]: int(entry["targets"][0].rsplit(":", 1)[1])
        for entry in job["static_configs"]
    }
    assert scraped == {d.name: d.port for d in installed_services()}
