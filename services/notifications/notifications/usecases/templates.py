"""Templates: the shipped texts loaded once, new versions by operators, a preview."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select

from chancery.clock import utcnow
from chancery.db import Transactions
from chancery.errors import InvalidInput, NotFound
from chancery.principal import Principal
from chancery.vocabulary import LANGUAGE_PATTERN
from notifications.adapters.models import Template
from notifications.domain.templating import Rendered, check_template, render, shipped_kinds
from notifications.permissions import OPERATORS
from notifications.usecases import KEPT_BY_OPERATORS, require_role


class Templates(Transactions):
    """Each notification kind's texts per language, versioned; the operators' to change."""

    def load_shipped(self) -> int:
        """Add each shipped kind and language that has no version yet; return how many."""
        added = 0
        with self.transaction() as uow:
            present = set(uow.session.execute(select(Template.kind, Template.language)).all())
            for shipped in shipped_kinds():
                for language, texts in shipped.languages.items():
                    if (shipped.kind, language) in present:
                        continue
                    check_template(
                        texts["subject"], texts["text"], texts["html"], shipped.variables
                    )
                    uow.session.add(
                        Template(
                            kind=shipped.kind,
                            language=language,
                            version=1,
                            audience=shipped.audience,
                            legal=shipped.legal,
                            variables=list(shipped.variables),
                            subject=texts["subject"],
                            text=texts["text"],
                            html=texts["html"],
                            created_at=utcnow(),
                            created_by="shipped",
                        )
                    )
                    added += 1
        return added

    def newest(self, kind: str | None = None) -> list[Template]:
        """The newest version of every template (of one kind)."""
        with self.reading() as uow:
            newest = (
                select(
                    Template.kind, Template.language, func.max(Template.version).label("version")
                )
                .group_by(Template.kind, Template.language)
                .subquery()
            )
            query = select(Template).join(
                newest,
                (Template.kind == newest.c.kind)
                & (Template.language == newest.c.language)
                & (Template.version == newest.c.version),
            )
            if kind:
                query = query.where(Template.kind == kind)
            return list(uow.session.scalars(query.order_by(Template.kind, Template.language)))

    def new_version(
        self, kind: str, language: str, subject: str, text: str, html: str, principal: Principal
    ) -> Template:
        """Store a new version of a kind's texts in a language (the old ones stay)."""
        require_role(principal, OPERATORS, KEPT_BY_OPERATORS)
        if not re.fullmatch(LANGUAGE_PATTERN, language):
            raise InvalidInput(
                f"{language!r} is not a language code.",
                field="language",
                reason="a two-letter ISO 639-1 code",
            )
        with self.transaction() as uow:
            current = uow.session.scalars(
                select(Template).where(Template.kind == kind).order_by(Template.version.desc())
            ).first()
            if current is None:
                raise NotFound(f"No notification kind {kind}.")
            check_template(subject, text, html, tuple(current.variables))
            version = (
                uow.session.scalar(
                    select(func.max(Template.version)).where(
                        Template.kind == kind, Template.language == language
                    )
                )
                or 0
            ) + 1
            template = Template(
                kind=kind,
                language=language,
                version=version,
                audience=current.audience,
                legal=current.legal,
                variables=current.variables,
                subject=subject,
                text=text,
                html=html,
                created_at=utcnow(),
                created_by=principal.subject,
            )
            uow.session.add(template)
            return template

    def preview(self, kind: str, language: str, data: dict[str, Any]) -> Rendered:
        """A kind's newest text in ``language`` filled in with ``data`` (nothing is sent)."""
        matching = [t for t in self.newest(kind) if t.language == language]
        if not matching:
            raise NotFound(f"No template {kind} in {language}.")
        template = matching[0]
        missing = [name for name in template.variables if name not in data]
        if missing:
            raise InvalidInput(
                f"Preview data lacks: {', '.join(missing)}.",
                field="data",
                reason=f"missing {', '.join(missing)}",
            )
        return render(template.subject, template.text, template.html, data)
