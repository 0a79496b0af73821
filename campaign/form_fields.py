"""Form fields shared by the public and console forms."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

#: The value of a "none of them in particular" option (all targets, the whole case); its data is None.
NONE_IN_PARTICULAR = "all"


class ChosenSelectField(SelectField):
    """A select that opens on an empty "Choose…" option and is refused with ``message`` when left at it.

    A value that decides a figure (country, action type, target, snapshot) must be chosen by the person,
    never be the first option of a list: a tally sent without a chosen country was once counted as
    Afghanistan. ``none_choice`` labels an explicit option whose data is None (all targets, the whole
    case). Choices set later (``field.choices = ...``) get the placeholder too.
    """

    def __init__(
        self,
        label=None,
        validators: Iterable = (),
        *,
        placeholder: str,
        message: str,
        none_choice: str | None = None,
        coerce: Callable = str,
        choices: Iterable | None = None,
        **kwargs,
    ):
        self.placeholder = placeholder
        self.none_choice = none_choice

        def chosen(value):
            if value is None or value == "":
                return ""
            if none_choice is not None and value == NONE_IN_PARTICULAR:
                return None
            return coerce(value)

        super().__init__(label, [InputRequired(message=message), *validators], coerce=chosen, default="", **kwargs)
        self.choices = list(choices or [])

    @SelectField.choices.setter
    def choices(self, value) -> None:
        offered = [] if value is None else [SelectChoice.from_input(choice) for choice in value]
        first = [SelectChoice("", self.placeholder)]
        if self.none_choice is not None:
            first.append(SelectChoice(NONE_IN_PARTICULAR, self.none_choice))
        reserved = {"", NONE_IN_PARTICULAR}
        SelectField.choices.fset(self, [*first, *(c for c in offered if str(c.value) not in reserved)])
