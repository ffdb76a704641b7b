"""Finding types declared once: a :class:`FindingSpec` per type, its message templates, and their rendering.

Each analysis declares the spec(s) of the finding types it emits (``Analysis.specs``): the type id, an
English label, message templates keyed by *message code* (a title and a recommendation each), sentence
templates the messages nest, and the evidence fields. A finding carries ``message_code`` and
``message_params`` beside its evidence; its English ``title`` and ``recommendation`` are rendered from
the spec here, and a report renders another language from its catalogue (contexts ``finding-title``,
``finding-recommendation`` and ``finding-sentence``, msgid = the code), falling back to the English
template for a code the catalogue lacks (e.g. a plugin's).

Parameter values are plain JSON data, rendered per language:

* text or a number: as it is (tool, step and flow names are names in every language);
* a list: its items joined with the language's list separator;
* ``{"code": c, "params": {...}}``: a nested sentence (a ``sentences`` template of the spec, or a
  :data:`COMMON_SENTENCES` one);
* ``{"sentences": [...]}``: nested sentences one after the other, each after the language's
  sentence space (English: one space; Japanese: none), empty when there are none;
* ``{"layers": [...]}``: layer ids (English: as they are; another language: its layer names);
* ``{"category": id, "title": english_title}``: a tool category;
* ``{"money": amount, "currency": code}``: a yearly amount.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from auditor.model import Finding, JSONValue
from auditor.money import format_money

#: The parameters of one finding message (see the module docstring for the value forms).
Params = Mapping[str, JSONValue]


def placeholders(template: str) -> set[str]:
    """The ``{name}`` placeholders of a template."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@dataclass(frozen=True)
class Message:
    """The English title and recommendation templates of one message code."""

    title: str
    recommendation: str

    @property
    def params(self) -> frozenset[str]:
        """The parameter names the two templates use."""
        return frozenset(placeholders(self.title) | placeholders(self.recommendation))


@dataclass(frozen=True)
class FindingSpec:
    """One finding type: id, English label, messages by code, nested sentences, evidence fields.

    ``messages`` maps each message code (``duplicate.category``) to its :class:`Message`; ``sentences``
    maps sentence codes to English templates that message parameters may nest; ``evidence`` names the
    evidence keys a finding of this type carries (documentation and tests; not enforced at run time).
    """

    type: str
    label: str
    messages: Mapping[str, Message] = field(default_factory=dict)
    sentences: Mapping[str, str] = field(default_factory=dict)
    evidence: tuple[str, ...] = ()

    def finding(self, code: str, params: Params, *, id: str, severity: str,  # noqa: A002 - the field's name
                evidence: Mapping[str, Any], tools: tuple[str, ...] = (), flow: str | None = None,
                steps: tuple[str, ...] = (), departments: tuple[str, ...] = ()) -> Finding:
        """A finding of this type with message ``code``: English title and recommendation rendered from ``params``.

        Raises ValueError for a code the spec does not declare or params other than the message's.
        """
        title, recommendation = self.english(code, params)
        return Finding(id=id, type=self.type, severity=severity, title=title, tools=tools, flow=flow, steps=steps,
                       departments=departments, evidence=evidence, recommendation=recommendation,
                       message_code=code, message_params=dict(params))

    def english(self, code: str, params: Params) -> tuple[str, str]:
        """(title, recommendation) of message ``code`` in English; ValueError for unknown code or wrong params."""
        message = self.messages.get(code)
        if message is None:
            raise ValueError(f"finding type '{self.type}' has no message '{code}'")
        if set(params) != message.params:
            raise ValueError(f"finding message '{code}' takes {', '.join(sorted(message.params)) or 'no parameters'}, "
                             f"not {', '.join(sorted(params)) or 'none'}")
        return (render(message.title, params, ENGLISH, self.sentence),
                render(message.recommendation, params, ENGLISH, self.sentence))

    def sentence(self, code: str) -> str | None:
        """The English template of a nested sentence: the spec's own, else a common one."""
        return self.sentences.get(code) or COMMON_SENTENCES.get(code)


class Wording(Protocol):
    """How one language writes parameter values and finds its templates (English: :data:`ENGLISH`)."""

    sentence_space: str

    def join(self, items: Iterable[str]) -> str:
        """Items joined with the language's list separator."""

    def layer(self, layer: str) -> str:
        """A layer id as the language names it."""

    def category(self, category: str, title: str) -> str:
        """A category id as the language names it (``title``: its English title)."""

    def money(self, value: float | None, currency: str | None) -> str:
        """A yearly amount."""

    def template(self, context: str, code: str, english: str, params: Params) -> str:
        """The language's template for ``code`` in ``context``; ``english`` when it has none, or when its
        template uses a parameter ``params`` lacks."""


class EnglishWording:
    """English: the spec's own templates; lists joined with ``, ``; layer ids as they are."""

    sentence_space = " "

    def join(self, items: Iterable[str]) -> str:
        """Items joined with ``, ``."""
        return ", ".join(items)

    def layer(self, layer: str) -> str:
        """The layer id itself (as the English texts have always said it)."""
        return layer

    def category(self, category: str, title: str) -> str:
        """The English title."""
        return title or category

    def money(self, value: float | None, currency: str | None) -> str:
        """A yearly amount with thousands separators and the currency."""
        return format_money(value, currency)

    def template(self, context: str, code: str, english: str, params: Params) -> str:
        """The English template itself."""
        return english


ENGLISH = EnglishWording()

#: Sentences several finding types nest (e.g. in ``{retire_notes}``).
COMMON_SENTENCES: Mapping[str, str] = {
    "retire_note": "{tool} is to be retired for {keep} (see its duplicate finding): move this to {keep} first.",
}


#: The English template of a nested sentence code (None: unknown), e.g. :meth:`FindingSpec.sentence`.
SentenceLookup = Callable[[str], "str | None"]


class _Values(dict[str, str]):
    """Parameters rendered on demand; a name the template uses but the params lack raises ValueError."""

    def __init__(self, params: Params, wording: Wording, sentences: SentenceLookup) -> None:
        super().__init__()
        self.params, self.wording, self.sentences = params, wording, sentences

    def __missing__(self, key: str) -> str:
        if key not in self.params:
            raise ValueError(f"no parameter '{key}' for the template")
        return value_text(self.params[key], self.wording, self.sentences)


def render(template: str, params: Params, wording: Wording, sentences: SentenceLookup) -> str:
    """``template`` filled with ``params`` written the ``wording`` way (ValueError for a missing parameter)."""
    return template.format_map(_Values(params, wording, sentences))


def value_text(value: JSONValue, wording: Wording, sentences: SentenceLookup) -> str:
    """One parameter value as text (the forms are listed in the module docstring)."""
    if isinstance(value, list | tuple):
        return wording.join(value_text(v, wording, sentences) for v in value)
    if not isinstance(value, Mapping):
        return "" if value is None else str(value)
    if "code" in value:
        code = str(value["code"])
        english = sentences(code)
        if english is None:
            raise ValueError(f"unknown sentence '{code}'")
        nested = value.get("params")
        params = nested if isinstance(nested, Mapping) else {}
        return render(wording.template("finding-sentence", code, english, params), params, wording, sentences)
    if "sentences" in value:
        items = value["sentences"]
        return "".join(wording.sentence_space + value_text(v, wording, sentences)
                       for v in (items if isinstance(items, list | tuple) else []))
    if "layers" in value:
        layers = value["layers"]
        return wording.join(wording.layer(str(v)) for v in (layers if isinstance(layers, list | tuple) else []))
    if "category" in value:
        return wording.category(str(value["category"]), str(value.get("title") or ""))
    if "money" in value:
        amount, currency = value["money"], value.get("currency")
        return wording.money(float(amount) if isinstance(amount, int | float) else None,
                             str(currency) if currency else None)
    raise ValueError(f"not a finding parameter value: {value!r}")


def english_text(value: JSONValue) -> str:
    """A parameter value in English with the common sentences (e.g. a :data:`COMMON_SENTENCES` note)."""
    return value_text(value, ENGLISH, COMMON_SENTENCES.get)


def sentences(codes: Iterable[tuple[str, Params]]) -> dict[str, JSONValue]:
    """``{"sentences": [...]}``: nested sentences (code, params) one after the other."""
    return {"sentences": [{"code": code, "params": dict(params)} for code, params in codes]}
