"""The insights API: one router, each sub-concept (health, check-ins, flow) adding its own module's router."""

from ninja import Router

router = Router(tags=["insights"])
