"""Which campaign a row's campaign name belongs to, and why.

Order: the campaign's UTM value, then the names it has on the ad platforms (both compared
case-insensitively, ignoring surrounding spaces), then the rules the team added (exact,
starts with, contains; longest pattern first, so the most specific rule wins).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CampaignKeys:
    id: int
    name: str
    utm_campaign: str
    platform_names: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    campaign_id: int
    kind: str  # exact, starts_with, contains
    pattern: str
    label: str  # how the rule reads: names that start with 'Spring Launch 2026'


@dataclass(frozen=True)
class Match:
    campaign_id: int | None
    campaign_name: str
    reason: str


NO_MATCH = Match(None, "", "")


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


class Matcher:
    """Matches names against a workspace's campaigns and rules, remembering each answer."""

    def __init__(self, campaigns: list[CampaignKeys], rules: list[Rule]):
        self._names = {c.id: c.name for c in campaigns}
        self._utm: dict[str, int] = {}
        self._platform: dict[str, int] = {}
        for c in campaigns:
            if c.utm_campaign.strip():
                self._utm.setdefault(_key(c.utm_campaign), c.id)
            for name in c.platform_names:
                if name.strip():
                    self._platform.setdefault(_key(name), c.id)
        self._rules = sorted(rules, key=lambda r: (r.kind != "exact", -len(r.pattern)))
        self._seen: dict[str, Match] = {}

    def match(self, name: str) -> Match:
        found = self._seen.get(name)
        if found is None:
            found = self._seen[name] = self._match(name)
        return found

    def _match(self, name: str) -> Match:
        key = _key(name)
        if not key:
            return NO_MATCH
        if key in self._utm:
            return self._found(self._utm[key], "its UTM campaign value")
        if key in self._platform:
            return self._found(self._platform[key], "one of its ad-platform names")
        for rule in self._rules:
            pattern = _key(rule.pattern)
            if (
                (rule.kind == "exact" and key == pattern)
                or (rule.kind == "starts_with" and key.startswith(pattern))
                or (rule.kind == "contains" and pattern in key)
            ):
                return self._found(rule.campaign_id, f"the rule: {rule.label}")
        return NO_MATCH

    def _found(self, campaign_id: int, why: str) -> Match:
        name = self._names.get(campaign_id, "")
        return Match(campaign_id, name, f"matches {why}")
