"""The service finder's search: everyday words → service items, ranked by relevance (docs/rules/lifecircle.md
§ The finder).

Neither SQLite nor PostgreSQL (without extensions) segments Chinese, and residents do not use catalogue names
("社保卡补办" for 社会保障卡补换, "开证明" for 社区证明). So the search is ours, on characters:

- every item carries **aliases** (everyday names of the item) and **keywords** (words people use around it), data
  that catalogue staff edit;
- one query reads the name, aliases, keywords and department of the active items (a scan of the catalogue table:
  a few hundred rows per zone, read per search; nothing is kept per process);
- each item is scored on its best term (exact, containing, contained, or the query's characters in order: 社保卡 in
  社会保障卡, an abbreviation) plus how much of the query its words cover, each character weighted by how rare it is
  in the catalogue (办, 证, 申 say little; 残, 卡, 迁 say much), and bigrams in common;
- aliases and keywords are stored one per line (text columns: both databases search them with LIKE);
- items that explain too little of the query are dropped; the rest are ordered by score, then code.

Pure functions apart from ``rank``, which runs the one query. The costs are in ``bench/finder.py``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from grassroots.core.errors import ValidationFailed
from grassroots.core.input_guard import hidden_characters

MAX_QUERY = 30  # a search for a service is a few words; it bounds the scoring work (LCS is query × term)
MAX_TERMS = 30
MAX_TERM_LENGTH = 30
NOT_WORD = re.compile(r"[\W_]+")
TERM_SEPARATORS = re.compile(r"[\n\r,，、;；|/／]+")
# Words of a question, not of a service ("我想问一下怎么办理…在哪里"): removed from the query before matching.
FILLERS = ("请问一下", "请问", "问一下", "问下", "我想要", "我想", "我要", "想要", "怎么办理", "怎么办", "怎么", "如何",
           "在哪里", "在哪儿", "在哪", "哪里", "去哪", "需要什么", "什么", "可以吗", "一下", "办理", "吗", "呢", "啊")
# How much a term's field counts.
WEIGHT_NAME, WEIGHT_ALIAS, WEIGHT_KEYWORD, WEIGHT_DEPARTMENT = 3.0, 3.0, 2.0, 1.0
# An item must explain at least this share of the query (characters weighted by rarity) ...
MIN_COVERAGE = 0.5
# ... and score at least this share of the best item's score.
MIN_SHARE_OF_BEST = 0.35


def normalise(text: str) -> str:
    """Full-width to half-width, lower case, and only letters and digits kept (spaces and punctuation dropped)."""
    return NOT_WORD.sub("", unicodedata.normalize("NFKC", str(text or "")).lower())


def clean_terms(value, *, field: str) -> list[str]:
    """A list of terms from a list or a text (one per line, or separated by commas, 、 or ;): trimmed, without
    duplicates, in the given order. Refuses too many or too long terms."""
    if value is None:
        return []
    if isinstance(value, str):
        parts = TERM_SEPARATORS.split(value)
    elif isinstance(value, list | tuple):
        parts = [str(v) for v in value]
    else:
        raise ValidationFailed("请按每行一个填写", "Give one term per line", field=field)
    out: list[str] = []
    seen: set[str] = set()
    for part in parts:
        term = " ".join(str(part).split())
        if not term:
            continue
        if hidden_characters(term):
            raise ValidationFailed("含有不可见字符（零宽字符或方向控制符）", "A term holds hidden characters "
                                   "(zero-width or direction controls)", field=field)
        if len(term) > MAX_TERM_LENGTH:
            raise ValidationFailed(f"「{term[:10]}…」超过 {MAX_TERM_LENGTH} 个字", f"A term is longer than "
                                   f"{MAX_TERM_LENGTH} characters", field=field)
        key = normalise(term)
        if key and key not in seen:
            seen.add(key)
            out.append(term)
    if len(out) > MAX_TERMS:
        raise ValidationFailed(f"最多 {MAX_TERMS} 个", f"At most {MAX_TERMS} terms", field=field)
    return out


def query_text(q: str) -> str:
    """The query as matched: normalised, without question words, at most ``MAX_QUERY`` characters."""
    text = normalise(q)[:MAX_QUERY]
    for filler in FILLERS:
        stripped = text.replace(filler, "")
        if stripped:  # a query made only of question words stays as it is
            text = stripped
    return text


def bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def lcs_length(a: str, b: str) -> int:
    """Length of the longest common subsequence (characters in the same order, gaps allowed)."""
    if not a or not b:
        return 0
    prev = [0] * (len(b) + 1)
    for ch in a:
        cur = [0]
        for j, other in enumerate(b, start=1):
            cur.append(prev[j - 1] + 1 if ch == other else max(prev[j], cur[j - 1]))
        prev = cur
    return prev[-1]


def term_score(q: str, term: str) -> float:
    """How well one term of an item answers the whole query, 0–10."""
    if not q or not term:
        return 0.0
    if q == term:
        return 10.0
    if q in term:
        return 6.0 + 3.0 * len(q) / len(term)
    if len(term) >= 2 and term in q:
        return 2.0 + 5.0 * len(term) / len(q)
    common = lcs_length(q, term)
    if common < 2:
        return 0.0
    q_bigrams = bigrams(q)
    shared = len(q_bigrams & bigrams(term)) / len(q_bigrams) if q_bigrams else 0.0
    return 5.0 * (common / len(q)) * (0.4 + 0.6 * common / len(term)) + 2.0 * shared


@dataclass(frozen=True)
class Row:
    """The searchable words of one item."""

    pk: int
    code: str
    terms: tuple[tuple[str, float], ...]  # (normalised term, field weight)

    @classmethod
    def of(cls, pk, code, name, aliases, keywords, department) -> Row:
        terms = [(normalise(name), WEIGHT_NAME)]
        terms += [(normalise(a), WEIGHT_ALIAS) for a in _as_list(aliases)]
        terms += [(normalise(k), WEIGHT_KEYWORD) for k in _as_list(keywords)]
        terms.append((normalise(department), WEIGHT_DEPARTMENT))
        return cls(pk, code, tuple((t, w) for t, w in terms if t))

    @property
    def text(self) -> str:
        return "|".join(t for t, _ in self.terms)


def _as_list(value) -> list[str]:
    """Stored terms (one per line) as a list."""
    return [line for line in str(value or "").splitlines() if line.strip()]


def score_rows(q: str, rows: list[Row], total_items: int) -> list[tuple[float, Row]]:
    """Scores of the rows that answer ``q`` (already ``query_text``), best first; the rows that do not are left out."""
    if not q or not rows:
        return []
    total = max(total_items, len(rows), 1)
    texts = {row.pk: row.text for row in rows}
    chars = sorted(set(q))
    df = {ch: sum(1 for t in texts.values() if ch in t) for ch in chars}
    idf = {ch: math.log(1 + total / (1 + df[ch])) for ch in chars}
    query_weight = sum(idf[ch] for ch in q) or 1.0
    q_bigrams = bigrams(q)
    scored = []
    for row in rows:
        text = texts[row.pk]
        coverage = sum(idf[ch] for ch in q if ch in text) / query_weight
        if coverage < MIN_COVERAGE:
            continue
        best = max(term_score(q, term) * weight for term, weight in row.terms)
        shared = sum(1 for g in q_bigrams if g in text) / len(q_bigrams) if q_bigrams else 0.0
        scored.append((best + 12.0 * coverage ** 2 + 6.0 * shared, row))
    if not scored:
        return []
    top = max(s for s, _ in scored)
    scored = [(s, r) for s, r in scored if s >= MIN_SHARE_OF_BEST * top]
    scored.sort(key=lambda pair: (-pair[0], pair[1].code))
    return scored


def rank(queryset, q: str, *, limit: int = 100) -> list[int]:
    """Ids of the items of ``queryset`` that answer ``q``, best first (at most ``limit``).

    One query reads the searchable words of every row of ``queryset`` (the active catalogue, a few hundred rows):
    at that size one scan and the scoring in Python cost about as much as a LIKE prefilter, and need no index to
    keep in step with every write."""
    text = query_text(q)
    if not text:
        return []
    rows = [Row.of(*values) for values in queryset.values_list(
        "pk", "code", "name", "aliases", "keywords", "competent_department")]
    return [row.pk for _, row in score_rows(text, rows, len(rows))[:limit]]
