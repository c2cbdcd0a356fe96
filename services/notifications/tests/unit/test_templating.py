"""Templates: the shipped texts in every language, strict and sandboxed rendering, versions."""

from __future__ import annotations

import time
import uuid

import pytest

from chancery.errors import Forbidden, InvalidInput, NotFound
from chancery.principal import Principal
from chancery_testing import problem
from notifications.domain.templating import fallback_chain, render, shipped_kinds

SHIPPED = shipped_kinds()
LANGUAGES = ("lt", "lv", "ka", "sq", "en")
# Letters only the language itself uses among the shipped five.
OWN_LETTERS = {
    "lt": set("ąčęėįšųūž"),
    "lv": set("āēģīķļņ"),
    "ka": {chr(c) for c in range(0x10D0, 0x10FB)},
    "sq": set("ëç"),
}


def sample(variables: tuple[str, ...]) -> dict[str, str]:
    """A distinct, recognisable value per variable."""
    return {name: f"⟦{name}-{uuid.uuid4().hex[:4]}⟧" for name in variables}


def by_kind(kind: str):
    return next(shipped for shipped in SHIPPED if shipped.kind == kind)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("shipped", SHIPPED, ids=lambda shipped: shipped.kind)
def test_every_shipped_template_renders_in_every_language_with_its_variables(shipped, language):
    texts = shipped.languages[language]
    data = sample(shipped.variables)
    rendered = render(texts["subject"], texts["text"], texts["html"], data)
    for name, value in data.items():
        assert value in rendered.text, f"{shipped.kind}/{language} text lacks {name}"
        assert value in rendered.html, f"{shipped.kind}/{language} html lacks {name}"
    assert rendered.subject.strip() == rendered.subject != ""
    assert "\n" not in rendered.subject
    assert rendered.html.lstrip().startswith("<p>")
    assert "{{" not in rendered.text + rendered.html + rendered.subject
    if language in OWN_LETTERS and shipped.kind != "generic":
        written = rendered.subject + rendered.text
        assert OWN_LETTERS[language] & set(written), (
            f"{shipped.kind}/{language} is not in {language}"
        )


def test_the_shipped_kinds_are_loaded_into_the_database_at_version_one(system):
    stored = {(t.kind, t.language): t for t in system.templates.newest()}
    assert len(SHIPPED) == 32
    assert set(stored) == {(s.kind, language) for s in SHIPPED for language in LANGUAGES}
    assert {t.version for t in stored.values()} == {1}
    assert {t.created_by for t in stored.values()} == {"shipped"}
    registered = stored[("letter_registered", "ka")]
    assert registered.legal is True
    assert registered.audience == "citizen"
    assert registered.subject == by_kind("letter_registered").languages["ka"]["subject"]
    assert stored[("generic", "lv")].legal is False


def test_a_missing_variable_is_invalid_input_naming_it():
    texts = by_kind("letter_registered").languages["lt"]
    data = sample(by_kind("letter_registered").variables)
    del data["status_lookup_code"]
    with pytest.raises(InvalidInput) as caught:
        render(texts["subject"], texts["text"], texts["html"], data)
    assert caught.value.field == "data"
    assert "status_lookup_code" in caught.value.reason
    assert "status_lookup_code" in caught.value.detail


def test_html_is_autoescaped_and_plain_text_is_not():
    texts = by_kind("generic").languages["lv"]
    title = 'Paziņojums <script>alert("Ķekava")</script> & co'
    rendered = render(
        texts["subject"],
        texts["text"],
        texts["html"],
        {"title": title, "message": "<b>Rīga</b>", "municipality_name": "Daugavpils"},
    )
    assert "<script>" not in rendered.html
    assert "&lt;script&gt;alert(&#34;Ķekava&#34;)&lt;/script&gt; &amp; co" in rendered.html
    assert "&lt;b&gt;Rīga&lt;/b&gt;" in rendered.html
    assert title in rendered.text
    assert "<b>Rīga</b>" in rendered.text
    assert rendered.subject == title


@pytest.mark.parametrize(
    "template",
    [
        "{{ x.__class__.__mro__ }}",
        "{{ x.__class__.__mro__[1].__subclasses__() }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ lipsum.__globals__['os'] }}",
        "{{ x.__init__.__globals__ }}",
        "{% for c in x.__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    ],
)
def test_the_sandbox_refuses_python_internals(template):
    with pytest.raises(InvalidInput) as caught:
        render(template, template, template, {"x": "Žalgirio gatvė"})
    assert "unsafe" in caught.value.reason


@pytest.mark.parametrize(
    ("template", "field"),
    [
        ("{{ 1 / 0 }}", "subject"),
        ("{{ range(10 ** 9) | list }}", "subject"),
        ("{{ title + 1 }}", "subject"),
        ("{{ title", "subject"),
    ],
)
def test_a_template_that_fails_is_invalid_input_never_a_crash(system, template, field):
    before = system.counts()["templates"]
    with pytest.raises(InvalidInput) as caught:
        system.templates.new_version(
            "generic", "lt", template, "{{ message }}", "<p>{{ message }}</p>", system.operator
        )
    assert caught.value.field == field
    assert system.counts()["templates"] == before


@pytest.mark.parametrize(
    ("languages", "chain"),
    [
        (("ka", "lt"), ["ka", "lt", "en"]),
        (("lv", "lv", "lt"), ["lv", "lt", "en"]),
        ((None, "sq", None), ["sq", "en"]),
        (("en", "lt"), ["en", "lt"]),
        (("lt", "en", "lt"), ["lt", "en"]),
        ((), ["en"]),
    ],
)
def test_the_fallback_chain_keeps_order_without_repeats_and_ends_in_english(languages, chain):
    assert fallback_chain(*languages) == chain


def test_a_new_version_is_checked_and_numbered_per_kind_and_language(system):
    templates = system.templates
    first = templates.new_version(
        "generic",
        "lv",
        "Paziņojums: {{ title }}",
        "{{ title }}\n\n{{ message }}\n\nAr cieņu\n{{ municipality_name }}",
        "<p>{{ title }}</p><p>{{ message }}</p>",
        system.operator,
    )
    second = templates.new_version(
        "generic",
        "lv",
        "Svarīgi: {{ title }}",
        "{{ message }}",
        "<p>{{ message }}</p>",
        system.operator,
    )
    assert (first.version, second.version) == (2, 3)
    assert second.created_by == system.operator.subject
    assert second.legal is False
    assert second.variables == ["municipality_name", "title", "message"]
    newest = {(t.kind, t.language): t for t in templates.newest("generic")}
    assert newest[("generic", "lv")].version == 3
    assert newest[("generic", "lv")].subject == "Svarīgi: {{ title }}"
    assert newest[("generic", "lt")].version == 1, "other languages keep their version"
    german = templates.new_version(
        "generic", "de", "{{ title }}", "{{ message }}", "<p>{{ message }}</p>", system.operator
    )
    assert german.version == 1, "a language new to the kind starts at 1"


def test_a_new_version_refuses_unknown_variables_kinds_languages_and_callers(system):
    templates = system.templates
    before = system.counts()["templates"]
    with pytest.raises(InvalidInput) as caught:
        templates.new_version(
            "letter_registered",
            "lt",
            "Nr. {{ registration_number }}",
            "Gerb. {{ vardas_pavarde }}",
            "<p>{{ subject }}</p>",
            system.operator,
        )
    assert caught.value.field == "text"
    assert "vardas_pavarde" in caught.value.reason
    with pytest.raises(NotFound):
        templates.new_version("parking_fine", "lt", "x", "x", "x", system.operator)
    with pytest.raises(InvalidInput) as caught:
        templates.new_version(
            "generic",
            "lietuviu",
            "{{ title }}",
            "{{ message }}",
            "<p>{{ message }}</p>",
            system.operator,
        )
    assert caught.value.field == "language"
    clerk = Principal(subject="darbuotoja-1", roles=frozenset({"department_staff"}))
    with pytest.raises(Forbidden):
        templates.new_version(
            "generic", "lt", "{{ title }}", "{{ message }}", "<p>{{ message }}</p>", clerk
        )
    assert system.counts()["templates"] == before


def test_deliveries_use_the_newest_version(system):
    system.templates.new_version(
        "generic",
        "lt",
        "Pranešimas: {{ title }}",
        "{{ message }}\n{{ municipality_name }}",
        "<p>{{ message }}</p>",
        system.operator,
    )
    [delivery] = system.requests.request(
        uuid.uuid4().hex,
        "dokumentu-sistema",
        {"email": "rimas.jonaitis@example.org"},
        None,
        "generic",
        "lt",
        {"title": "Vandens tiekimo sutrikimas", "message": "Rytoj 9–12 val."},
    )
    assert delivery.template_version == 2
    assert delivery.subject == "Pranešimas: Vandens tiekimo sutrikimas"
    assert delivery.text == "Rytoj 9–12 val.\nAlytaus miesto savivaldybė"


def test_preview_renders_and_names_missing_data(system):
    variables = by_kind("letter_registered").variables
    data = {name: f"{name}-x" for name in variables} | {
        "registration_number": "P-2026-00417",
        "status_lookup_code": "Q7RM2X9PTK",
    }
    rendered = system.templates.preview("letter_registered", "sq", data)
    assert rendered.subject == "Letra Juaj u protokollua me nr. P-2026-00417"
    assert "Kodi i verifikimit: Q7RM2X9PTK" in rendered.text
    assert "<strong>Kodi i verifikimit:</strong> Q7RM2X9PTK" in rendered.html
    partial = {k: v for k, v in data.items() if k not in ("status_url", "received_on")}
    with pytest.raises(InvalidInput) as caught:
        system.templates.preview("letter_registered", "ka", partial)
    assert caught.value.field == "data"
    assert "status_url" in caught.value.reason
    assert "received_on" in caught.value.reason
    with pytest.raises(NotFound):
        system.templates.preview("letter_registered", "fi", data)


# Bounds: size, output and time ---------------------------------------------------------

EXHAUSTING = [
    '{{ "x" * 1000000000 }}',
    "{{ 9 ** 999999999 }}",
    '{{ "%0999999999d" % 1 }}',
    '{{ "{:>999999999}".format(title) }}',
    "{{ title | center(999999999) }}",
    "{{ title | indent(999999999) }}",
    "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
    "{% for a in range(100000) %}{{ title }}{{ title }}{% endfor %}",
    "{{ range(100000) | join(title) }}",
]


@pytest.mark.parametrize("template", EXHAUSTING)
def test_a_template_that_would_exhaust_the_server_is_refused_quickly(template):
    # The server's CPU is what such a template would exhaust; the wall clock varies with
    # whatever else the machine runs.
    started = time.thread_time()
    with pytest.raises(InvalidInput) as caught:
        render(
            template,
            "{{ message }}",
            "<p>{{ message }}</p>",
            {"title": "Vandens tiekimo sutrikimas", "message": "Rytoj"},
            fields=("subject", "text", "html"),
        )
    assert caught.value.field == "subject"
    assert time.thread_time() - started < 3


def test_large_numbers_in_the_data_are_no_reason_to_refuse():
    rendered = render(
        "{{ amount | round | int }} €",
        "{{ '%d' % amount }} {{ amount * 3 }}",
        "<p>{{ '{:,}'.format(amount) }}</p>",
        {"amount": 250_000},
    )
    assert (rendered.subject, rendered.text, rendered.html) == (
        "250000 €",
        "250000 750000",
        "<p>250,000</p>",
    )


@pytest.mark.parametrize("template", EXHAUSTING)
def test_saving_or_previewing_an_exhausting_template_is_a_422_naming_the_part(system, template):
    headers = system.headers("operator")
    before = system.counts()
    saved = system.client.post(
        "/templates/generic/lt",
        headers=headers,
        json={"subject": "{{ title }}", "text": template, "html": "<p>{{ message }}</p>"},
    )
    problem(saved, 422, ["text"])
    assert system.counts() == before
    # A template that passes with its placeholders can still blow up with real data.
    stored = system.client.post(
        "/templates/generic/lv",
        headers=headers,
        json={"subject": "{{ title }}", "text": "{{ message * 5000 }}", "html": "<p>x</p>"},
    )
    assert stored.status_code == 201, stored.get_data(as_text=True)
    preview = system.client.post(
        "/templates/generic/preview",
        headers=headers,
        json={
            "language": "lv",
            "data": {
                "title": "Ūdens",
                "message": "Ūdens padeve pārtraukta",
                "municipality_name": "Daugavpils",
            },
        },
    )
    assert preview.status_code == 422, preview.get_data(as_text=True)
    [error] = preview.get_json()["errors"]
    assert error["field"] == "data"
    assert "100000 characters" in error["reason"]


def test_a_template_longer_than_its_limit_is_refused_in_the_core_too(system):
    with pytest.raises(InvalidInput) as caught:
        system.templates.new_version(
            "generic", "lt", "{{ title }}", "ą" * 20_001, "<p>{{ message }}</p>", system.operator
        )
    assert caught.value.field == "text"
    assert "20000" in caught.value.reason


def test_an_event_whose_template_fails_with_real_data_fails_that_delivery_only(system, events):
    # Passes its check with the placeholders, fails with a real subject (over the output bound).
    system.templates.new_version(
        "letter_routed",
        "lt",
        "{{ registration_number }}",
        "{{ subject * 5000 }}",
        "<p>{{ subject }}</p>",
        system.operator,
    )
    lithuanian = system.add_staff("Rasa Kazlauskienė", "lt", "COMM", ["department_staff"])
    latvian = system.add_staff("Ilze Ozoliņa", "lv", "COMM", ["department_staff"])
    letter = events.registered(events.citizen("lt"))
    message_id, decision = system.handle("letter.routed", events.routed(letter), producer="routing")
    assert decision.outcome.value == "handled", decision.reason
    told = {d.recipient: d for d in system.caused_by(message_id)}
    assert told[lithuanian].status == "permanent_failure"
    assert told[lithuanian].last_error.startswith("the template cannot be filled in: ")
    assert "100000 characters" in told[lithuanian].last_error
    assert told[latvian].status == "delivered"
    assert [item.title for item in system.feed.items(lithuanian, False)] == []
    assert len(system.feed.items(latvian, False)) == 1
