"""One audit shape for configuration: django-simple-history rows that say who changed what, why.

A configured model (a procedure, its steps and papers, a unit, a role, a focal point, office
hours, a notice template) declares ``history = ConfigHistory(verbose_name=...)``: every save and
delete then writes a historical row with the fields, the time, ``history_user`` and
``history_change_reason``. A service names the actor and the reason before it saves
(:func:`stamp`); an admin page that saves a model itself is attributed to ``request.user`` by
``simple_history.middleware.HistoryRequestMiddleware``. The admin shows the rows and their diffs
on the object's "Lịch sử" page (``motcua.core.admin.HistoryAdmin``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from simple_history.models import HistoricalRecords


class ConfigHistory(HistoricalRecords):
    """``HistoricalRecords`` with Vietnamese names, and a way for a service to write ONE row for a
    change that spans a row and its many-to-many fields (:func:`save_with_history`)."""

    def __init__(
        self, *, verbose_name: Promise | str, m2m_verbose_name: Promise | str = "", **kwargs: Any
    ) -> None:
        kwargs.setdefault("app", "history")  # every history table in one app (motcua.history)
        super().__init__(verbose_name=verbose_name, verbose_name_plural=verbose_name, **kwargs)
        self.m2m_verbose_name = m2m_verbose_name

    def contribute_to_class(self, cls: type[models.Model], name: str) -> None:
        super().contribute_to_class(cls, name)
        cls._config_history = self  # type: ignore[attr-defined]

    def get_meta_options_m2m(self, through_model: type[models.Model]) -> dict[str, Any]:
        options: dict[str, Any] = super().get_meta_options_m2m(through_model)
        if self.m2m_verbose_name:
            options["verbose_name"] = self.m2m_verbose_name
            options["verbose_name_plural"] = self.m2m_verbose_name
        return options


def reason(message: Promise | str, **params: object) -> str:
    """A change reason in the site's language (Vietnamese), whatever language the actor reads:
    the history is a record, not a page."""
    with translation.override(settings.LANGUAGE_CODE):
        text = str(message)
        return text % {k: str(v) for k, v in params.items()} if params else text


def stamp(obj: models.Model, *, actor: Any, reason: str) -> models.Model:
    """Name who (None: the system) and why for the history rows the next save or delete of
    ``obj`` writes (also read by simple_history.utils' bulk helpers)."""
    obj._history_user = actor  # type: ignore[attr-defined]
    obj._change_reason = reason  # type: ignore[attr-defined]
    return obj


def save_with_history(obj: models.Model, *, set_related: Any = None) -> None:
    """Save ``obj``, let ``set_related(obj)`` set its many-to-many fields, and write a single
    history row ("+" for a new row, "~" otherwise) holding both, stamped as :func:`stamp` said."""
    model = type(obj)
    created = obj.pk is None
    obj.skip_history_when_saving = True  # type: ignore[attr-defined]
    try:
        obj.save()
        if set_related is not None:
            set_related(obj)
    finally:
        del obj.skip_history_when_saving  # type: ignore[attr-defined]
    model._config_history.create_historical_record(  # type: ignore[attr-defined]
        obj, "+" if created else "~"
    )
