"""The built-in templates every workspace starts with, in the format of `template_spec`."""

from __future__ import annotations

from typing import Any


def _t(key: str, title: str, role: str, days: float, *after: Any, **extra: Any) -> dict:
    return {
        "key": key,
        "title": title,
        "role": role,
        "duration": days,
        "after": list(after),
    } | extra


def _m(key: str, title: str, *after: Any, launch: bool = False) -> dict:
    kind = "launch" if launch else "milestone"
    return {"key": key, "title": title, "kind": kind, "after": list(after)}


def _grouped(group: str, *tasks: dict) -> list[dict]:
    return [t | {"group": group} for t in tasks]


def _ss(key: str, lag: int) -> dict:
    return {"task": key, "type": "SS", "lag": lag}


def _ff(key: str, lag: int = 0) -> dict:
    return {"task": key, "type": "FF", "lag": lag}


def _fs(key: str, lag: int) -> dict:
    return {"task": key, "type": "FS", "lag": lag}


PRODUCT_LAUNCH = {
    "tasks": [
        *_grouped(
            "plan",
            _t("brief", "Write the launch brief", "strategist", 3),
            _t("research", "Audience and competitor research", "strategist", 3, _ss("brief", 1)),
            _t(
                "messaging",
                "Positioning and key messages",
                "copywriter",
                4,
                "brief",
                "research",
                approval="messaging",
            ),
        ),
        _m("plan", "Messaging signed off", "messaging"),
        *_grouped(
            "assets",
            _t(
                "concepts",
                "Creative concepts",
                "designer",
                5,
                _ss("messaging", 2),
                approval="design_asset",
            ),
            _t("lp_copy", "Landing page copy", "copywriter", 3, "plan"),
            _t("lp_design", "Landing page design", "designer", 5, "concepts"),
            _t("video", "Launch video", "video", 8, "concepts"),
            _t(
                "email_copy",
                "Launch email sequence copy",
                "copywriter",
                4,
                "plan",
                approval="content_draft",
            ),
            _t("social_creative", "Paid social creative", "designer", 4, "concepts"),
            _t("press", "Press release and media list", "pr", 4, "plan"),
        ),
        _m("assets", "Assets approved", "lp_design", "video", "email_copy", "social_creative"),
        *_grouped(
            "launch",
            _t("lp_build", "Build the landing page", "web", 5, "assets", _ff("lp_copy", 1)),
            _t("email_build", "Build and test the emails", "email", 3, "assets"),
            _t("ads_setup", "Set up paid social campaigns", "paid_ads", 3, "assets"),
            _t(
                "qa", "QA, tracking and UTM check", "web", 2, "lp_build", "email_build", "ads_setup"
            ),
        ),
        _m("launch", "Launch", "qa", _fs("press", 2), launch=True),
        _m("review", "Results review", _fs("launch", 10)),
    ],
    "conditions": [
        {
            "title": "Budget released",
            "kind": "budget",
            "party": "internal",
            "lead_time": 5,
            "before_launch": 15,
        },
        {
            "title": "Legal review of claims",
            "kind": "legal",
            "party": "third_party",
            "lead_time": 10,
            "before_launch": 5,
        },
    ],
}

WEBINAR = {
    "tasks": [
        _t("topic", "Choose topic and speakers", "strategist", 3),
        _t("speaker", "Confirm speaker and run-through date", "events", 5, "topic"),
        _t("page", "Registration page", "web", 3, "topic"),
        _t("invites", "Invitation emails (3 sends)", "email", 3, "page"),
        _t("social", "Promotion on social", "social", 5, _ss("invites", 1)),
        _t("deck", "Slides", "designer", 5, "speaker"),
        _m("rehearsal", "Rehearsal", "deck"),
        _m("launch", "Webinar live", "rehearsal", "invites", launch=True),
        _t("follow_up", "Follow-up email and recording", "email", 2, "launch"),
        _m("review", "Results review", _fs("follow_up", 5)),
    ],
    "conditions": [
        {
            "title": "Speaker contract signed",
            "kind": "partner",
            "party": "third_party",
            "lead_time": 10,
            "before_launch": 10,
        },
    ],
}

NEWSLETTER = {
    "tasks": [
        _t("plan", "Pick the stories", "strategist", 1),
        _t("copy", "Write the newsletter", "copywriter", 3, "plan", approval="content_draft"),
        _t("design", "Images and layout", "designer", 2, _ss("copy", 1)),
        _t("build", "Build and test send", "email", 1, "copy", "design"),
        _m("launch", "Send", "build", launch=True),
    ],
    "conditions": [],
}

BLOG_POST = {
    "tasks": [
        _t("outline", "Outline and keyword", "copywriter", 1),
        _t("draft", "Draft the post", "copywriter", 3, "outline", approval="content_draft"),
        _t("edit", "Edit", "strategist", 1, "draft"),
        _t("images", "Header image", "designer", 1, _ss("draft", 1)),
        _m("launch", "Publish", "edit", "images", launch=True),
        _t("promote", "Share on social and newsletter", "social", 1, "launch"),
    ],
    "conditions": [],
}

SEASONAL_PROMOTION = {
    "tasks": [
        _t("offer", "Define the offer and margins", "strategist", 3, approval="budget_change"),
        _t("copy", "Promotion copy", "copywriter", 3, "offer"),
        _t("creative", "Promotion creative", "designer", 5, _ss("copy", 1)),
        _t("site", "Site banners and promo codes", "web", 3, "creative"),
        _t("emails", "Promotion emails", "email", 3, "copy", "creative"),
        _t("ads", "Paid ads", "paid_ads", 3, "creative"),
        _m("launch", "Promotion starts", "site", "emails", "ads", launch=True),
        _m("review", "Results review", _fs("launch", 15)),
    ],
    "conditions": [
        {
            "title": "Stock confirmed with suppliers",
            "kind": "partner",
            "party": "third_party",
            "lead_time": 10,
            "before_launch": 10,
        },
        {
            "title": "Promotion budget released",
            "kind": "budget",
            "party": "internal",
            "lead_time": 3,
            "before_launch": 10,
        },
    ],
}

PAID_SOCIAL_BURST = {
    "tasks": [
        _t("audience", "Audiences and budget split", "paid_ads", 2, channel="paid_social"),
        _t("copy", "Ad copy variants", "copywriter", 2, "audience"),
        _t("creative", "Ad creative variants", "designer", 4, _ss("copy", 1)),
        _t(
            "setup",
            "Campaign setup and tracking",
            "paid_ads",
            2,
            "copy",
            "creative",
            channel="paid_social",
        ),
        _m("launch", "Ads live", "setup", launch=True),
        _t(
            "optimise",
            "Optimise after the first week",
            "paid_ads",
            2,
            _fs("launch", 5),
            channel="paid_social",
        ),
        _m("review", "Results review", "optimise"),
    ],
    "conditions": [
        {
            "title": "Ad spend approved",
            "kind": "budget",
            "party": "internal",
            "lead_time": 2,
            "before_launch": 3,
        },
    ],
}

EVENT = {
    "tasks": [
        _t("concept", "Event concept and budget", "strategist", 5),
        _t("venue", "Book venue and suppliers", "events", 10, "concept"),
        _t("invites", "Invitations and registration", "email", 5, "venue"),
        _t("materials", "Printed and on-screen materials", "designer", 8, "venue"),
        _t("pr", "Press and partner outreach", "pr", 5, _ss("invites", 2)),
        _t("logistics", "Run sheet and staffing", "events", 3, "materials", "invites"),
        _m("launch", "Event day", "logistics", "pr", launch=True),
        _t("follow_up", "Follow-up with attendees", "email", 2, "launch"),
        _m("review", "Results review", _fs("follow_up", 5)),
    ],
    "conditions": [
        {
            "title": "Venue contract signed",
            "kind": "partner",
            "party": "third_party",
            "lead_time": 15,
            "before_launch": 20,
        },
        {
            "title": "Insurance and permits in place",
            "kind": "legal",
            "party": "third_party",
            "lead_time": 10,
            "before_launch": 10,
        },
    ],
}

STARTER_TEMPLATES: list[tuple[str, str, dict[str, Any]]] = [
    (
        "Product launch",
        "Brief to launch with landing page, video, emails, paid social and PR.",
        PRODUCT_LAUNCH,
    ),
    ("Webinar", "Topic, speaker, registration, invitations, rehearsal and follow-up.", WEBINAR),
    ("Monthly newsletter", "Stories, copy, design and send.", NEWSLETTER),
    ("Blog post", "Outline, draft, edit, image, publish and promote.", BLOG_POST),
    (
        "Seasonal promotion",
        "Offer, creative, site, emails and ads for a dated promotion.",
        SEASONAL_PROMOTION,
    ),
    (
        "Paid social burst",
        "Audiences, ad variants, setup, launch and optimisation.",
        PAID_SOCIAL_BURST,
    ),
    ("Event", "Concept, venue, invitations, materials, logistics and follow-up.", EVENT),
]
