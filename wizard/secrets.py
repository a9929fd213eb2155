"""Secrets: the one judge of what is a secret, for everything that writes or prints.

Client secrets, passwords, tokens, storage keys, connection strings and SAS signatures must never
reach a preset, an export, the sandbox's state, a journal, a report, a log or the terminal. Every
writer and printer asks this module, so a value refused by one is refused by all:

* `secret_reason(key, value)`: why the value held under `key` is a secret, or None;
* `scrub(data)`: nested data (a preset, an import, a state file, a journal record) without its
  secrets, and one `Dropped` per value left out, naming where it was and why, never the value;
* `Dropped.note(action)`: the sentence a user sees, with where such a secret belongs instead;
* `redact(text)`: free text (a message, a log line) with every secret-shaped value hidden;
* `shown(key, value)`: a value as an error message may quote it.

Two tests, either is enough:
1. *The key says so*: its words (GITHUB_TOKEN, GH_PAT, OPENAI_API_KEY, AZURE_CLIENT_SECRET, DB_PWD,
   apiKey, personalAccessToken, STORAGE_CONNECTION_STRING, ...) name a secret, and the value is
   not empty, a placeholder (`<todo>`), a flag, or a reference to where the secret is kept
   (`$(var)`, `${{ secrets.X }}`, `@Microsoft.KeyVault(...)`, a Key Vault secret URI).
2. *The value says so*, whatever the key: a GitHub or Azure DevOps token, a JWT, a PEM private
   key, an Azure client secret, an `AccountKey=`/`Password=` connection string, a SAS `sig=`,
   a password in a URL, a base64 account key, an OpenAI or AWS key.

Some AI Factory variables hold the *name* of a secret in the seeding Key Vault:
INPUT_COMMON_SP_SECRET_KEY="esml-common-sp-secret", COMMON_SERVICE_PRINCIPAL_KV_S_NAME_SECRET, or
any key with NAME among its words beside a secret word or KV. A name passes; a value that cannot be a name (characters a
name never has, or a long random-looking run) is taken for the secret itself, typed in the
wrong place. Keys that describe a secret (…_SECRET_FILE, …_TOKEN_URL, …_PASSWORD_LENGTH) are
judged by their value alone.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar, cast

from wizard.placeholders import PLACEHOLDER

Kind = Literal["github", "ado", "name", "other"]
"""Where a dropped secret belongs: decides the advice a user gets."""

_ADVICE: dict[Kind, str] = {
    "github": "A GitHub token belongs to the GitHub CLI's sign-in (gh auth login) or in a GitHub secret "
              "(gh secret set NAME), never in a configuration file.",
    "ado": "An Azure DevOps token belongs in an Azure DevOps secret variable (or az devops login), never in a "
           "configuration file.",
    "name": "This variable holds the NAME of a secret in the seeding Key Vault (such as esml-common-sp-secret): "
            "store the secret itself in that Key Vault and write only its name here.",
    "other": "Keep it in the seeding Key Vault, where the AI Factory's pipelines read their secrets, or as a "
             "GitHub secret / Azure DevOps secret variable.",
}

# ------------------------------------------------------------------------------ by the key's name

_SECRET_WORDS = frozenset({
    "PWD", "PASSPHRASE", "PAT", "CREDENTIAL", "CREDENTIALS", "CREDS", "SAS", "CONNSTR", "CONNECTIONSTRING",
})
"""A word that makes a key secret: GH_PAT, DB_PWD, AZURE_CREDENTIALS. Besides these, any word that
contains PASSWORD, PASSWD or SECRET (adminpassword, CLIENT_SECRET) or ends in TOKEN (GITHUB_TOKEN,
accesstoken; not MAX_TOKENS, a count)."""
_KEY_QUALIFIERS = frozenset({
    "API", "ACCESS", "ACCOUNT", "STORAGE", "SHARED", "PRIMARY", "SECONDARY", "MASTER", "PRIVATE",
    "SIGNING", "SUBSCRIPTION", "ENCRYPTION", "AUTH",
})
"""Words before KEY that make it a secret: OPENAI_API_KEY, apiKey, STORAGE_ACCOUNT_KEY, primaryKey, APIKEY."""
_DESCRIPTIVE_LAST = frozenset({
    "FILE", "PATH", "URI", "URL", "ID", "TYPE", "KIND", "ENABLED", "EXPIRY", "EXPIRES", "DAYS", "LENGTH",
    "COUNT", "VERSION", "HEADER",
})
"""A key ending in one of these describes a secret (AZURE_FEDERATED_TOKEN_FILE) rather than holding it."""
_NAME_HOLDERS = frozenset({"INPUTCOMMONSPSECRETKEY", "INPUTCOMMONSPIDKEY", "COMMONSERVICEPRINCIPLEOIDKEY"})
"""The AI Factory's variables that hold a Key Vault secret's name without saying NAME, by their
words run together, so every spelling matches (INPUT_COMMON_SP_SECRET_KEY, the workflows'
INPUT_COMMON_SPSECRET_KEY, inputCommonSPSecretKey)."""
_NAME_CHARS = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")
"""What a secret's name is made of (Key Vault allows letters, digits and '-'; other stores '_./')."""
_REFERENCE = re.compile(
    r"\$\(\s*[\w.]+\s*\)"                      # Azure DevOps macro: $(clientSecret)
    r"|\$\{\{[^{}]*\}\}"                       # GitHub / ADO expression: ${{ secrets.X }}
    r"|@Microsoft\.KeyVault\([^()]*\)"         # App Service Key Vault reference
    r"|https://[a-z0-9-]+\.vault\.azure\.net/secrets/[A-Za-z0-9-]+(/[0-9a-f]{32})?/?",
)
"""A value that points at where a secret is kept, which is exactly where it belongs."""
_FLAGS = frozenset({"true", "false", "True", "False", "TRUE", "FALSE"})
_GENERIC_LEAVES = frozenset({"value", "defaultvalue"})
"""ARM's `{"adminPassword": {"value": ...}}`: such a leaf is judged by its parent's key."""


def words(key: str) -> tuple[str, ...]:
    """A key's words in upper case: `personalAccessToken` -> PERSONAL ACCESS TOKEN,
    `inputCommonSPSecretKey` -> INPUT COMMON SP SECRET KEY, `GH_PAT` -> GH PAT."""
    split = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", key)
    return tuple(word for word in re.split(r"[^A-Za-z0-9]+", split.upper()) if word)


KeyRole = Literal["secret", "name", "plain"]


def key_role(key: str) -> KeyRole:
    """"secret" when the key names a secret, "name" when it holds a secret's name, else "plain"."""
    parts = words(key)
    if "".join(parts) in _NAME_HOLDERS:
        return "name"
    if "NAME" in parts:
        return "name" if _names_a_secret(parts) or "KV" in parts else "plain"
    if not parts or parts[-1] in _DESCRIPTIVE_LAST:
        return "plain"
    return "secret" if _names_a_secret(parts) else "plain"


def _names_a_secret(parts: tuple[str, ...]) -> bool:
    previous = ""
    for raw in parts:
        part = raw.rstrip("0123456789")  # ADMIN_PASSWORD2, KEY1
        if (part in _SECRET_WORDS or part.endswith("TOKEN")
                or any(word in part for word in ("PASSWORD", "PASSWD", "SECRET"))):
            return True
        if part.endswith("KEY") and (part[:-3] in _KEY_QUALIFIERS or (part == "KEY" and previous in _KEY_QUALIFIERS)):
            return True
        previous = part
    return False


# ------------------------------------------------------------------------------ by the value's shape

_SHAPES: tuple[tuple[str, Kind, tuple[str, ...], re.Pattern[str]], ...] = (
    ("a GitHub token", "github", ("gh", "github_pat_"),
     re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})")),
    ("an Azure DevOps personal access token", "ado", (),
     re.compile(r"(?<![A-Za-z0-9])(?:[a-z2-7]{52}|[A-Za-z0-9]{76}AZDO[A-Za-z0-9]{4})(?![A-Za-z0-9])")),
    ("a JSON Web Token", "other", ("eyJ",),
     re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*")),
    ("a private key", "other", ("-----BEGIN ",),
     re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----"
                r"(?:.*?-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|.*)", re.S)),
    ("an Azure client secret", "other", ("Q~",),
     re.compile(r"(?<![A-Za-z0-9_.~-])[A-Za-z0-9_.~-]{3}\dQ~[A-Za-z0-9_.~-]{31,34}")),
    ("a connection string with a key or password", "other", ("=",),
     re.compile(r"(?i)(?:^|[;\s'\"])\s*(?:AccountKey|SharedAccessKey|SharedAccessSignature|Password|Pwd)"
                r"\s*=\s*[^;\s\"']+")),
    ("a SAS signature", "other", ("sig=",), re.compile(r"(?:^|[?&;\s])sig=[A-Za-z0-9%+/=_-]{8,}")),
    ("a password in a URL", "other", ("://",), re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]{0,30}://[^/\s:@]+:[^/\s@]+@")),
    ("an API key", "other", ("sk-", "AKIA", "ASIA"),
     re.compile(r"\b(?:sk-(?:proj-|svcacct-|ant-)?[A-Za-z0-9_-]{20,}|(?:AKIA|ASIA)[0-9A-Z]{16})\b")),
    ("an account key", "other", ("=",),
     re.compile(r"(?<![A-Za-z0-9+/])(?=[A-Za-z0-9+/]*[0-9])(?=[A-Za-z0-9+/]*[a-z])(?=[A-Za-z0-9+/]*[A-Z])"
                r"[A-Za-z0-9+/]{40,}={1,2}(?![A-Za-z0-9+/=])")),
)
"""What a secret looks like wherever it is: (what it is, where it belongs, text one of its matches
must contain, pattern). The text is a cheap first test: a megabyte value is scanned by only the
patterns whose text it holds."""


def _shapes_in(text: str) -> list[tuple[str, Kind, re.Pattern[str]]]:
    return [(what, kind, pattern) for what, kind, hints, pattern in _SHAPES
            if not hints or any(hint in text for hint in hints)]


REDACTED = "<secret hidden>"
"""What `redact` puts where a secret was (not an AI Factory placeholder: it has a space)."""


@dataclass(frozen=True, slots=True)
class Verdict:
    """Why a value is a secret."""

    reason: str
    """E.g. "its name says it holds a secret", "it looks like a GitHub token"."""
    kind: Kind


def _shape(value: str) -> Verdict | None:
    for what, kind, pattern in _shapes_in(value):
        if pattern.search(value):
            return Verdict(f"it looks like {what}", kind)
    return None


def _looks_random(text: str) -> bool:
    """A run of 16+ letters and digits that switches between lower case, upper case and digits
    as often as random text does: at least once in four characters. An upper-case letter
    followed by lower case starts a word and does not count, so `MyServicePrincipalSecret1`
    (four switches in 25) is a name, `hV7kP2xQ9mL4rT8wZ3nB6cF1` is not."""
    for chunk in re.split(r"[^A-Za-z0-9]+", text):
        if len(chunk) < 16:
            continue
        classes = ["d" if ch.isdigit() else "u" if ch.isupper() else "l" for ch in chunk]
        switches = sum(a != b and (a, b) != ("u", "l") for a, b in itertools.pairwise(classes))
        if switches * 4 >= len(chunk):
            return True
    return False


def _without_placeholders(text: str) -> str:
    return PLACEHOLDER.sub("", text).strip()


# ------------------------------------------------------------------------------ the judge


def judge(key: str, value: str) -> Verdict | None:
    """Why the text `value`, held under `key`, is a secret; None when it is not one."""
    shape = _shape(value)
    if shape is not None:
        return shape
    text = _without_placeholders(value)
    if not text or text in _FLAGS or _REFERENCE.fullmatch(text):
        return None
    role = key_role(key)
    if role == "name":
        if _NAME_CHARS.fullmatch(text) and not _looks_random(text):
            return None
        return Verdict("it should name a secret in the seeding Key Vault but holds what looks like the secret itself",
                       "name")
    if role == "secret":
        named = set(words(key))
        kind: Kind = ("github" if named & {"GITHUB", "GH"} else
                      "ado" if named & {"ADO", "AZDO", "DEVOPS", "VSTS"} else "other")
        return Verdict("its name says it holds a secret", kind)
    return None


def secret_reason(key: str, value: object) -> str | None:
    """Why `value` under `key` is a secret, or None (only text can be a secret)."""
    verdict = judge(key, value) if isinstance(value, str) else None
    return verdict.reason if verdict else None


def shown(key: str, value: object) -> str:
    """`value` as a message may quote it: its repr, or a word that it is a secret."""
    return "(a secret, not shown)" if secret_reason(key, value) else repr(value)


def redact(text: str) -> str:
    """`text` with every secret-shaped value replaced by REDACTED (for messages and log lines)."""
    for _, _, pattern in _shapes_in(text):
        text = pattern.sub(REDACTED, text)
    return text


@dataclass(frozen=True, slots=True)
class Dropped:
    """A secret left out: where it was and why, never the value."""

    where: str
    """The variable name, or a dotted path in nested data (`aifactory_extra.GH_PAT`)."""
    reason: str
    kind: Kind

    def note(self, action: str) -> str:
        """The sentence for the user, e.g. `note("not saved")`."""
        return f"{self.where}: {self.reason}, so its value was {action}. {_ADVICE[self.kind]}"


Data = TypeVar("Data")
_DROP = object()
"""Marks a value `_scrub` leaves out."""


def scrub(data: Data, where: str = "") -> tuple[Data, list[Dropped]]:
    """`data` (mappings, lists, scalars) without any secret, and what was left out.

    A mapping loses the keys whose values are secrets, a list the items that are; everything
    else is copied as it is (a secret given on its own comes back as None). A leaf called
    `value` or `defaultValue` is judged by its parent's key.
    """
    dropped: list[Dropped] = []
    kept = _scrub(data, where, where.rpartition(".")[2], dropped)
    return cast("Data", None if kept is _DROP else kept), dropped


def _scrub(data: Any, where: str, key: str, dropped: list[Dropped]) -> Any:
    if isinstance(data, str):
        verdict = judge(key, data)
        if verdict is not None:
            dropped.append(Dropped(where or key, verdict.reason, verdict.kind))
            return _DROP
        return data
    if isinstance(data, Mapping):
        out: dict[Any, Any] = {}
        for name, value in data.items():
            inner = str(name)
            judged_as = key if inner.lower() in _GENERIC_LEAVES and key else inner
            kept = _scrub(value, f"{where}.{inner}" if where else inner, judged_as, dropped)
            if kept is not _DROP:
                out[name] = kept
        return out
    if isinstance(data, (list, tuple)):
        items = (_scrub(item, f"{where}.{index}" if where else str(index), key, dropped)
                 for index, item in enumerate(data))
        return [item for item in items if item is not _DROP]
    return data
