"""Name normalisation for entity resolution: one raw tool name → comparable tokens.

Handles what different sources do to a product name: full-width and half-width characters (NFKC),
case, punctuation, card-statement noise (``SALESFORCE.COM INC*SFDC``, ``SQ *``, ``PAYPAL *``,
reference codes, phone numbers), legal suffixes (Inc, KK, 株式会社 …), SSO-app decorations
(``(SSO)``, ``- Production``) and plan/edition words. Noise words are never removed from the name
itself: the matcher only ignores them when they are *left over* beside a recognised product.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache

#: Payment processors / marketplaces written before ``*`` on card statements; the merchant follows.
PROCESSORS = frozenset({"sq", "paypal", "pp", "tst", "sp", "fs", "paddle", "paddle.net", "2co", "2co.com",
                        "dnh", "gumroad", "ckopay", "fastspring", "in", "pym", "apple.com/bill"})

#: Legal-form and corporate words (Latin part; CJK forms are removed as substrings).
LEGAL_WORDS = frozenset({
    "inc", "incorporated", "llc", "ltd", "limited", "corp", "corporation", "co", "company", "gmbh", "kk",
    "plc", "ag", "sa", "bv", "pty", "srl", "sas", "oy", "ou", "ab", "nv", "se", "ulc", "lp", "llp",
    "holdings", "technologies", "technology", "software", "labs", "systems", "japan", "jp", "sl", "sarl", "spa",
    "bvba", "aps", "kg", "pte", "sdn", "bhd", "ireland", "australia", "singapore", "germany", "france",
    "netherlands", "canada", "india", "uk", "emea",
})
CJK_LEGAL = ("株式会社", "有限会社", "合同会社", "(株)", "(有)", "ジャパン")

#: Environments and SSO-app decorations: they name an instance of a product, never another product.
ENVIRONMENT_WORDS = frozenset({
    "sso", "saml", "saml2", "oidc", "oauth", "scim", "prod", "production", "sandbox", "staging", "stg", "uat",
    "dev", "test", "qa", "login", "signin", "tenant", "org", "admin", "new", "old", "main", "primary",
})
#: Plan and edition words: a plan of a product is still that product.
PLAN_WORDS = frozenset({
    "edition", "plus", "pro", "premium", "standard", "basic", "starter", "essentials", "business", "enterprise",
    "professional", "team", "unlimited", "growth", "scale", "free", "trial", "lite", "light", "advanced",
    "ultimate", "max", "version",
})
#: Places that card statements append after the merchant.
PLACE_WORDS = frozenset({
    "us", "usa", "ca", "ny", "wa", "tx", "ma", "uk", "gb", "ie", "irl", "nl", "de", "sg", "au", "emea", "apac",
    "tokyo", "dublin", "sydney", "amsterdam", "singapore", "london", "sf", "san", "francisco", "internet",
})
#: Words that say nothing about *which* product: environments, SSO decorations, plans, billing, places.
NOISE_WORDS = frozenset({
    *ENVIRONMENT_WORDS, *PLAN_WORDS, *PLACE_WORDS,
    # billing
    "subscription", "subscr", "subs", "sub", "monthly", "annual", "annually", "yearly", "renewal", "license",
    "licenses", "licence", "plan", "invoice", "payment", "billing", "charge", "usage", "seat", "seats",
    "recurring", "fee", "fees", "purchase", "online", "saas",
    # web addresses
    "com", "www", "https", "http", "net", "io", "so", "app", "ai",
    # glue words
    "for", "by", "the", "and", "of", "with", "via", "on", "at", "to",
    # legal words count as noise too
    *LEGAL_WORDS,
})
#: The only words a name that matches no catalog product may lose before it is compared with another
#: such name: they never tell two products apart (numbers, codes, letters, places, billing words do).
PLAIN_DROPPABLE = ENVIRONMENT_WORDS | PLAN_WORDS | LEGAL_WORDS
_CJK_NOISE = re.compile(
    r"^(?:スタンダード|プレミアム|ビジネス|エンタープライズ|ライト|ミニマム|ベーシック|プロフェッショナル|プロ|"
    r"本番|検証|テスト|月額|年額|年間|東京|クラウド)*(?:プラン|コース|環境|利用料|契約|ライセンス|版|ログイン)?$")

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u30fc\u3005]")
_DOMAIN = re.compile(r"(?<![\w.])(?:https?://)?((?:[a-z0-9-]+\.)+[a-z]{2,})(?:/[^\s]*)?", re.IGNORECASE)
_PHONE = re.compile(r"\+?\d{1,4}[-\s.]\(?\d{2,4}\)?[-\s.]\d{3,4}(?:[-\s.]?\d{3,4})?(?!\w)")
_LETTERS_THEN_DIGITS = re.compile(r"\b([a-z]{2,})(\d{8,})\b")
#: ``OKTA-1019746``, ``App-204``: a number tied to a word by a hyphen names an instance; kept as one token.
_WORD_DASH_NUMBER = re.compile(r"(?<![\w.])([a-z]{2,})-(\d{3,})(?![\w.-])")
_SPLIT = re.compile(r"[^\w\u3005\u30fc]+", re.UNICODE)
_SCRIPT_BOUNDARY = re.compile(
    r"(?<=[\u3040-\u30ff\u3400-\u9fff\u30fc])(?=[a-z0-9])|(?<=[a-z0-9])(?=[\u3040-\u30ff\u3400-\u9fff])")
#: Reference codes on card statements: all digits, hex with a digit (``FD3DCA``), or two digits or more.
_CODE = re.compile(r"^\d+$|^(?=[a-f]*\d)[0-9a-f]{5,}$|^(?=(?:[a-z]*\d){2})[a-z0-9]{5,}$")
_PARENS = re.compile(r"[(\[【「](.*?)[)\]】」]")
#: Version words: ``v1``, ``v40``, ``4.x`` (the ``x`` is a letter of its own, already noise).
_VERSION = re.compile(r"^v\d{1,3}$")


def is_cjk(char: str) -> bool:
    """True for kana and CJK ideographs (Japanese text without word spaces)."""
    return bool(_CJK.match(char))


def fold(text: str) -> str:
    """NFKC (full-width → ASCII, half-width kana → full-width), case-folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def simple_key(text: str) -> str:
    """The exact-lookup key: folded, punctuation and spaces removed (``"Salesforce.com"`` → ``salesforcecom``)."""
    return "".join(_SPLIT.split(fold(text))).replace("_", "")


@dataclass(frozen=True)
class Normalized:
    """A name ready for matching: tokens (noise kept), and domains found in it."""

    raw: str
    tokens: tuple[str, ...]
    domains: tuple[str, ...] = ()
    domain_tokens: frozenset[str] = frozenset()

    @cached_property
    def key(self) -> str:
        """All tokens joined without spaces."""
        return "".join(self.tokens)

    @cached_property
    def clean_tokens(self) -> tuple[str, ...]:
        """Tokens without noise words (all tokens if everything is noise).

        A place word before the first word that is not noise stays: ``Us Census`` is not ``Census``
        (card statements put places after the merchant, not before).
        """
        first = next((i for i, t in enumerate(self.tokens) if not is_noise(t)), len(self.tokens))
        kept = tuple(t for i, t in enumerate(self.tokens)
                     if not is_noise(t) or (i < first and t in PLACE_WORDS))
        return kept or self.tokens

    @cached_property
    def clean_key(self) -> str:
        """:attr:`clean_tokens` joined without spaces."""
        return "".join(self.clean_tokens)

    @cached_property
    def plain_key(self) -> str:
        """The key under which names that match no catalog product are compared (precision first).

        Only environment, plan and legal-form words are dropped; numbers, codes, single letters, places
        and every other word stay (``My App10`` ≠ ``My App11``, ``Zoho Billing`` ≠ ``Zoho Invoice``,
        ``A Sample Client`` ≠ ``Sample Client``).
        """
        kept = [t for t in self.tokens if t not in PLAIN_DROPPABLE and not _cjk_plan_word(t)]
        return "".join(kept or self.tokens)


def is_noise(token: str) -> bool:
    """True if ``token`` names no product: a noise word, a reference code, one letter, CJK plan words."""
    if token in NOISE_WORDS or _CODE.match(token) or _VERSION.match(token):
        return True
    return (len(token) == 1 and not is_cjk(token)) or _cjk_plan_word(token)


def _cjk_plan_word(token: str) -> bool:
    """True for Japanese plan, environment and billing words (``スタンダードプラン``, ``本番環境``)."""
    return bool(is_cjk(token[0]) and _CJK_NOISE.match(token))


def _strip_processor(text: str) -> str:
    """``PAYPAL *ZOOMVIDEOCO`` → ``ZOOMVIDEOCO``; ``ADOBE *CREATIVE CLD`` → ``ADOBE CREATIVE CLD``."""
    while "*" in text:
        left, _, right = text.partition("*")
        if left.strip() in PROCESSORS or not left.strip():
            text = right  # "SQ *PAYPAL *ZOOMVIDEOCO": every processor in front goes
            continue
        return f"{left} {right}".replace("*", " ")
    return text


def _tokens(text: str) -> list[str]:
    text = _SCRIPT_BOUNDARY.sub(" ", text)
    tokens: list[str] = []
    for token in _SPLIT.split(text):
        token = token.strip("_")
        if not token:
            continue
        tokens.extend(t for t in token.split("_") if t)
    merged: list[str] = []
    for token in tokens:  # Japanese words separated by a space or a middle dot belong together
        if merged and is_cjk(token[0]) and is_cjk(merged[-1][-1]):
            merged[-1] += token
        else:
            merged.append(token)
    return merged


@lru_cache(maxsize=65536)
def normalize(name: str) -> Normalized:
    """Normalise one raw name (cached: sources repeat names a lot)."""
    text = fold(name)
    text = _strip_processor(text).replace("_", " ")
    for form in CJK_LEGAL:
        text = text.replace(form, " ")
    domains = tuple(m.group(1).casefold().removeprefix("www.") for m in _DOMAIN.finditer(text))
    text = _DOMAIN.sub(lambda m: " " + m.group(1).replace(".", " ") + " ", text)
    text = _PHONE.sub(" ", text)
    text = _LETTERS_THEN_DIGITS.sub(r"\1 \2", text)
    text = _WORD_DASH_NUMBER.sub(r"\1\2", text)
    text = _PARENS.sub(r" \1 ", text)
    domain_tokens = frozenset(t for d in domains for t in _tokens(d.replace(".", " ")))
    return Normalized(name, tuple(_tokens(text)), domains, domain_tokens)
