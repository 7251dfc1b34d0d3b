"""The insights API: one router; each sub-concept (health, check-ins, flow) adds its own."""

from ninja import Router

router = Router(tags=["insights"])


def _add_flow() -> None:
    from headway.insights.api.flow import router as flow_router

    router.add_router("", flow_router)


_add_flow()


def _add_health() -> None:
    from headway.insights.api.health import router as health_router

    router.add_router("", health_router)


_add_health()


def _add_checkins() -> None:
    from headway.insights.api.checkins import router as checkins_router

    router.add_router("", checkins_router)


_add_checkins()
